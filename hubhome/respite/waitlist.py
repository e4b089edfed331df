"""The waiting list: families told, first come first served, when their nights free up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.network.models import Constellation, Household
from hubhome.network.services import current_constellation
from hubhome.permissions import can_book_for
from hubhome.respite import notify
from hubhome.respite.booking import BookingRequest, request_booking
from hubhome.respite.capacity import availability, lock_hub
from hubhome.respite.models import (
    BookingKind,
    RespiteBooking,
    RespiteWaitlistChild,
    RespiteWaitlistEntry,
    WaitStatus,
)
from hubhome.respite.queries import placed_children
from hubhome.timeutil import local_today, utcnow
from hubhome.transaction import commit_regardless


def join_waitlist(
    session: DbSession,
    actor: User,
    household: Household,
    *,
    check_in: date,
    check_out: date,
    beds: int,
    kind: BookingKind,
    child_ids: Sequence[int] = (),
    note: str = "",
) -> RespiteWaitlistEntry:
    """Put a family on the waiting list for nights that were full, with the children and
    the note it asked for (so the offer can book them in one step)."""
    if not can_book_for(actor, household):
        raise NotAllowed(_("You may not book respite for that family."))
    constellation = current_constellation(session, household)
    placed = {c.id for c in placed_children(session, household.id)}
    wanted = sorted(set(child_ids))
    beds = len(wanted) or beds
    if constellation is None or check_out <= check_in or beds < 1 or not placed >= set(wanted):
        raise ValidationFailed(_("Some of the information could not be used."))
    entry = RespiteWaitlistEntry(
        constellation_id=constellation.id,
        household_id=household.id,
        check_in=check_in,
        check_out=check_out,
        beds=beds,
        kind=kind,
        created_by_id=actor.id,
        note=note.strip()[:2000] or None,
    )
    entry.children = [RespiteWaitlistChild(child_id=c) for c in wanted]
    session.add(entry)
    session.flush()
    record(session, actor, "respite.waitlisted", entry, household_id=household.id)
    return entry


def withdraw(session: DbSession, actor: User, entry: RespiteWaitlistEntry) -> None:
    if actor.household_id != entry.household_id and not can_book_for(actor, entry.household):
        raise NotAllowed(_("You may not change this waiting-list place."))
    entry.status = WaitStatus.WITHDRAWN
    record(session, actor, "respite.waitlist_withdrawn", entry, household_id=entry.household_id)


def book_offer(session: DbSession, actor: User, entry: RespiteWaitlistEntry) -> RespiteBooking:
    """Book the nights of a waiting-list place in one step (the offer's link).

    Idempotent: a second tap, by this or another carer of the family, returns the booking
    the first made. Refuses politely (Conflict) when the beds have been taken meanwhile.
    """
    if actor.household_id != entry.household_id and not can_book_for(actor, entry.household):
        raise NotAllowed(_("You may not change this waiting-list place."))
    lock_hub(session, _hub_id(session, entry))
    session.refresh(entry)
    if entry.booking_id is not None:
        return session.get_one(RespiteBooking, entry.booking_id)
    if entry.status == WaitStatus.WITHDRAWN:
        raise Conflict(_("You have left the waiting list for these nights."))
    req = BookingRequest(
        household_id=entry.household_id,
        child_ids=[c.child_id for c in entry.children],
        check_in=entry.check_in,
        check_out=entry.check_out,
        kind=entry.kind,
        note=entry.note or "",
    )
    if not req.child_ids:
        raise ValidationFailed(_("Choose the children on the booking page."))
    try:
        booking = request_booking(session, actor, req)
    except Conflict as refused:
        # the place waits again for the next free beds, though this request is rolled back
        entry_id = entry.id
        commit_regardless(lambda later: wait_again(later, entry_id))
        raise Conflict(
            _(
                "Sorry, the beds were taken before you booked. You keep your place on the "
                "waiting list, and we send a new SMS when beds are free."
            ),
            **refused.extra,
        ) from refused
    entry.booking_id = booking.id
    entry.status = WaitStatus.WITHDRAWN
    record(
        session,
        actor,
        "respite.waitlist_booked",
        entry,
        household_id=entry.household_id,
        detail={"booking_id": booking.id},
    )
    return booking


def wait_again(session: DbSession, entry_id: int) -> None:
    """An offered place whose beds were taken before it was booked waits for the next ones."""
    session.execute(
        update(RespiteWaitlistEntry)
        .where(
            RespiteWaitlistEntry.id == entry_id,
            RespiteWaitlistEntry.status == WaitStatus.OFFERED,
        )
        .values(status=WaitStatus.WAITING, offered_at=None)
        .execution_options(synchronize_session=False)
    )


def _hub_id(session: DbSession, entry: RespiteWaitlistEntry) -> int:
    constellation = session.get_one(Constellation, entry.constellation_id)
    if constellation.hub_household_id is None:
        raise ValidationFailed(_("This constellation has no hub home."))
    return constellation.hub_household_id


def offer_freed_beds(session: DbSession, constellation_id: int) -> RespiteWaitlistEntry | None:
    """Tell the first waiting family whose nights now fit; return its entry, if any."""
    constellation = session.get_one(Constellation, constellation_id)
    if constellation.hub_household_id is None:
        return None
    hub = session.get_one(Household, constellation.hub_household_id)
    waiting = session.scalars(
        select(RespiteWaitlistEntry)
        .where(
            RespiteWaitlistEntry.constellation_id == constellation_id,
            RespiteWaitlistEntry.status == WaitStatus.WAITING,
            RespiteWaitlistEntry.check_in >= local_today(),
        )
        .order_by(RespiteWaitlistEntry.created_at, RespiteWaitlistEntry.id)
    ).all()
    for entry in waiting:
        nights = availability(session, hub, entry.check_in, entry.check_out)
        if all(n.free >= entry.beds for n in nights):
            entry.status = WaitStatus.OFFERED
            entry.offered_at = utcnow()
            notify.waitlist_offer(session, entry)
            return entry
    return None
