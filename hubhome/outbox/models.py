"""Messages that leave the system, written in the transaction that causes them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow


class Channel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"
    PUSH = "push"  # `to` is "push:<subscription id>", the body the notification's JSON


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # handed to the provider; the outcome is not known yet
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


URGENT = 0
BULK = 1

# Purposes that cannot wait behind a Monday digest: a voicemail or missed call, a placement
# concern, a gap in the on-call rota, and the machinery's own alerts to administrators.
URGENT_PURPOSES = ("phone.", "advice.placement_concern", "rota.gap", "ops.")


def priority_of(purpose: str) -> int:
    """URGENT (sent first) or BULK (digests, reminders, invitations)."""
    return URGENT if purpose.startswith(URGENT_PURPOSES) else BULK


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_queue", "status", "priority", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    priority: Mapped[int] = mapped_column(default=BULK, server_default=str(BULK))
    attempts: Mapped[int] = mapped_column(default=0)
    attempt_started_at: Mapped[datetime | None]  # when the latest attempt was handed over
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_status: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
