"""Queries about constellations and households, always through the permission scopes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import BindParameter, Select, select, union
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.errors import ValidationFailed
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    Organisation,
)
from hubhome.permissions import constellation_ids_visible_to, household_ids_visible_to
from hubhome.registry import Registry


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


def _constellation_ids(household_id: int | BindParameter[int]) -> Any:
    """The constellations a household belongs to now: as hub, or as a current member."""
    m = ConstellationMembership
    return union(
        select(Constellation.id).where(Constellation.hub_household_id == household_id),
        select(m.constellation_id).where(m.household_id == household_id, m.left_on.is_(None)),
    )


def household_and_constellation(
    household_id: int | BindParameter[int],
) -> Select[Household, Constellation]:
    """One query for a household and its current constellation (None when it has none).

    A hub home's own constellation comes first. Callers may add columns and joins (the
    respite rules, say) to keep it one round trip, and pass a bind parameter to build a
    hot statement once.
    """
    return (
        select(Household, Constellation)
        .select_from(Household)
        .outerjoin(Constellation, Constellation.id.in_(_constellation_ids(household_id)))
        .where(Household.id == household_id)
        .order_by((Constellation.hub_household_id == household_id).desc(), Constellation.id)
        .limit(1)
    )


def current_constellation(session: DbSession, household: Household) -> Constellation | None:
    """Return the constellation a household belongs to now (as hub or satellite)."""
    found = session.execute(household_and_constellation(household.id)).first()
    return found[1] if found else None


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
    session: DbSession, actor: User, household: Household, constellation: Constellation, on: date
) -> ConstellationMembership:
    """Move a household into a constellation, closing its current membership."""
    current = session.scalar(
        select(ConstellationMembership).where(
            ConstellationMembership.household_id == household.id,
            ConstellationMembership.left_on.is_(None),
        )
    )
    if current is not None:
        if current.constellation_id == constellation.id:
            message = _("The household is already in that constellation.")
            raise ValidationFailed(message, errors={"constellation_id": [message]})
        if on < current.joined_on:
            message = _("The date cannot be before the household joined its current constellation.")
            raise ValidationFailed(message, errors={"joined_on": [message]})
        current.left_on = on
        session.flush()
    membership = ConstellationMembership(
        constellation_id=constellation.id, household_id=household.id, joined_on=on
    )
    session.add(membership)
    record(
        session, actor, "household.join", household, detail={"constellation_id": constellation.id}
    )
    return membership


def _unique_phone_error(
    session: DbSession, phone: str | None, constellation_id: int | None
) -> dict[str, list[str]]:
    if not phone:
        return {}
    clash = session.scalar(
        select(Constellation.id).where(
            Constellation.phone_number == phone, Constellation.id != (constellation_id or -1)
        )
    )
    if clash is not None:
        return {"phone_number": [_("Another constellation already uses that number.")]}
    return {}


def save_constellation(
    session: DbSession,
    actor: User,
    constellation: Constellation | None,
    *,
    name: str,
    hub_household_id: int | None,
    liaison_id: int | None,
    phone_number: str | None,
) -> Constellation:
    """Create or update a constellation in the actor's organisation."""
    errors = _unique_phone_error(session, phone_number, constellation.id if constellation else None)
    if hub_household_id:
        hub = session.get(Household, hub_household_id)
        if hub is None or hub.organisation_id != actor.organisation_id or hub.kind != "hub":
            errors["hub_household_id"] = [_("Choose a hub home of your organisation.")]
        else:
            taken = session.scalar(
                select(Constellation.id).where(
                    Constellation.hub_household_id == hub_household_id,
                    Constellation.id != (constellation.id if constellation else -1),
                )
            )
            if taken is not None:
                errors["hub_household_id"] = [_("That hub home already leads a constellation.")]
    if liaison_id:
        liaison = session.get(User, liaison_id)
        if (
            liaison is None
            or liaison.organisation_id != actor.organisation_id
            or liaison.role != Role.SOCIAL_WORKER
        ):
            errors["liaison_id"] = [_("Choose a social worker of your organisation.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    if constellation is None:
        constellation = Constellation(organisation_id=actor.organisation_id, name=name)
        session.add(constellation)
    constellation.name = name.strip()
    constellation.hub_household_id = hub_household_id or None
    constellation.liaison_id = liaison_id or None
    constellation.phone_number = phone_number or None
    session.flush()
    record(session, actor, "constellation.save", constellation)
    return constellation


BedChange = Callable[[DbSession, User, Household, int], None]

# Who changes a household's beds: respite adds the one that takes the hub's lock and refuses
# a change that would strand booked children (`hubhome.respite.capacity.change_base_beds`).
bed_changes: Registry[BedChange] = Registry("network.bed_changes")


def save_household(
    session: DbSession, actor: User, household: Household | None, **fields: object
) -> Household:
    """Create or update a household in the actor's organisation; a change of its beds goes
    through capacity (under the hub's lock, refused if it would strand bookings)."""
    beds = fields.pop("respite_beds", None)
    if household is None:
        household = Household(organisation_id=actor.organisation_id, name=str(fields["name"]))
        if isinstance(beds, int):
            household.respite_beds = beds
        session.add(household)
    elif isinstance(beds, int) and beds != household.respite_beds:
        changes = bed_changes.items()
        for change in changes:
            change(session, actor, household, beds)
        if not changes:
            household.respite_beds = beds
    for key, value in fields.items():
        setattr(household, key, value)
    session.flush()
    record(session, actor, "household.save", household)
    return household


def leave_constellation(
    session: DbSession, actor: User, household: Household, *, on: date, deregister: bool
) -> None:
    """End a household's current membership; optionally record that it stopped fostering."""
    current = session.scalar(
        select(ConstellationMembership).where(
            ConstellationMembership.household_id == household.id,
            ConstellationMembership.left_on.is_(None),
        )
    )
    if current is None and not deregister:
        raise ValidationFailed(_("The household is not in a constellation."))
    if current is not None:
        if on < current.joined_on:
            message = _("The date cannot be before the household joined.")
            raise ValidationFailed(message, errors={"left_on": [message]})
        current.left_on = on
    if deregister:
        household.deregistered_on = on
    record(session, actor, "household.leave", household, detail={"deregistered": deregister})


def update_organisation_settings(
    session: DbSession,
    actor: User,
    organisation: Organisation,
    *,
    duty_number: str | None,
    retention_years: int | None,
) -> None:
    """Set the organisation's last-resort duty number and retention policy (audited)."""
    from hubhome.phones import InvalidPhone, normalize_phone

    try:
        number = normalize_phone(duty_number) if duty_number else None
    except InvalidPhone:
        message = _("That is not a valid phone number. Check the digits.")
        raise ValidationFailed(message, errors={"duty_number": [message]}) from None
    changed = sorted(
        name
        for name, old, new in (
            ("duty_number", organisation.duty_number, number),
            ("retention_years", organisation.retention_years, retention_years),
        )
        if old != new
    )
    organisation.duty_number = number
    organisation.retention_years = retention_years
    record(session, actor, "organisation.update", organisation, detail={"changed": changed})
