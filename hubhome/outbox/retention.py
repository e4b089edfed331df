"""Retention of the outbox: sent and failed messages are technical records, kept 90 days
whatever the organisation's policy says; pending ones, and those whose sending is not yet
known to have succeeded or failed, are never removed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from hubhome.db import DbSession
from hubhome.ops.retention import RetentionContext
from hubhome.outbox.models import OutboxMessage, OutboxStatus

OUTBOX_KEEP = timedelta(days=90)


def remove_old_messages(session: DbSession, ctx: RetentionContext) -> int:
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.organisation_id == ctx.organisation.id,
            OutboxMessage.status.not_in([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.created_at < ctx.now - OUTBOX_KEEP,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
