"""Registering children and their placements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.children.models import Child, Gender, Placement
from hubhome.children.personnummer import (
    InvalidPersonnummer,
    birth_date_of,
    normalize_personnummer,
)
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Household
from hubhome.permissions import (
    ChildAccess,
    access_level,
    child_ids_visible_to,
    household_ids_visible_to,
)


def visible_children(session: DbSession, user: User) -> Sequence[Child]:
    """Return the children `user` may see, by first name."""
    return session.scalars(
        select(Child)
        .where(Child.id.in_(child_ids_visible_to(user)))
        .order_by(Child.first_name, Child.last_name)
    ).all()


def visible_children_with_access(
    session: DbSession, user: User
) -> list[tuple[Child, Placement | None, ChildAccess]]:
    """Return the children `user` may see with their active placement and the user's access,
    in a fixed number of queries however many children there are."""
    rows = session.execute(
        select(Child, Placement)
        .outerjoin(Placement, (Placement.child_id == Child.id) & Placement.end_date.is_(None))
        .where(Child.id.in_(child_ids_visible_to(user)))
        .options(selectinload(Placement.household))
        .order_by(Child.first_name, Child.last_name, Child.id)
    ).all()
    return [
        (
            child,
            placement,
            access_level(
                user, responsible=placement is not None and placement.social_worker_id == user.id
            ),
        )
        for child, placement in rows
    ]


def current_placement(session: DbSession, child: Child) -> Placement | None:
    return session.scalar(
        select(Placement).where(Placement.child_id == child.id, Placement.end_date.is_(None))
    )


def register_child(
    session: DbSession,
    actor: User,
    *,
    first_name: str,
    last_name: str,
    birth_date: date,
    gender: Gender,
    personnummer: str | None,
    protected_identity: bool,
    household_id: int,
    placement_start: date,
    social_worker_id: int | None,
) -> Child:
    """Register a child placed in a household the actor may see."""
    if actor.role not in (Role.ADMIN, Role.SOCIAL_WORKER):
        raise NotAllowed(_("Only social workers and administrators register children."))
    personnummer = _checked_personnummer(personnummer, birth_date)
    visible = session.scalar(
        select(Household).where(
            Household.id == household_id, Household.id.in_(household_ids_visible_to(actor))
        )
    )
    if visible is None:
        raise ValidationFailed(
            _("Choose a household you work with."),
            errors={"household_id": [_("Choose a household you work with.")]},
        )
    if placement_start < birth_date:
        raise ValidationFailed(
            _("The placement cannot start before the child was born."),
            errors={
                "placement_start": [_("The placement cannot start before the child was born.")]
            },
        )
    child = Child(
        organisation_id=actor.organisation_id,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        gender=gender,
        personnummer=personnummer or None,
        protected_identity=protected_identity,
    )
    session.add(child)
    session.flush()
    placement = Placement(
        child_id=child.id,
        household_id=household_id,
        social_worker_id=social_worker_id
        or (actor.id if actor.role == Role.SOCIAL_WORKER else None),
        start_date=placement_start,
    )
    session.add(placement)
    session.flush()
    record(session, actor, "child.create", child)
    record(session, actor, "placement.create", placement, child_id=child.id)
    return child


def _checked_personnummer(raw: str | None, birth_date: date) -> str | None:
    """Normalise an optional personnummer and check it agrees with the date of birth."""
    if not raw:
        return None
    try:
        number = normalize_personnummer(raw)
    except InvalidPersonnummer as exc:
        raise ValidationFailed(str(exc), errors={"personnummer": [str(exc)]}) from exc
    if birth_date_of(number) != birth_date:
        message = _("The personnummer does not match the date of birth.")
        raise ValidationFailed(message, errors={"personnummer": [message]})
    return number


def end_placement(
    session: DbSession, actor: User, placement: Placement, *, on: date, planned: bool, reason: str
) -> Placement:
    """Record the end of a placement and whether it was planned."""
    if placement.end_date is not None:
        raise ValidationFailed(_("This placement has already ended."))
    if on < placement.start_date:
        raise ValidationFailed(
            _("The placement cannot end before it started."),
            errors={"end_date": [_("The placement cannot end before it started.")]},
        )
    placement.end_date = on
    placement.ended_planned = planned
    placement.end_reason = reason.strip() or None
    record(session, actor, "placement.end", placement, child_id=placement.child_id)
    return placement
