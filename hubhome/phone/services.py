"""What people do with calls: see a call's context, note it, handle its follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.audit.services import record
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession
from hubhome.errors import Conflict, ValidationFailed
from hubhome.permissions import (
    ChildAccess,
    call_context_access,
    call_ids_visible_to,
    follow_up_ids_visible_to,
)
from hubhome.phone.models import Call, CallLeg, FollowUp
from hubhome.timeutil import age_on, local_today, utcnow


@dataclass
class ChildSummary:
    first_name: str
    age: int


@dataclass
class CallContext:
    """What the person on call needs while the phone rings, and nothing more."""

    call: Call
    children: list[ChildSummary] = field(default_factory=list)
    open_follow_ups: list[FollowUp] = field(default_factory=list)
    earlier_notes: list[Call] = field(default_factory=list)
    latest_advice: list[Any] = field(default_factory=list)  # open follow-ups first


def context_for(session: DbSession, user: User, call: Call) -> CallContext:
    """Build a call's context within the policy, and audit that it was shown."""
    context = CallContext(call)
    if call_context_access(user, call) < ChildAccess.SUMMARY or call.household_id is None:
        return context
    today = local_today()
    children = session.scalars(
        select(Child)
        .join(Placement, Placement.child_id == Child.id)
        .where(Placement.household_id == call.household_id, Placement.end_date.is_(None))
        .order_by(Child.birth_date)
    ).all()
    context.children = [ChildSummary(c.first_name, age_on(c.birth_date, today)) for c in children]
    visible = follow_up_ids_visible_to(user)
    context.open_follow_ups = list(
        session.scalars(
            select(FollowUp)
            .join(Call, Call.id == FollowUp.call_id)
            .where(
                Call.household_id == call.household_id,
                FollowUp.handled_at.is_(None),
                FollowUp.id.in_(visible),
            )
            .order_by(FollowUp.created_at.desc())
        )
    )
    context.earlier_notes = list(
        session.scalars(
            select(Call)
            .where(
                Call.household_id == call.household_id,
                Call.id != call.id,
                Call.note.is_not(None),
                Call.id.in_(call_ids_visible_to(user)),
            )
            .order_by(Call.started_at.desc())
            .limit(3)
        )
    )
    context.latest_advice = _latest_advice(session, user, call.household_id)
    if not _viewed_lately(session, user, call):
        record(
            session,
            user,
            "phone.context_view",
            call,
            household_id=call.household_id,
            organisation_id=call.organisation_id,
            detail={"child_ids": [c.id for c in children]},
        )
    return context


def _latest_advice(session: DbSession, user: User, household_id: int) -> list[Any]:
    """The family's latest advice notes the user may read, open follow-ups first."""
    from sqlalchemy import case

    from hubhome.advice.models import AdviceContact
    from hubhome.permissions import advice_contact_ids_visible_to

    open_first = case(
        (
            AdviceContact.follow_up_on.is_not(None) & AdviceContact.follow_up_done_at.is_(None),
            0,
        ),
        else_=1,
    )
    return list(
        session.scalars(
            select(AdviceContact)
            .where(
                AdviceContact.household_id == household_id,
                AdviceContact.id.in_(advice_contact_ids_visible_to(user)),
            )
            .order_by(open_first, AdviceContact.created_at.desc(), AdviceContact.id.desc())
            .limit(5)
        )
    )


def _viewed_lately(session: DbSession, user: User, call: Call) -> bool:
    """The live page polls every few seconds: one audit event per person, call and quarter hour."""
    return (
        session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.actor_id == user.id,
                AuditEvent.action == "phone.context_view",
                AuditEvent.object_type == "calls",
                AuditEvent.object_id == call.id,
                AuditEvent.at >= utcnow() - timedelta(minutes=15),
            )
            .limit(1)
        )
        is not None
    )


CALLS_PER_PAGE = 50


def _with_what_the_log_shows() -> tuple[Any, ...]:
    """Load a call's line, family, taker, legs (with who was rung) and follow-up at once:
    the same number of queries for one call or a page of them."""
    return (
        joinedload(Call.constellation),
        joinedload(Call.household),
        joinedload(Call.accepted_by),
        joinedload(Call.follow_up),
        selectinload(Call.legs).joinedload(CallLeg.user),
    )


def call_log(
    session: DbSession,
    user: User,
    *,
    days: int = 30,
    page: int = 1,
    per_page: int = CALLS_PER_PAGE,
) -> Sequence[Call]:
    """One page of the calls a user may see from the last `days` days, newest first; one
    call more than `per_page` when an older page follows."""
    return (
        session.scalars(
            select(Call)
            .options(*_with_what_the_log_shows())
            .where(
                Call.id.in_(call_ids_visible_to(user)),
                Call.started_at >= utcnow() - timedelta(days=days),
            )
            .order_by(Call.started_at.desc(), Call.id.desc())
            .limit(per_page + 1)
            .offset((max(page, 1) - 1) * per_page)
        )
        .unique()
        .all()
    )


def follow_ups(session: DbSession, user: User, *, handled: bool) -> Sequence[FollowUp]:
    """Open follow-ups oldest first, or the last week's handled ones newest first."""
    query = (
        select(FollowUp)
        .options(
            joinedload(FollowUp.call).joinedload(Call.constellation),
            joinedload(FollowUp.call).joinedload(Call.household),
            joinedload(FollowUp.handled_by),
        )
        .where(FollowUp.id.in_(follow_up_ids_visible_to(user)))
    )
    if handled:
        query = query.where(
            FollowUp.handled_at.is_not(None), FollowUp.handled_at >= utcnow() - timedelta(days=7)
        ).order_by(FollowUp.handled_at.desc())
    else:
        query = query.where(FollowUp.handled_at.is_(None)).order_by(FollowUp.created_at)
    return session.scalars(query).all()


def mark_handled(session: DbSession, actor: User, follow_up: FollowUp, note: str) -> None:
    """Close a follow-up once; a second person marking it at the same time is told so."""
    result = session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.handled_at.is_(None))
        .values(handled_at=utcnow(), handled_by_id=actor.id, handled_note=note.strip() or None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Someone has already marked this as handled."))
    session.refresh(follow_up)
    record(
        session,
        actor,
        "phone.follow_up_handled",
        follow_up,
        household_id=follow_up.call.household_id,
    )


def save_note(session: DbSession, actor: User, call: Call, note: str) -> None:
    """Keep a short note on the call (until the advice log takes over)."""
    text = note.strip()
    if not text:
        message = _("Write a note.")
        raise ValidationFailed(message, errors={"note": [message]})
    call.note = text
    record(session, actor, "phone.call_note", call, household_id=call.household_id)
