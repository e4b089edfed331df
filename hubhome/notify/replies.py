"""On-call acknowledgement by SMS: replying "1" to a voicemail or missed-call SMS takes it.

Twilio posts replies to the number the outbox sends from to `/phone/sms/reply` (configure
it as that number's messaging webhook). The request must carry a valid Twilio signature;
each MessageSid is handled once. A "1" from a number on a follow-up's frozen escalation
chain takes the newest follow-up on that chain (the latest SMS the number got), if it is
still open and untaken, for its sender, and tells the others on the chain. Anything else
(another number, other text, a follow-up already taken or handled) changes nothing.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from twilio.twiml.messaging_response import MessagingResponse

from hubhome.extensions import csrf, db
from hubhome.notify import oncall
from hubhome.phone import twiml
from hubhome.phone.calls import first_time
from hubhome.phone.signature import twilio_signed
from hubhome.phone.webhooks import kept
from hubhome.transaction import bounded_unit, retried_once_on

log = logging.getLogger(__name__)

bp = Blueprint("notify_hooks", __name__)
csrf.exempt(bp)

TAKE = "1"


def _outage() -> Response:
    """Without the database (refused, failed or past the phone deadline), Twilio is answered
    at once and the reply waits in the phone spool for the replay job, like the phone's own
    callbacks."""
    answer = kept(MessagingResponse)()
    return answer if isinstance(answer, Response) else twiml.twiml(answer)


@bp.errorhandler(SQLAlchemyError)
def database_outage(error: SQLAlchemyError) -> Response:
    log.error("database unavailable on %s; the reply is spooled", request.path, exc_info=error)
    return _outage()


def _deadline() -> float:
    return float(current_app.config["HUBHOME"].phone_deadline_seconds)


@bp.route("/phone/sms/reply", methods=["POST"])
@twilio_signed
@bounded_unit(_deadline, _outage)
@retried_once_on(IntegrityError)  # two "1"s at once: the second run finds the follow-up taken
def sms_reply() -> Response:
    """A reply to an SMS Hubhome sent: "1" takes the newest open follow-up of its chain."""
    message_sid = request.form.get("MessageSid", "")
    text = request.form.get("Body", "").strip()
    sender = request.form.get("From", "").strip()
    follow_up = (
        oncall.open_follow_up_for(db.session, sender)
        if message_sid and sender and text.rstrip(".!") == TAKE
        else None
    )
    # Only a "1" from a chain's number writes anything; a second delivery of the same
    # MessageSid finds its receipt (or, once taken, no open follow-up) and does nothing.
    if follow_up is not None and first_time(db.session, f"sms-reply:{message_sid}"):
        oncall.take(db.session, follow_up, sender, message_sid)
    return twiml.twiml(MessagingResponse())
