"""Scheduled monitoring work: the weekly dues digest, "IVO report ready", idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from hubhome.decisions.models import InterventionDecision, InterventionKind
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from jobs.registry import all_jobs
from tests import clock
from tests.monitoring_helpers import make_worker, place_child

pytestmark = pytest.mark.clock(clock.WRITTEN)

MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Stockholm


def decision(worker, child, decided: date, **extra) -> InterventionDecision:
    item = InterventionDecision(
        organisation_id=child.organisation_id,
        child_id=child.id,
        kind=InterventionKind.CONTACT_FAMILY,
        decision_date=decided,
        responsible_id=worker.id,
        created_by_id=worker.id,
        **extra,
    )
    db.session.add(item)
    db.session.commit()
    return item


def messages(user, purpose: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient_id == user.id, OutboxMessage.purpose == purpose
            )
        )
    )


def run(name: str) -> int:
    job = next(j for j in all_jobs() if j.name == name)
    handled = job.func(db.session)
    db.session.commit()
    return handled


def test_weekly_digest_lists_dues_once_a_week(app, demo):
    with time_machine.travel(MONDAY, tick=False):
        worker = make_worker()
        calm = make_worker("lugn@demo.hubhome.test")
        alma = place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
        place_child(calm, "Familjen Berg", "Bo", date(2026, 11, 20))
        decision(worker, alma, date(2026, 8, 30))  # limit 30 November: within two weeks
        decision(worker, alma, date(2026, 6, 1))  # past the limit since 2 September
        decision(worker, alma, date(2026, 11, 1))  # limit 1 February: nothing yet
        run("caseload_dues_digest")
        run("caseload_dues_digest")
        sent = messages(worker, "caseload.digest")
        assert len(sent) == 1
        assert sent[0].body == (
            "Hubhome this week: 1 follow-up visit and 1 placement review due or overdue. "
            "1 decision reaches the three-month limit within two weeks. "
            "1 decision is past the three-month limit."
        )
        assert messages(calm, "caseload.digest") == []
    with time_machine.travel(datetime(2026, 11, 30, 6, 0, tzinfo=UTC), tick=False):
        run("caseload_dues_digest")
        assert len(messages(worker, "caseload.digest")) == 2


def test_ivo_report_ready_after_the_quarter(app, demo):
    admin = demo.user("admin")
    with time_machine.travel(datetime(2026, 12, 15, 8, tzinfo=UTC), tick=False):
        worker = make_worker()
        other = make_worker("annan.handlaggare@demo.hubhome.test")
        alma = place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
        decision(worker, alma, date(2026, 6, 1))
        assert run("ivo_report_ready") == 0  # mid-quarter: nothing
    with time_machine.travel(datetime(2027, 1, 4, 8, tzinfo=UTC), tick=False):
        run("ivo_report_ready")
        run("ivo_report_ready")
        sent = messages(worker, "decisions.ivo_ready")
        assert [m.body for m in sent] == [
            "Hubhome: the IVO report on decisions not carried out for 2026Q4 is ready for review "
            "(1 decision)."
        ]
        assert len(messages(admin, "decisions.ivo_ready")) == 1
        assert messages(other, "decisions.ivo_ready") == []
    with time_machine.travel(datetime(2027, 1, 20, 8, tzinfo=UTC), tick=False):
        assert run("ivo_report_ready") == 0
    assert len(messages(admin, "decisions.ivo_ready")) == 1


def test_digest_week_is_the_stockholm_week_across_dst(app, demo):
    # Sunday 25 October 23:30 UTC is already Monday 00:30 in Stockholm (winter time begins).
    with time_machine.travel(datetime(2026, 10, 25, 23, 30, tzinfo=UTC), tick=False):
        worker = make_worker()
        place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
        run("caseload_dues_digest")
    keys = [m.dedupe_key for m in messages(worker, "caseload.digest")]
    assert keys == [f"caseload-digest:{worker.id}:2026-W44"]
