"""Planning events: create (one or a series), change, cancel, and record attendance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.activities import notify
from hubhome.activities.models import (
    Activity,
    ActivityAnswer,
    ActivityInvitee,
    ActivityKind,
    ActivitySeries,
    ActivityStatus,
    AnswerStatus,
)
from hubhome.activities.recurrence import MAX_OCCURRENCES, Repeat, occurrences, rule_text
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Constellation
from hubhome.permissions import can_plan_activities, households_of_constellations
from hubhome.timeutil import local_today, utcnow


@dataclass
class ActivityPlan:
    constellation_id: int
    kind: ActivityKind
    title: str
    day: date
    start: time
    end: time
    place: str = ""
    description: str = ""
    capacity: int | None = None
    household_ids: list[int] = field(default_factory=list)  # empty: the whole constellation
    repeat: Repeat = Repeat.NONE
    count: int = 1


def constellation_household_ids(session: DbSession, constellation_id: int) -> list[int]:
    """The hub home and the current satellites."""
    ids = households_of_constellations(
        select(Constellation.id).where(Constellation.id == constellation_id)
    )
    return sorted(session.scalars(ids))


def invited_household_ids(session: DbSession, activity: Activity) -> list[int]:
    if activity.invite_all:
        return constellation_household_ids(session, activity.constellation_id)
    return sorted(i.household_id for i in activity.invitees)


def _check(session: DbSession, actor: User, plan: ActivityPlan) -> Constellation:
    constellation = session.get(Constellation, plan.constellation_id)
    if constellation is None or not can_plan_activities(actor, constellation):
        raise NotAllowed(_("You do not have permission to do that."))
    errors: dict[str, list[str]] = {}
    if not plan.title.strip():
        errors["title"] = [_("This field is required.")]
    if plan.end <= plan.start:
        errors["end"] = [_("The end must be after the start.")]
    if plan.day < local_today():
        errors["day"] = [_("The date has passed.")]
    if plan.capacity is not None and plan.capacity < 1:
        errors["capacity"] = [_("At least 1, or empty for no limit.")]
    if plan.repeat != Repeat.NONE and not 2 <= plan.count <= MAX_OCCURRENCES:
        errors["count"] = [_("Between 2 and %(max)s times.", max=MAX_OCCURRENCES)]
    members = set(constellation_household_ids(session, constellation.id))
    if any(h not in members for h in plan.household_ids):
        errors["household_ids"] = [_("Invite only families of the constellation.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    return constellation


def create_activities(session: DbSession, actor: User, plan: ActivityPlan) -> list[Activity]:
    """Create an event, or every occurrence of a recurring one, and invite the families."""
    constellation = _check(session, actor, plan)
    series = None
    if plan.repeat != Repeat.NONE:
        series = ActivitySeries(
            constellation_id=constellation.id,
            rule=rule_text(plan.day, plan.start, plan.repeat, plan.count),
            created_by_id=actor.id,
        )
        session.add(series)
        session.flush()
    created = []
    for slot in occurrences(plan.day, plan.start, plan.end, plan.repeat, plan.count):
        activity = Activity(
            constellation_id=constellation.id,
            series_id=series.id if series else None,
            kind=plan.kind,
            title=plan.title.strip(),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            place=plan.place.strip() or None,
            description=plan.description.strip() or None,
            capacity=plan.capacity,
            invite_all=not plan.household_ids,
            created_by_id=actor.id,
        )
        activity.invitees = [ActivityInvitee(household_id=h) for h in plan.household_ids]
        session.add(activity)
        created.append(activity)
    session.flush()
    for activity in created:
        record(
            session,
            actor,
            "activity.create",
            activity,
            organisation_id=constellation.organisation_id,
        )
    notify.invited(
        session, created[0], invited_household_ids(session, created[0]), actor, count=len(created)
    )
    return created


def change_activity(
    session: DbSession,
    actor: User,
    activity: Activity,
    *,
    title: str,
    day: date,
    start: time,
    end: time,
    place: str,
    description: str,
    capacity: int | None,
) -> Activity:
    """Change one event; families are told when its time or place changed."""
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled."))
    plan = ActivityPlan(
        constellation_id=activity.constellation_id,
        kind=activity.kind,
        title=title,
        day=day,
        start=start,
        end=end,
        capacity=capacity,
    )
    _check(session, actor, plan)
    slot = occurrences(day, start, end, Repeat.NONE, 1)[0]
    moved = (
        slot.starts_at != activity.starts_at
        or slot.ends_at != activity.ends_at
        or (place.strip() or None) != activity.place
    )
    activity.title = title.strip()
    activity.starts_at, activity.ends_at = slot.starts_at, slot.ends_at
    activity.place = place.strip() or None
    activity.description = description.strip() or None
    activity.capacity = capacity
    activity.updated_at = utcnow()
    session.flush()
    from hubhome.activities.answers import promote_waiting  # answers builds on planning

    promote_waiting(session, activity)  # more places may have room for waiting families
    if moved:
        activity.version += 1
        notify.changed(session, activity, invited_household_ids(session, activity), actor)
    record(session, actor, "activity.change", activity, detail={"moved": moved})
    return activity


def cancel_activity(session: DbSession, actor: User, activity: Activity) -> Activity:
    """Cancel an event and tell those who answered yes."""
    if not can_plan_activities(actor, activity.constellation):
        raise NotAllowed(_("You do not have permission to do that."))
    if activity.status != ActivityStatus.CANCELLED:
        activity.status = ActivityStatus.CANCELLED
        activity.updated_at = utcnow()
        notify.cancelled(session, activity, actor)
        record(session, actor, "activity.cancel", activity)
    return activity


def cancel_following(session: DbSession, actor: User, activity: Activity) -> list[Activity]:
    """Cancel this occurrence of a series and every later one still planned."""
    if activity.series_id is None:
        return [cancel_activity(session, actor, activity)]
    later = session.scalars(
        select(Activity)
        .where(
            Activity.series_id == activity.series_id,
            Activity.starts_at >= activity.starts_at,
            Activity.status == ActivityStatus.PLANNED,
        )
        .order_by(Activity.starts_at)
    ).all()
    return [cancel_activity(session, actor, item) for item in later]


def record_attendance(
    session: DbSession, actor: User, activity: Activity, attended_household_ids: Sequence[int]
) -> None:
    """Mark who came; a family that came without answering gets an answer row."""
    if not can_plan_activities(actor, activity.constellation):
        raise NotAllowed(_("You do not have permission to do that."))
    if activity.starts_at > utcnow():
        raise ValidationFailed(_("Attendance can be recorded once the event has started."))
    invited = set(invited_household_ids(session, activity))
    wanted = set(attended_household_ids)
    if not wanted <= invited:
        raise ValidationFailed(_("Invite only families of the constellation."))
    answers = {a.household_id: a for a in activity.answers}
    for household_id in sorted(invited):
        answer = answers.get(household_id)
        if answer is None:
            if household_id not in wanted:
                continue
            answer = ActivityAnswer(
                activity_id=activity.id,
                household_id=household_id,
                status=AnswerStatus.NOT_COMING,
                adults=0,
                children=0,
                answered_by_id=actor.id,
            )
            session.add(answer)
        answer.attended = household_id in wanted
        answer.attendance_by_id = actor.id
    record(session, actor, "activity.attendance", activity, detail={"attended": len(wanted)})
