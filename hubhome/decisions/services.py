"""Keeping the register of intervention decisions: add, update, offers; every write audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from hubhome.accounts.models import Role, User
from hubhome.audit.services import record
from hubhome.children.models import Child
from hubhome.db import DbSession
from hubhome.decisions.models import (
    DecisionInterruption,
    DecisionOffer,
    InterventionDecision,
    InterventionKind,
)
from hubhome.decisions.rules import LatePeriod, late_periods
from hubhome.errors import ValidationFailed
from hubhome.network.models import Household
from hubhome.timeutil import utcnow

EDITABLE = (
    "carried_out_on",
    "interrupted_on",
    "resumed_on",
    "closed_on",
    "closed_reason",
    "delay_reason",
    "responsible_id",
)


class Status:
    WAITING = "waiting"
    CARRIED_OUT = "carried_out"
    INTERRUPTED = "interrupted"
    CLOSED = "closed"


def status_on(decision: InterventionDecision, day: date) -> str:
    """Where a decision stood on `day`."""
    if decision.closed_on is not None and decision.closed_on <= day:
        return Status.CLOSED
    if any(
        i.interrupted_on <= day and (i.resumed_on is None or i.resumed_on > day)
        for i in decision.interruptions
    ):
        return Status.INTERRUPTED
    if decision.carried_out_on is not None and decision.carried_out_on <= day:
        return Status.CARRIED_OUT
    return Status.WAITING


def periods(decision: InterventionDecision) -> list[LatePeriod]:
    return late_periods(
        decision.decision_date,
        decision.carried_out_on,
        [(i.interrupted_on, i.resumed_on) for i in decision.interruptions],
        decision.closed_on,
    )


def late_since(decision: InterventionDecision, day: date) -> date | None:
    """The first late day if the decision is past the three-month limit on `day`, else None."""
    open_now = [p.since for p in periods(decision) if p.open_on(day)]
    return min(open_now) if open_now else None


@dataclass
class DecisionInput:
    kind: InterventionKind
    decision_date: date | None
    responsible_id: int | None = None
    delay_reason: str = ""


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _check(decision: InterventionDecision, today: date) -> None:
    """Dates must be in order and not in the future; interruptions one after another."""
    dated = [
        ("decision_date", decision.decision_date),
        ("carried_out_on", decision.carried_out_on),
        ("closed_on", decision.closed_on),
    ]
    for i in decision.interruptions:
        dated += [("interrupted_on", i.interrupted_on), ("resumed_on", i.resumed_on)]
    for name, value in dated:
        if value is not None and value > today:
            raise _fail(name, _("The date cannot be in the future."))
        if value is not None and value < decision.decision_date:
            raise _fail(name, _("The date is before the decision date."))
    previous_end = decision.carried_out_on
    for i in decision.interruptions:
        if previous_end is None or i.interrupted_on < previous_end:
            raise _fail("interrupted_on", _("Only an intervention carried out can be interrupted."))
        if i.resumed_on is not None and i.resumed_on < i.interrupted_on:
            raise _fail("resumed_on", _("The resumption must come after an interruption."))
        previous_end = i.resumed_on


def _apply_interruption(
    decision: InterventionDecision, interrupted_on: date | None, resumed_on: date | None
) -> None:
    """Correct the latest interruption, or start a new one after the last resumption."""
    latest = decision.latest_interruption
    if interrupted_on is None:
        if resumed_on is not None:
            raise _fail("resumed_on", _("The resumption must come after an interruption."))
        if latest is not None:
            raise _fail(
                "interrupted_on",
                _("An interruption stays in the register; record when it was resumed."),
            )
        return
    if latest is None or (
        latest.resumed_on is not None and interrupted_on != latest.interrupted_on
    ):
        decision.interruptions.append(
            DecisionInterruption(interrupted_on=interrupted_on, resumed_on=resumed_on)
        )
    else:
        latest.interrupted_on = interrupted_on
        latest.resumed_on = resumed_on


def _check_responsible(session: DbSession, organisation_id: int, user_id: int | None) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.organisation_id != organisation_id or user.role != Role.SOCIAL_WORKER:
        raise _fail("responsible_id", _("Choose a social worker of the organisation."))


def create_decision(
    session: DbSession,
    actor: User,
    subject: Child | Household,
    data: DecisionInput,
    today: date,
) -> InterventionDecision:
    """Add a favourable decision on an intervention for a child or a family to the register."""
    child = subject if isinstance(subject, Child) else None
    household = subject if isinstance(subject, Household) else None
    if data.decision_date is None:
        raise _fail("decision_date", _("This field is required."))
    _check_responsible(session, subject.organisation_id, data.responsible_id)
    decision = InterventionDecision(
        organisation_id=subject.organisation_id,
        child_id=child.id if child else None,
        household_id=household.id if household else None,
        kind=data.kind,
        decision_date=data.decision_date,
        responsible_id=data.responsible_id,
        delay_reason=data.delay_reason.strip() or None,
        created_by_id=actor.id,
    )
    _check(decision, today)
    session.add(decision)
    session.flush()
    record(
        session,
        actor,
        "decision.created",
        decision,
        child_id=child.id if child else None,
        household_id=household.id if household else None,
        detail={"kind": str(data.kind)},
    )
    return decision


def update_decision(
    session: DbSession,
    actor: User,
    decision: InterventionDecision,
    changes: dict[str, Any],
    today: date,
) -> InterventionDecision:
    """Record that a decision was carried out, interrupted, resumed or closed, or why it waits."""
    changes = dict(changes)
    fields = sorted(changes)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(
            _("Unknown field."), errors={k: [_("Unknown field.")] for k in unknown}
        )
    if "responsible_id" in changes:
        _check_responsible(session, decision.organisation_id, changes["responsible_id"])
    if "interrupted_on" in changes or "resumed_on" in changes:
        _apply_interruption(
            decision,
            changes.pop("interrupted_on", decision.interrupted_on),
            changes.pop("resumed_on", decision.resumed_on),
        )
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        setattr(decision, name, value)
    if decision.closed_on is not None and not decision.closed_reason:
        raise _fail("closed_reason", _("Say why the decision was closed."))
    _check(decision, today)
    decision.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "decision.updated",
        decision,
        child_id=decision.child_id,
        detail={"fields": fields},
    )
    return decision


def add_offer(
    session: DbSession,
    actor: User,
    decision: InterventionDecision,
    offered_on: date | None,
    declined: bool,
    today: date,
) -> DecisionOffer:
    """Record a date support was offered; a declined offer leaves the decision open."""
    if offered_on is None:
        raise _fail("offered_on", _("This field is required."))
    if offered_on > today:
        raise _fail("offered_on", _("The date cannot be in the future."))
    if offered_on < decision.decision_date:
        raise _fail("offered_on", _("The date is before the decision date."))
    offer = DecisionOffer(decision_id=decision.id, offered_on=offered_on, declined=declined)
    session.add(offer)
    session.flush()
    record(
        session,
        actor,
        "decision.offer_recorded",
        decision,
        child_id=decision.child_id,
        detail={"declined": declined},
    )
    return offer
