"""Nightly snapshots of each constellation, so trends over years are cheap to show."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint
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
    hub_beds: Mapped[int]
    planned_nights: Mapped[int]  # child-nights of planned respite on this night
    emergency_nights: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
