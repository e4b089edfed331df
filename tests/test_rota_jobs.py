"""Rota jobs: shifts kept materialised day by day across DST, and gaps told to rota owners once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.rota.jobs import materialise_shifts, warn_of_gaps
from hubhome.rota.models import OnCallShift, ShiftKind
from tests.phone_helpers import day_and_night_rota

MARCH = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 21, 10, 0, tzinfo=UTC)


def _gap_messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "rota.gap"))
    )


def test_daily_materialisation_across_both_dst_changes_leaves_no_gap_or_overlap(demo):
    for start in (MARCH, OCTOBER):
        with time_machine.travel(start, tick=False) as clock:
            rotas = day_and_night_rota(demo, start, days=2)
            for day in range(10):
                clock.move_to(start + timedelta(days=day))
                materialise_shifts(db.session)
                materialise_shifts(db.session)  # idempotent
                db.session.commit()
        shifts = sorted(
            db.session.scalars(
                select(OnCallShift).where(OnCallShift.rota_id.in_([r.id for r in rotas]))
            ),
            key=lambda s: s.starts_at,
        )
        for before, after in zip(shifts, shifts[1:], strict=False):
            assert before.ends_at == after.starts_at, (before.starts_at, after.starts_at)


def test_gaps_are_told_to_rota_owners_once(demo):
    with time_machine.travel(OCTOBER, tick=False) as clock:
        rotas = day_and_night_rota(demo, OCTOBER)
        assert warn_of_gaps(db.session) == 2  # Björnen is covered; Räven only at night
        db.session.commit()
        raven_owners = {m.recipient_id for m in _gap_messages()}
        assert raven_owners == {demo.user("hubb.raven").id, demo.user("admin").id}
        first = len(_gap_messages())
        # Jonas is off sick on the night the clocks go back, with nobody to cover.
        night = (
            datetime(2026, 10, 24, 18, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        )
        db.session.add(
            OnCallShift(
                rota_id=rotas[1].id,
                user_id=None,
                kind=ShiftKind.UNCOVERED,
                starts_at=night[0],
                ends_at=night[1],
            )
        )
        db.session.commit()
        warn_of_gaps(db.session)
        db.session.commit()
        clock.move_to(OCTOBER + timedelta(hours=3))
        warn_of_gaps(db.session)  # run twice: nothing twice
        db.session.commit()
        new = _gap_messages()[first:]
        bjornen_owners = {demo.user("hubb.bjornen").id, demo.user("admin").id}
        assert bjornen_owners <= {m.recipient_id for m in new}
        told = [m for m in new if m.recipient_id == demo.user("hubb.bjornen").id]
        assert len(told) == 1
        assert "Björnen" in told[0].body
        assert "24 okt. 2026 20:00 – 25 okt. 2026 08:00" in told[0].body
