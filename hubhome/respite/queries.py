"""Read-side queries for the respite pages and API, all through the permission scopes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import User
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.network.models import Household
from hubhome.permissions import household_ids_visible_to, respite_booking_ids_visible_to
from hubhome.respite.models import (
    BlockedPeriod,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
    RespiteWaitlistEntry,
    WaitStatus,
)


def visible_bookings(
    session: DbSession,
    user: User,
    *,
    start: date | None = None,
    end: date | None = None,
    hub_household_id: int | None = None,
    statuses: Sequence[BookingStatus] | None = None,
) -> Sequence[RespiteBooking]:
    """Bookings the user may see, optionally within [start, end) and by status."""
    query = (
        select(RespiteBooking)
        .where(RespiteBooking.id.in_(respite_booking_ids_visible_to(user)))
        .options(
            selectinload(RespiteBooking.children).selectinload(RespiteBookingChild.child),
            selectinload(RespiteBooking.household),
        )
        .order_by(RespiteBooking.check_in, RespiteBooking.id)
    )
    if start is not None:
        query = query.where(RespiteBooking.check_out > start)
    if end is not None:
        query = query.where(RespiteBooking.check_in < end)
    if hub_household_id is not None:
        query = query.where(RespiteBooking.hub_household_id == hub_household_id)
    if statuses:
        query = query.where(RespiteBooking.status.in_(list(statuses)))
    return session.scalars(query).all()


def tonight(
    session: DbSession, user: User, hub_household_id: int, today: date
) -> Sequence[RespiteBooking]:
    """The approved stays at a hub on the night that begins today: checked in today or
    earlier, checking out tomorrow or later. The hub page and the home panel both count these."""
    return visible_bookings(
        session,
        user,
        start=today,
        end=today + timedelta(days=1),
        hub_household_id=hub_household_id,
        statuses=[BookingStatus.APPROVED],
    )


def waitlist_for(session: DbSession, household_id: int) -> Sequence[RespiteWaitlistEntry]:
    return session.scalars(
        select(RespiteWaitlistEntry)
        .where(
            RespiteWaitlistEntry.household_id == household_id,
            RespiteWaitlistEntry.status.in_((WaitStatus.WAITING, WaitStatus.OFFERED)),
        )
        .order_by(RespiteWaitlistEntry.check_in)
    ).all()


def placed_children(session: DbSession, household_id: int) -> Sequence[Child]:
    return session.scalars(
        select(Child)
        .join(Placement)
        .where(Placement.household_id == household_id, Placement.end_date.is_(None))
        .order_by(Child.first_name)
    ).all()


def bookable_households(session: DbSession, user: User) -> Sequence[Household]:
    """Satellite households the user may book for."""
    return session.scalars(
        select(Household)
        .where(Household.id.in_(household_ids_visible_to(user)), Household.kind == "satellite")
        .order_by(Household.name)
    ).all()


def blocked_periods(session: DbSession, hub_id: int, from_day: date) -> Sequence[BlockedPeriod]:
    return session.scalars(
        select(BlockedPeriod)
        .where(BlockedPeriod.household_id == hub_id, BlockedPeriod.end_date > from_day)
        .order_by(BlockedPeriod.start_date)
    ).all()
