"""The waiting list: families told, first come first served, when their nights free up."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Constellation, Household
from hubhome.network.services import current_constellation
from hubhome.permissions import can_book_for
from hubhome.respite import notify
from hubhome.respite.capacity import availability
from hubhome.respite.models import BookingKind, RespiteWaitlistEntry, WaitStatus
from hubhome.timeutil import local_today, utcnow


def join_waitlist(
    session: DbSession,
    actor: User,
    household: Household,
    *,
    check_in: date,
    check_out: date,
    beds: int,
    kind: BookingKind,
) -> RespiteWaitlistEntry:
    """Put a family on the waiting list for nights that were full."""
    if not can_book_for(actor, household):
        raise NotAllowed(_("You may not book respite for that family."))
    constellation = current_constellation(session, household)
    if constellation is None or check_out <= check_in or beds < 1:
        raise ValidationFailed(_("Some of the information could not be used."))
    entry = RespiteWaitlistEntry(
        constellation_id=constellation.id,
        household_id=household.id,
        check_in=check_in,
        check_out=check_out,
        beds=beds,
        kind=kind,
        created_by_id=actor.id,
    )
    session.add(entry)
    session.flush()
    record(session, actor, "respite.waitlisted", entry, household_id=household.id)
    return entry


def withdraw(session: DbSession, actor: User, entry: RespiteWaitlistEntry) -> None:
    if actor.household_id != entry.household_id and not can_book_for(actor, entry.household):
        raise NotAllowed(_("You may not change this waiting-list place."))
    entry.status = WaitStatus.WITHDRAWN
    record(session, actor, "respite.waitlist_withdrawn", entry, household_id=entry.household_id)


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
