"""Scheduled event work: the reminder the day before to the families who answered yes."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.activities import notify
from hubhome.activities.models import Activity, ActivityStatus
from hubhome.db import DbSession
from hubhome.timeutil import local_now, local_to_utc

REMINDER_AT = time(18, 0)


def send_activity_reminders(session: DbSession) -> int:
    """From 18:00 Stockholm time, remind the families coming to tomorrow's events.

    Tomorrow is a Stockholm calendar day turned into UTC instants, so a 23- or 25-hour day
    (DST) is covered exactly. Idempotent: each message has a dedupe key.
    """
    now = local_now()
    if now.time() < REMINDER_AT:
        return 0
    tomorrow = now.date() + timedelta(days=1)
    start = local_to_utc(tomorrow, time(0, 0))
    end = local_to_utc(tomorrow + timedelta(days=1), time(0, 0))
    due = session.scalars(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PLANNED,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .options(selectinload(Activity.answers))
        .order_by(Activity.id)
    ).all()
    return sum(notify.reminder(session, activity) for activity in due)
