"""Events in the personal calendar feed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from hubhome.accounts.models import User
from hubhome.activities.models import ActivityStatus, AnswerStatus
from hubhome.activities.queries import answer_of, visible_activities
from hubhome.calendar.services import event
from hubhome.db import DbSession
from hubhome.permissions import can_plan_activities
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from icalendar import Event  # imported where an event is made: calendar.services


def activity_events(session: DbSession, user: User) -> list[Event]:
    """From a month back: for families the events they are coming to (or wait for a place
    at); for those who plan a constellation's events, all of them."""
    items = []
    with force_locale(user.locale or "sv"):
        for activity in visible_activities(session, user, start=utcnow() - timedelta(days=31)):
            answer = answer_of(activity, user.household_id)
            coming = answer is not None and answer.status != AnswerStatus.NOT_COMING
            if not coming and not can_plan_activities(user, activity.constellation):
                continue
            summary = activity.title
            if activity.status == ActivityStatus.CANCELLED:
                summary = _("Cancelled: %(title)s", title=activity.title)
            items.append(
                event(
                    f"activity-{activity.id}",
                    summary,
                    activity.starts_at,
                    activity.ends_at,
                    stamp=activity.updated_at,
                    description=activity.description,
                    location=activity.place,
                )
            )
    return items
