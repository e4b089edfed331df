"""What people do with calls: see a call's context, note it, handle its follow-up."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.audit.services import Subject, record, record_many
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
    return contexts_for(session, user, [call])[0]


def contexts_for(session: DbSession, user: User, calls: Sequence[Call]) -> list[CallContext]:
    """Build each call's context within the policy, auditing what was shown: the same
    queries for one call or forty ringing at once (the live page polls every 5 s)."""
    contexts = [CallContext(call) for call in calls]
    with_family = [c for c in calls if c.household_id is not None]
    if not with_family:
        return contexts
    shown_ids = set(
        session.scalars(
            select(Call.id).where(
                Call.id.in_([c.id for c in with_family]), Call.id.in_(call_ids_visible_to(user))
            )
        )
    )
    summary = ChildAccess.SUMMARY
    shown = [c for c in with_family if call_context_access(user, c, shown_ids) >= summary]
    households = {c.household_id for c in shown if c.household_id is not None}
    if not households:
        return contexts
    today = local_today()
    children: dict[int | None, list[Child]] = defaultdict(list)
    for household_id, child in session.execute(
        select(Placement.household_id, Child)
        .join(Placement, Placement.child_id == Child.id)
        .where(Placement.household_id.in_(households), Placement.end_date.is_(None))
        .order_by(Child.birth_date, Child.id)
    ):
        children[household_id].append(child)
    open_follow_ups: dict[int | None, list[FollowUp]] = defaultdict(list)
    for caller_household, follow_up in session.execute(
        select(Call.household_id, FollowUp)
        .join(Call, Call.id == FollowUp.call_id)
        .where(
            Call.household_id.in_(households),
            FollowUp.handled_at.is_(None),
            FollowUp.id.in_(follow_up_ids_visible_to(user)),
        )
        .order_by(FollowUp.created_at.desc())
    ):
        open_follow_ups[caller_household].append(follow_up)
    calls_of = Counter(c.household_id for c in shown)
    notes = _earlier_notes(session, user, households, 3 + max(calls_of.values()))
    advice = _latest_advice(session, user, households)
    viewed = _viewed_lately(session, user, [c.id for c in shown])
    unseen: list[Subject] = []
    for context in contexts:
        call = context.call
        if call not in shown or call.household_id is None:
            continue
        mine = children[call.household_id]
        context.children = [ChildSummary(c.first_name, age_on(c.birth_date, today)) for c in mine]
        context.open_follow_ups = open_follow_ups[call.household_id]
        context.earlier_notes = [n for n in notes[call.household_id] if n.id != call.id][:3]
        context.latest_advice = advice[call.household_id]
        if call.id not in viewed:
            detail: dict[str, object] = {"child_ids": [c.id for c in mine]}
            unseen.append(Subject("calls", call.id, None, call.household_id, detail))
    record_many(session, user, "phone.context_view", unseen)
    return contexts


def _ranked(partition: Any, *order: Any) -> Any:
    """Rank rows within each household, for the first N of each in one query."""
    return func.row_number().over(partition_by=partition, order_by=order).label("rank")


def _earlier_notes(
    session: DbSession, user: User, households: set[int], per_household: int
) -> dict[int | None, list[Call]]:
    """Each family's latest calls with a note (a few more than shown: a ringing call is
    left out of its own context)."""
    ranked = (
        select(Call.id, _ranked(Call.household_id, Call.started_at.desc(), Call.id.desc()))
        .where(
            Call.household_id.in_(households),
            Call.note.is_not(None),
            Call.id.in_(call_ids_visible_to(user)),
        )
        .subquery()
    )
    notes: dict[int | None, list[Call]] = defaultdict(list)
    for call in session.scalars(
        select(Call)
        .join(ranked, ranked.c.id == Call.id)
        .where(ranked.c.rank <= per_household)
        .order_by(Call.started_at.desc(), Call.id.desc())
    ):
        notes[call.household_id].append(call)
    return notes


def _latest_advice(
    session: DbSession, user: User, households: set[int]
) -> dict[int | None, list[Any]]:
    """Each family's latest five advice notes the user may read, open follow-ups first."""
    from hubhome.advice.models import AdviceContact
    from hubhome.permissions import advice_contact_ids_visible_to

    open_first = case(
        (
            AdviceContact.follow_up_on.is_not(None) & AdviceContact.follow_up_done_at.is_(None),
            0,
        ),
        else_=1,
    )
    order = (open_first, AdviceContact.created_at.desc(), AdviceContact.id.desc())
    ranked = (
        select(AdviceContact.id, _ranked(AdviceContact.household_id, *order))
        .where(
            AdviceContact.household_id.in_(households),
            AdviceContact.id.in_(advice_contact_ids_visible_to(user)),
        )
        .subquery()
    )
    advice: dict[int | None, list[Any]] = defaultdict(list)
    for contact in session.scalars(
        select(AdviceContact)
        .join(ranked, ranked.c.id == AdviceContact.id)
        .where(ranked.c.rank <= 5)
        .order_by(*order)
    ):
        advice[contact.household_id].append(contact)
    return advice


def _viewed_lately(session: DbSession, user: User, call_ids: list[int]) -> set[int | None]:
    """The live page polls every few seconds: one audit event per person, call and quarter
    hour. Returns the calls already shown within it."""
    return set(
        session.scalars(
            select(AuditEvent.object_id)
            .where(
                AuditEvent.actor_id == user.id,
                AuditEvent.action == "phone.context_view",
                AuditEvent.object_type == "calls",
                AuditEvent.object_id.in_(call_ids),
                AuditEvent.at >= utcnow() - timedelta(minutes=15),
            )
            .distinct()
        )
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
