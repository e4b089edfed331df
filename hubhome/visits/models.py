"""Contact visits (umgänge) between a placed child and birth relatives, and restrictions."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.children.models import Child


class VisitStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Supervisor(enum.StrEnum):
    HUB_CARER = "hub_carer"
    STAFF = "staff"
    NONE = "none"


class ContactVisit(Base):
    __tablename__ = "contact_visits"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    # The constellation of the child's home when the visit was planned (for the monthly report).
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    relatives: Mapped[str] = mapped_column(String(200))  # e.g. "Mamma Anna, morbror Kalle"
    place: Mapped[str] = mapped_column(String(200))
    supervisor: Mapped[Supervisor] = mapped_column(str_enum(Supervisor))
    supervisor_name: Mapped[str | None] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus), default=VisitStatus.PLANNED)
    note_after: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child] = relationship()


class ContactRestriction(Base):
    """A decision restricting contact; reconsidered at least every three months."""

    __tablename__ = "contact_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    decided_on: Mapped[date]
    relatives: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(Text)
    review_due: Mapped[date] = mapped_column(index=True)
    last_reviewed_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child] = relationship()


class PlannedVisitStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class PlannedFollowUpVisit(Base):
    """The social worker's next follow-up visit to a placed child, booked ahead; it becomes
    the recorded visit (caseload's FollowUpVisit) when done."""

    __tablename__ = "planned_follow_up_visits"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    social_worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    talk_alone: Mapped[bool] = mapped_column(default=True)
    status: Mapped[PlannedVisitStatus] = mapped_column(
        str_enum(PlannedVisitStatus), default=PlannedVisitStatus.PLANNED
    )
    follow_up_visit_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up_visits.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    child: Mapped[Child] = relationship()
