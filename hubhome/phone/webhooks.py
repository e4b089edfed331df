"""Twilio's webhooks under /phone: voice, screen, dial result, recordings, status, SMS.

Each one checks the signature first (403 and nothing written without it), answers with
TwiML at once, and is one unit of work like any request. Each answers within
`HUBHOME_PHONE_DEADLINE_SECONDS` whatever the database does: when it cannot be reached,
fails, or stalls (the view and its commit run under a deadline), the webhook's outage
answer (`on_outage`) says what to do without it: `/phone/voice` dials the configured duty
number and records; the callbacks keep what they carried in the spool (`spool.py`) and
answer at once, and the spool is replayed when the database is back.

Webhooks are idempotent and order-free: a concurrent duplicate that meets the other's row
(an IntegrityError) runs again and finds it made, never taking the outage path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from hubhome.extensions import csrf, db
from hubhome.network.models import Constellation
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.phone import calls, notify, spool, twiml
from hubhome.phone.calls import find_caller, first_time
from hubhome.phone.escalation import answer_dial_result
from hubhome.phone.incoming import answer_incoming
from hubhome.phone.models import Call, InboundSms
from hubhome.phone.signature import twilio_signed
from hubhome.phones import display_phone
from hubhome.rota.chain import chain_at, last_resort
from hubhome.timeutil import utcnow
from hubhome.transaction import bounded_unit, retried_once_on

log = logging.getLogger(__name__)

bp = Blueprint("phone_hooks", __name__, url_prefix="/phone")
csrf.exempt(bp)

OutageAnswer = Callable[[], twiml.Voice | MessagingResponse | Response]
_outage_answers: dict[str, Callable[[], Response]] = {}


@bp.before_request
def audit_as_phone() -> None:
    g.audit_channel = "phone"


def _deadline_seconds() -> float:
    return float(current_app.config["HUBHOME"].phone_deadline_seconds)


def _rendered(answer: OutageAnswer) -> Callable[[], Response]:
    def render() -> Response:
        result = answer()
        return result if isinstance(result, Response) else twiml.twiml(result)

    return render


def on_outage(answer: OutageAnswer) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What this webhook answers when the database fails during it or at its commit, or
    when the two together take longer than the phone deadline."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        rendered = _rendered(answer)
        _outage_answers[f"{bp.name}.{view.__name__}"] = rendered
        return bounded_unit(_deadline_seconds, rendered)(view)

    return mark


def kept(answer: OutageAnswer) -> OutageAnswer:
    """Keep the webhook in the spool, then answer; a replay that fails again answers 503
    (the file stays for the next replay)."""

    def keep_then_answer() -> twiml.Voice | MessagingResponse | Response:
        if spool.replaying():
            return Response(status=503)
        try:
            spool.keep()
        except OSError:  # a full or read-only disk: Twilio is still answered; reconciliation
            log.exception("could not keep %s in the phone spool", request.path)
        return answer()

    return keep_then_answer


def _no_content() -> Response:
    return Response(status=204)


@bp.errorhandler(SQLAlchemyError)
def database_outage(error: SQLAlchemyError) -> Response:
    """The unit of work is rolled back already; answer without the database if we can."""
    answer = _outage_answers.get(request.endpoint or "")
    if answer is None:
        raise error
    if isinstance(error, IntegrityError):  # it ran twice: not an outage, though answered alike
        log.error("conflicting duplicate on %s", request.path, exc_info=error)
    else:
        log.error("database unavailable on %s; answering without it", request.path, exc_info=error)
    return answer()


def _call_or_none() -> Call | None:
    call_id = request.args.get("call", type=int)
    return db.session.get(Call, call_id) if call_id is not None else None


def _step() -> int:
    return request.args.get("step", default=0, type=int)


@bp.route("/voice", methods=["POST"])
@twilio_signed
@on_outage(twiml.fallback)
@retried_once_on(IntegrityError)  # the same CallSid twice at once: the other request made it
def voice() -> Response:
    """An incoming call: greet, freeze the chain, ring its first person."""
    form = request.form
    return Response(
        answer_incoming(
            db.session,
            call_sid=form.get("CallSid", ""),
            from_number=form.get("From", ""),
            to_number=form.get("To", ""),
        ),
        mimetype="text/xml",
    )


def _screen_without_database() -> twiml.Voice:
    """A person who pressed 1 is connected even when the acceptance cannot be stored."""
    if request.form.get("Digits") == "1":
        return twiml.connect()
    return twiml.hang_up(twiml.NOT_CONNECTED)


@bp.route("/voice/screen", methods=["POST"])
@twilio_signed
@on_outage(kept(_screen_without_database))
@retried_once_on(IntegrityError)
def screen() -> Response:
    """On the called person's leg: press 1 to accept; anything else hangs up."""
    call = _call_or_none()
    if call is None:
        return twiml.twiml(twiml.hang_up())
    return twiml.twiml(calls.screen(db.session, call, _step(), request.form.get("Digits")))


@bp.route("/voice/dial-result", methods=["POST"])
@twilio_signed
@on_outage(kept(twiml.fallback))
@retried_once_on(IntegrityError)  # a duplicate raced us to the next leg: it is there now
def dial_result() -> Response:
    """One leg ended: done if accepted, else the next person, else voicemail."""
    call_id = request.args.get("call", type=int)
    answer = (
        answer_dial_result(
            db.session,
            call_id,
            _step(),
            dial_status=request.form.get("DialCallStatus", "failed"),
            dial_call_sid=request.form.get("DialCallSid"),
            call_status=request.form.get("CallStatus"),
        )
        if call_id is not None
        else None
    )
    if answer is None:  # no such call
        return twiml.twiml(twiml.fallback())
    return Response(answer, mimetype="text/xml")


def _store_recording() -> None:
    """Keep a recording with its call; a call Hubhome never saw (it went to the fallback
    while the database was down) is made now, with its voicemail follow-up."""
    recording_sid = request.form.get("RecordingSid")
    call_sid = request.form.get("CallSid", "")
    call = _call_or_none() or db.session.scalar(select(Call).where(Call.call_sid == call_sid))
    if not recording_sid or (call is None and not call_sid):
        log.warning("a recording callback without a recording or a call")
        return
    if call is None or not call.from_number:
        call = calls.call_for_recording(
            db.session,
            call_sid=call_sid,
            from_number=request.form.get("From", ""),
            to_number=request.form.get("To") or request.args.get("line", ""),
        )
    calls.store_recording(
        db.session,
        call,
        recording_sid=recording_sid,
        recording_url=request.form.get("RecordingUrl"),
        seconds=request.form.get("RecordingDuration", type=int),
    )


def _thanks() -> twiml.Voice:
    return twiml.hang_up(twiml.THANKS)


@bp.route("/voice/recorded", methods=["POST"])
@twilio_signed
@on_outage(kept(_thanks))
@retried_once_on(IntegrityError)
def recorded() -> Response:
    """The <Record> action: keep the message, thank the caller, hang up."""
    _store_recording()
    return twiml.twiml(_thanks())


@bp.route("/voice/recording", methods=["POST"])
@twilio_signed
@on_outage(kept(_no_content))
@retried_once_on(IntegrityError)
def recording() -> Response:
    """The recording status callback: store URL and length, SMS the chain, open a follow-up."""
    _store_recording()
    return _no_content()


@bp.route("/voice/status", methods=["POST"])
@twilio_signed
@on_outage(kept(_no_content))
@retried_once_on(IntegrityError)
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
    return _no_content()


@bp.route("/voice/fallback", methods=["POST"])
@twilio_signed
def fallback() -> Response:
    """The number's fallback URL: static TwiML, no database."""
    return twiml.twiml(twiml.fallback())


@bp.route("/voice/fallback/recorded", methods=["POST"])
@twilio_signed
@on_outage(kept(_thanks))
@retried_once_on(IntegrityError)
def fallback_recorded() -> Response:
    """End of the fallback's message: keep it with its call (made now if need be)."""
    _store_recording()
    return twiml.twiml(_thanks())


def _sms_without_database() -> MessagingResponse:
    """With the database down, Twilio itself forwards the SMS to the fallback number."""
    response = MessagingResponse()
    number = current_app.config["HUBHOME"].fallback_number
    if number:
        sender, text = request.form.get("From", ""), request.form.get("Body", "")
        response.message(f"Sms från {sender}: {text}", to=number)
    return response


@bp.route("/sms", methods=["POST"])
@twilio_signed
@on_outage(kept(_sms_without_database))
@retried_once_on(IntegrityError)
def sms() -> Response:
    """An SMS to a constellation number goes on to whoever is on call now, and is logged."""
    _forward_sms()
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

        forwarded_to = (
            None  # Twilio forwarded it to the duty number while the database was down
            if spool.replaying()
            else notify.forward_sms(db.session, chain, render, message_sid, organisation_id)
        )
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


@bp.route("/sms/status", methods=["POST"])
@twilio_signed
@on_outage(kept(_no_content))
def sms_status() -> Response:
    """Delivery status of an outbound message, recorded on its outbox row.

    A message still "sending" (Twilio's answer never came: a timeout, a cut connection, a
    killed sender) is settled by its first callback, named by the outbox id in the callback
    URL: Twilio has it, so it is sent, with Twilio's id, and never looked up or sent again.
    """
    sid = request.form.get("MessageSid")
    by_sid = select(OutboxMessage).where(OutboxMessage.provider_sid == sid)
    message = db.session.scalar(by_sid)
    if message is None and sid:
        message = db.session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.id == request.args.get("message", type=int),
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.provider_sid.is_(None),
            )
            .with_for_update()
        )
        if message is not None:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.provider_sid = sid
            message.last_error = None
        else:  # a concurrent callback settled it meanwhile
            message = db.session.scalar(by_sid)
    state = request.form.get("MessageStatus", "")
    if message is not None and message.status != OutboxStatus.DELIVERED:
        message.provider_status = state
        if state == "delivered":
            message.status = OutboxStatus.DELIVERED
            message.delivered_at = utcnow()
        elif state in ("failed", "undelivered"):
            message.status = OutboxStatus.FAILED
            message.last_error = f"{state} {request.form.get('ErrorCode', '')}".strip()
    return Response(status=204)
