"""Scheduled respite work: reminders the evening before, and closing past stays."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.respite import notify
from hubhome.respite.models import BookingStatus, RespiteBooking
from hubhome.respite.services import complete_past_stays
from hubhome.timeutil import local_now

REMINDER_AT = time(18, 0)


def send_reminders(session: DbSession) -> int:
    """From 18:00 Stockholm time, remind families and hub carers of tomorrow's check-ins.

    Idempotent: each reminder has a dedupe key, so running again sends nothing twice.
    """
    now = local_now()
    if now.time() < REMINDER_AT:
        return 0
    tomorrow = now.date() + timedelta(days=1)
    due = session.scalars(
        select(RespiteBooking).where(
            RespiteBooking.status == BookingStatus.APPROVED, RespiteBooking.check_in == tomorrow
        )
    ).all()
    return sum(notify.reminder(session, booking) for booking in due)


def close_past_stays(session: DbSession) -> int:
    return complete_past_stays(session)
