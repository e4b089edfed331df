"""Turning a weekly pattern into shifts with explicit instants.

Every shift's start and end come from a Stockholm wall-clock handover on a calendar day,
computed with the same rule (`local_to_utc`), so one shift ends exactly where the next
begins, whatever the DST change in between does to the length of the night.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update

from hubhome.db import DbSession
from hubhome.rota.models import OnCallShift, Rota, RotaSlot, ShiftKind
from hubhome.timeutil import local_to_utc, to_local, utcnow

HORIZON = timedelta(days=35)  # a little more than the 28 days the gap check looks ahead
CYCLE_ANCHOR = date(2024, 1, 1)  # a Monday: week 0 of every cycle


def cycle_week(day: date, cycle_weeks: int) -> int:
    """Return which week of a `cycle_weeks`-long rotation `day` falls in."""
    monday = day - timedelta(days=day.weekday())
    return ((monday - CYCLE_ANCHOR).days // 7) % max(cycle_weeks, 1)


def slot_instants(slot: RotaSlot, day: date) -> tuple[datetime, datetime]:
    """Return the UTC start and end of `slot` when it begins on `day`."""
    end_day = day if slot.ends > slot.starts else day + timedelta(days=1)
    return local_to_utc(day, slot.starts), local_to_utc(end_day, slot.ends)


def pattern_shifts(
    rota: Rota, first_day: date, last_day: date
) -> Iterator[tuple[int, datetime, datetime]]:
    """Yield (user id, start, end) for every slot beginning on a day in the range."""
    day = first_day
    while day <= last_day:
        week = cycle_week(day, rota.cycle_weeks)
        for slot in rota.slots:
            if slot.weekday == day.weekday() and slot.week == week:
                starts_at, ends_at = slot_instants(slot, day)
                yield slot.user_id, starts_at, ends_at
        day += timedelta(days=1)


def materialise(
    session: DbSession,
    rota: Rota,
    *,
    until: datetime,
    since: datetime | None = None,
    clip: bool = False,
) -> int:
    """Store the pattern's shifts that start in [since, until); return how many.

    With `clip`, a shift already running at `since` is stored from `since` on (used when
    the pattern changes mid-shift). Without, the stretch continues where the last
    materialisation stopped and no shift is stored twice.
    """
    since = since or rota.materialised_until or utcnow()
    if until <= since:
        return 0
    first_day = to_local(since).date() - timedelta(days=1)
    added = 0
    for user_id, starts_at, ends_at in pattern_shifts(rota, first_day, to_local(until).date()):
        if starts_at >= until or ends_at <= since:
            continue
        if starts_at < since:
            if not clip:
                continue
            starts_at = since
        session.add(
            OnCallShift(
                rota_id=rota.id,
                user_id=user_id,
                kind=ShiftKind.PATTERN,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )
        added += 1
    rota.materialised_until = until
    return added


def ensure_materialised(session: DbSession, rota: Rota, until: datetime) -> int:
    """Make sure the pattern's shifts exist up to `until` (a rota never stored starts now)."""
    if rota.materialised_until is None:
        return materialise(session, rota, since=utcnow(), until=until, clip=True)
    if rota.materialised_until >= until:
        return 0
    return materialise(session, rota, until=until)


def rematerialise(session: DbSession, rota: Rota) -> int:
    """Replace the pattern's shifts from now on after the pattern changed.

    The shift running now ends now; overrides are kept, they still beat the pattern.
    """
    now = utcnow()
    pattern = (OnCallShift.rota_id == rota.id) & (OnCallShift.kind == ShiftKind.PATTERN)
    session.execute(delete(OnCallShift).where(pattern, OnCallShift.starts_at >= now))
    session.execute(
        update(OnCallShift)
        .where(pattern, OnCallShift.starts_at < now, OnCallShift.ends_at > now)
        .values(ends_at=now)
    )
    session.flush()
    return materialise(session, rota, since=now, until=now + HORIZON, clip=True)


def materialise_all(session: DbSession) -> int:
    """Extend every rota's shifts to the horizon; idempotent."""
    until = utcnow() + HORIZON
    rotas = session.scalars(select(Rota).order_by(Rota.id)).all()
    return sum(ensure_materialised(session, rota, until) for rota in rotas)
