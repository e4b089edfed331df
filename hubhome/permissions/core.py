"""Scope constellations, households and children; child access levels; get_or_404."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import Select, exists, false, literal, or_, select, union

from hubhome.accounts.models import Role, User
from hubhome.children.models import Child, Placement
from hubhome.extensions import db
from hubhome.network.models import Constellation, ConstellationMembership, Household

T = TypeVar("T")


class ChildAccess(enum.IntEnum):
    """How much of a child's record a user may see."""

    NONE = 0
    SUMMARY = 1  # first name and age: what an on-call call needs
    CARE = 2  # names, birth date, placement: what carers and the liaison need
    FULL = 3  # everything, personnummer masked: admin and the responsible social worker


def _none() -> Select[Any]:
    return select(literal(0)).where(false())


def constellation_ids_visible_to(user: User) -> Select[Any]:
    """Return the ids of the constellations `user` may see."""
    c = Constellation
    if user.role in (Role.ADMIN, Role.ONCALL_STAFF):
        return select(c.id).where(c.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        return select(c.id).where(c.liaison_id == user.id)
    if user.role == Role.HUB_CARER and user.household_id is not None:
        return select(c.id).where(c.hub_household_id == user.household_id)
    if user.role == Role.FOSTER_CARER and user.household_id is not None:
        m = ConstellationMembership
        return select(m.constellation_id).where(
            m.household_id == user.household_id, m.left_on.is_(None)
        )
    return _none()


def households_of_constellations(constellation_ids: Select[Any]) -> Select[Any]:
    """Return the ids of the hub and current satellite households of some constellations."""
    m = ConstellationMembership
    hubs = select(Constellation.hub_household_id).where(
        Constellation.id.in_(constellation_ids), Constellation.hub_household_id.is_not(None)
    )
    satellites = select(m.household_id).where(
        m.constellation_id.in_(constellation_ids), m.left_on.is_(None)
    )
    return select(union(hubs, satellites).subquery().c[0])


def household_ids_visible_to(user: User) -> Select[Any]:
    """Return the ids of the households whose record `user` may see."""
    if user.role in (Role.ADMIN, Role.ONCALL_STAFF):
        return select(Household.id).where(Household.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        liaison = households_of_constellations(constellation_ids_visible_to(user))
        responsible = select(Placement.household_id).where(
            Placement.social_worker_id == user.id, Placement.end_date.is_(None)
        )
        return select(union(liaison, responsible).subquery().c[0])
    if user.role == Role.HUB_CARER:
        return households_of_constellations(constellation_ids_visible_to(user))
    if user.role == Role.FOSTER_CARER and user.household_id is not None:
        return select(Household.id).where(Household.id == user.household_id)
    return _none()


def child_ids_visible_to(user: User) -> Select[Any]:
    """Return the ids of the children whose record `user` may see (at some level)."""
    active = Placement.end_date.is_(None)
    if user.role == Role.ADMIN:
        return select(Child.id).where(Child.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        return select(Placement.child_id).where(
            active,
            or_(
                Placement.social_worker_id == user.id,
                Placement.household_id.in_(
                    households_of_constellations(constellation_ids_visible_to(user))
                ),
            ),
        )
    if user.role in (Role.HUB_CARER, Role.FOSTER_CARER, Role.ONCALL_STAFF):
        return select(Placement.child_id).where(
            active, Placement.household_id.in_(household_ids_visible_to(user))
        )
    return _none()


def _contains(ids: Select[Any], object_id: int) -> bool:
    subquery = ids.subquery()
    column = subquery.c[0]
    return bool(db.session.scalar(select(exists().where(column == object_id))))


def can_view_constellation(user: User, constellation: Constellation) -> bool:
    return _contains(constellation_ids_visible_to(user), constellation.id)


def can_view_household(user: User, household: Household) -> bool:
    return _contains(household_ids_visible_to(user), household.id)


def access_level(user: User, *, responsible: bool) -> ChildAccess:
    """The access a role has to a child already known to be in the user's scope.

    `responsible` says whether the user is the social worker of the child's active placement.
    """
    if user.role == Role.ADMIN:
        return ChildAccess.FULL
    if user.role == Role.SOCIAL_WORKER:
        return ChildAccess.FULL if responsible else ChildAccess.CARE
    if user.role == Role.ONCALL_STAFF:
        return ChildAccess.SUMMARY
    return ChildAccess.CARE


def child_access(user: User, child: Child) -> ChildAccess:
    """Return how much of `child`'s record `user` may see."""
    if child.organisation_id != user.organisation_id:
        return ChildAccess.NONE
    if not _contains(child_ids_visible_to(user), child.id):
        return ChildAccess.NONE
    responsible = False
    if user.role == Role.SOCIAL_WORKER:
        responsible_placement = select(Placement.id).where(
            Placement.child_id == child.id,
            Placement.social_worker_id == user.id,
            Placement.end_date.is_(None),
        )
        responsible = bool(db.session.scalar(select(exists(responsible_placement))))
    return access_level(user, responsible=responsible)


def can_view_child(user: User, child: Child) -> bool:
    return child_access(user, child) > ChildAccess.NONE


def can_edit_child(user: User, child: Child) -> bool:
    return child_access(user, child) == ChildAccess.FULL


def can_register_children(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.SOCIAL_WORKER)


def can_manage_network(user: User) -> bool:
    """Only administrators create and change constellations, households and memberships."""
    return user.role == Role.ADMIN


def can_see_household_address(user: User, household: Household) -> bool:
    """Protected identity hides a household's address from everyone without a need to know."""
    if user.household_id == household.id or user.role == Role.ADMIN:
        return True
    shields = select(Placement.id).where(
        Placement.household_id == household.id,
        Placement.end_date.is_(None),
        Placement.child_id.in_(select(Child.id).where(Child.protected_identity.is_(True))),
    )
    if db.session.scalar(select(exists(shields))):
        responsible = select(Placement.id).where(
            Placement.household_id == household.id,
            Placement.social_worker_id == user.id,
            Placement.end_date.is_(None),
        )
        return bool(db.session.scalar(select(exists(responsible))))
    return can_view_household(user, household)


def require_role(user: User, *roles: Role) -> None:
    """Abort with 403 unless the user has one of `roles`."""
    if user.role not in roles:
        abort(403)


def get_or_404(model: type[T], object_id: int, visible_ids: Select[Any]) -> T:
    """Load one object in scope, or answer 404 whether it is missing or out of scope."""
    key = model.__mapper__.primary_key[0]  # type: ignore[attr-defined]
    obj = db.session.scalar(select(model).where(key == object_id, key.in_(visible_ids)))
    if obj is None:  # one query: missing and out of scope look the same
        _audit_if_denied(model, key, object_id)
        abort(404)
    return obj


def _audit_if_denied(model: Any, key: Any, object_id: int) -> None:
    """An object that exists but is out of the caller's scope is a security event."""
    from flask import g
    from flask_login import current_user

    from hubhome.audit.services import record_regardless

    actor = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    if actor is None or db.session.scalar(select(key).where(key == object_id)) is None:
        return
    record_regardless(actor, "access.denied", object_type=model.__tablename__, object_id=object_id)


def get_child_or_404(user: User, child_id: int) -> Child:
    return get_or_404(Child, child_id, child_ids_visible_to(user))


def get_household_or_404(user: User, household_id: int) -> Household:
    return get_or_404(Household, household_id, household_ids_visible_to(user))


def get_constellation_or_404(user: User, constellation_id: int) -> Constellation:
    return get_or_404(Constellation, constellation_id, constellation_ids_visible_to(user))
