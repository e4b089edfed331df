"""Family group conferences (familjerådslag): about one child, with the family, a
coordinator, the child's network from outside Hubhome, meetings and the resulting plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.crypto import EncryptedString
from hubhome.db import Base
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.children.models import Child
    from hubhome.network.models import Household


class FamilyConference(Base):
    __tablename__ = "family_conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    # The family: the household the child was placed with when the conference was set up.
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    plan: Mapped[str | None] = mapped_column(Text)
    plan_follow_up_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    child: Mapped[Child] = relationship()
    household: Mapped[Household] = relationship()
    coordinator: Mapped[User] = relationship(foreign_keys=[coordinator_id])
    meetings: Mapped[list[ConferenceMeeting]] = relationship(
        order_by="ConferenceMeeting.starts_at", back_populates="conference"
    )
    members: Mapped[list[ConferenceMember]] = relationship(
        order_by="ConferenceMember.id", back_populates="conference"
    )


class ConferenceMeeting(Base):
    __tablename__ = "conference_meetings"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("family_conferences.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped[FamilyConference] = relationship(back_populates="meetings")


class ConferenceMember(Base):
    """A person from the child's network outside Hubhome (a relative, a teacher, a neighbour);
    name and phone are stored encrypted and never written to logs or audit details."""

    __tablename__ = "conference_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("family_conferences.id"), index=True)
    # 120 characters of any script, encrypted (Fernet) and base64-encoded, fit in 1000.
    name: Mapped[str] = mapped_column(EncryptedString(1000))
    relation: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(EncryptedString(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped[FamilyConference] = relationship(back_populates="members")
