"""Append-only audit events: who did or saw what, when, from where."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hubhome.db import Base
from hubhome.timeutil import utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_org_at", "organisation_id", "at"),
        Index("ix_audit_events_object", "object_type", "object_id"),  # a register extract's reads
        # The audit search by action ("starts with"): a prefix range on PostgreSQL, whatever
        # the database's collation, then newest first (migration 0012, docs/AUDIT.md).
        Index(
            "ix_audit_events_action_at",
            "action",
            "at",
            postgresql_ops={"action": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    child_id: Mapped[int | None] = mapped_column(index=True)
    household_id: Mapped[int | None] = mapped_column(index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8), default="web")  # web, api, cli, job, phone
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)
