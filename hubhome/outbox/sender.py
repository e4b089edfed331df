"""Send due outbox messages after commit, retrying with backoff; never send one twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.outbox.models import Channel, OutboxMessage, OutboxStatus
from hubhome.phones import mask_phone
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class SendFailed(Exception):
    """The provider refused or could not be reached."""


class Backend(Protocol):
    def send(self, message: OutboxMessage) -> str | None:
        """Send one message; return the provider's id for it."""


class ConsoleBackend:
    """Development backend: prints the message to standard output."""

    def send(self, message: OutboxMessage) -> str | None:
        print(f"--- {message.channel} #{message.id} to {message.to}\n{message.body}\n---")  # noqa: T201
        return None


class TwilioBackend:
    """Sends SMS through Twilio's REST API (a Messaging Service when configured)."""

    def send(self, message: OutboxMessage) -> str | None:
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
            kwargs["status_callback"] = settings.public_url.rstrip("/") + "/phone/sms/status"
        try:
            sent = twilio_client().messages.create(**kwargs)
        except TwilioException as exc:
            raise SendFailed(str(exc)) from exc
        return str(sent.sid)


def backend() -> Backend:
    name = current_app.config["HUBHOME"].sms_backend
    return TwilioBackend() if name == "twilio" else ConsoleBackend()


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_due(session: DbSession, *, limit: int = 50) -> SendReport:
    """Send the messages that are due, one row lock and one unit of work per message.

    The row is locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers)
    while it is sent and marked, so two senders never pick the same message.
    """
    report = SendReport()
    chosen = backend()
    for _ in range(limit):
        with unit_of_work(session):
            message = session.scalar(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= utcnow()
                )
                .order_by(OutboxMessage.due_at, OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if message is not None:
                _attempt(session, message, chosen, report)
        if message is None:
            break
    return report


def send_now(session: DbSession, message_ids: list[int]) -> int:
    """Send these messages at once if still pending (when the scheduler cannot), each in a
    unit of work of its own, like `send_due`."""
    report = SendReport()
    chosen = backend()
    for message_id in message_ids:
        with unit_of_work(session):
            message = session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
                .with_for_update(skip_locked=True)
            )
            if message is not None:
                _attempt(session, message, chosen, report)
    return report.sent


def _attempt(
    session: DbSession, message: OutboxMessage, chosen: Backend, report: SendReport
) -> None:
    message.attempts += 1
    try:
        sid = chosen.send(message)
    except SendFailed as exc:
        message.last_error = str(exc)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            report.failed += 1
            log.error(
                "outbox message %s failed for good after %s attempts", message.id, message.attempts
            )
            _tell_admins_of_failure(session, message)
        else:
            message.due_at = utcnow() + timedelta(minutes=2 ** (message.attempts - 1))
            report.retried += 1
            log.warning(
                "outbox message %s to %s failed, retrying", message.id, mask_phone(message.to)
            )
        return
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.provider_sid = sid
    message.last_error = None
    report.sent += 1


def _tell_admins_of_failure(session: DbSession, message: OutboxMessage) -> None:
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
