"""Rota patterns become shifts with explicit instants: no gap and no overlap across DST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import delete, select

from hubhome.extensions import db
from hubhome.network.models import Constellation
from hubhome.rota.chain import chain_at, coverage_gaps
from hubhome.rota.models import OnCallShift, Rota, RotaSlot, ShiftKind
from hubhome.rota.patterns import materialise
from hubhome.timeutil import STOCKHOLM

# 2026: summer time starts Sunday 29 March 02:00, ends Sunday 25 October 03:00.
SPRING = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)  # the Monday before
AUTUMN = datetime(2026, 10, 19, 12, 0, tzinfo=UTC)


@pytest.fixture
def bjornen(app, demo) -> Constellation:
    """Björnen with the demo rotas removed, so each test builds its own."""
    db.session.execute(delete(OnCallShift))
    db.session.execute(delete(RotaSlot))
    db.session.execute(delete(Rota))
    db.session.commit()
    return demo.constellations["Björnen"]


def _rota(constellation, demo, slots, level=1, shared=False) -> Rota:  # type: ignore[no-untyped-def]
    rota = Rota(
        organisation_id=constellation.organisation_id,
        constellation_id=None if shared else constellation.id,
        name="Test",
        level=level,
    )
    rota.slots = [
        RotaSlot(weekday=d, starts=s, ends=e, user_id=demo.user(who).id)
        for d in range(7)
        for s, e, who in slots
    ]
    db.session.add(rota)
    db.session.flush()
    return rota


DAY_NIGHT = [(time(8), time(20), "hubb.bjornen"), (time(20), time(8), "jour")]


def _shifts(rota: Rota) -> list[OnCallShift]:
    return list(
        db.session.scalars(
            select(OnCallShift)
            .where(OnCallShift.rota_id == rota.id)
            .order_by(OnCallShift.starts_at)
        )
    )


@pytest.mark.parametrize(
    ("start", "night_hours"), [(SPRING, 11), (AUTUMN, 13)], ids=["march", "october"]
)
def test_day_night_pattern_has_no_gap_or_overlap_across_dst(bjornen, demo, start, night_hours):
    with time_machine.travel(start, tick=False):
        rota = _rota(bjornen, demo, DAY_NIGHT)
        materialise(db.session, rota, since=start, until=start + timedelta(days=14), clip=True)
        db.session.commit()
        shifts = _shifts(rota)
        for before, after in zip(shifts, shifts[1:], strict=False):
            assert before.ends_at == after.starts_at  # no gap, no overlap
        local = [
            (s.starts_at.astimezone(STOCKHOLM), s.ends_at.astimezone(STOCKHOLM)) for s in shifts
        ]
        # Every handover is at 08:00 or 20:00 Stockholm time, summer or winter.
        assert all(b.time() in (time(8), time(20)) for _a, b in local)
        lengths = {
            a.date().isoformat(): (s.ends_at - s.starts_at)
            for (a, _b), s in zip(local, shifts, strict=True)
            if a.hour == 20
        }
        change_night = "2026-03-28" if start == SPRING else "2026-10-24"
        assert lengths[change_night] == timedelta(hours=night_hours)
        assert all(v == timedelta(hours=12) for k, v in lengths.items() if k != change_night)
        assert coverage_gaps(db.session, bjornen, start, start + timedelta(days=13)) == []


@pytest.mark.parametrize("start", [SPRING, AUTUMN], ids=["march", "october"])
def test_a_handover_inside_the_dst_hour_still_joins_up(bjornen, demo, start):
    slots = [(time(2, 30), time(14, 30), "hubb.bjornen"), (time(14, 30), time(2, 30), "jour")]
    with time_machine.travel(start, tick=False):
        rota = _rota(bjornen, demo, slots)
        materialise(db.session, rota, since=start, until=start + timedelta(days=10), clip=True)
        shifts = _shifts(rota)
    for before, after in zip(shifts, shifts[1:], strict=False):
        assert before.ends_at == after.starts_at
    assert (
        sum((s.ends_at - s.starts_at for s in shifts), timedelta())
        == shifts[-1].ends_at - shifts[0].starts_at
    )


@pytest.mark.parametrize(
    ("instant", "who"),
    [
        (datetime(2026, 3, 29, 5, 30, tzinfo=UTC), "jour"),  # 07:30 summer time: still night
        (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), "hubb.bjornen"),  # 08:00 summer time
        (datetime(2026, 10, 25, 6, 30, tzinfo=UTC), "jour"),  # 07:30 winter time
        (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), "hubb.bjornen"),  # 08:00 winter time
    ],
)
def test_who_is_on_call_follows_stockholm_wall_clock_through_dst(bjornen, demo, instant, who):
    with time_machine.travel(instant - timedelta(days=3), tick=False):
        rota = _rota(bjornen, demo, DAY_NIGHT)
        materialise(
            db.session,
            rota,
            since=instant - timedelta(days=3),
            until=instant + timedelta(days=3),
            clip=True,
        )
        chain = chain_at(db.session, bjornen, instant)
    assert chain[0].user_id == demo.user(who).id
    assert chain[-1].user_id is None and chain[-1].number == "+46100000099"


def test_chain_is_primary_then_secondary_then_last_resort(bjornen, demo):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        primary = _rota(bjornen, demo, [(time(8), time(20), "hubb.bjornen")])
        secondary = _rota(bjornen, demo, [(time(0), time(0), "jour")], level=2, shared=True)
        for rota in (primary, secondary):
            materialise(db.session, rota, since=now, until=now + timedelta(days=2), clip=True)
        chain = chain_at(db.session, bjornen, now)
    assert [s.user_id for s in chain] == [demo.user("hubb.bjornen").id, demo.user("jour").id, None]
    raven = demo.constellations["Räven"]
    assert [s.user_id for s in chain_at(db.session, raven, now)] == [demo.user("jour").id, None]


def test_an_override_beats_the_pattern_and_a_deliberate_gap_shows(bjornen, demo):
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        rota = _rota(bjornen, demo, DAY_NIGHT)
        materialise(db.session, rota, since=now, until=now + timedelta(days=29), clip=True)
        db.session.add(
            OnCallShift(
                rota_id=rota.id,
                user_id=demo.user("socialsekreterare").id,
                kind=ShiftKind.SICK_COVER,
                starts_at=now,
                ends_at=now + timedelta(hours=2),
            )
        )
        hole = (now + timedelta(days=3), now + timedelta(days=3, hours=5))
        db.session.add(
            OnCallShift(
                rota_id=rota.id,
                user_id=None,
                kind=ShiftKind.UNCOVERED,
                starts_at=hole[0],
                ends_at=hole[1],
            )
        )
        db.session.flush()
        assert chain_at(db.session, bjornen, now)[0].user_id == demo.user("socialsekreterare").id
        assert (
            chain_at(db.session, bjornen, now + timedelta(hours=2))[0].user_id
            == demo.user("hubb.bjornen").id
        )
        gaps = coverage_gaps(db.session, bjornen, now, now + timedelta(days=28))
    assert [(g.starts_at, g.ends_at) for g in gaps] == [hole]


def test_a_two_week_rotation_alternates_people(bjornen, demo):
    start = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
    with time_machine.travel(start, tick=False):
        rota = Rota(
            organisation_id=bjornen.organisation_id,
            constellation_id=bjornen.id,
            name="Växel",
            cycle_weeks=2,
        )
        rota.slots = [
            RotaSlot(week=w, weekday=d, starts=time(0), ends=time(0), user_id=demo.user(who).id)
            for w, who in ((0, "hubb.bjornen"), (1, "jour"))
            for d in range(7)
        ]
        db.session.add(rota)
        db.session.flush()
        materialise(db.session, rota, since=start, until=start + timedelta(days=28), clip=True)
        weekly = [
            chain_at(db.session, bjornen, start + timedelta(days=7 * n))[0].user_id
            for n in range(4)
        ]
    first, second = weekly[0], weekly[1]
    assert first != second and weekly == [first, second, first, second]


def test_a_call_after_weeks_without_the_job_still_finds_the_person_on_call(bjornen, demo):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        rota = _rota(bjornen, demo, DAY_NIGHT)
        materialise(db.session, rota, since=start, until=start + timedelta(days=2), clip=True)
        db.session.commit()
    later = start + timedelta(days=60)
    with time_machine.travel(later, tick=False):
        chain = chain_at(db.session, bjornen, later)
    assert chain[0].user_id == demo.user("hubb.bjornen").id
