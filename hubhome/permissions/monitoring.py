"""Scope the monitoring: caseload, decisions not carried out, outcomes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from hubhome.accounts.models import Role, User
from hubhome.children.models import Child
from hubhome.permissions.core import (
    _none,
    can_edit_child,
    child_ids_visible_to,
    get_or_404,
    household_ids_visible_to,
)


def can_follow_up(user: User, child: Child) -> bool:
    """Recording visits and reviews: the responsible social worker and administrators."""
    return user.role in (Role.ADMIN, Role.SOCIAL_WORKER) and can_edit_child(user, child)


def can_see_caseloads(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.SOCIAL_WORKER)


def can_see_monitoring_reports(user: User) -> bool:
    """IVO reports, the foster-home register and outcomes: administrators and social workers."""
    return user.role in (Role.ADMIN, Role.SOCIAL_WORKER)


def decision_ids_visible_to(user: User) -> Select[Any]:
    """Decisions an administrator's organisation made; for a social worker, their own and
    those about children (or, without a child, families) they may see."""
    from hubhome.decisions.models import InterventionDecision as D

    if user.role == Role.ADMIN:
        return select(D.id).where(D.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        return select(D.id).where(
            D.organisation_id == user.organisation_id,
            or_(
                D.responsible_id == user.id,
                D.child_id.in_(child_ids_visible_to(user)),
                D.household_id.in_(household_ids_visible_to(user)) & D.child_id.is_(None),
            ),
        )
    return _none()


def get_decision_or_404(user: User, decision_id: int) -> Any:
    from hubhome.decisions.models import InterventionDecision

    return get_or_404(InterventionDecision, decision_id, decision_ids_visible_to(user))
