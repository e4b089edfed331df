"""Reconciliation with Twilio: whatever the webhooks could not deliver, Twilio still knows.

During an outage the fallback answers calls Hubhome never sees, and a callback that found the
database down may be lost with its server. The `phone_reconciliation` job asks Twilio's REST
API (through the SDK) for the calls to each constellation number, and for the recordings,
since the last reconciled time, and makes what is missing: the call, its voicemail (or
missed-call) follow-up and the SMS, exactly as the webhooks would have. Idempotent: a call,
a status and a recording are each taken once (the webhooks' own receipts and keys).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.ops.models import JobRun
from hubhome.phone import calls
from hubhome.phone.models import Call, CallStatus
from hubhome.timeutil import utcnow

log = logging.getLogger(__name__)

JOB = "phone_reconciliation"
OVERLAP = timedelta(minutes=10)  # calls still going at the last run have ended since
PAGE_SIZE = 200


def reconciled_since(session: DbSession) -> datetime:
    """From the start of the last successful run (less an overlap), at most a setting back."""
    hours = current_app.config["HUBHOME"].phone_reconcile_hours
    earliest = utcnow() - timedelta(hours=hours)
    last = session.scalar(
        select(JobRun.started_at)
        .where(JobRun.job == JOB, JobRun.outcome == "ok")
        .order_by(JobRun.started_at.desc())
        .limit(1)
    )
    return max(earliest, last - OVERLAP) if last is not None else earliest


def reconcile_with_twilio(session: DbSession) -> int:
    """Make the calls, voicemails and follow-ups Hubhome missed; return how many calls."""
    settings = current_app.config["HUBHOME"]
    numbers = session.scalars(
        select(Constellation.phone_number).where(Constellation.phone_number.is_not(None))
    ).all()
    if not (settings.twilio_account_sid and settings.twilio_auth_token and numbers):
        return 0  # no Twilio account (the demo), or no line to ask about
    since = reconciled_since(session)
    from hubhome.telephony.client import twilio_client  # Twilio's REST SDK: 5 MB, jobs only

    client = twilio_client()
    recordings: dict[str, Any] = {}
    for found in client.recordings.list(date_created_after=since, page_size=PAGE_SIZE):
        recordings.setdefault(found.call_sid, found)  # newest first: keep the latest
    handled = 0
    for number in numbers:
        for twilio_call in client.calls.list(
            to=number, start_time_after=since, page_size=PAGE_SIZE
        ):
            if twilio_call.status not in calls.FINAL_CALL_STATUSES:
                continue  # still going: its callbacks may yet come, or the next run takes it
            if _reconcile_call(session, client, twilio_call, recordings.get(twilio_call.sid)):
                handled += 1
    return handled


def _reconcile_call(session: DbSession, client: Any, twilio_call: Any, recording: Any) -> bool:
    call = session.scalar(select(Call).where(Call.call_sid == twilio_call.sid))
    changed = call is None
    if call is None:
        call = calls.start_call(
            session,
            call_sid=twilio_call.sid,
            from_number=twilio_call._from or "",
            to_number=twilio_call.to or "",
        )
        if twilio_call.start_time is not None:
            call.started_at = twilio_call.start_time
        call.status = CallStatus.VOICEMAIL if recording is not None else CallStatus.RINGING
        if recording is None and _answered_by_the_fallback(client, twilio_call.sid):
            call.status = CallStatus.COMPLETED  # the duty number took it
        record(session, None, "phone.call_reconciled", call, organisation_id=call.organisation_id)
    elif not call.from_number and twilio_call._from:
        calls.call_for_recording(
            session, call_sid=call.call_sid, from_number=twilio_call._from, to_number=call.to_number
        )
    if recording is not None and (call.follow_up is None or not call.follow_up.recording_sid):
        calls.store_recording(
            session,
            call,
            recording_sid=recording.sid,
            recording_url=_media_url(recording),
            seconds=_int(recording.duration),
        )
        changed = True
    status = str(twilio_call.status)
    if calls.first_time(session, f"status:{twilio_call.sid}:{status}"):
        calls.call_status(session, call, status=status, duration=_int(twilio_call.duration))
        if twilio_call.end_time is not None and call.ended_at is not None:
            call.ended_at = twilio_call.end_time
        changed = True
    return changed


def _answered_by_the_fallback(client: Any, call_sid: str) -> bool:
    """Whether a leg the fallback dialled (the duty number) was answered."""
    legs = client.calls.list(parent_call_sid=call_sid, page_size=20, limit=20)
    return any(leg.status == "completed" and _int(leg.duration) for leg in legs)


def _media_url(recording: Any) -> str | None:
    url = getattr(recording, "media_url", None)
    if url:
        return str(url)
    uri = getattr(recording, "uri", None)
    return f"https://api.twilio.com{uri.removesuffix('.json')}" if uri else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
