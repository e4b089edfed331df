"""Logging advice contacts, follow-ups until done, and telling the social worker at once
about a placement concern."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from hubhome.accounts.models import Role, User
from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic, Urgency
from hubhome.audit.services import record
from hubhome.children.models import Placement
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.network.models import Constellation, Household
from hubhome.network.services import current_constellation
from hubhome.outbox.services import enqueue_sms
from hubhome.permissions import (
    advice_contact_ids_visible_to,
    can_log_advice,
    can_view_household,
    households_of_constellations,
)
from hubhome.timeutil import local_today, utcnow

SUMMARY_MAX = 500


@dataclass
class AdviceEntry:
    household_id: int
    asked_by: str
    channel: AdviceChannel
    topic: AdviceTopic
    urgency: Urgency
    summary: str
    follow_up_on: date | None = None
    call_id: int | None = None
    occurred_at: datetime | None = None  # when it happened; now when not given
    child_id: int | None = None  # the child placed in the family it concerned


def log_contact(session: DbSession, actor: User, entry: AdviceEntry) -> AdviceContact:
    """Log one advice contact; a placement concern goes to the responsible social workers."""
    if not can_log_advice(actor):
        raise NotAllowed(_("You do not have permission to do that."))
    household = session.get(Household, entry.household_id)
    errors: dict[str, list[str]] = {}
    if household is None or not can_view_household(actor, household):
        errors["household_id"] = [_("Choose a family.")]
    if not entry.asked_by.strip():
        errors["asked_by"] = [_("This field is required.")]
    if not entry.summary.strip():
        errors["summary"] = [_("This field is required.")]
    elif len(entry.summary) > SUMMARY_MAX:
        errors["summary"] = [_("At most %(max)s characters.", max=SUMMARY_MAX)]
    if entry.follow_up_on is not None and entry.follow_up_on < local_today():
        errors["follow_up_on"] = [_("The date has passed.")]
    if entry.occurred_at is not None and entry.occurred_at > utcnow() + timedelta(minutes=5):
        errors["occurred_on"] = [_("The contact cannot have happened in the future.")]
    if entry.child_id and not _placed_in(session, entry.child_id, entry.household_id):
        errors["child_id"] = [_("Choose a child placed in the family.")]
    if entry.call_id is not None and not _call_visible(session, actor, entry.call_id):
        errors["call_id"] = [_("The call could not be found.")]
    if errors or household is None:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    constellation = current_constellation(session, household)
    contact = AdviceContact(
        organisation_id=household.organisation_id,
        household_id=household.id,
        constellation_id=constellation.id if constellation else None,
        logged_by_id=actor.id,
        asked_by=entry.asked_by.strip(),
        channel=entry.channel,
        topic=entry.topic,
        urgency=entry.urgency,
        summary=entry.summary.strip(),
        follow_up_on=entry.follow_up_on,
        call_id=entry.call_id,
        occurred_at=entry.occurred_at or utcnow(),
        child_id=entry.child_id or None,
    )
    session.add(contact)
    session.flush()
    record(
        session,
        actor,
        "advice.create",
        contact,
        household_id=household.id,
        child_id=contact.child_id,
    )
    if entry.topic == AdviceTopic.PLACEMENT_CONCERN:
        notify_placement_concern(session, contact, household)
    return contact


def _placed_in(session: DbSession, child_id: int, household_id: int) -> bool:
    return (
        session.scalar(
            select(Placement.id).where(
                Placement.child_id == child_id,
                Placement.household_id == household_id,
                Placement.end_date.is_(None),
            )
        )
        is not None
    )


def children_of_households(session: DbSession, household_ids: list[int]) -> list[Placement]:
    """The current placements in these households, for choosing which child advice concerned."""
    return list(
        session.scalars(
            select(Placement)
            .where(Placement.household_id.in_(household_ids), Placement.end_date.is_(None))
            .options(selectinload(Placement.child))
        )
    )


def _call_visible(session: DbSession, actor: User, call_id: int) -> bool:
    from hubhome.permissions import call_ids_visible_to
    from hubhome.phone.models import Call

    return (
        session.scalar(
            select(Call.id).where(Call.id == call_id, Call.id.in_(call_ids_visible_to(actor)))
        )
        is not None
    )


def responsible_social_workers(session: DbSession, household_id: int) -> list[User]:
    """The social workers responsible for the children placed in a household now."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(Placement.social_worker_id).where(
                        Placement.household_id == household_id, Placement.end_date.is_(None)
                    )
                ),
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def notify_placement_concern(
    session: DbSession, contact: AdviceContact, household: Household
) -> int:
    sent = 0
    for worker in responsible_social_workers(session, household.id):
        message = enqueue_sms(
            session,
            worker,
            "advice.placement_concern",
            lambda: _(
                "Placement concern about %(family)s logged in Hubhome. Sign in to read it.",
                family=household.name,
            ),
            dedupe_key=f"advice:{contact.id}:concern:{worker.id}",
        )
        sent += message is not None
    return sent


def visible_contacts(
    session: DbSession, user: User, *, household_id: int | None = None, limit: int = 200
) -> Sequence[AdviceContact]:
    query = (
        select(AdviceContact)
        .where(AdviceContact.id.in_(advice_contact_ids_visible_to(user)))
        .options(selectinload(AdviceContact.household), selectinload(AdviceContact.logged_by))
        .order_by(AdviceContact.created_at.desc(), AdviceContact.id.desc())
        .limit(limit)
    )
    if household_id is not None:
        query = query.where(AdviceContact.household_id == household_id)
    return session.scalars(query).all()


def open_follow_ups(session: DbSession, user: User) -> Sequence[AdviceContact]:
    """Follow-ups not yet done on the user's list: those they logged, and as liaison those
    of their constellations' families."""
    a = AdviceContact
    mine = a.logged_by_id == user.id
    condition = mine
    if user.role == Role.SOCIAL_WORKER:
        liaison_of = select(Constellation.id).where(Constellation.liaison_id == user.id)
        condition = or_(mine, a.household_id.in_(households_of_constellations(liaison_of)))
    return session.scalars(
        select(a)
        .where(
            a.id.in_(advice_contact_ids_visible_to(user)),
            a.follow_up_on.is_not(None),
            a.follow_up_done_at.is_(None),
            condition,
        )
        .options(selectinload(a.household))
        .order_by(a.follow_up_on, a.id)
    ).all()


def mark_done(session: DbSession, actor: User, contact: AdviceContact) -> AdviceContact:
    """Close a follow-up (the logger, the liaison, the hub carer or the social worker)."""
    if actor.role == Role.FOSTER_CARER:
        raise NotAllowed(_("You do not have permission to do that."))
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = utcnow()
        contact.follow_up_done_by_id = actor.id
        record(session, actor, "advice.follow_up_done", contact, household_id=contact.household_id)
    return contact
