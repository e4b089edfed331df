"""The advice log: each advice contact with a family, logged in seconds."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.children.models import Child
    from hubhome.network.models import Household


class AdviceChannel(enum.StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    SMS = "sms"
    VIDEO = "video"


class AdviceTopic(enum.StrEnum):
    BEHAVIOUR = "behaviour"
    SCHOOL = "school"
    HEALTH = "health"
    BIRTH_FAMILY = "birth_family"
    PLACEMENT_CONCERN = "placement_concern"
    PRACTICAL = "practical"
    OTHER = "other"


class Urgency(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    URGENT = "urgent"


class AdviceContact(Base):
    __tablename__ = "advice_contacts"
    # The health page and the monthly report count a constellation's advice over a period.
    __table_args__ = (
        Index("ix_advice_contacts_constellation_created", "constellation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    # The household's constellation when logged (for the monthly report).
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    asked_by: Mapped[str] = mapped_column(String(80))
    channel: Mapped[AdviceChannel] = mapped_column(str_enum(AdviceChannel))
    topic: Mapped[AdviceTopic] = mapped_column(str_enum(AdviceTopic))
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency), default=Urgency.NORMAL)
    summary: Mapped[str] = mapped_column(String(500))
    follow_up_on: Mapped[date | None]
    follow_up_done_at: Mapped[datetime | None]
    follow_up_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When the contact happened (it may be logged later); None for contacts logged before.
    occurred_at: Mapped[datetime | None]
    # The child it concerned, when it concerned one placed in the family.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)

    household: Mapped[Household] = relationship()
    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id])
    child: Mapped[Child | None] = relationship()

    @property
    def happened_at(self) -> datetime:
        """When the contact happened, or was logged if that was not recorded."""
        return self.occurred_at or self.created_at
