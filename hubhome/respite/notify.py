"""Outbox messages about respite, each in the recipient's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from hubhome.accounts.models import User
from hubhome.accounts.services import household_carers
from hubhome.db import DbSession
from hubhome.display.dates import format_day_range
from hubhome.network.models import Household
from hubhome.notify.models import Kind
from hubhome.notify.services import notify
from hubhome.outbox.services import enqueue_sms
from hubhome.phone.signature import public_url
from hubhome.respite.models import BookingStatus, RespiteBooking, RespiteWaitlistEntry


def _dates(booking: RespiteBooking | RespiteWaitlistEntry) -> str:
    return format_day_range(booking.check_in, booking.check_out)


def _send(
    session: DbSession,
    people: Iterable[User],
    booking_id: int,
    event: str,
    render: object,
    kind: Kind | None = None,
) -> None:
    """SMS each person; with a `kind`, by the channel each chose for it instead."""
    for person in people:
        key = f"respite:{booking_id}:{event}:{person.id}"
        if kind is not None:
            notify(
                session,
                person,
                kind,
                render,  # type: ignore[arg-type]
                dedupe_key=key,
                purpose=f"respite.{event}",
                title=lambda: _("Respite"),
                url="/respite/",
            )
            continue
        enqueue_sms(session, person, f"respite.{event}", render, dedupe_key=key)  # type: ignore[arg-type]


def requested(session: DbSession, booking: RespiteBooking, both: Sequence[User]) -> None:
    """Tell the hub carer about a new request (and the family, if someone booked for them).

    `both`: the active carers of the hub home and of the family, loaded with the hub's lock.
    """
    family = session.get_one(Household, booking.household_id)
    beds = len(booking.children)
    _send(
        session,
        [c for c in both if c.household_id == booking.hub_household_id],
        booking.id,
        "requested",
        lambda: ngettext(
            "Respite request from %(family)s: %(dates)s, %(num)s bed. "
            "Sign in to Hubhome to decide.",
            "Respite request from %(family)s: %(dates)s, %(num)s beds. "
            "Sign in to Hubhome to decide.",
            beds,
            family=family.name,
            dates=_dates(booking),
        ),
    )
    family_carers = [
        c
        for c in both
        if c.household_id == booking.household_id and c.id != booking.requested_by_id
    ]
    if family_carers and booking.status == BookingStatus.REQUESTED:
        _send(
            session,
            family_carers,
            booking.id,
            "requested-for-you",
            lambda: _(
                "Respite has been requested for your family: %(dates)s.", dates=_dates(booking)
            ),
        )


def decided(
    session: DbSession, booking: RespiteBooking, family_carers: Sequence[User] | None = None
) -> None:
    """Tell the family the hub carer's decision (`family_carers` when already loaded)."""
    if booking.status == BookingStatus.APPROVED:
        _send(
            session,
            household_carers(session, [booking.household_id])
            if family_carers is None
            else family_carers,
            booking.id,
            "approved",
            lambda: _("Your respite %(dates)s is approved.", dates=_dates(booking)),
            Kind.BOOKING_DECIDED,
        )
    elif booking.status == BookingStatus.DECLINED:
        _send(
            session,
            household_carers(session, [booking.household_id]),
            booking.id,
            "declined",
            lambda: _(
                "Your respite request %(dates)s was declined: %(reason)s",
                dates=_dates(booking),
                reason=booking.reason or "",
            ),
            Kind.BOOKING_DECIDED,
        )


def cancelled(session: DbSession, booking: RespiteBooking, *, by_family: bool) -> None:
    """Tell the other side that a booking was cancelled."""
    family = session.get_one(Household, booking.household_id)
    if by_family:
        _send(
            session,
            household_carers(session, [booking.hub_household_id]),
            booking.id,
            "cancelled",
            lambda: _(
                "%(family)s cancelled respite %(dates)s.", family=family.name, dates=_dates(booking)
            ),
        )
    else:
        _send(
            session,
            household_carers(session, [booking.household_id]),
            booking.id,
            "cancelled",
            lambda: _(
                "Your respite %(dates)s was cancelled by the hub home: %(reason)s",
                dates=_dates(booking),
                reason=booking.reason or "",
            ),
        )


def moved(
    session: DbSession,
    booking: RespiteBooking,
    both: Sequence[User],
    before: tuple[date, date],
    *,
    by: User,
) -> None:
    """Tell the hub carer (and the family, when someone else moved it) of new dates.

    `both`: the active carers of the hub home and of the family, loaded with the hub's lock.
    """
    family = session.get_one(Household, booking.household_id)
    old = format_day_range(before[0], before[1])
    event = f"moved-{booking.check_in.isoformat()}-{booking.check_out.isoformat()}"
    hub = [c for c in both if c.household_id == booking.hub_household_id and c.id != by.id]
    _send(
        session,
        hub,
        booking.id,
        event,
        lambda: _(
            "%(family)s moved respite %(old)s to %(dates)s. Sign in to Hubhome to see it.",
            family=family.name,
            old=old,
            dates=_dates(booking),
        ),
    )
    others = [c for c in both if c.household_id == booking.household_id and c.id != by.id]
    _send(
        session,
        others,
        booking.id,
        event,
        lambda: _(
            "Your respite %(old)s has been moved to %(dates)s.", old=old, dates=_dates(booking)
        ),
    )


def waitlist_offer(session: DbSession, entry: RespiteWaitlistEntry) -> None:
    """Tell a waiting family that its nights now have free beds, with a link that books
    them (after signing in, one button)."""
    link = public_url(f"/respite/waitlist/{entry.id}/book")
    for person in household_carers(session, [entry.household_id]):
        enqueue_sms(
            session,
            person,
            "respite.waitlist_offer",
            lambda: _(
                "Beds are free for the nights you waited for (%(dates)s). "
                "Book them with one tap: %(link)s",
                dates=_dates(entry),
                link=link,
            ),
            dedupe_key=f"respite-wait:{entry.id}:offer:{person.id}",
        )


def reminder(session: DbSession, booking: RespiteBooking) -> int:
    """Remind the family and the hub carer the evening before check-in; return messages."""
    family = session.get_one(Household, booking.household_id)
    sent = 0
    for person in household_carers(session, [booking.household_id, booking.hub_household_id]):
        used = notify(
            session,
            person,
            Kind.REMINDER,
            lambda: _(
                "Reminder: respite for %(family)s starts tomorrow, %(dates)s.",
                family=family.name,
                dates=_dates(booking),
            ),
            dedupe_key=f"respite:{booking.id}:reminder:{person.id}",
            purpose="respite.reminder",
            title=lambda: _("Respite"),
            url="/respite/",
        )
        sent += bool(used)
    return sent
