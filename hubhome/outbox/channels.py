"""The outbox's channels besides SMS: Web Push (VAPID, through pywebpush) and e-mail (SMTP).

Each raises the sender's exceptions: `SendFailed` when nothing was delivered (retried with
backoff), `Gone` when the address no longer exists (a push subscription answered 404/410:
removed, not retried), `OutcomeUnknown` when the answer never came. Neither provider can be
asked afterwards what it took, so `find` answers None and an unknown outcome is sent again.
"""

from __future__ import annotations

import json
import logging

from flask import current_app
from sqlalchemy import delete

from config import Settings
from hubhome.db import DbSession
from hubhome.outbox.models import Channel
from hubhome.outbox.sender import (
    Backend,
    Gone,
    OutcomeUnknown,
    Outgoing,
    SendFailed,
    _never_connected,
)
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)


class ByChannel:
    """Hands each message to the backend of its channel."""

    def __init__(self, sms: Backend) -> None:
        self.sms = sms

    def _of(self, message: Outgoing) -> Backend:
        if message.channel == Channel.PUSH:
            return PushBackend()
        if message.channel == Channel.EMAIL:
            return MailBackend()
        return self.sms

    def send(self, message: Outgoing) -> str | None:
        return self._of(message).send(message)

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        return self._of(message).find(message, known)


def _forget_subscription(subscription_id: int) -> object:
    from hubhome.notify.models import PushSubscription

    def forget(session: DbSession) -> None:
        session.execute(delete(PushSubscription).where(PushSubscription.id == subscription_id))

    return forget


class PushBackend:
    """Sends a Web Push message to one subscription, signed with the VAPID key."""

    def send(self, message: Outgoing) -> str | None:
        import requests  # with pywebpush: the sender's, never a web worker's
        from pywebpush import WebPushException, webpush

        from hubhome.notify.models import PushSubscription

        settings: Settings = current_app.config["HUBHOME"]
        subscription_id = int(message.to.removeprefix("push:"))
        with unit_of_work() as session:
            subscription = session.get(PushSubscription, subscription_id)
            info = (
                {
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                }
                if subscription is not None
                else None
            )
        if info is None:
            raise Gone("the subscription was removed", lambda _session: None)
        if not settings.vapid_private_key:
            raise SendFailed("no VAPID key: set HUBHOME_VAPID_PRIVATE_KEY")
        try:
            webpush(
                info,
                data=message.body,
                vapid_private_key=settings.vapid_private_key,
                vapid_claims={"sub": settings.vapid_subject},
                timeout=settings.push_timeout,
                ttl=24 * 3600,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):
                raise Gone(
                    f"the push service answered {status}: subscription expired",
                    _forget_subscription(subscription_id),  # type: ignore[arg-type]
                ) from exc
            raise SendFailed(f"the push service answered {status}") from exc
        except requests.exceptions.RequestException as exc:
            if _never_connected(exc):
                raise SendFailed(f"{type(exc).__name__}: the push service") from exc
            raise OutcomeUnknown(f"{type(exc).__name__}: the push service") from exc
        return None

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        return None


class MailBackend:
    """Sends an e-mail through the SMTP mail module, with its timeout."""

    def send(self, message: Outgoing) -> str | None:
        import smtplib

        from hubhome.mail import compose, deliver

        settings: Settings = current_app.config["HUBHOME"]
        if not settings.smtp_url:
            log.warning("no HUBHOME_SMTP_URL: outbox e-mail %s was not sent", message.id)
            return None
        try:
            deliver(settings, compose(settings, message.to, message.subject or "", message.body))
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"{type(exc).__name__}: the mail server") from exc
        return None

    def find(self, message: Outgoing, known: set[str]) -> str | None:
        return None


def push_payload(title: str, body: str, url: str, tag: str) -> str:
    """The JSON the service worker shows: title, text, the page to open, a tag to replace."""
    return json.dumps({"title": title, "body": body, "url": url, "tag": tag})
