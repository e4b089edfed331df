"""Recording follow-up visits and placement reviews; each one moves the next due date."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.services import record
from hubhome.caseload.models import FollowUpVisit, MonitoringSettings, PlacementReview
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.errors import ValidationFailed


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def current_placement(session: DbSession, child: Child) -> Placement:
    placement = session.scalar(
        select(Placement).where(Placement.child_id == child.id, Placement.end_date.is_(None))
    )
    if placement is None:
        raise ValidationFailed(_("The child has no current placement."))
    return placement


def _check_day(placement: Placement, day: date | None, today: date, field: str) -> date:
    if day is None:
        raise _fail(field, _("This field is required."))
    if day > today:
        raise _fail(field, _("The date cannot be in the future."))
    if day < placement.start_date:
        raise _fail(field, _("The date is before the placement started."))
    return day


def record_visit(
    session: DbSession,
    actor: User,
    child: Child,
    *,
    visit_date: date | None,
    private_talk: bool,
    note: str,
    today: date,
) -> FollowUpVisit:
    """Record a follow-up visit to a placed child (whether they talked with the child alone)."""
    placement = current_placement(session, child)
    day = _check_day(placement, visit_date, today, "visit_date")
    visit = FollowUpVisit(
        organisation_id=child.organisation_id,
        child_id=child.id,
        placement_id=placement.id,
        visit_date=day,
        private_talk=private_talk,
        note=note.strip() or None,
        recorded_by_id=actor.id,
    )
    session.add(visit)
    session.flush()
    record(
        session,
        actor,
        "caseload.visit_recorded",
        visit,
        child_id=child.id,
        household_id=placement.household_id,
        detail={"private_talk": private_talk},
    )
    return visit


def record_review(
    session: DbSession,
    actor: User,
    child: Child,
    *,
    review_date: date | None,
    outcome: str,
    today: date,
) -> PlacementReview:
    """Record a placement review and its outcome."""
    placement = current_placement(session, child)
    day = _check_day(placement, review_date, today, "review_date")
    if not outcome.strip():
        raise _fail("outcome", _("This field is required."))
    review = PlacementReview(
        organisation_id=child.organisation_id,
        child_id=child.id,
        placement_id=placement.id,
        review_date=day,
        outcome=outcome.strip()[:500],
        recorded_by_id=actor.id,
    )
    session.add(review)
    session.flush()
    record(
        session,
        actor,
        "caseload.review_recorded",
        review,
        child_id=child.id,
        household_id=placement.household_id,
    )
    return review


def set_visits_per_year(
    session: DbSession, actor: User, organisation_id: int, per_year: int
) -> MonitoringSettings:
    """Set the organisation's target of follow-up visits per child and year."""
    if not 1 <= per_year <= 52:
        raise _fail("visits_per_year", _("Between 1 and 52."))
    settings = session.get(MonitoringSettings, organisation_id)
    if settings is None:
        settings = MonitoringSettings(organisation_id=organisation_id)
        session.add(settings)
    settings.visits_per_year = per_year
    session.flush()
    record(
        session,
        actor,
        "caseload.settings_changed",
        organisation_id=organisation_id,
        detail={"visits_per_year": per_year},
    )
    return settings
