"""Families' answers against an event's capacity: a full event offers a waiting place.

The event's row is locked (`FOR UPDATE` on PostgreSQL; SQLite's immediate write transaction)
before the places are counted, so two families can never both take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.activities import notify
from hubhome.activities.models import Activity, ActivityAnswer, ActivityStatus, AnswerStatus
from hubhome.activities.planning import invited_household_ids
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.permissions import can_plan_activities
from hubhome.timeutil import utcnow

MAX_PEOPLE = 20


@dataclass
class Answer:
    household_id: int
    attending: bool
    adults: int = 0
    children: int = 0
    needs: str = ""
    accept_waiting: bool = False


def taken_places(activity: Activity, *, except_household: int | None = None) -> int:
    return sum(
        a.people
        for a in activity.answers
        if a.status == AnswerStatus.COMING and a.household_id != except_household
    )


def free_places(activity: Activity) -> int | None:
    if activity.capacity is None:
        return None
    return max(activity.capacity - taken_places(activity), 0)


def can_answer_for(user: User, activity: Activity, household_id: int) -> bool:
    if user.role == Role.FOSTER_CARER or (
        user.role == Role.HUB_CARER and user.household_id == household_id
    ):
        return user.household_id == household_id
    return can_plan_activities(user, activity.constellation)


def _lock(session: DbSession, activity_id: int) -> Activity:
    return session.execute(
        select(Activity)
        .where(Activity.id == activity_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def answer(session: DbSession, user: User, activity: Activity, given: Answer) -> ActivityAnswer:
    """Save a household's answer; raise Conflict when the event is full and no waiting place
    was accepted."""
    if not can_answer_for(user, activity, given.household_id):
        raise NotAllowed(_("You do not have permission to do that."))
    if given.household_id not in invited_household_ids(session, activity):
        raise NotAllowed(_("The family is not invited to this event."))
    errors: dict[str, list[str]] = {}
    for name, value in (("adults", given.adults), ("children", given.children)):
        if not 0 <= value <= MAX_PEOPLE:
            errors[name] = [_("Between 0 and %(max)s.", max=MAX_PEOPLE)]
    if given.attending and not errors and given.adults + given.children < 1:
        errors["adults"] = [_("Say how many are coming.")]
    if len(given.needs) > 500:
        errors["needs"] = [_("At most 500 characters.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    activity = _lock(session, activity.id)
    session.refresh(activity, ["answers"])
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled."))
    if activity.starts_at <= utcnow():
        raise ValidationFailed(_("The event has already started."))
    existing = next((a for a in activity.answers if a.household_id == given.household_id), None)
    was_coming = existing is not None and existing.status == AnswerStatus.COMING
    status = AnswerStatus.COMING if given.attending else AnswerStatus.NOT_COMING
    people = given.adults + given.children if given.attending else 0
    if given.attending and activity.capacity is not None:
        free = activity.capacity - taken_places(activity, except_household=given.household_id)
        if people > free:
            if not given.accept_waiting:
                raise Conflict(
                    _("The event is full: %(free)s places left.", free=max(free, 0)),
                    free=max(free, 0),
                )
            status = AnswerStatus.WAITING
    if existing is None:
        existing = ActivityAnswer(activity_id=activity.id, household_id=given.household_id)
        session.add(existing)
        activity.answers.append(existing)
    existing.status = status
    existing.adults = given.adults if given.attending else 0
    existing.children = given.children if given.attending else 0
    existing.needs = given.needs.strip() or None
    existing.answered_by_id = user.id
    existing.answered_at = utcnow()
    session.flush()
    record(
        session,
        user,
        "activity.answer",
        activity,
        household_id=given.household_id,
        detail={"status": str(status)},
    )
    if was_coming and status != AnswerStatus.COMING:
        promote_waiting(session, activity)
    return existing


def promote_waiting(session: DbSession, activity: Activity) -> list[ActivityAnswer]:
    """Give freed places to waiting families, first come first served, while they fit."""
    promoted = []
    for waiting in sorted(activity.answers, key=lambda a: (a.answered_at, a.id)):
        if waiting.status != AnswerStatus.WAITING:
            continue
        free = free_places(activity)
        if free is not None and waiting.people > free:
            continue
        waiting.status = AnswerStatus.COMING
        promoted.append(waiting)
        notify.promoted(session, waiting)
    session.flush()
    return promoted
