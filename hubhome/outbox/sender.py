"""Send due outbox messages: each at most once by Hubhome, and none silently dropped.

The contract, one message at a time, each step a transaction of its own:

1. **Claim.** The next due message (urgent before bulk, then oldest first) is locked
   (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers), marked "sending"
   with its attempt counted and the time it was handed over, and committed, before the
   provider is called. No lock and no transaction is held while the provider answers.
2. **Send.** A refusal (an HTTP error from Twilio, a connection refused) is a failed attempt:
   its text is kept and the message waits with exponential backoff, or after `MAX_ATTEMPTS`
   is parked as failed and its organisation's admins are told once. An answer that never
   came (a timeout, a dropped connection) leaves the outcome unknown: the message stays
   "sending".
3. **Reconcile.** A message still "sending" once `HUBHOME_OUTBOX_RECONCILE_SECONDS` have
   passed since its attempt (a timeout, or a sender killed mid-send) is looked up at Twilio
   (the messages to that number since the attempt, with its text) before anything else is
   done with it: found, it is recorded as sent; not found, the attempt failed and it is
   tried again. It is never resent blindly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import select, update

from hubhome.db import DbSession
from hubhome.ops.schedule import stop_requested
from hubhome.outbox.models import Channel, OutboxMessage, OutboxStatus
from hubhome.phones import mask_phone
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SEND_SECONDS = 30.0  # one run of the sender stops taking new messages after this long
LOOK_BACK = timedelta(days=1)  # how far before an attempt a provider's record may date


class SendFailed(Exception):
    """The provider refused the message or could not be reached: it was not sent."""


class Gone(SendFailed):
    """The address is gone for good (a push subscription the push service no longer knows):
    the message fails at once, without retries, and `forget(session)` removes the address."""

    def __init__(self, reason: str, forget: Callable[[DbSession], object]) -> None:
        super().__init__(reason)
        self.forget = forget


class OutcomeUnknown(Exception):
    """The provider may or may not have taken the message (no answer in time, a cut
    connection): it must be looked up before it is sent again."""


@dataclass(frozen=True)
class Outgoing:
    """What a backend needs of a claimed message (read before the provider is called)."""

    id: int
    channel: Channel
    to: str
    body: str
    purpose: str
    organisation_id: int | None
    attempts: int
    attempt_started_at: datetime
    subject: str | None = None


class Backend(Protocol):
    def send(self, message: Outgoing) -> str | None:
        """Send one message; return the provider's id for it. Raise SendFailed or
        OutcomeUnknown."""

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        """The provider's id of this message if the provider has it (ids in `known` belong
        to other messages), or None. Raise if the provider cannot be asked."""


class ConsoleBackend:
    """Development backend: prints the message to standard output."""

    def send(self, message: Outgoing) -> str | None:
        print(f"--- {message.channel} #{message.id} to {message.to}\n{message.body}\n---")  # noqa: T201
        return None

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        return None  # nothing to ask: a message printed before a crash is printed again


class TwilioBackend:
    """Sends SMS through Twilio's REST API (a Messaging Service when configured)."""

    def send(self, message: Outgoing) -> str | None:
        from twilio.base.exceptions import TwilioException

        from hubhome.telephony.client import twilio_client

        if message.channel != Channel.SMS:
            return ConsoleBackend().send(message)
        settings = current_app.config["HUBHOME"]
        kwargs: dict[str, str] = {"to": message.to, "body": message.body}
        if settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = settings.twilio_from_number
        if settings.public_url:
            # The outbox id lets the callback settle a message whose answer never came.
            kwargs["status_callback"] = (
                settings.public_url.rstrip("/") + f"/phone/sms/status?message={message.id}"
            )
        try:
            sent = twilio_client().messages.create(**kwargs)
        except TwilioException as exc:  # Twilio answered with an error: nothing was sent
            raise SendFailed(str(exc)) from exc
        except Exception as exc:
            if _never_connected(exc):
                raise SendFailed(_describe(exc)) from exc
            raise OutcomeUnknown(_describe(exc)) from exc
        return str(sent.sid)

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        from hubhome.telephony.client import twilio_client

        if message.channel != Channel.SMS:
            return None
        since = message.attempt_started_at - LOOK_BACK
        for found in twilio_client().messages.list(to=message.to, limit=200, page_size=100):
            created = found.date_created
            if (
                found.body == message.body
                and found.sid not in known
                and (created is None or created >= since)
            ):
                return str(found.sid)
        return None


def _never_connected(exc: BaseException) -> bool:
    """Did the request fail before any byte reached the provider (refused, no route)?"""
    import requests

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = repr(exc)
        return "NewConnectionError" in text or "Connection refused" in text
    return False


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def backend() -> Backend:
    """SMS through the configured backend; push and e-mail through their own channels."""
    from hubhome.outbox.channels import ByChannel

    name = current_app.config["HUBHOME"].sms_backend
    return ByChannel(TwilioBackend() if name == "twilio" else ConsoleBackend())


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    reconciled: int = 0


def reconcile_after() -> timedelta:
    """How long after an attempt with no answer Twilio is asked whether it took it."""
    return timedelta(seconds=current_app.config["HUBHOME"].outbox_reconcile_seconds)


def send_due(
    session: DbSession, *, limit: int | None = None, seconds: float = SEND_SECONDS
) -> SendReport:
    """Reconcile what is due for it, then send due messages one by one (each claimed,
    sent and recorded in units of work of their own) until none is due, `limit` were
    tried, `seconds` have passed or the scheduler is stopping."""
    report = SendReport()
    chosen = backend()
    reconcile_due(session, chosen, report)
    started = time.monotonic()
    tried = 0
    while (limit is None or tried < limit) and time.monotonic() - started < seconds:
        if stop_requested.is_set():
            break
        message = _claim(session, select(OutboxMessage).where(_due()))
        if message is None:
            break
        tried += 1
        _deliver(session, message, chosen, report)
    return report


def send_now(session: DbSession, message_ids: list[int]) -> int:
    """Send these messages at once if still pending, like `send_due` does."""
    report = SendReport()
    chosen = backend()
    for message_id in message_ids:
        query = select(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING
        )
        message = _claim(session, query)
        if message is not None:
            _deliver(session, message, chosen, report)
    return report.sent


def _due() -> Any:
    return (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.due_at <= utcnow())


def _lock_next(session: DbSession, query: Any) -> OutboxMessage | None:
    """Lock the first message of `query`, urgent before bulk, then the longest due; one
    another sender has locked is skipped."""
    return session.scalar(
        query.order_by(OutboxMessage.priority, OutboxMessage.due_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _claim(session: DbSession, query: Any) -> Outgoing | None:
    """Lock one message, mark it "sending" with its attempt counted, and commit."""
    with unit_of_work(session):
        message = _lock_next(session, query)
        if message is None:
            return None
        now = utcnow()
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.attempt_started_at = now
        message.due_at = now + reconcile_after()  # when to ask Twilio if no answer is recorded
        return _outgoing(message)  # read now: nothing of the claim is read while sending


def _outgoing(message: OutboxMessage) -> Outgoing:
    started = message.attempt_started_at or utcnow()
    return Outgoing(
        id=message.id,
        channel=message.channel,
        to=message.to,
        body=message.body,
        purpose=message.purpose,
        organisation_id=message.organisation_id,
        attempts=message.attempts,
        attempt_started_at=started,
        subject=message.subject,
    )


def _deliver(session: DbSession, message: Outgoing, chosen: Backend, report: SendReport) -> None:
    """Hand the claimed message to the provider, then record what came of it."""
    try:
        sid = chosen.send(message)
    except Gone as exc:
        with unit_of_work(session):
            if _record(session, message, status=OutboxStatus.FAILED, last_error=str(exc)[:2000]):
                exc.forget(session)
        report.failed += 1
        return
    except SendFailed as exc:
        with unit_of_work(session):
            _failed_attempt(session, message, str(exc), report)
        return
    except Exception as exc:  # OutcomeUnknown, or anything the backend did not foresee
        report.unknown += 1
        log.warning(
            "outbox message %s: no answer from the provider; it will be looked up", message.id
        )
        with unit_of_work(session):
            _record(session, message, last_error=f"outcome unknown: {_describe(exc)}"[:2000])
        return
    with unit_of_work(session):
        _sent(session, message, sid)
    report.sent += 1


def _record(session: DbSession, message: Outgoing, **values: Any) -> int:
    """Update the message if this attempt still owns it (it is "sending" with this count)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.attempts == message.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _sent(session: DbSession, message: Outgoing, sid: str | None) -> None:
    _record(
        session,
        message,
        status=OutboxStatus.SENT,
        sent_at=utcnow(),
        provider_sid=sid,
        last_error=None,
    )


def _failed_attempt(session: DbSession, message: Outgoing, error: str, report: SendReport) -> None:
    """Count a failed attempt: wait with backoff, or park the message as failed for good."""
    if message.attempts >= MAX_ATTEMPTS:
        if _record(session, message, status=OutboxStatus.FAILED, last_error=error[:2000]):
            report.failed += 1
            log.error(
                "outbox message %s failed for good after %s attempts", message.id, message.attempts
            )
            _tell_admins_of_failure(session, message)
        return
    backoff = _backoff(message.attempts)
    _record(
        session,
        message,
        status=OutboxStatus.PENDING,
        due_at=utcnow() + backoff,
        last_error=error[:2000],
    )
    report.retried += 1
    log.warning("outbox message %s to %s failed, retrying", message.id, mask_phone(message.to))


def reconcile_due(session: DbSession, chosen: Backend, report: SendReport) -> None:
    """Look up each message whose attempt got no answer in time, before it is sent again."""
    while not stop_requested.is_set():
        query = select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.due_at <= utcnow()
        )
        with unit_of_work(session):
            message = _lock_next(session, query)
            if message is None:
                return
            # Not looked at again before the next interval, whatever happens to this lookup.
            message.due_at = utcnow() + reconcile_after()
            claimed = _outgoing(message)
            known = {
                sid
                for sid in session.scalars(
                    select(OutboxMessage.provider_sid).where(
                        OutboxMessage.to == message.to, OutboxMessage.provider_sid.is_not(None)
                    )
                )
                if sid
            }
        _reconcile(session, claimed, known, chosen, report)


def _reconcile(
    session: DbSession, message: Outgoing, known: set[str], chosen: Backend, report: SendReport
) -> None:
    try:
        sid = chosen.find(message, known)
    except Exception as exc:
        log.warning("outbox message %s could not be looked up; trying later", message.id)
        with unit_of_work(session):
            _record(session, message, last_error=f"lookup failed: {_describe(exc)}"[:2000])
        return
    report.reconciled += 1
    with unit_of_work(session):
        if sid is not None:
            log.info("outbox message %s was taken by the provider after all", message.id)
            _sent(session, message, sid)
            report.sent += 1
            return
        # The provider never got it: that attempt failed, and the message goes again once
        # its backoff (counted from the attempt; the lookup waited already) has passed.
        if message.attempts >= MAX_ATTEMPTS:
            _failed_attempt(session, message, "not found at the provider", report)
            return
        _record(
            session,
            message,
            status=OutboxStatus.PENDING,
            due_at=max(utcnow(), message.attempt_started_at + _backoff(message.attempts)),
            last_error="the provider never got the last attempt",
        )
        report.retried += 1


def _backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (doubling each time)."""
    base = current_app.config["HUBHOME"].outbox_backoff_seconds
    return timedelta(seconds=base * 2 ** (attempts - 1))


def _tell_admins_of_failure(session: DbSession, message: Outgoing) -> None:
    """A message that could not be sent is never silent: its organisation's admins are told.

    Not for failed alerts to admins themselves, which would only fail again; those show on
    every admin page instead.
    """
    if message.purpose.startswith("ops.") or message.organisation_id is None:
        return
    from flask_babel import gettext as _

    from hubhome.ops.health import tell_admins

    tell_admins(
        session,
        purpose="ops.message_failed",
        key=str(message.id),
        render=lambda: _("Hubhome: message %(id)s could not be sent. See Messages.", id=message.id),
        organisation_id=message.organisation_id,
    )
