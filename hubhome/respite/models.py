"""Respite (avlastning): nights in the hub home's beds, booked per child."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.children.models import Child
    from hubhome.network.models import Constellation, Household


class BookingKind(enum.StrEnum):
    PLANNED = "planned"
    EMERGENCY = "emergency"


class BookingStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


HOLDS_BEDS = (BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.COMPLETED)


class RespiteRules(Base):
    """A constellation's local rules; absent rows mean the defaults."""

    __tablename__ = "respite_rules"

    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), primary_key=True)
    max_days_ahead: Mapped[int] = mapped_column(default=180)
    max_nights: Mapped[int] = mapped_column(default=14)
    yearly_planned_nights: Mapped[int | None]  # per household; None = no allowance


class BedCapacityChange(Base):
    """From `effective_from` on, the hub home has `beds` respite beds."""

    __tablename__ = "bed_capacity_changes"
    __table_args__ = (UniqueConstraint("household_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    effective_from: Mapped[date]
    beds: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlockedPeriod(Base):
    """Nights [start, end) when the hub home takes no respite (holiday, illness)."""

    __tablename__ = "blocked_periods"
    __table_args__ = (CheckConstraint("end_date > start_date", name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def last_night(self) -> date:
        """The last closed night (`end_date` is the morning after it)."""
        return self.end_date - timedelta(days=1)


class RespiteBooking(Base):
    __tablename__ = "respite_bookings"
    __table_args__ = (
        CheckConstraint("check_out > check_in", name="ordered"),
        UniqueConstraint("requested_by_id", "idempotency_key"),
        Index("ix_respite_bookings_hub_nights", "hub_household_id", "check_in", "check_out"),
        Index("ix_respite_bookings_hub_check_out", "hub_household_id", "check_out"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), index=True)
    hub_household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    check_in: Mapped[date]
    check_out: Mapped[date]
    kind: Mapped[BookingKind] = mapped_column(str_enum(BookingKind))
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(80))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)  # why declined or cancelled
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    constellation: Mapped[Constellation] = relationship()
    household: Mapped[Household] = relationship(foreign_keys=[household_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    children: Mapped[list[RespiteBookingChild]] = relationship(
        back_populates="booking", cascade="all, delete-orphan"
    )

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


class RespiteBookingChild(Base):
    """One child of a booking: one bed for each night of it."""

    __tablename__ = "respite_booking_children"

    booking_id: Mapped[int] = mapped_column(ForeignKey("respite_bookings.id"), primary_key=True)
    # Indexed on its own: a caseload's respite nights are looked up by child.
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)

    booking: Mapped[RespiteBooking] = relationship(back_populates="children")
    child: Mapped[Child] = relationship()


class WaitStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    WITHDRAWN = "withdrawn"


class RespiteWaitlistEntry(Base):
    """A family waiting for nights that were full when they asked."""

    __tablename__ = "respite_waitlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    check_in: Mapped[date]
    check_out: Mapped[date]
    beds: Mapped[int]
    kind: Mapped[BookingKind] = mapped_column(str_enum(BookingKind))
    status: Mapped[WaitStatus] = mapped_column(str_enum(WaitStatus), default=WaitStatus.WAITING)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # for the hub home, kept for the booking
    # the booking made from the offer; the place is then withdrawn
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("respite_bookings.id"))

    household: Mapped[Household] = relationship()
    children: Mapped[list[RespiteWaitlistChild]] = relationship(
        back_populates="entry", cascade="all, delete-orphan"
    )


class RespiteWaitlistChild(Base):
    """One child a waiting family wants a bed for."""

    __tablename__ = "respite_waitlist_children"

    entry_id: Mapped[int] = mapped_column(ForeignKey("respite_waitlist.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)

    entry: Mapped[RespiteWaitlistEntry] = relationship(back_populates="children")
    child: Mapped[Child] = relationship()
