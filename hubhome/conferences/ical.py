"""Conference meetings and the plan's follow-up date in the calendars of those concerned."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from hubhome.accounts.models import Role, User
from hubhome.calendar.services import absolute_url, event
from hubhome.conferences.models import FamilyConference
from hubhome.conferences.services import audit_reads
from hubhome.db import DbSession
from hubhome.permissions import conference_ids_visible_to
from hubhome.timeutil import local_today

if TYPE_CHECKING:
    from icalendar import Event  # imported where an event is made: calendar.services


def conference_events(session: DbSession, user: User) -> list[Event]:
    """The meetings and follow-up dates of the conferences that concern the user (an
    administrator's calendar is their own, not the municipality's)."""
    if user.role == Role.ADMIN:
        return []
    conferences = session.scalars(
        select(FamilyConference)
        .where(FamilyConference.id.in_(conference_ids_visible_to(user)))
        .options(selectinload(FamilyConference.meetings), joinedload(FamilyConference.child))
        .order_by(FamilyConference.id)
    ).all()
    audit_reads(session, user, conferences)
    items = []
    with force_locale(user.locale or "sv"):
        for conference in conferences:
            url = absolute_url(f"/conferences/{conference.id}")
            child = conference.child.first_name
            for meeting in conference.meetings:
                items.append(
                    event(
                        f"conference-meeting-{meeting.id}",
                        _("Family group conference: %(child)s", child=child),
                        meeting.starts_at,
                        meeting.ends_at,
                        stamp=meeting.created_at,
                        location=meeting.place,
                        url=url,
                    )
                )
            day = conference.plan_follow_up_on
            if day is not None and day >= local_today() - timedelta(days=31):
                items.append(
                    event(
                        f"conference-follow-up-{conference.id}",
                        _("Follow-up of the family group conference plan: %(child)s", child=child),
                        day,
                        day + timedelta(days=1),
                        stamp=conference.updated_at,
                        url=url,
                    )
                )
    return items
