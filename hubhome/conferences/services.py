"""Family group conferences: set up about a child, meetings, the child's network invited by
SMS, and the resulting plan. Every read and write is audited as part of the child's record;
the network's names and numbers never go into logs or audit details."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.audit.services import Subject, record, record_many
from hubhome.caseload.services import current_placement
from hubhome.children.models import Child
from hubhome.conferences.models import ConferenceMeeting, ConferenceMember, FamilyConference
from hubhome.db import DbSession
from hubhome.errors import Conflict, NotAllowed, ValidationFailed
from hubhome.outbox.services import enqueue_sms_to_number
from hubhome.permissions import (
    can_edit_conference,
    can_plan_follow_up,
    conference_ids_visible_to,
)
from hubhome.phones import InvalidPhone, normalize_phone
from hubhome.timeutil import local_to_utc, utcnow

INVITATION = "conferences.invitation"
COORDINATOR_ROLES = (Role.SOCIAL_WORKER, Role.ADMIN)


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _required(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise _fail(field, _("This field is required."))
    if len(value) > limit:
        raise _fail(field, _("At most %(num)s characters.", num=limit))
    return value


def coordinators(session: DbSession, organisation_id: int) -> Sequence[User]:
    """The accounts that may coordinate a conference: social workers and administrators."""
    return session.scalars(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.role.in_(COORDINATOR_ROLES),
            User.active.is_(True),
        )
        .order_by(User.name, User.id)
    ).all()


@dataclass
class MeetingTime:
    day: date | None
    start: time | None
    end: time | None
    place: str


def _editable(actor: User, conference: FamilyConference) -> None:
    if not can_edit_conference(actor, conference):
        raise NotAllowed(_("You do not have permission to do that."))


def create_conference(
    session: DbSession, actor: User, child: Child, coordinator_id: int, first: MeetingTime
) -> FamilyConference:
    """Set up a conference about a placed child, with its family and first meeting."""
    if not can_plan_follow_up(actor, child):
        raise NotAllowed(_("You do not have permission to do that."))
    coordinator = session.get(User, coordinator_id)
    if coordinator is None or coordinator not in coordinators(session, child.organisation_id):
        raise _fail("coordinator_id", _("Choose a coordinator."))
    placement = current_placement(session, child)
    conference = FamilyConference(
        organisation_id=child.organisation_id,
        child_id=child.id,
        household_id=placement.household_id,
        coordinator_id=coordinator.id,
        created_by_id=actor.id,
    )
    session.add(conference)
    session.flush()
    record(
        session,
        actor,
        "conference.create",
        conference,
        child_id=child.id,
        household_id=placement.household_id,
    )
    _add_meeting(session, actor, conference, first)
    return conference


def _add_meeting(
    session: DbSession, actor: User, conference: FamilyConference, when: MeetingTime
) -> ConferenceMeeting:
    errors: dict[str, list[str]] = {}
    for name in ("day", "start", "end"):
        if getattr(when, name) is None:
            errors[name] = [_("This field is required.")]
    if when.start and when.end and when.end <= when.start:
        errors["end"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    assert when.day and when.start and when.end  # noqa: S101 (checked above)
    place = _required("place", when.place, 200)
    starts_at = local_to_utc(when.day, when.start)
    if starts_at <= utcnow():
        raise _fail("day", _("Plan the meeting for a time that has not passed yet."))
    meeting = ConferenceMeeting(
        conference_id=conference.id,
        starts_at=starts_at,
        ends_at=local_to_utc(when.day, when.end),
        place=place,
    )
    session.add(meeting)
    session.flush()
    record(session, actor, "conference.meeting_added", conference, child_id=conference.child_id)
    return meeting


def add_meeting(
    session: DbSession, actor: User, conference: FamilyConference, when: MeetingTime
) -> ConferenceMeeting:
    """Add a meeting (a conference often meets more than once)."""
    _editable(actor, conference)
    return _add_meeting(session, actor, conference, when)


def add_member(
    session: DbSession,
    actor: User,
    conference: FamilyConference,
    *,
    name: str,
    relation: str,
    phone: str,
) -> ConferenceMember:
    """Add a person from the child's network (outside Hubhome), with or without a phone."""
    _editable(actor, conference)
    clean_name = _required("name", name, 120)
    clean_relation = _required("relation", relation, 80)
    number = None
    if phone.strip():
        try:
            number = normalize_phone(phone)
        except InvalidPhone as exc:
            raise _fail("phone", str(exc)) from None
    member = ConferenceMember(
        conference_id=conference.id, name=clean_name, relation=clean_relation, phone=number
    )
    session.add(member)
    session.flush()
    record(
        session,
        actor,
        "conference.member_added",
        conference,
        child_id=conference.child_id,
        detail={"member_id": member.id, "with_phone": number is not None},
    )
    return member


def remove_member(
    session: DbSession, actor: User, conference: FamilyConference, member_id: int
) -> None:
    """Take a person off the conference's network."""
    _editable(actor, conference)
    member = next((m for m in conference.members if m.id == member_id), None)
    if member is None:
        raise Conflict(_("That person is no longer on the list."))
    session.delete(member)
    record(
        session,
        actor,
        "conference.member_removed",
        conference,
        child_id=conference.child_id,
        detail={"member_id": member_id},
    )


def next_meeting(conference: FamilyConference) -> ConferenceMeeting | None:
    now = utcnow()
    return next((m for m in conference.meetings if m.starts_at > now), None)


def send_invitations(session: DbSession, actor: User, conference: FamilyConference) -> int:
    """Text an invitation to the next meeting to each network member with a phone number.

    Idempotent: one message per member and meeting (dedupe key); returns how many are new.
    """
    _editable(actor, conference)
    meeting = next_meeting(conference)
    if meeting is None:
        raise Conflict(_("Add a meeting first: there is no meeting ahead to invite to."))
    with force_locale("sv"):  # people outside Hubhome have no language setting
        body = _(
            "Welcome to a family group conference about %(child)s on %(when)s at %(place)s. "
            "Questions: %(coordinator)s, social services.",
            child=conference.child.first_name,
            when=format_datetime(meeting.starts_at, "EEEE d MMMM HH:mm"),
            place=meeting.place,
            coordinator=conference.coordinator.name,
        )
    new = 0
    for member in conference.members:
        if not member.phone:
            continue
        queued = enqueue_sms_to_number(
            session,
            conference.organisation_id,
            member.phone,
            INVITATION,
            body,
            dedupe_key=f"conference:{conference.id}:meeting:{meeting.id}:member:{member.id}",
        )
        new += queued.new
    record(
        session,
        actor,
        "conference.invitations_sent",
        conference,
        child_id=conference.child_id,
        detail={"meeting_id": meeting.id, "new": new},
    )
    return new


def record_plan(
    session: DbSession,
    actor: User,
    conference: FamilyConference,
    *,
    plan: str,
    follow_up_on: date | None,
    today: date,
) -> FamilyConference:
    """Write the plan the family and network agreed on, and when it is followed up."""
    _editable(actor, conference)
    text = _required("plan", plan, 4000)
    if follow_up_on is None:
        raise _fail("follow_up_on", _("This field is required."))
    if follow_up_on <= today:
        raise _fail("follow_up_on", _("The follow-up must be after today."))
    conference.plan = text
    conference.plan_follow_up_on = follow_up_on
    record(session, actor, "conference.plan_recorded", conference, child_id=conference.child_id)
    return conference


def visible_conferences(session: DbSession, user: User) -> Sequence[FamilyConference]:
    return session.scalars(
        select(FamilyConference)
        .where(FamilyConference.id.in_(conference_ids_visible_to(user)))
        .order_by(FamilyConference.created_at.desc(), FamilyConference.id.desc())
    ).all()


def audit_reads(session: DbSession, user: User, conferences: Sequence[FamilyConference]) -> None:
    record_many(
        session,
        user,
        "conference.read",
        [Subject("family_conferences", c.id, child_id=c.child_id) for c in conferences],
    )
