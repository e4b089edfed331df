"""The monthly access review (loggkontroll): what was selected, what the reviewer found."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow


class Verdict(enum.StrEnum):
    JUSTIFIED = "justified"
    UNJUSTIFIED = "unjustified"


class LogReview(Base):
    """One organisation's review of one month's reads of children's records."""

    __tablename__ = "log_reviews"
    __table_args__ = (UniqueConstraint("organisation_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    month: Mapped[date]  # the first day of the month reviewed (Stockholm)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    seed: Mapped[int]  # the sample's seed: the same seed draws the same sample again
    sample_size: Mapped[int]
    reads: Mapped[int]  # reads of children's records in the month
    signed_off_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[LogReviewItem]] = relationship(
        back_populates="review", order_by="LogReviewItem.id"
    )


class LogReviewItem(Base):
    """A read (or, for a heavy reader, a user's month) the reviewer must look at."""

    __tablename__ = "log_review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("log_reviews.id"), index=True)
    reasons: Mapped[list[str]] = mapped_column(JSON)  # sample, protected, night, no_relation, heavy
    audit_event_id: Mapped[int | None]  # the read; None for a heavy reader's month
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    child_id: Mapped[int | None]
    at: Mapped[datetime | None]
    action: Mapped[str | None] = mapped_column(String(64))
    read_count: Mapped[int | None]  # a heavy reader's reads in the month
    verdict: Mapped[Verdict | None] = mapped_column(str_enum(Verdict, length=12))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    review: Mapped[LogReview] = relationship(back_populates="items")
