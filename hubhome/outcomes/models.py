"""Nightly snapshots of each constellation, so trends over years are cheap to show."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hubhome.db import Base
from hubhome.timeutil import utcnow


class ConstellationSnapshot(Base):
    """How a constellation stood on `day`, and its respite on that day's night."""

    __tablename__ = "constellation_snapshots"
    __table_args__ = (UniqueConstraint("constellation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"))
    day: Mapped[date] = mapped_column(index=True)
    satellites_active: Mapped[int]
    children_placed: Mapped[int]
    hub_beds: Mapped[int]  # beds open that night (0 while the hub home is closed)
    planned_nights: Mapped[int]  # child-nights of planned respite on this night
    emergency_nights: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyRound(Base):
    """A yearly anonymous carer survey round of an organisation."""

    __tablename__ = "survey_rounds"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyInvitation(Base):
    """A carer household's one-time link; only a hash of the token is kept.

    It records *whether* it was used, never when, so answers cannot be matched to
    households by time.
    """

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("round_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False)


class SurveyAnswer(Base):
    """One anonymous answer: no household, no person, no time."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"), index=True)
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    support_hub: Mapped[int]  # 1-5
    support_families: Mapped[int]
    support_social_services: Mapped[int]
    would_have_stopped: Mapped[str] = mapped_column(String(8))  # yes, no, unsure
    placement_would_have_broken: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
