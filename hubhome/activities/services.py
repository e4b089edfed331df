"""What the activity pages, the API and the jobs call to change events.

Planning, changing and cancelling events, and attendance, live in `planning`; answers and
the waiting places in `answers`; this module is the area's one entry point to them. Every
function takes the session and the acting user, raises a domain error to refuse, and never
commits. Reading goes through `queries`.
"""

from __future__ import annotations

from hubhome.accounts.models import User
from hubhome.activities.answers import Answer, answer
from hubhome.activities.models import Activity
from hubhome.activities.planning import (
    ActivityPlan,
    cancel_activity,
    cancel_following,
    change_activity,
    create_activities,
    record_attendance,
)
from hubhome.db import DbSession

__all__ = [
    "ActivityPlan",
    "Answer",
    "answer",
    "cancel",
    "change_activity",
    "create_activities",
    "record_attendance",
]


def cancel(
    session: DbSession, actor: User, activity: Activity, *, following: bool = False
) -> list[Activity]:
    """Cancel one event, or it and the later meetings of its series; those coming are told."""
    if following:
        return cancel_following(session, actor, activity)
    return [cancel_activity(session, actor, activity)]
