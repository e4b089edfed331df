"""Notifications routed by each person's preference: push, SMS, e-mail or none.

`notify(session, user, kind, render, dedupe_key=...)` is the one way an area tells a person
something: it reads the person's choice for that kind and queues the message in the outbox
(push to each of their browsers, an SMS, or an e-mail); on-call alerts always go by SMS as
well. Everything is queued in the caller's transaction with dedupe keys, so a retried job or
webhook tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from config import Settings
from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import ValidationFailed
from hubhome.i18n import babel_locale
from hubhome.notify.models import DEFAULTS, Kind, NotificationPreference, PushSubscription, Via
from hubhome.outbox.channels import push_payload
from hubhome.outbox.services import enqueue_email, enqueue_push, enqueue_sms

KIND_LABELS = {
    Kind.NEW_MESSAGE: _l("New message"),
    Kind.BOOKING_DECIDED: _l("Respite booking decided"),
    Kind.ACTIVITY_CHANGED: _l("Activity changed or cancelled"),
    Kind.REMINDER: _l("Reminders"),
    Kind.ON_CALL: _l("On call (voicemail, missed call, shift changes)"),
}
VIA_LABELS = {
    Via.PUSH: _l("Push notification"),
    Via.SMS: _l("SMS"),
    Via.EMAIL: _l("E-mail"),
    Via.NONE: _l("None"),
}
MAX_ENDPOINT = 1000


def preferences(session: DbSession, user: User) -> dict[Kind, Via]:
    """The person's channel for every kind (the default where they chose none)."""
    chosen = {
        p.kind: p.via
        for p in session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in Kind}


def set_preferences(session: DbSession, actor: User, choices: dict[Kind, Via]) -> None:
    """Store the person's choices (each kind one channel) and audit the change."""
    rows = {
        p.kind: p
        for p in session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == actor.id)
        )
    }
    changed: dict[str, object] = {}
    for kind, via in choices.items():
        row = rows.get(kind)
        if row is None:
            session.add(NotificationPreference(user_id=actor.id, kind=kind, via=via))
        elif row.via != via:
            row.via = via
        else:
            continue
        changed[kind.value] = via.value
    session.flush()
    record(session, actor, "notify.preferences", actor, detail=changed)


def subscriptions(session: DbSession, user: User) -> Sequence[PushSubscription]:
    return session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.id)
    ).all()


def _check_subscription(endpoint: str, p256dh: str, auth: str) -> None:
    settings: Settings = current_app.config["HUBHOME"]
    parts = urlsplit(endpoint)
    secure = parts.scheme == "https" or (settings.env != "production" and parts.scheme == "http")
    errors: dict[str, list[str]] = {}
    if not endpoint or len(endpoint) > MAX_ENDPOINT or not secure or not parts.hostname:
        errors["endpoint"] = [str(_l("The push service address is not valid."))]
    if not 1 <= len(p256dh) <= 200 or not 1 <= len(auth) <= 100:
        errors["keys"] = [str(_l("The subscription's keys are missing or too long."))]
    if errors:
        raise ValidationFailed(str(_l("The push subscription is not valid.")), errors=errors)


def subscribe(
    session: DbSession, user: User, *, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Store a browser's subscription for the person (a browser someone else had subscribed
    before now notifies only this person)."""
    _check_subscription(endpoint, p256dh, auth)
    subscription = session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )
    if subscription is None:
        subscription = PushSubscription(user_id=user.id, endpoint=endpoint)
        session.add(subscription)
    subscription.user_id = user.id
    subscription.p256dh = p256dh
    subscription.auth = auth
    session.flush()
    record(session, user, "notify.push_subscribe", subscription)
    return subscription


def unsubscribe(session: DbSession, user: User, endpoint: str) -> bool:
    """Remove the person's subscription for this endpoint; False when they had none."""
    removed = session.execute(
        delete(PushSubscription)
        .where(PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint)
        .returning(PushSubscription.id)
    ).scalar()
    if removed is None:
        return False
    record(session, user, "notify.push_unsubscribe", detail={"subscription": removed})
    return True


class Notified(list[Via]):
    """The channels a notification went by; `new` is False when every one of its messages
    had been queued before (the same dedupe key)."""

    new: bool = False


def notify(
    session: DbSession,
    user: User,
    kind: Kind,
    render: Callable[[], str],
    *,
    dedupe_key: str,
    purpose: str | None = None,
    title: Callable[[], str] | None = None,
    url: str = "/home",
    urgent: bool = False,
) -> Notified:
    """Tell `user` about something of `kind` by the channel they chose; return the channels
    used. `render` (and `title`) run in the person's language. The SMS keeps `dedupe_key` as
    it is; push and e-mail add their channel to it. An `urgent` alert (a voicemail, a missed
    call, one taken) goes by SMS as well, whatever the choice, even "none"."""
    used = Notified()
    if not user.active:  # a deactivated account hears nothing, on no device
        return used
    purpose = purpose or f"notify.{kind.value}"
    via = preferences(session, user)[kind]
    if via == Via.PUSH:
        with force_locale(babel_locale(user.locale or "sv")):
            heading = title() if title else "Hubhome"
            payload = push_payload(heading, render(), url, dedupe_key)
        for subscription in subscriptions(session, user):
            key = f"{dedupe_key}:push:{subscription.id}"
            queued = enqueue_push(session, user, subscription.id, purpose, payload, dedupe_key=key)
            used.new = used.new or queued.new
            if Via.PUSH not in used:
                used.append(Via.PUSH)
    elif via == Via.EMAIL and user.email:
        with force_locale(babel_locale(user.locale or "sv")):
            subject = title() if title else "Hubhome"
            body = render()
        queued = enqueue_email(
            session, user, purpose, subject, body, dedupe_key=f"{dedupe_key}:email"
        )
        used.new = used.new or queued.new
        used.append(Via.EMAIL)
    if via == Via.SMS or urgent:
        message = enqueue_sms(session, user, purpose, render, dedupe_key=dedupe_key)
        if message is not None:
            used.new = used.new or message.new
            used.append(Via.SMS)
    return used
