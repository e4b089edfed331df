"""Scope activities, contact visits, the advice log and the monthly report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select

from hubhome.accounts.models import Role, User
from hubhome.children.models import Child, Placement
from hubhome.network.models import Constellation
from hubhome.permissions.core import (
    _none,
    can_view_constellation,
    constellation_ids_visible_to,
    get_or_404,
    households_of_constellations,
)


def can_plan_activities(user: User, constellation: Constellation) -> bool:
    """The hub carer of the constellation, its liaison, and administrators plan events."""
    if constellation.organisation_id != user.organisation_id:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HUB_CARER:
        return user.household_id is not None and user.household_id == constellation.hub_household_id
    return user.role == Role.SOCIAL_WORKER and constellation.liaison_id == user.id


def activity_ids_visible_to(user: User) -> Select[Any]:
    """Events of the constellations a user sees; a family sees only those it is invited to."""
    from hubhome.activities.models import Activity, ActivityInvitee

    query = select(Activity.id).where(
        Activity.constellation_id.in_(constellation_ids_visible_to(user))
    )
    if user.role == Role.ONCALL_STAFF:
        return query.where(Activity.invite_all.is_(True))
    if user.role == Role.FOSTER_CARER:
        invited = select(ActivityInvitee.activity_id).where(
            ActivityInvitee.household_id == user.household_id
        )
        return query.where(or_(Activity.invite_all.is_(True), Activity.id.in_(invited)))
    return query


def get_activity_or_404(user: User, activity_id: int) -> Any:
    from hubhome.activities.models import Activity

    return get_or_404(Activity, activity_id, activity_ids_visible_to(user))


def visit_child_ids_visible_to(user: User) -> Select[Any]:
    """Children whose contact visits a user sees: the child's own household, the hub carer of
    its constellation, the responsible social worker and administrators; nobody else."""
    active = Placement.end_date.is_(None)
    if user.role == Role.ADMIN:
        return select(Child.id).where(Child.organisation_id == user.organisation_id)
    if user.role == Role.SOCIAL_WORKER:
        return select(Placement.child_id).where(active, Placement.social_worker_id == user.id)
    if user.role == Role.HUB_CARER:
        return select(Placement.child_id).where(
            active,
            Placement.household_id.in_(
                households_of_constellations(constellation_ids_visible_to(user))
            ),
        )
    if user.role == Role.FOSTER_CARER and user.household_id is not None:
        return select(Placement.child_id).where(active, Placement.household_id == user.household_id)
    return _none()


def can_write_visits(user: User) -> bool:
    """Families see their children's visits; the hub carer, social worker and admins plan them."""
    return user.role in (Role.HUB_CARER, Role.SOCIAL_WORKER, Role.ADMIN)


def can_decide_restrictions(user: User) -> bool:
    """A restriction on contact is a social services decision."""
    return user.role in (Role.SOCIAL_WORKER, Role.ADMIN)


def contact_visit_ids_visible_to(user: User) -> Select[Any]:
    from hubhome.visits.models import ContactVisit

    return select(ContactVisit.id).where(
        ContactVisit.child_id.in_(visit_child_ids_visible_to(user)),
        ContactVisit.organisation_id == user.organisation_id,
    )


def get_contact_visit_or_404(user: User, visit_id: int) -> Any:
    from hubhome.visits.models import ContactVisit

    return get_or_404(ContactVisit, visit_id, contact_visit_ids_visible_to(user))


def get_restriction_or_404(user: User, restriction_id: int) -> Any:
    from hubhome.visits.models import ContactRestriction

    ids = select(ContactRestriction.id).where(
        ContactRestriction.child_id.in_(visit_child_ids_visible_to(user)),
        ContactRestriction.organisation_id == user.organisation_id,
    )
    return get_or_404(ContactRestriction, restriction_id, ids)


def can_log_advice(user: User) -> bool:
    """Hub carers, on-call staff and social workers log advice (admins only read reports)."""
    return user.role in (Role.HUB_CARER, Role.ONCALL_STAFF, Role.SOCIAL_WORKER)


def advice_contact_ids_visible_to(user: User) -> Select[Any]:
    """The logger, the hub carer and liaison of the family's constellation and the family's
    responsible social worker see a contact; a family sees its own, never another's."""
    from hubhome.advice.models import AdviceContact

    a = AdviceContact
    mine = a.logged_by_id == user.id
    if user.role == Role.FOSTER_CARER and user.household_id is not None:
        return select(a.id).where(a.household_id == user.household_id)
    if user.role == Role.HUB_CARER:
        ours = a.household_id.in_(households_of_constellations(constellation_ids_visible_to(user)))
        return select(a.id).where(a.organisation_id == user.organisation_id, or_(mine, ours))
    if user.role == Role.SOCIAL_WORKER:
        liaison = a.household_id.in_(
            households_of_constellations(constellation_ids_visible_to(user))
        )
        responsible = a.household_id.in_(
            select(Placement.household_id).where(
                Placement.social_worker_id == user.id, Placement.end_date.is_(None)
            )
        )
        return select(a.id).where(
            a.organisation_id == user.organisation_id, or_(mine, liaison, responsible)
        )
    return select(a.id).where(a.organisation_id == user.organisation_id, mine)


def get_advice_contact_or_404(user: User, contact_id: int) -> Any:
    from hubhome.advice.models import AdviceContact

    return get_or_404(AdviceContact, contact_id, advice_contact_ids_visible_to(user))


def monthly_reports_among(user: User, in_scope: Sequence[Constellation]) -> list[Constellation]:
    """Of constellations already in the user's scope (`constellation_ids_visible_to`), those
    whose monthly report they may see: `can_see_monthly_report` without a query for each."""
    if user.role == Role.ADMIN:
        return [c for c in in_scope if c.organisation_id == user.organisation_id]
    return list(in_scope) if user.role in (Role.HUB_CARER, Role.SOCIAL_WORKER) else []


def can_see_monthly_report(user: User, constellation: Constellation) -> bool:
    """The hub carer, the liaison and administrators file the hub's monthly report."""
    if user.role == Role.ADMIN:
        return constellation.organisation_id == user.organisation_id
    return user.role in (Role.HUB_CARER, Role.SOCIAL_WORKER) and can_view_constellation(
        user, constellation
    )
