"""Planned follow-up visits: the social worker books the next visit to a placed child; it
shows in the family's and the worker's calendars, is reminded the day before, and becomes the
recorded visit when done. Every read and write is audited as part of the child's record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import Subject, record, record_many
from hubhome.caseload.services import current_placement, record_visit
from hubhome.children.models import Child
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.permissions import can_plan_follow_up, planned_visit_ids_visible_to
from hubhome.timeutil import local_to_utc, utcnow
from hubhome.visits.models import PlannedFollowUpVisit, PlannedVisitStatus


@dataclass
class FollowUpPlan:
    day: date | None
    start: time | None
    end: time | None
    place: str
    talk_alone: bool


def _require_planner(actor: User, child: Child) -> None:
    if not can_plan_follow_up(actor, child):
        raise NotAllowed(_("You do not have permission to do that."))


def plan_follow_up(
    session: DbSession, actor: User, child: Child, plan: FollowUpPlan
) -> PlannedFollowUpVisit:
    """Book the next follow-up visit to a placed child (the actor is the visiting worker)."""
    _require_planner(actor, child)
    placement = current_placement(session, child)
    errors: dict[str, list[str]] = {}
    if plan.day is None:
        errors["day"] = [_("This field is required.")]
    if plan.start is None:
        errors["start"] = [_("This field is required.")]
    if plan.end is None:
        errors["end"] = [_("This field is required.")]
    elif plan.start is not None and plan.end <= plan.start:
        errors["end"] = [_("The end must be after the start.")]
    if not plan.place.strip():
        errors["place"] = [_("This field is required.")]
    elif len(plan.place.strip()) > 200:
        errors["place"] = [_("At most 200 characters.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    assert plan.day is not None and plan.start is not None and plan.end is not None  # noqa: S101
    starts_at = local_to_utc(plan.day, plan.start)
    if starts_at <= utcnow():
        message = _("Plan the visit for a time that has not passed yet.")
        raise ValidationFailed(message, errors={"day": [message]})
    visit = PlannedFollowUpVisit(
        organisation_id=child.organisation_id,
        child_id=child.id,
        placement_id=placement.id,
        social_worker_id=actor.id,
        starts_at=starts_at,
        ends_at=local_to_utc(plan.day, plan.end),
        place=plan.place.strip(),
        talk_alone=plan.talk_alone,
        created_by_id=actor.id,
    )
    session.add(visit)
    session.flush()
    record(
        session,
        actor,
        "follow_up_plan.create",
        visit,
        child_id=child.id,
        household_id=placement.household_id,
    )
    return visit


def _still_planned(visit: PlannedFollowUpVisit) -> None:
    if visit.status != PlannedVisitStatus.PLANNED:
        raise Conflict(_("This visit is no longer planned: it was done or cancelled."))


def cancel_follow_up(session: DbSession, actor: User, visit: PlannedFollowUpVisit) -> None:
    """Cancel a planned visit (it leaves the calendars; no reminder is sent)."""
    _require_planner(actor, visit.child)
    _still_planned(visit)
    visit.status = PlannedVisitStatus.CANCELLED
    record(session, actor, "follow_up_plan.cancel", visit, child_id=visit.child_id)


def record_planned(
    session: DbSession,
    actor: User,
    visit: PlannedFollowUpVisit,
    *,
    visit_date: date | None,
    private_talk: bool,
    note: str,
    today: date,
) -> PlannedFollowUpVisit:
    """Record the planned visit as done: the caseload's visit is written and the plan closed."""
    _require_planner(actor, visit.child)
    _still_planned(visit)
    recorded = record_visit(
        session,
        actor,
        visit.child,
        visit_date=visit_date,
        private_talk=private_talk,
        note=note,
        today=today,
    )
    visit.status = PlannedVisitStatus.DONE
    visit.follow_up_visit_id = recorded.id
    record(session, actor, "follow_up_plan.done", visit, child_id=visit.child_id)
    return visit


def visible_plans(
    session: DbSession, user: User, *, upcoming_only: bool = True
) -> Sequence[PlannedFollowUpVisit]:
    """Planned visits the user may see, soonest first."""
    query = select(PlannedFollowUpVisit).where(
        PlannedFollowUpVisit.id.in_(planned_visit_ids_visible_to(user))
    )
    if upcoming_only:
        query = query.where(PlannedFollowUpVisit.status == PlannedVisitStatus.PLANNED)
    return session.scalars(query.order_by(PlannedFollowUpVisit.starts_at)).all()


def audit_reads(session: DbSession, user: User, plans: Sequence[PlannedFollowUpVisit]) -> None:
    """Log that the user read these planned visits (one statement)."""
    record_many(
        session,
        user,
        "follow_up_plan.read",
        [Subject("planned_follow_up_visits", p.id, child_id=p.child_id) for p in plans],
    )
