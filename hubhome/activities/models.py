"""Constellation events: monthly meetings, activities, training, family group conferences."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.network.models import Constellation, Household


class ActivityKind(enum.StrEnum):
    MEETING = "meeting"  # the monthly constellation meeting
    SOCIAL = "social"
    TRAINING = "training"  # training and peer support
    FAMILY_CONFERENCE = "family_conference"  # familjerådslag


class ActivityStatus(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class AnswerStatus(enum.StrEnum):
    COMING = "coming"
    WAITING = "waiting"  # wanted to come when the event was full
    NOT_COMING = "not_coming"


class ActivitySeries(Base):
    """A recurring event: its RFC 5545 rule, expanded at wall-clock times in Stockholm."""

    __tablename__ = "activity_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), index=True)
    rule: Mapped[str] = mapped_column(String(400))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ordered"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("activity_series.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None]  # people (adults and children); None = no limit
    invite_all: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ActivityStatus] = mapped_column(
        str_enum(ActivityStatus), default=ActivityStatus.PLANNED
    )
    version: Mapped[int] = mapped_column(default=1)  # bumped on each change families are told
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    constellation: Mapped[Constellation] = relationship()
    invitees: Mapped[list[ActivityInvitee]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    answers: Mapped[list[ActivityAnswer]] = relationship(
        back_populates="activity", order_by="ActivityAnswer.answered_at"
    )


class ActivityInvitee(Base):
    """A household invited to an event that is not for the whole constellation."""

    __tablename__ = "activity_invitees"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)

    activity: Mapped[Activity] = relationship(back_populates="invitees")
    household: Mapped[Household] = relationship()


class ActivityAnswer(Base):
    """A household's answer, and afterwards whether it attended."""

    __tablename__ = "activity_answers"
    __table_args__ = (
        UniqueConstraint("activity_id", "household_id"),
        CheckConstraint("adults >= 0 AND children >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    status: Mapped[AnswerStatus] = mapped_column(str_enum(AnswerStatus))
    adults: Mapped[int] = mapped_column(default=0)
    children: Mapped[int] = mapped_column(default=0)
    needs: Mapped[str | None] = mapped_column(String(500))  # dietary or access needs
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    attended: Mapped[bool | None]
    attendance_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    activity: Mapped[Activity] = relationship(back_populates="answers")
    household: Mapped[Household] = relationship()

    @property
    def people(self) -> int:
        return self.adults + self.children
