"""Retention of messages: a message goes when it is older than the organisation's policy
(the years case entries are kept); nothing goes when the organisation keeps everything."""

from __future__ import annotations

from sqlalchemy import delete, select

from hubhome.db import DbSession
from hubhome.messages.models import Message, MessageThread
from hubhome.ops.retention import RetentionContext


def remove_expired_messages(session: DbSession, ctx: RetentionContext) -> int:
    cutoff = ctx.case_cutoff_instant
    if cutoff is None:
        return 0
    threads = select(MessageThread.id).where(MessageThread.organisation_id == ctx.organisation.id)
    result = session.execute(
        delete(Message).where(Message.thread_id.in_(threads), Message.created_at < cutoff)
    )
    return int(getattr(result, "rowcount", 0) or 0)
