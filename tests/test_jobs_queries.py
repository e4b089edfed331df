"""The national jobs read each organisation in a fixed number of grouped queries.

Rota gaps and "IVO report ready" run the same number of queries for an organisation with
more constellations or more decisions; only the messages they queue (one insert each) grow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from sqlalchemy import delete, event, insert, select

from hubhome.accounts.models import User
from hubhome.decisions.models import DecisionOffer, InterventionDecision, InterventionKind
from hubhome.extensions import db
from hubhome.network.models import Constellation, Household, HouseholdKind
from hubhome.outbox.models import OutboxMessage
from hubhome.rota.jobs import materialise_shifts
from jobs.registry import all_jobs
from tests import clock
from tests.monitoring_helpers import make_worker, place_child

pytestmark = pytest.mark.clock(clock.WRITTEN)

MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Stockholm
NEW_QUARTER = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)  # four days into Q1: IVO ready is due
OUTBOX_INSERT = "INSERT INTO outbox_messages"


@contextmanager
def counted() -> Iterator[list[str]]:
    """The statements run meanwhile, but the outbox inserts (one per message queued)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().startswith(OUTBOX_INSERT):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def run(name: str) -> int:
    job = next(j for j in all_jobs() if j.name == name)
    db.session.commit()
    with counted() as statements:
        job.func(db.session)
        db.session.commit()
    return len(statements)


def _queued(purpose: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def test_rota_gaps_run_the_same_queries_for_more_constellations(demo):
    org = demo.constellations["Björnen"].organisation_id
    with time_machine.travel(MONDAY, tick=False):
        materialise_shifts(db.session)
        run("rota_gaps")  # the first run queues what the demo's gaps are
        few = run("rota_gaps")
        for n in range(5):
            hub = Household(
                organisation_id=org,
                name=f"Nav {n}",
                kind=HouseholdKind.HUB,
                registered_on=date(2024, 1, 1),
                respite_beds=2,
            )
            db.session.add(hub)
            db.session.flush()
            db.session.add(
                Constellation(organisation_id=org, name=f"Extra {n}", hub_household_id=hub.id)
            )
        db.session.commit()
        materialise_shifts(db.session)
        told = len(_queued("rota.gap"))
        many = run("rota_gaps")
        assert any("Extra 4" in m.body for m in _queued("rota.gap")[told:])  # the work grew
        assert many == few


def test_ivo_ready_runs_the_same_queries_for_more_decisions(demo):
    with time_machine.travel(MONDAY, tick=False):
        workers = [make_worker(f"ivo{n}@demo.hubhome.test") for n in range(3)]
        child = place_child(workers[0], "Familjen Andersson", "Alma", date(2026, 1, 10))

        def decide(count: int, responsible: list[User]) -> None:
            """`count` decisions past their limit in Q4, each with an offer."""
            rows = [
                {
                    "organisation_id": child.organisation_id,
                    "child_id": child.id,
                    "kind": InterventionKind.CONTACT_FAMILY,
                    "decision_date": date(2026, 6, 1 + n % 28),
                    "responsible_id": responsible[n % len(responsible)].id,
                    "created_by_id": workers[0].id,
                }
                for n in range(count)
            ]
            ids = db.session.scalars(
                insert(InterventionDecision).returning(InterventionDecision.id), rows
            ).all()
            offers = [{"decision_id": id_, "offered_on": date(2026, 7, 1)} for id_ in ids]
            db.session.execute(insert(DecisionOffer), offers)
            db.session.commit()

        decide(2, workers[:1])
    with time_machine.travel(NEW_QUARTER, tick=False):
        few = run("ivo_report_ready")
        told = {m.recipient_id: m.body for m in _queued("decisions.ivo_ready")}
        assert "2 decisions" in told[workers[0].id]
        db.session.execute(delete(OutboxMessage))  # told again below
        db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        decide(600, workers)  # past SQLAlchemy's batches of 500, with three responsibles
    with time_machine.travel(NEW_QUARTER, tick=False):
        many = run("ivo_report_ready")
        told = {m.recipient_id: m.body for m in _queued("decisions.ivo_ready")}
        assert "202 decisions" in told[workers[0].id]
        assert "200 decisions" in told[workers[2].id]
    assert many == few
