"""Follow-up of placed children: visits with private talks, placement reviews, local targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hubhome.db import Base
from hubhome.timeutil import utcnow

DEFAULT_VISITS_PER_YEAR = 4  # a common target; there is no statutory minimum
REVIEW_MONTHS = 6  # placements are reviewed at least every six months


class MonitoringSettings(Base):
    """An organisation's local follow-up targets; an absent row means the defaults."""

    __tablename__ = "monitoring_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    visits_per_year: Mapped[int] = mapped_column(default=DEFAULT_VISITS_PER_YEAR)


class FollowUpVisit(Base):
    """A social worker's follow-up visit to a placed child."""

    __tablename__ = "follow_up_visits"
    __table_args__ = (Index("ix_follow_up_visits_child_date", "child_id", "visit_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    visit_date: Mapped[date]
    private_talk: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlacementReview(Base):
    """A review of whether a placement still meets the child's needs."""

    __tablename__ = "placement_reviews"
    __table_args__ = (Index("ix_placement_reviews_child_date", "child_id", "review_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    review_date: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(500))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
