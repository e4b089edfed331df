"""Decisions on interventions, and the offers made, for the rule on decisions not carried out."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.children.models import Child
    from hubhome.network.models import Household


class InterventionKind(enum.StrEnum):
    FOSTER_HOME = "foster_home"  # familjehem
    CONTACT_FAMILY = "contact_family"  # kontaktfamilj
    RESPITE = "respite"  # avlastning
    CONTACT_PERSON = "contact_person"  # kontaktperson
    OTHER = "other"


class InterventionDecision(Base):
    """A favourable decision on an intervention for a child or a family, followed until
    carried out."""

    __tablename__ = "intervention_decisions"
    __table_args__ = (
        CheckConstraint("child_id IS NOT NULL OR household_id IS NOT NULL", name="subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    kind: Mapped[InterventionKind] = mapped_column(str_enum(InterventionKind))
    decision_date: Mapped[date]
    carried_out_on: Mapped[date | None]
    closed_on: Mapped[date | None]  # the decision ended without being carried out
    closed_reason: Mapped[str | None] = mapped_column(String(300))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    delay_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child | None] = relationship()
    household: Mapped[Household | None] = relationship()
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])
    offers: Mapped[list[DecisionOffer]] = relationship(
        back_populates="decision", order_by="DecisionOffer.offered_on", cascade="all"
    )
    interruptions: Mapped[list[DecisionInterruption]] = relationship(
        back_populates="decision", order_by="DecisionInterruption.interrupted_on", cascade="all"
    )

    @property
    def subject_name(self) -> str:
        """The child's name, or the family's for a decision about a household."""
        if self.child is not None:
            return f"{self.child.first_name} {self.child.last_name}"
        return self.household.name if self.household is not None else ""

    @property
    def latest_interruption(self) -> DecisionInterruption | None:
        return self.interruptions[-1] if self.interruptions else None

    @property
    def interrupted_on(self) -> date | None:
        """When the latest interruption began (None if never interrupted)."""
        latest = self.latest_interruption
        return latest.interrupted_on if latest else None

    @property
    def resumed_on(self) -> date | None:
        latest = self.latest_interruption
        return latest.resumed_on if latest else None


class DecisionOffer(Base):
    """A date support was offered; a declined offer does not close the decision."""

    __tablename__ = "decision_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("intervention_decisions.id"), index=True)
    offered_on: Mapped[date]
    declined: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[InterventionDecision] = relationship(back_populates="offers")


class DecisionInterruption(Base):
    """An interruption of an intervention already carried out; each is kept."""

    __tablename__ = "decision_interruptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("intervention_decisions.id"), index=True)
    interrupted_on: Mapped[date]
    resumed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[InterventionDecision] = relationship(back_populates="interruptions")
