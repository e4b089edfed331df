"""On-call rotas: weekly patterns with Stockholm handovers, and the shifts they make.

A rota belongs to one constellation, or (without a constellation) to the whole
organisation, whose constellations all share it (a night rota of on-call staff). Its
level says where its person stands in a constellation's escalation chain.
"""

from __future__ import annotations

import enum
from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.network.models import Constellation


class ChainLevel(enum.IntEnum):
    PRIMARY = 1
    SECONDARY = 2


class ShiftKind(enum.StrEnum):
    PATTERN = "pattern"  # made from the weekly pattern
    SWAP = "swap"  # overrides beat the pattern
    SICK_COVER = "sick_cover"
    UNCOVERED = "uncovered"  # nobody, on purpose: shows as a gap


OVERRIDE_KINDS = (ShiftKind.SWAP, ShiftKind.SICK_COVER, ShiftKind.UNCOVERED)


class Rota(Base):
    __tablename__ = "rotas"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    constellation_id: Mapped[int | None] = mapped_column(
        ForeignKey("constellations.id"), index=True
    )  # None: shared by every constellation of the organisation
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(default=ChainLevel.PRIMARY)
    cycle_weeks: Mapped[int] = mapped_column(default=1)  # the pattern repeats every N weeks
    materialised_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    constellation: Mapped[Constellation | None] = relationship()
    slots: Mapped[list[RotaSlot]] = relationship(
        back_populates="rota",
        order_by="(RotaSlot.week, RotaSlot.weekday, RotaSlot.starts)",
        cascade="all, delete-orphan",
    )

    @property
    def shared(self) -> bool:
        return self.constellation_id is None


class RotaSlot(Base):
    """One handover-to-handover stretch of the weekly pattern, in Stockholm wall-clock time.

    An end at or before the start means the next morning (a night 20:00–08:00).
    """

    __tablename__ = "rota_slots"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday"),
        CheckConstraint("week >= 0", name="week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rota_id: Mapped[int] = mapped_column(ForeignKey("rotas.id"), index=True)
    week: Mapped[int] = mapped_column(default=0)  # which week of the cycle
    weekday: Mapped[int]  # Monday 0 … Sunday 6
    starts: Mapped[time]
    ends: Mapped[time]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    rota: Mapped[Rota] = relationship(back_populates="slots")
    user: Mapped[User] = relationship()


class OnCallShift(Base):
    """A stretch of time with explicit UTC instants: from the pattern, or an override."""

    __tablename__ = "on_call_shifts"
    __table_args__ = (
        Index("ix_on_call_shifts_rota_time", "rota_id", "starts_at", "ends_at"),
        CheckConstraint("ends_at > starts_at", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rota_id: Mapped[int] = mapped_column(ForeignKey("rotas.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ShiftKind] = mapped_column(str_enum(ShiftKind), default=ShiftKind.PATTERN)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rota: Mapped[Rota] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def is_override(self) -> bool:
        return self.kind != ShiftKind.PATTERN


class CoverStatus(enum.StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    WITHDRAWN = "withdrawn"


class CoverRequest(Base):
    """Someone on a rota asks for cover of one of their shifts; the first to accept takes it."""

    __tablename__ = "shift_cover_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    rota_id: Mapped[int] = mapped_column(ForeignKey("rotas.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CoverStatus] = mapped_column(str_enum(CoverStatus), default=CoverStatus.OPEN)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime | None]
    override_id: Mapped[int | None] = mapped_column(ForeignKey("on_call_shifts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rota: Mapped[Rota] = relationship()
    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    taken_by: Mapped[User | None] = relationship(foreign_keys=[taken_by_id])
