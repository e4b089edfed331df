"""Scope planned follow-up visits and family group conferences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from hubhome.accounts.models import Role, User
from hubhome.children.models import Child, Placement
from hubhome.permissions.core import _none, can_edit_child, get_or_404


def _responsible_children(user: User) -> Select[Any]:
    return select(Placement.child_id).where(
        Placement.social_worker_id == user.id, Placement.end_date.is_(None)
    )


def _children_at_home(user: User) -> Select[Any]:
    return select(Placement.child_id).where(
        Placement.household_id == user.household_id, Placement.end_date.is_(None)
    )


def can_plan_follow_up(user: User, child: Child) -> bool:
    """The child's responsible social worker and administrators plan follow-up visits."""
    return user.role in (Role.ADMIN, Role.SOCIAL_WORKER) and can_edit_child(user, child)


def planned_visit_ids_visible_to(user: User) -> Select[Any]:
    """The visiting social worker, the child's responsible worker, the child's own household
    and administrators see a planned follow-up visit; nobody else."""
    from hubhome.visits.models import PlannedFollowUpVisit as P

    if user.role == Role.ADMIN:
        return select(P.id).where(P.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        return select(P.id).where(
            or_(P.social_worker_id == user.id, P.child_id.in_(_responsible_children(user)))
        )
    if user.role in (Role.FOSTER_CARER, Role.HUB_CARER) and user.household_id is not None:
        return select(P.id).where(P.child_id.in_(_children_at_home(user)))
    return _none()


def get_planned_visit_or_404(user: User, plan_id: int) -> Any:
    from hubhome.visits.models import PlannedFollowUpVisit

    return get_or_404(PlannedFollowUpVisit, plan_id, planned_visit_ids_visible_to(user))


def conference_ids_visible_to(user: User) -> Select[Any]:
    """A family group conference is seen by those it concerns: the child's responsible social
    worker, its coordinator, the family (the household it was held for, and the child's
    home now) and administrators. Nobody else, not even the hub carer."""
    from hubhome.conferences.models import FamilyConference as F

    if user.role == Role.ADMIN:
        return select(F.id).where(F.organisation_id == user.organisation_id)
    concerned = [F.coordinator_id == user.id, F.created_by_id == user.id]
    if user.role == Role.SOCIAL_WORKER:
        concerned.append(F.child_id.in_(_responsible_children(user)))
    if user.household_id is not None:
        concerned += [F.household_id == user.household_id, F.child_id.in_(_children_at_home(user))]
    return select(F.id).where(F.organisation_id == user.organisation_id, or_(*concerned))


def can_edit_conference(user: User, conference: Any) -> bool:
    """The coordinator, the child's responsible social worker and administrators keep the
    conference's meetings, network and plan; the family reads them."""
    if conference.organisation_id != user.organisation_id:
        return False
    if user.role == Role.ADMIN or conference.coordinator_id == user.id:
        return True
    return user.role == Role.SOCIAL_WORKER and any(
        p.end_date is None and p.social_worker_id == user.id for p in conference.child.placements
    )


def get_conference_or_404(user: User, conference_id: int) -> Any:
    from hubhome.conferences.models import FamilyConference

    return get_or_404(FamilyConference, conference_id, conference_ids_visible_to(user))
