"""Scheduled telephone work: a follow-up nobody handles gets louder."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.phone import notify
from hubhome.phone.models import FollowUp
from hubhome.timeutil import utcnow

ESCALATIONS = ((1, timedelta(minutes=30)), (2, timedelta(hours=2)))


def escalate_follow_ups(session: DbSession) -> int:
    """After 30 minutes and again after two hours, remind whoever is on call and the liaison.

    Idempotent: each reminder level is reached once per follow-up, and each message
    carries a dedupe key, so running twice sends nothing twice.
    """
    now = utcnow()
    handled = 0
    open_items = session.scalars(
        select(FollowUp)
        .where(FollowUp.handled_at.is_(None), FollowUp.escalation_level < len(ESCALATIONS))
        .order_by(FollowUp.created_at)
        .with_for_update(skip_locked=True)
    ).all()
    for follow_up in open_items:
        for level, after in ESCALATIONS:
            if follow_up.escalation_level < level and now - follow_up.created_at >= after:
                handled += notify.escalate(session, follow_up, level)
                follow_up.escalation_level = level
    return handled
