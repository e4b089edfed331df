"""Twilio's webhooks under /phone: voice, screen, dial result, recordings, status, SMS.

Each one checks the signature first (403 and nothing written without it), answers with
TwiML at once, and commits once. When the database cannot be reached the caller still
reaches a person: the static fallback TwiML dials the configured duty number.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from hubhome.extensions import csrf, db
from hubhome.network.models import Constellation
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.phone import calls, notify, twiml
from hubhome.phone.calls import find_caller, first_time
from hubhome.phone.models import Call, InboundSms
from hubhome.phone.signature import twilio_signed
from hubhome.phones import display_phone
from hubhome.rota.chain import chain_at, last_resort
from hubhome.timeutil import utcnow

log = logging.getLogger(__name__)

bp = Blueprint("phone_hooks", __name__, url_prefix="/phone")
csrf.exempt(bp)


@bp.before_request
def audit_as_phone() -> None:
    g.audit_channel = "phone"


def survives_database_outage(view: Callable[..., Response]) -> Callable[..., Response]:
    """On a database error, roll back and answer with the static fallback TwiML."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except SQLAlchemyError:
            log.exception("database unavailable on %s; answering with the fallback", request.path)
            try:
                db.session.rollback()
            except SQLAlchemyError:
                log.warning("rollback failed as well")
            return twiml.twiml(twiml.fallback())

    return wrapper


def _call_or_none() -> Call | None:
    call_id = request.args.get("call", type=int)
    return db.session.get(Call, call_id) if call_id is not None else None


def _step() -> int:
    return request.args.get("step", default=0, type=int)


@bp.route("/voice", methods=["POST"])
@twilio_signed
@survives_database_outage
def voice() -> Response:
    """An incoming call: greet, freeze the chain, ring its first person."""
    for attempt in (1, 2):
        try:
            call = calls.start_call(
                db.session,
                call_sid=request.form.get("CallSid", ""),
                from_number=request.form.get("From", ""),
                to_number=request.form.get("To", ""),
            )
            response = calls.answer(db.session, call)
            db.session.commit()
        except IntegrityError:
            # The same CallSid delivered twice at once: the other request made the call.
            db.session.rollback()
            if attempt == 2:
                raise
        else:
            break
    return twiml.twiml(response)


@bp.route("/voice/screen", methods=["POST"])
@twilio_signed
def screen() -> Response:
    """On the called person's leg: press 1 to accept; anything else hangs up."""
    digits = request.form.get("Digits")
    try:
        call = _call_or_none()
        if call is None:
            return twiml.twiml(twiml.hang_up())
        response = calls.screen(db.session, call, _step(), digits)
        db.session.commit()
    except SQLAlchemyError:
        log.exception("database unavailable while screening")
        db.session.rollback()
        # A person who pressed 1 is connected even when the acceptance cannot be stored.
        response = twiml.connect() if digits == "1" else twiml.hang_up(twiml.NOT_CONNECTED)
    return twiml.twiml(response)


@bp.route("/voice/dial-result", methods=["POST"])
@twilio_signed
@survives_database_outage
def dial_result() -> Response:
    """One leg ended: done if accepted, else the next person, else voicemail."""
    call = _call_or_none()
    if call is None:
        return twiml.twiml(twiml.fallback())
    response = calls.dial_result(
        db.session,
        call,
        _step(),
        dial_status=request.form.get("DialCallStatus", "failed"),
        dial_call_sid=request.form.get("DialCallSid"),
        call_status=request.form.get("CallStatus"),
    )
    db.session.commit()
    return twiml.twiml(response)


def _store_recording() -> None:
    recording_sid = request.form.get("RecordingSid")
    call = _call_or_none() or db.session.scalar(
        select(Call).where(Call.call_sid == request.form.get("CallSid", ""))
    )
    if call is None or not recording_sid:
        log.warning("recording %s for a call Hubhome does not know", recording_sid)
        return
    calls.store_recording(
        db.session,
        call,
        recording_sid=recording_sid,
        recording_url=request.form.get("RecordingUrl"),
        seconds=request.form.get("RecordingDuration", type=int),
    )
    db.session.commit()


@bp.route("/voice/recorded", methods=["POST"])
@twilio_signed
def recorded() -> Response:
    """The <Record> action: keep the message, thank the caller, hang up."""
    try:
        _store_recording()
    except SQLAlchemyError:
        log.exception("could not store a recording now; the recording callback will retry")
        db.session.rollback()
    return twiml.twiml(twiml.hang_up(twiml.THANKS))


@bp.route("/voice/recording", methods=["POST"])
@twilio_signed
def recording() -> Response:
    """The recording status callback: store URL and length, SMS the chain, open a follow-up."""
    _store_recording()
    return Response(status=204)


@bp.route("/voice/status", methods=["POST"])
@twilio_signed
def status() -> Response:
    """The call's status callback; an unanswered end opens a follow-up."""
    call_sid = request.form.get("CallSid", "")
    call_status = request.form.get("CallStatus", "")
    call = db.session.scalar(select(Call).where(Call.call_sid == call_sid))
    if call is not None and first_time(db.session, f"status:{call_sid}:{call_status}"):
        calls.call_status(
            db.session,
            call,
            status=call_status,
            duration=request.form.get("CallDuration", type=int),
        )
        db.session.commit()
    return Response(status=204)


@bp.route("/voice/fallback", methods=["POST"])
@twilio_signed
def fallback() -> Response:
    """The number's fallback URL: static TwiML, no database."""
    return twiml.twiml(twiml.fallback())


@bp.route("/voice/fallback/recorded", methods=["POST"])
@twilio_signed
def fallback_recorded() -> Response:
    """End of the fallback's message; the recording callback stores it when it can."""
    return twiml.twiml(twiml.hang_up(twiml.THANKS))


@bp.route("/sms", methods=["POST"])
@twilio_signed
def sms() -> Response:
    """An SMS to a constellation number goes on to whoever is on call now, and is logged.

    With the database down, Twilio itself forwards it to the fallback number.
    """
    try:
        _forward_sms()
    except SQLAlchemyError:
        log.exception("database unavailable on /phone/sms; Twilio forwards to the fallback")
        db.session.rollback()
        response = MessagingResponse()
        number = current_app.config["HUBHOME"].fallback_number
        if number:
            sender, text = request.form.get("From", ""), request.form.get("Body", "")
            response.message(f"Sms från {sender}: {text}", to=number)
        return twiml.twiml(response)
    return twiml.twiml(MessagingResponse())


def _forward_sms() -> None:
    message_sid = request.form.get("MessageSid", "")
    from_number = request.form.get("From", "")
    to_number = request.form.get("To", "")
    text = request.form.get("Body", "")
    exists = db.session.scalar(select(InboundSms.id).where(InboundSms.message_sid == message_sid))
    if exists is None and message_sid:
        constellation = db.session.scalar(
            select(Constellation).where(Constellation.phone_number == to_number)
        )
        organisation_id = constellation.organisation_id if constellation else None
        if constellation is not None:
            chain = chain_at(db.session, constellation, utcnow())
        else:
            final = last_resort(db.session, None)
            chain = [final] if final else []
        _caller, household = find_caller(db.session, organisation_id, from_number)
        sender = (
            f"{household.name} ({display_phone(from_number)})"
            if household
            else display_phone(from_number)
        )
        line = constellation.name if constellation else "Hubhome"

        def render() -> str:
            return _(
                "SMS to %(line)s from %(sender)s: %(text)s", line=line, sender=sender, text=text
            )

        forwarded_to = notify.forward_sms(db.session, chain, render, message_sid, organisation_id)
        db.session.add(
            InboundSms(
                message_sid=message_sid,
                organisation_id=organisation_id,
                constellation_id=constellation.id if constellation else None,
                household_id=household.id if household else None,
                from_number=from_number,
                to_number=to_number,
                body=text,
                forwarded_to_id=forwarded_to,
            )
        )
        db.session.commit()


@bp.route("/sms/status", methods=["POST"])
@twilio_signed
def sms_status() -> Response:
    """Delivery status of an outbound message, recorded on its outbox row."""
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.provider_sid == request.form.get("MessageSid"))
    )
    state = request.form.get("MessageStatus", "")
    if message is not None and message.status != OutboxStatus.DELIVERED:
        message.provider_status = state
        if state == "delivered":
            message.status = OutboxStatus.DELIVERED
            message.delivered_at = utcnow()
        elif state in ("failed", "undelivered"):
            message.status = OutboxStatus.FAILED
            message.last_error = f"{state} {request.form.get('ErrorCode', '')}".strip()
        db.session.commit()
    return Response(status=204)
