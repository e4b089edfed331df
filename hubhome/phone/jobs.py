"""Scheduled telephone work: a follow-up nobody handles gets louder."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

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


STUCK_AFTER = timedelta(minutes=15)  # far past any Dial timeout: Twilio's result was lost
OVERDUE_AFTER = timedelta(hours=8)  # past every escalation and still nobody has handled it


def _unresolved_text(call_id: int) -> str:
    from flask_babel import gettext as _

    return _(
        "Hubhome: call %(id)s never got a result from Twilio; it is now a missed call "
        "to return. Check the phone webhooks.",
        id=call_id,
    )


def audit_call_handling(session: DbSession) -> int:
    """Nothing stays silent: a call still "ringing" long after it must have ended becomes a
    missed call with a follow-up, and a follow-up unhandled past every escalation is reported
    to the organisation's admins. Idempotent (dedupe keys; a call is resolved once)."""
    from flask_babel import gettext as _

    from hubhome.audit.services import record
    from hubhome.ops.health import tell_admins
    from hubhome.phone.calls import call_status
    from hubhome.phone.models import Call, CallStatus

    now = utcnow()
    handled = 0
    stuck = session.scalars(
        select(Call)
        .where(Call.status == CallStatus.RINGING, Call.started_at < now - STUCK_AFTER)
        .order_by(Call.id)
        .with_for_update(skip_locked=True)
    ).all()
    for call in stuck:
        call_status(session, call, status="no-answer", duration=None)
        call.twilio_status = None  # what Twilio said is unknown: its callbacks never came
        record(session, None, "phone.call_unresolved", call, organisation_id=call.organisation_id)
        handled += 1
        if call.organisation_id is None:  # a number no constellation has: admins see it listed
            continue
        tell_admins(
            session,
            purpose="ops.call_unresolved",
            key=str(call.id),
            render=partial(_unresolved_text, call.id),
            organisation_id=call.organisation_id,
        )
    overdue = session.scalars(
        select(FollowUp)
        .where(FollowUp.handled_at.is_(None), FollowUp.created_at < now - OVERDUE_AFTER)
        .order_by(FollowUp.id)
    ).all()
    for follow_up in overdue:
        handled += len(
            tell_admins(
                session,
                purpose="ops.follow_up_overdue",
                key=str(follow_up.id),
                render=lambda: _(
                    "Hubhome: a voicemail or missed call has waited more than 8 hours. "
                    "See Follow-ups."
                ),
                organisation_id=follow_up.organisation_id,
            )
        )
    return handled


def replay_spool(session: DbSession) -> int:
    """Post the webhooks kept in the spool during an outage to Hubhome again, oldest first."""
    from flask import current_app

    from hubhome.phone import spool

    return spool.replay(current_app._get_current_object()).done  # type: ignore[attr-defined]
