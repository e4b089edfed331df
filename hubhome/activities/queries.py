"""Reading events: a constellation's list and month, always through the permission scope."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import User
from hubhome.activities.models import Activity, ActivityAnswer
from hubhome.db import DbSession
from hubhome.permissions import activity_ids_visible_to
from hubhome.timeutil import local_to_utc, to_local


def visible_activities(
    session: DbSession,
    user: User,
    *,
    constellation_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Sequence[Activity]:
    """The events `user` may see, by start, optionally within [start, end)."""
    query = (
        select(Activity)
        .where(Activity.id.in_(activity_ids_visible_to(user)))
        .options(selectinload(Activity.answers), selectinload(Activity.invitees))
        .order_by(Activity.starts_at, Activity.id)
    )
    if constellation_id is not None:
        query = query.where(Activity.constellation_id == constellation_id)
    if start is not None:
        query = query.where(Activity.ends_at > start)
    if end is not None:
        query = query.where(Activity.starts_at < end)
    return session.scalars(query).all()


def month_bounds(first: date) -> tuple[datetime, datetime]:
    """The UTC instants of a Stockholm calendar month's start and end."""
    first = first.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return local_to_utc(first, datetime.min.time()), local_to_utc(following, datetime.min.time())


def month_grid(
    first: date, activities: Sequence[Activity]
) -> list[list[tuple[date, list[Activity]]]]:
    """Weeks (Monday first) of (day, that day's events) for a month view."""
    by_day: dict[date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(to_local(activity.starts_at).date(), []).append(activity)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[(day, by_day.get(day, [])) for day in week] for week in weeks]


def answer_of(activity: Activity, household_id: int | None) -> ActivityAnswer | None:
    return next((a for a in activity.answers if a.household_id == household_id), None)
