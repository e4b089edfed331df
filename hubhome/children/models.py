"""Children placed in foster homes and their placements."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.crypto import EncryptedString
from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.network.models import Household, Organisation


class Gender(enum.StrEnum):
    GIRL = "girl"
    BOY = "boy"
    OTHER = "other"
    UNKNOWN = "unknown"


class Child(Base):
    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    birth_date: Mapped[date]
    gender: Mapped[Gender] = mapped_column(str_enum(Gender), default=Gender.UNKNOWN)
    personnummer: Mapped[str | None] = mapped_column(EncryptedString(255))
    protected_identity: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    placements: Mapped[list[Placement]] = relationship(
        back_populates="child", order_by="Placement.start_date"
    )

    def __repr__(self) -> str:
        return f"<Child {self.id}>"


class Placement(Base):
    """A child's stay in a household; an ending records whether it was planned."""

    __tablename__ = "placements"
    __table_args__ = (
        Index(
            "uq_placements_active_child",
            "child_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    ended_planned: Mapped[bool | None]
    end_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    child: Mapped[Child] = relationship(back_populates="placements")
    household: Mapped[Household] = relationship()
    social_worker: Mapped[User | None] = relationship()
