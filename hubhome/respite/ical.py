"""Respite stays in the personal calendar feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from hubhome.accounts.models import User
from hubhome.calendar.services import event
from hubhome.db import DbSession
from hubhome.respite.models import BookingStatus
from hubhome.respite.queries import visible_bookings
from hubhome.timeutil import local_today

if TYPE_CHECKING:
    from icalendar import Event  # imported where an event is made: calendar.services


def respite_events(session: DbSession, user: User) -> list[Event]:
    """The user's own family's stays, or the stays at the hub home the user runs."""
    if user.household_id is None:
        return []
    events = []
    with force_locale(user.locale or "sv"):
        for booking in visible_bookings(
            session,
            user,
            start=local_today().replace(day=1),
            statuses=[BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.COMPLETED],
        ):
            if user.household_id not in (booking.household_id, booking.hub_household_id):
                continue
            names = ", ".join(c.child.first_name for c in booking.children)
            summary = (
                _(
                    "Respite: %(family)s (%(children)s)",
                    family=booking.household.name,
                    children=names,
                )
                if booking.status != BookingStatus.REQUESTED
                else _("Respite requested: %(family)s", family=booking.household.name)
            )
            events.append(
                event(
                    f"respite-{booking.id}",
                    summary,
                    booking.check_in,
                    booking.check_out,
                    stamp=booking.updated_at,
                    description=booking.note,
                )
            )
    return events
