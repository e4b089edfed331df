"""Open services (insatser utan föregående behovsprövning): open advice and open activities
an organisation offers without an individual decision, and their participation, counted.

A participation row identifies nobody: a month, an age band, a gender where given, a number
of participants and at most a first name. There is no personnummer, surname, phone number,
address, household, child or user on it (who recorded it is in the audit log).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow


class OpenServiceKind(enum.StrEnum):
    ADVICE = "advice"
    ACTIVITY = "activity"


class AgeBand(enum.StrEnum):
    UNDER_6 = "0-5"
    CHILD = "6-12"
    TEEN = "13-17"
    YOUNG_ADULT = "18-24"
    ADULT = "25-64"
    SENIOR = "65+"
    UNKNOWN = "unknown"


class OpenGender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_GIVEN = "not_given"


class OpenService(Base):
    """An advice service or activity the organisation offers openly."""

    __tablename__ = "open_services"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[OpenServiceKind] = mapped_column(str_enum(OpenServiceKind))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpenParticipation(Base):
    """Participants in an open service in one month: anonymous, or one first name."""

    __tablename__ = "open_participations"
    __table_args__ = (
        Index("ix_open_participations_month", "organisation_id", "month"),
        CheckConstraint("participants BETWEEN 1 AND 500", name="participants_bounded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("open_services.id"), index=True)
    month: Mapped[date]  # the first day of the month
    age_band: Mapped[AgeBand] = mapped_column(str_enum(AgeBand), default=AgeBand.UNKNOWN)
    gender: Mapped[OpenGender] = mapped_column(str_enum(OpenGender), default=OpenGender.NOT_GIVEN)
    participants: Mapped[int] = mapped_column(default=1)
    first_name: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[OpenService] = relationship()
