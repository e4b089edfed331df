"""Writing messages to the outbox (in the caller's transaction) and listing them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.outbox.models import Channel, OutboxMessage
from hubhome.timeutil import utcnow


def enqueue_sms(
    session: DbSession,
    recipient: User,
    purpose: str,
    render: Callable[[], str],
    *,
    dedupe_key: str | None = None,
    due_at: datetime | None = None,
) -> OutboxMessage | None:
    """Queue an SMS to a user, rendered in their language.

    `render` is called inside the recipient's locale so gettext picks their language.
    With a `dedupe_key`, a second call for the same key queues nothing (idempotent jobs
    and retried webhooks rely on this). Users without a phone get nothing and None.
    """
    if not recipient.phone:
        return None
    if dedupe_key is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    with force_locale(recipient.locale or "sv"):
        body = render()
    message = OutboxMessage(
        organisation_id=recipient.organisation_id,
        recipient_id=recipient.id,
        channel=Channel.SMS,
        to=recipient.phone,
        body=body,
        purpose=purpose,
        dedupe_key=dedupe_key,
        due_at=due_at or utcnow(),
    )
    session.add(message)
    return message


def enqueue_sms_to_number(
    session: DbSession,
    organisation_id: int | None,
    to: str,
    purpose: str,
    body: str,
    *,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Queue an SMS to a bare number (for example the organisation's duty phone)."""
    if dedupe_key is not None:
        existing = session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        )
        if existing is not None:
            return existing
    message = OutboxMessage(
        organisation_id=organisation_id,
        channel=Channel.SMS,
        to=to,
        body=body,
        purpose=purpose,
        dedupe_key=dedupe_key,
    )
    session.add(message)
    return message


def list_outbox(
    session: DbSession, organisation_id: int, *, limit: int = 200
) -> Sequence[OutboxMessage]:
    """Return an organisation's messages, newest first."""
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.organisation_id == organisation_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ).all()
