"""Organisations (municipalities), constellations and the households in them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    duty_number: Mapped[str | None] = mapped_column(String(20))  # last resort, e.g. socialjouren
    # Retention (gallring): years after the last entry that case entries are kept; None keeps all.
    retention_years: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HouseholdKind(enum.StrEnum):
    HUB = "hub"
    SATELLITE = "satellite"


class Household(Base):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[HouseholdKind] = mapped_column(str_enum(HouseholdKind))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # callers are found by it
    respite_beds: Mapped[int] = mapped_column(default=2)
    registered_on: Mapped[date | None]
    deregistered_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    carers: Mapped[list[User]] = relationship(back_populates="household")
    memberships: Mapped[list[ConstellationMembership]] = relationship(
        back_populates="household", order_by="ConstellationMembership.joined_on"
    )

    def __repr__(self) -> str:
        return f"<Household {self.id} {self.kind}>"


class Constellation(Base):
    __tablename__ = "constellations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    hub_household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), unique=True)
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    phone_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    hub_household: Mapped[Household | None] = relationship(foreign_keys=[hub_household_id])
    liaison: Mapped[User | None] = relationship(foreign_keys=[liaison_id])
    memberships: Mapped[list[ConstellationMembership]] = relationship(
        back_populates="constellation", order_by="ConstellationMembership.joined_on"
    )


class ConstellationMembership(Base):
    """A satellite household's membership of a constellation; history is kept."""

    __tablename__ = "constellation_memberships"
    __table_args__ = (
        Index(
            "uq_constellation_memberships_open",
            "household_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    constellation_id: Mapped[int] = mapped_column(ForeignKey("constellations.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]

    constellation: Mapped[Constellation] = relationship(back_populates="memberships")
    household: Mapped[Household] = relationship(back_populates="memberships")
