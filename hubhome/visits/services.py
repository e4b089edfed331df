"""Contact visits and contact restrictions: planning, notes, decisions and their reviews.

Every read and write is audited as part of the child's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import Select, select

from hubhome.accounts.models import User
from hubhome.audit.services import Subject, record, record_many
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Household
from hubhome.network.services import current_constellation
from hubhome.permissions import (
    can_decide_restrictions,
    can_write_visits,
    visit_child_ids_visible_to,
)
from hubhome.timeutil import local_to_utc
from hubhome.visits.models import (
    ContactRestriction,
    ContactVisit,
    Supervisor,
    VisitStatus,
)

REVIEW_EVERY = relativedelta(months=3)
DUE_SOON = timedelta(days=14)  # a review shows as due two weeks before its date


@dataclass
class VisitPlan:
    child_id: int
    relatives: str
    place: str
    supervisor: Supervisor
    supervisor_name: str
    day: date
    start: time
    end: time


def _child_in_scope(session: DbSession, user: User, child_id: int) -> Child:
    child = session.get(Child, child_id)
    ids = visit_child_ids_visible_to(user).subquery()
    if child is None or session.scalar(select(ids.c[0]).where(ids.c[0] == child_id)) is None:
        raise ValidationFailed(_("Choose a child."), errors={"child_id": [_("Choose a child.")]})
    return child


def plan_visit(session: DbSession, actor: User, plan: VisitPlan) -> ContactVisit:
    """Plan a contact visit for a child the actor may see."""
    if not can_write_visits(actor):
        raise NotAllowed(_("You do not have permission to do that."))
    child = _child_in_scope(session, actor, plan.child_id)
    errors: dict[str, list[str]] = {}
    if not plan.relatives.strip():
        errors["relatives"] = [_("This field is required.")]
    if not plan.place.strip():
        errors["place"] = [_("This field is required.")]
    if plan.end <= plan.start:
        errors["end"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    placement = session.scalar(
        select(Placement).where(Placement.child_id == child.id, Placement.end_date.is_(None))
    )
    constellation = (
        current_constellation(session, session.get_one(Household, placement.household_id))
        if placement
        else None
    )
    visit = ContactVisit(
        organisation_id=child.organisation_id,
        child_id=child.id,
        constellation_id=constellation.id if constellation else None,
        relatives=plan.relatives.strip(),
        place=plan.place.strip(),
        supervisor=plan.supervisor,
        supervisor_name=plan.supervisor_name.strip() or None,
        starts_at=local_to_utc(plan.day, plan.start),
        ends_at=local_to_utc(plan.day, plan.end),
        created_by_id=actor.id,
    )
    session.add(visit)
    session.flush()
    record(session, actor, "contact_visit.create", visit, child_id=child.id)
    return visit


def record_outcome(
    session: DbSession, actor: User, visit: ContactVisit, *, held: bool, note: str
) -> ContactVisit:
    """Write how the visit went (or that it did not happen)."""
    if not can_write_visits(actor):
        raise NotAllowed(_("You do not have permission to do that."))
    if len(note) > 2000:
        message = _("At most 2000 characters.")
        raise ValidationFailed(message, errors={"note": [message]})
    visit.status = VisitStatus.HELD if held else VisitStatus.CANCELLED
    visit.note_after = note.strip() or None
    record(
        session,
        actor,
        "contact_visit.outcome",
        visit,
        child_id=visit.child_id,
        detail={"status": str(visit.status)},
    )
    return visit


def visible_visits(
    session: DbSession, user: User, *, child_id: int | None = None
) -> Sequence[ContactVisit]:
    query = (
        select(ContactVisit)
        .where(
            ContactVisit.child_id.in_(visit_child_ids_visible_to(user)),
            ContactVisit.organisation_id == user.organisation_id,
        )
        .order_by(ContactVisit.starts_at.desc())
    )
    if child_id is not None:
        query = query.where(ContactVisit.child_id == child_id)
    return session.scalars(query).all()


def visible_restrictions(session: DbSession, user: User) -> Sequence[ContactRestriction]:
    return session.scalars(
        select(ContactRestriction)
        .where(
            ContactRestriction.child_id.in_(visit_child_ids_visible_to(user)),
            ContactRestriction.organisation_id == user.organisation_id,
        )
        .order_by(ContactRestriction.ended_on.is_not(None), ContactRestriction.review_due)
    ).all()


def audit_reads(session: DbSession, user: User, child_ids: Iterable[int]) -> None:
    """Log that the user read the contact records of these children (one statement)."""
    subjects = [Subject(child_id=child_id) for child_id in sorted(set(child_ids))]
    record_many(session, user, "contact_visit.read", subjects)


def record_restriction(
    session: DbSession,
    actor: User,
    *,
    child_id: int,
    decided_on: date,
    relatives: str,
    decision: str,
) -> ContactRestriction:
    """Record a decision restricting contact; its review falls due three months on."""
    if not can_decide_restrictions(actor):
        raise NotAllowed(_("You do not have permission to do that."))
    child = _child_in_scope(session, actor, child_id)
    errors: dict[str, list[str]] = {}
    if not relatives.strip():
        errors["relatives"] = [_("This field is required.")]
    if not decision.strip():
        errors["decision"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    restriction = ContactRestriction(
        organisation_id=child.organisation_id,
        child_id=child.id,
        decided_on=decided_on,
        relatives=relatives.strip(),
        decision=decision.strip(),
        review_due=decided_on + REVIEW_EVERY,
        created_by_id=actor.id,
    )
    session.add(restriction)
    session.flush()
    record(session, actor, "contact_restriction.create", restriction, child_id=child.id)
    return restriction


def review_restriction(
    session: DbSession, actor: User, restriction: ContactRestriction, *, on: date, keep: bool
) -> ContactRestriction:
    """Record a review: kept (due again in three months) or lifted."""
    if not can_decide_restrictions(actor):
        raise NotAllowed(_("You do not have permission to do that."))
    if on < restriction.decided_on:
        message = _("The review cannot be before the decision.")
        raise ValidationFailed(message, errors={"reviewed_on": [message]})
    restriction.last_reviewed_on = on
    if keep:
        restriction.review_due = on + REVIEW_EVERY
    else:
        restriction.ended_on = on
    record(
        session,
        actor,
        "contact_restriction.review",
        restriction,
        child_id=restriction.child_id,
        detail={"kept": keep},
    )
    return restriction


@dataclass(frozen=True)
class DueReview:
    restriction: ContactRestriction
    overdue: bool


def restriction_reviews_due(
    session: DbSession, child_ids: Iterable[int] | Select[Any], today: date
) -> list[DueReview]:
    """Reviews of active restrictions due within two weeks or overdue, oldest first.

    `child_ids` is a list of ids or a SELECT of ids (e.g. a permission scope).
    """
    ids = child_ids if isinstance(child_ids, Select) else list(child_ids)
    rows = session.scalars(
        select(ContactRestriction)
        .where(
            ContactRestriction.child_id.in_(ids),
            ContactRestriction.ended_on.is_(None),
            ContactRestriction.review_due <= today + DUE_SOON,
        )
        .order_by(ContactRestriction.review_due, ContactRestriction.id)
    ).all()
    return [DueReview(r, r.review_due < today) for r in rows]


def writable_children(session: DbSession, user: User) -> Sequence[Child]:
    """The children whose visits the user may plan, by first name."""
    return session.scalars(
        select(Child)
        .where(Child.id.in_(visit_child_ids_visible_to(user)))
        .order_by(Child.first_name, Child.id)
    ).all()
