"""Beds per night at a hub home: capacity changes, blocked periods and what bookings hold."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.display.dates import format_days
from hubhome.errors import Conflict, ValidationFailed
from hubhome.network.models import Household
from hubhome.respite.models import (
    HOLDS_BEDS,
    BedCapacityChange,
    BlockedPeriod,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
)
from hubhome.timeutil import local_today


def nights(start: date, end: date) -> Iterator[date]:
    """Yield each night in [start, end)."""
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


@dataclass(frozen=True)
class Night:
    day: date
    beds: int
    taken: int
    blocked: bool

    @property
    def free(self) -> int:
        return max(0, self.beds - self.taken)


@cache
def _hub_calendar() -> CompoundSelect[str, date, date, int]:
    """What decides the beds of nights [:start, :end) at hub :hub_id, as rows of
    (what, first, last, number).

    `beds`: a capacity change from `first` on (`number` beds); `blocked`: nights
    [first, last) closed; `held`: a requested or approved booking [first, last) holding
    `number` beds. One query (UNION ALL) instead of three round trips, built once (on first
    use: every availability and booking runs it).
    """
    hub_id = bindparam("hub_id", type_=Integer)
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    capacity = select(
        literal("beds", String).label("what"),
        BedCapacityChange.effective_from.label("first"),
        cast(null(), Date).label("last"),
        BedCapacityChange.beds.label("number"),
    ).where(BedCapacityChange.household_id == hub_id, BedCapacityChange.effective_from < end)
    blocked = select(
        literal("blocked", String),
        BlockedPeriod.start_date,
        BlockedPeriod.end_date,
        literal(0, Integer),
    ).where(
        BlockedPeriod.household_id == hub_id,
        BlockedPeriod.start_date < end,
        BlockedPeriod.end_date > start,
    )
    held = (
        select(
            literal("held", String),
            RespiteBooking.check_in,
            RespiteBooking.check_out,
            func.count(),
        )
        .join(RespiteBookingChild)
        .where(
            RespiteBooking.hub_household_id == hub_id,
            # a bound value each, not one list expanded into the SQL at every execution
            RespiteBooking.status.in_([literal(s, RespiteBooking.status.type) for s in HOLDS_BEDS]),
            RespiteBooking.check_in < end,
            RespiteBooking.check_out > start,
        )
        .group_by(RespiteBooking.id, RespiteBooking.check_in, RespiteBooking.check_out)
    )
    return union_all(capacity, blocked, held)


def availability(session: DbSession, hub: Household, start: date, end: date) -> list[Night]:
    """Return beds, taken beds and blocked state for each night in [start, end).

    One query whatever the range or the length of the hub's history: capacity changes,
    blocked periods and the bookings that overlap it (requested and approved bookings
    hold their beds).
    """
    changes: list[tuple[date, int]] = []
    blocked: list[tuple[date, date]] = []
    taken: dict[date, int] = {}
    for what, first, last, number in session.execute(
        _hub_calendar(), {"hub_id": hub.id, "start": start, "end": end}
    ):
        if what == "beds":
            changes.append((first, number))
        elif what == "blocked":
            blocked.append((first, last))
        else:
            for day in nights(max(first, start), min(last, end)):
                taken[day] = taken.get(day, 0) + number
    changes.sort()
    result = []
    for day in nights(start, end):
        beds = hub.respite_beds
        for effective_from, changed_beds in changes:
            if effective_from <= day:
                beds = changed_beds
        is_blocked = any(b_start <= day < b_end for b_start, b_end in blocked)
        result.append(Night(day, 0 if is_blocked else beds, taken.get(day, 0), blocked=is_blocked))
    return result


def lock_hub(session: DbSession, hub_id: int) -> Household:
    """Lock the hub home's row for the rest of the transaction (PostgreSQL: FOR UPDATE).

    Every change that can affect a night's beds takes this lock first, so counting and
    inserting cannot interleave. SQLite transactions start with BEGIN IMMEDIATE instead.
    """
    hub = session.scalar(select(Household).where(Household.id == hub_id).with_for_update())
    if hub is None:
        raise ValidationFailed(_("This constellation has no hub home."))
    return hub


@cache
def _hub_and_carers() -> Select[Household, User]:
    """The hub's row, locked, beside the active carers of the hub and of a family."""
    return (
        select(Household, User)
        .outerjoin(
            User,
            and_(
                User.household_id.in_([bindparam("hub_id"), bindparam("family_id")]),
                User.active.is_(True),
            ),
        )
        .where(Household.id == bindparam("hub_id"))
        .order_by(User.id)
        .with_for_update(of=Household)
    )


def lock_hub_with_carers(
    session: DbSession, hub_id: int, family_id: int
) -> tuple[Household, list[User]]:
    """`lock_hub`, and in the same round trip the active accounts of the hub home and of the
    family (oldest first): a booking request tells them, and the lock is taken anyway."""
    rows = session.execute(_hub_and_carers(), {"hub_id": hub_id, "family_id": family_id}).all()
    if not rows:
        raise ValidationFailed(_("This constellation has no hub home."))
    return rows[0][0], [carer for _hub, carer in rows if carer is not None]


HORIZON = timedelta(days=400)  # how far ahead a change of beds is checked against bookings
NAMED_NIGHTS = 10


def set_beds(
    session: DbSession, actor: User, hub: Household, *, effective_from: date, beds: int
) -> BedCapacityChange:
    """Change the number of beds from a date on, refusing to strand existing bookings."""
    if not 0 <= beds <= 10:
        raise ValidationFailed(_("Between 0 and 10."), errors={"beds": [_("Between 0 and 10.")]})
    hub = lock_hub(session, hub.id)
    change = session.scalar(
        select(BedCapacityChange).where(
            BedCapacityChange.household_id == hub.id,
            BedCapacityChange.effective_from == effective_from,
        )
    )
    if change is None:
        change = BedCapacityChange(household_id=hub.id, effective_from=effective_from, beds=beds)
        session.add(change)
    change.beds = beds
    change.created_by_id = actor.id
    session.flush()
    horizon = effective_from + HORIZON
    over = [n.day for n in availability(session, hub, effective_from, horizon) if n.taken > n.beds]
    if over:
        raise Conflict(stranded_message(over), full_nights=[d.isoformat() for d in over[:60]])
    record(
        session,
        actor,
        "respite.beds_changed",
        change,
        household_id=hub.id,
        detail={"beds": beds, "from": effective_from.isoformat()},
    )
    return change


def change_base_beds(session: DbSession, actor: User, household: Household, beds: int) -> None:
    """Change a household's own number of beds (the household form) under the hub's lock,
    refusing a change that would leave booked children without a bed, naming the nights."""
    if not 0 <= beds <= 10:
        raise ValidationFailed(
            _("Between 0 and 10."), errors={"respite_beds": [_("Between 0 and 10.")]}
        )
    hub = lock_hub(session, household.id)
    before = hub.respite_beds
    hub.respite_beds = beds
    start = local_today()
    over = [n.day for n in availability(session, hub, start, start + HORIZON) if n.taken > n.beds]
    if over:
        hub.respite_beds = before
        raise Conflict(stranded_message(over), full_nights=[d.isoformat() for d in over[:60]])
    record(
        session,
        actor,
        "respite.beds_changed",
        hub,
        household_id=hub.id,
        detail={"beds": beds, "before": before},
    )


def stranded_message(over: list[date]) -> str:
    """'Booked children would have no bed on these nights: …' with the first nights named."""
    shown = format_days(over[:NAMED_NIGHTS])
    more = len(over) - NAMED_NIGHTS
    message = ngettext(
        "Booked children would have no bed on this night: %(nights)s.",
        "Booked children would have no bed on these nights: %(nights)s.",
        min(len(over), NAMED_NIGHTS),
        nights=shown,
    )
    if more > 0:
        message += " " + ngettext(
            "And %(num)d more night.", "And %(num)d more nights.", more, num=more
        )
    return message + " " + _("Decline, cancel or move those bookings first.")


def block_period(
    session: DbSession, actor: User, hub: Household, *, start: date, end: date, reason: str
) -> BlockedPeriod:
    """Close the hub home for nights [start, end); refused while approved bookings collide."""
    if end <= start:
        message = _("The last night must be after the first.")
        raise ValidationFailed(message, errors={"end_date": [message]})
    hub = lock_hub(session, hub.id)
    colliding = session.scalars(
        select(RespiteBooking)
        .where(
            RespiteBooking.hub_household_id == hub.id,
            RespiteBooking.status.in_((BookingStatus.REQUESTED, BookingStatus.APPROVED)),
            RespiteBooking.check_in < end,
            RespiteBooking.check_out > start,
        )
        .order_by(RespiteBooking.check_in)
    ).all()
    if colliding:
        raise Conflict(
            _("Bookings fall in this period. Decline or cancel them first."),
            bookings=[
                {
                    "id": b.id,
                    "check_in": b.check_in.isoformat(),
                    "check_out": b.check_out.isoformat(),
                    "status": str(b.status),
                }
                for b in colliding
            ],
        )
    period = BlockedPeriod(
        household_id=hub.id,
        start_date=start,
        end_date=end,
        reason=reason.strip() or None,
        created_by_id=actor.id,
    )
    session.add(period)
    session.flush()
    record(session, actor, "respite.blocked", period, household_id=hub.id)
    return period


def remove_block(session: DbSession, actor: User, period: BlockedPeriod) -> None:
    lock_hub(session, period.household_id)
    record(session, actor, "respite.unblocked", period, household_id=period.household_id)
    session.delete(period)
    session.flush()
    _offer(session, period.household_id)


def _offer(session: DbSession, hub_id: int) -> None:
    """Beds may have freed up: tell the first waiting family whose nights now fit."""
    from hubhome.network.models import Constellation
    from hubhome.respite.waitlist import offer_freed_beds

    constellation_id = session.scalar(
        select(Constellation.id).where(Constellation.hub_household_id == hub_id)
    )
    if constellation_id is not None:
        offer_freed_beds(session, constellation_id)
