"""Queries about constellations and households, always through the permission scopes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import User
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.network.models import Constellation, ConstellationMembership, Household
from hubhome.permissions import constellation_ids_visible_to, household_ids_visible_to


def visible_constellations(session: DbSession, user: User) -> Sequence[Constellation]:
    """Return the constellations `user` may see, by name."""
    query = (
        select(Constellation)
        .where(Constellation.id.in_(constellation_ids_visible_to(user)))
        .options(selectinload(Constellation.hub_household))
        .order_by(Constellation.name)
    )
    return session.scalars(query).all()


def visible_households(session: DbSession, user: User) -> Sequence[Household]:
    """Return the households `user` may see, by name."""
    query = (
        select(Household)
        .where(Household.id.in_(household_ids_visible_to(user)))
        .order_by(Household.name)
    )
    return session.scalars(query).all()


def current_constellation(session: DbSession, household: Household) -> Constellation | None:
    """Return the constellation a household belongs to now (as hub or satellite)."""
    hub_of = session.scalar(
        select(Constellation).where(Constellation.hub_household_id == household.id)
    )
    if hub_of is not None:
        return hub_of
    return session.scalar(
        select(Constellation)
        .join(ConstellationMembership)
        .where(
            ConstellationMembership.household_id == household.id,
            ConstellationMembership.left_on.is_(None),
        )
    )


def satellites(session: DbSession, constellation: Constellation) -> Sequence[Household]:
    """Return the current satellite households of a constellation."""
    return session.scalars(
        select(Household)
        .join(ConstellationMembership)
        .where(
            ConstellationMembership.constellation_id == constellation.id,
            ConstellationMembership.left_on.is_(None),
        )
        .order_by(Household.name)
    ).all()


def placed_children(session: DbSession, household: Household) -> Sequence[Child]:
    """Return the children placed in a household now."""
    return session.scalars(
        select(Child)
        .join(Placement)
        .where(Placement.household_id == household.id, Placement.end_date.is_(None))
        .order_by(Child.first_name)
    ).all()


def join_constellation(
    session: DbSession, household: Household, constellation: Constellation, on: date
) -> ConstellationMembership:
    """Move a household into a constellation, closing its current membership."""
    current = session.scalar(
        select(ConstellationMembership).where(
            ConstellationMembership.household_id == household.id,
            ConstellationMembership.left_on.is_(None),
        )
    )
    if current is not None:
        current.left_on = on
        session.flush()
    membership = ConstellationMembership(
        constellation_id=constellation.id, household_id=household.id, joined_on=on
    )
    session.add(membership)
    return membership
