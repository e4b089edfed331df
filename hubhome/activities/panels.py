"""The events panel on the home page: the next events and whether the family has answered."""

from __future__ import annotations

from typing import Any

from hubhome.accounts.models import User
from hubhome.activities.labels import ANSWER_LABELS
from hubhome.activities.queries import answer_of, visible_activities
from hubhome.extensions import db
from hubhome.timeutil import utcnow

SHOWN = 3


def home_panel(user: User) -> dict[str, Any] | None:
    coming = [
        a for a in visible_activities(db.session, user, start=utcnow()) if a.status == "planned"
    ][:SHOWN]
    return {
        "coming": [(a, answer_of(a, user.household_id)) for a in coming],
        "answer_labels": ANSWER_LABELS,
    }
