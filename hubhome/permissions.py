"""The one permission policy: who may see and do what, for single objects and lists alike.

Each `*_ids_visible_to(user)` returns a SELECT of ids; list scopes filter on it and the
instance checks ask whether one id is in it, so the two can never disagree.
Objects outside a user's scope are reported as 404, never 403, so existence is not leaked.
"""

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
        abort(404)
    return obj


def get_child_or_404(user: User, child_id: int) -> Child:
    return get_or_404(Child, child_id, child_ids_visible_to(user))


def get_household_or_404(user: User, household_id: int) -> Household:
    return get_or_404(Household, household_id, household_ids_visible_to(user))


def get_constellation_or_404(user: User, constellation_id: int) -> Constellation:
    return get_or_404(Constellation, constellation_id, constellation_ids_visible_to(user))


# --- respite ---


def can_book_for(user: User, household: Household) -> bool:
    """Families book for themselves; hub carer, liaison, on-call staff and admins for them."""
    if household.organisation_id != user.organisation_id:
        return False
    if user.role == Role.FOSTER_CARER:
        return user.household_id == household.id
    return can_view_household(user, household)


def can_decide_booking(user: User, booking: Any) -> bool:
    """The hub carer of the hub home decides; administrators may stand in."""
    if user.role == Role.HUB_CARER:
        return user.household_id == booking.hub_household_id
    return user.role == Role.ADMIN and _same_org_household(user, booking.household_id)


def can_cancel_booking(user: User, booking: Any) -> bool:
    """The family itself, the hub carer, and administrators."""
    if user.household_id == booking.household_id:
        return True
    return can_decide_booking(user, booking)


def _same_org_household(user: User, household_id: int) -> bool:
    household = db.session.get(Household, household_id)
    return household is not None and household.organisation_id == user.organisation_id


def respite_booking_ids_visible_to(user: User) -> Select[Any]:
    """Bookings of the households a user may see, and of the hub home they run."""
    from hubhome.respite.models import RespiteBooking

    query = select(RespiteBooking.id).where(
        RespiteBooking.household_id.in_(household_ids_visible_to(user))
    )
    if user.role == Role.HUB_CARER and user.household_id is not None:
        query = select(RespiteBooking.id).where(
            or_(
                RespiteBooking.household_id.in_(household_ids_visible_to(user)),
                RespiteBooking.hub_household_id == user.household_id,
            )
        )
    return query


def get_booking_or_404(user: User, booking_id: int) -> Any:
    from hubhome.respite.models import RespiteBooking

    return get_or_404(RespiteBooking, booking_id, respite_booking_ids_visible_to(user))


# --- activities, contact visits and the advice log ---


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


def can_see_monthly_report(user: User, constellation: Constellation) -> bool:
    """The hub carer, the liaison and administrators file the hub's monthly report."""
    if user.role == Role.ADMIN:
        return constellation.organisation_id == user.organisation_id
    return user.role in (Role.HUB_CARER, Role.SOCIAL_WORKER) and can_view_constellation(
        user, constellation
    )


# --- rota and telephone support ---

ROTA_VIEWERS = (Role.ADMIN, Role.SOCIAL_WORKER, Role.HUB_CARER, Role.ONCALL_STAFF)


def rota_ids_visible_to(user: User) -> Select[Any]:
    """Rotas of the constellations a user may see, and the organisation's shared rotas.

    Families do not see rotas: the line itself reaches whoever is on call.
    """
    from hubhome.rota.models import Rota

    if user.role not in ROTA_VIEWERS:
        return _none()
    return select(Rota.id).where(
        Rota.organisation_id == user.organisation_id,
        or_(
            Rota.constellation_id.is_(None),
            Rota.constellation_id.in_(constellation_ids_visible_to(user)),
        ),
    )


def can_edit_rota(user: User, rota: Any) -> bool:
    """Administrators edit every rota of their organisation; hub carers their constellation's."""
    if rota.organisation_id != user.organisation_id:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.HUB_CARER and rota.constellation_id is not None:
        return _contains(constellation_ids_visible_to(user), rota.constellation_id)
    return False


def can_create_rota(user: User, constellation_id: int | None) -> bool:
    """Admins create any rota of their organisation; hub carers one for their constellation."""
    if user.role == Role.ADMIN:
        return constellation_id is None or _contains(
            constellation_ids_visible_to(user), constellation_id
        )
    return (
        user.role == Role.HUB_CARER
        and constellation_id is not None
        and _contains(constellation_ids_visible_to(user), constellation_id)
    )


def get_rota_or_404(user: User, rota_id: int) -> Any:
    from hubhome.rota.models import Rota

    return get_or_404(Rota, rota_id, rota_ids_visible_to(user))


def call_ids_visible_to(user: User) -> Select[Any]:
    """Calls to the constellations a user may see (on-call staff and admins: the whole
    organisation), and every call the user was rung for. Families see no call log."""
    from hubhome.phone.models import Call, CallLeg

    if user.role not in ROTA_VIEWERS:
        return _none()
    rung = select(CallLeg.call_id).where(CallLeg.user_id == user.id)
    if user.role == Role.ADMIN:
        # Calls to a number no constellation has belong to no organisation; administrators
        # see them so the misconfigured number gets fixed.
        scoped = select(Call.id).where(
            or_(Call.organisation_id == user.organisation_id, Call.organisation_id.is_(None))
        )
    elif user.role == Role.ONCALL_STAFF:
        scoped = select(Call.id).where(Call.organisation_id == user.organisation_id)
    else:
        scoped = select(Call.id).where(
            Call.constellation_id.in_(constellation_ids_visible_to(user))
        )
    return select(union(scoped, rung).subquery().c[0])


def get_call_or_404(user: User, call_id: int) -> Any:
    from hubhome.phone.models import Call

    return get_or_404(Call, call_id, call_ids_visible_to(user))


def follow_up_ids_visible_to(user: User) -> Select[Any]:
    """Follow-ups of the calls a user may see."""
    from hubhome.phone.models import FollowUp

    return select(FollowUp.id).where(FollowUp.call_id.in_(call_ids_visible_to(user)))


def get_follow_up_or_404(user: User, follow_up_id: int) -> Any:
    from hubhome.phone.models import FollowUp

    return get_or_404(FollowUp, follow_up_id, follow_up_ids_visible_to(user))


def call_context_access(user: User, call: Any) -> ChildAccess:
    """What a call shows about the caller's children: first name and age, nothing more,
    and only to people who may see the call."""
    if call.household_id is None or not _contains(call_ids_visible_to(user), call.id):
        return ChildAccess.NONE
    return ChildAccess.SUMMARY


# --- monitoring: caseload, decisions not carried out, outcomes ---


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
