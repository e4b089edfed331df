"""Asking for, deciding and cancelling respite bookings; capacity enforced in the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Integer, Select, bindparam, func, insert, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.children.models import Placement
from hubhome.db import DbSession, table_of
from hubhome.display.dates import format_day
from hubhome.errors import Conflict, NotAllowed
from hubhome.network.models import Constellation, Household
from hubhome.network.services import household_and_constellation
from hubhome.permissions import (
    books_approved_at_once,
    can_book_for,
    can_cancel_booking,
    can_decide_booking,
)
from hubhome.respite import notify
from hubhome.respite.capacity import availability, lock_hub, lock_hub_with_carers
from hubhome.respite.models import (
    BookingKind,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
    RespiteRules,
)
from hubhome.respite.rules import DEFAULT_RULES, Rules, check_allowance, invalid
from hubhome.timeutil import local_today, utcnow


@dataclass(frozen=True)
class BookingRequest:
    household_id: int
    child_ids: Sequence[int]
    check_in: date
    check_out: date
    kind: BookingKind
    note: str = ""
    idempotency_key: str | None = None


@cache
def _family_and_rules() -> Select[Household, Constellation, bool, int, int, int | None, int]:
    """Household :household_id, its constellation, whether the constellation stores respite
    rules and the rules, and how many of :child_ids are placed in the family now: one round
    trip, built once (on first use). The rules as columns: no entity to load on every
    booking."""
    household_id = bindparam("household_id", type_=Integer)
    placed = (
        select(func.count(func.distinct(Placement.child_id)))
        .where(
            Placement.household_id == household_id,
            Placement.end_date.is_(None),
            Placement.child_id.in_(bindparam("child_ids", expanding=True)),
        )
        .scalar_subquery()
    )
    return (
        household_and_constellation(household_id)
        .add_columns(
            RespiteRules.constellation_id.is_not(None),
            RespiteRules.max_days_ahead,
            RespiteRules.max_nights,
            RespiteRules.yearly_planned_nights,
            placed,
        )
        .outerjoin(RespiteRules, RespiteRules.constellation_id == Constellation.id)
    )


def validate_request(
    session: DbSession, actor: User, req: BookingRequest
) -> tuple[Household, Constellation, Rules]:
    wanted = set(req.child_ids)
    found = session.execute(
        _family_and_rules(), {"household_id": req.household_id, "child_ids": sorted(wanted)}
    ).first()
    household, constellation, stored, *rule_values, placed_count = found if found else (None,) * 7
    if household is None or not can_book_for(actor, household):
        raise NotAllowed(_("You may not book respite for that family."))
    if constellation is None or constellation.hub_household_id is None:
        raise invalid("household_id", _("The family is not in a constellation with a hub home."))
    if constellation.hub_household_id == household.id:
        raise invalid("household_id", _("The hub home does not book respite with itself."))
    rules = Rules(*rule_values) if stored else DEFAULT_RULES
    today = local_today()
    if not req.child_ids:
        raise invalid("child_ids", _("Choose at least one child."))
    if req.check_out <= req.check_in:
        raise invalid("check_out", _("Check-out must be after check-in."))
    if req.check_in < today:
        raise invalid("check_in", _("Check-in cannot be in the past."))
    if req.check_in > today + timedelta(days=rules.max_days_ahead):
        raise invalid(
            "check_in",
            ngettext(
                "You can book at most %(num)s day ahead.",
                "You can book at most %(num)s days ahead.",
                rules.max_days_ahead,
            ),
        )
    if (req.check_out - req.check_in).days > rules.max_nights:
        raise invalid(
            "check_out",
            ngettext(
                "A stay can be at most %(num)s night.",
                "A stay can be at most %(num)s nights.",
                rules.max_nights,
            ),
        )
    if placed_count != len(wanted):
        raise invalid("child_ids", _("Choose children placed in the family."))
    return household, constellation, rules


def full_nights_conflict(short: dict[date, int], wanted: int) -> Conflict:
    """The refusal for nights with fewer free beds than children: "fully booked" only when
    no bed is free on any of them, else how many of the beds needed are free each night."""
    full_nights = [day.isoformat() for day in short]
    free = {day.isoformat(): beds for day, beds in short.items()}
    if not any(short.values()):
        days = ", ".join(format_day(day) for day in short)
        return Conflict(
            _("The hub home is fully booked on these nights: %(nights)s.", nights=days),
            full_nights=full_nights,
            free=free,
            wanted=wanted,
        )
    nights = ", ".join(
        ngettext(
            "%(day)s (%(num)s of %(wanted)s beds free)",
            "%(day)s (%(num)s of %(wanted)s beds free)",
            beds,
            day=format_day(day),
            wanted=wanted,
        )
        if beds
        else _("%(day)s (fully booked)", day=format_day(day))
        for day, beds in short.items()
    )
    return Conflict(
        ngettext(
            "There is not a free bed for every child on this night: %(nights)s.",
            "There is not a free bed for every child on these nights: %(nights)s.",
            len(short),
            nights=nights,
        ),
        full_nights=full_nights,
        free=free,
        wanted=wanted,
    )


def _earlier_submit(session: DbSession, actor: User, req: BookingRequest) -> RespiteBooking | None:
    """The booking an earlier submit with the same idempotency key made, if any."""
    if not req.idempotency_key:
        return None
    return session.scalar(
        select(RespiteBooking).where(
            RespiteBooking.requested_by_id == actor.id,
            RespiteBooking.idempotency_key == req.idempotency_key,
        )
    )


def request_booking(session: DbSession, actor: User, req: BookingRequest) -> RespiteBooking:
    """Ask for nights [check_in, check_out) for some children; hold their beds at once.

    Raises Conflict naming the full nights when a night has fewer free beds than children.
    A repeated submit with the same idempotency key returns the first booking.
    """
    if (earlier := _earlier_submit(session, actor, req)) is not None:
        return earlier
    household, constellation, rules = validate_request(session, actor, req)
    hub, carers = lock_hub_with_carers(session, constellation.hub_household_id or 0, household.id)
    # the first submit may have committed while we waited for the lock
    if (earlier := _earlier_submit(session, actor, req)) is not None:
        return earlier
    wanted = len(set(req.child_ids))
    short = {
        n.day: n.free
        for n in availability(session, hub, req.check_in, req.check_out)
        if n.free < wanted
    }
    if short:
        raise full_nights_conflict(short, wanted)
    check_allowance(session, household.id, rules, req)
    auto_approve, booked_at = books_approved_at_once(actor, req.kind), utcnow()
    booking = _insert_booking(
        session,
        {
            "constellation_id": constellation.id,
            "hub_household_id": hub.id,
            "household_id": household.id,
            "check_in": req.check_in,
            "check_out": req.check_out,
            "kind": req.kind,
            "status": BookingStatus.APPROVED if auto_approve else BookingStatus.REQUESTED,
            "note": req.note.strip() or None,
            "requested_by_id": actor.id,
            "idempotency_key": req.idempotency_key or None,
            "decided_by_id": actor.id if auto_approve else None,
            "decided_at": booked_at if auto_approve else None,
            "reason": None,
            "created_at": booked_at,
            "updated_at": booked_at,
        },
        sorted(set(req.child_ids)),
    )
    record(
        session,
        actor,
        "respite.requested",
        booking,
        household_id=household.id,
        detail={"kind": str(req.kind), "nights": booking.nights, "beds": wanted},
    )
    notify.requested(session, booking, carers)
    if auto_approve:
        notify.decided(session, booking, [c for c in carers if c.household_id == household.id])
    return booking


_BOOKINGS = table_of(RespiteBooking)
_INSERT_BOOKING = insert(_BOOKINGS).returning(_BOOKINGS.c.id)  # built once; values per call
_INSERT_BOOKING_CHILD = insert(table_of(RespiteBookingChild))


def _insert_booking(
    session: DbSession, values: dict[str, object], child_ids: list[int]
) -> RespiteBooking:
    """Insert a booking (every column in `values`) and its children with Core statements,
    and return it as the session's persistent, unchanged object, as a flush leaves it.

    The unit of work's flush of a new booking and its children (sorting, history, identity
    map) cost more CPU than the rest of the booking's writes; these are the same two
    statements, sent at once in the request's transaction.
    """
    connection = session.connection()
    booking_id = connection.execute(_INSERT_BOOKING, values).scalar_one()
    connection.execute(
        _INSERT_BOOKING_CHILD, [{"booking_id": booking_id, "child_id": c} for c in child_ids]
    )
    booking = RespiteBooking(id=booking_id, **values)
    children = [RespiteBookingChild(booking_id=booking_id, child_id=c) for c in child_ids]
    for row in (*children, booking):
        make_transient_to_detached(row)  # as loaded: nothing left to flush
    for child in children:
        set_committed_value(child, "booking", booking)
    set_committed_value(booking, "children", children)  # loaded, without collection events
    session.add(booking)  # its children with it (cascade)
    return booking


def _swap_status(
    session: DbSession,
    booking: RespiteBooking,
    expected: Sequence[BookingStatus],
    new: BookingStatus,
    **values: object,
) -> None:
    """Compare-and-swap the status: succeed only if nobody changed it meanwhile."""
    result = session.execute(
        update(RespiteBooking)
        .where(RespiteBooking.id == booking.id, RespiteBooking.status.in_(list(expected)))
        .values(status=new, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Conflict(_("The booking was changed by someone else. Reload and try again."))
    session.refresh(booking)


def approve(session: DbSession, actor: User, booking: RespiteBooking) -> RespiteBooking:
    if not can_decide_booking(actor, booking):
        raise NotAllowed(_("Only the hub carer decides on bookings."))
    _swap_status(
        session,
        booking,
        [BookingStatus.REQUESTED],
        BookingStatus.APPROVED,
        decided_by_id=actor.id,
        decided_at=utcnow(),
    )
    record(session, actor, "respite.approved", booking, household_id=booking.household_id)
    notify.decided(session, booking)
    return booking


def decline(
    session: DbSession, actor: User, booking: RespiteBooking, reason: str
) -> RespiteBooking:
    if not can_decide_booking(actor, booking):
        raise NotAllowed(_("Only the hub carer decides on bookings."))
    if not reason.strip():
        raise invalid("reason", _("Say why the booking is declined."))
    lock_hub(session, booking.hub_household_id)
    _swap_status(
        session,
        booking,
        [BookingStatus.REQUESTED],
        BookingStatus.DECLINED,
        decided_by_id=actor.id,
        decided_at=utcnow(),
        reason=reason.strip(),
    )
    record(session, actor, "respite.declined", booking, household_id=booking.household_id)
    notify.decided(session, booking)
    from hubhome.respite.waitlist import offer_freed_beds

    offer_freed_beds(session, booking.constellation_id)
    return booking


def cancel(
    session: DbSession, actor: User, booking: RespiteBooking, reason: str = ""
) -> RespiteBooking:
    """Cancel: the family a request not yet approved (tonight's emergency too) or an approved
    stay before check-in, the hub carer (with a reason) until check-out."""
    by_family = actor.household_id == booking.household_id
    if not can_cancel_booking(actor, booking):
        raise NotAllowed(_("You may not cancel this booking."))
    today = local_today()
    begun = booking.status == BookingStatus.APPROVED and booking.check_in <= today
    if by_family and actor.role == Role.FOSTER_CARER and begun:
        raise invalid("reason", _("A stay that has begun is cancelled by the hub carer."))
    if not by_family and not reason.strip():
        raise invalid("reason", _("Say why the booking is cancelled."))
    lock_hub(session, booking.hub_household_id)
    _swap_status(
        session,
        booking,
        [BookingStatus.REQUESTED, BookingStatus.APPROVED],
        BookingStatus.CANCELLED,
        reason=reason.strip() or None,
    )
    record(session, actor, "respite.cancelled", booking, household_id=booking.household_id)
    notify.cancelled(session, booking, by_family=by_family)
    from hubhome.respite.waitlist import offer_freed_beds

    offer_freed_beds(session, booking.constellation_id)
    return booking


def complete_past_stays(session: DbSession) -> int:
    """Mark approved stays whose check-out has passed as completed; return how many."""
    result = session.execute(
        update(RespiteBooking)
        .where(
            RespiteBooking.status == BookingStatus.APPROVED,
            RespiteBooking.check_out <= local_today(),
        )
        .values(status=BookingStatus.COMPLETED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
