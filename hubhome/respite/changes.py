"""Moving a booking to other nights, re-checked against the beds under the hub's lock."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.permissions import books_approved_at_once, can_cancel_booking, can_decide_booking
from hubhome.respite import notify
from hubhome.respite.booking import BookingRequest, full_nights_conflict, validate_request
from hubhome.respite.capacity import availability, lock_hub_with_carers
from hubhome.respite.models import BookingStatus, RespiteBooking
from hubhome.respite.rules import check_allowance
from hubhome.timeutil import local_today, utcnow

MOVABLE = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


def change_dates(
    session: DbSession, actor: User, booking: RespiteBooking, check_in: date, check_out: date
) -> RespiteBooking:
    """Move a requested or approved booking to nights [check_in, check_out).

    The family may move its own booking before check-in; the hub carer and administrators
    may move any. The new nights are checked against the beds under the hub's lock, with the
    booking's own beds given back first; a change by the family goes back to the hub carer
    for a decision. Raises Conflict naming the nights without enough beds.
    """
    if not can_cancel_booking(actor, booking):
        raise NotAllowed(_("You may not change this booking."))
    deciding = can_decide_booking(actor, booking)
    if booking.status not in MOVABLE:
        raise Conflict(_("Only requested and approved bookings can be moved."))
    if not deciding and actor.role == Role.FOSTER_CARER and booking.check_in <= local_today():
        message = _("A stay that has begun is changed by the hub carer.")
        raise ValidationFailed(message, errors={"check_in": [message]})
    child_ids = [c.child_id for c in booking.children]
    req = BookingRequest(booking.household_id, child_ids, check_in, check_out, booking.kind)
    household, _constellation, rules = validate_request(session, actor, req)
    hub, carers = lock_hub_with_carers(session, booking.hub_household_id, household.id)
    before = (booking.check_in, booking.check_out)
    session.refresh(booking)
    if booking.status not in MOVABLE or (booking.check_in, booking.check_out) != before:
        raise Conflict(_("The booking was changed by someone else. Reload and try again."))
    wanted = len(child_ids)

    def own(day: date) -> int:
        return wanted if booking.check_in <= day < booking.check_out else 0

    nights = availability(session, hub, check_in, check_out)
    short = {
        n.day: max(0, n.beds - n.taken + own(n.day))
        for n in nights
        if n.beds - n.taken + own(n.day) < wanted
    }
    if short:
        raise full_nights_conflict(short, wanted)
    check_allowance(session, household.id, rules, req, giving_back=before)
    stays_approved = deciding or books_approved_at_once(actor, booking.kind)
    status = (
        BookingStatus.APPROVED
        if booking.status == BookingStatus.APPROVED and stays_approved
        else BookingStatus.REQUESTED
    )
    session.execute(
        update(RespiteBooking)
        .where(RespiteBooking.id == booking.id)
        .values(check_in=check_in, check_out=check_out, status=status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(booking)
    record(
        session,
        actor,
        "respite.dates_changed",
        booking,
        household_id=booking.household_id,
        detail={
            "from": [before[0].isoformat(), before[1].isoformat()],
            "to": [check_in.isoformat(), check_out.isoformat()],
            "status": str(status),
        },
    )
    notify.moved(session, booking, carers, before, by=actor)
    from hubhome.respite.waitlist import offer_freed_beds

    offer_freed_beds(session, booking.constellation_id)
    return booking
