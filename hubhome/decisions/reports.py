"""The quarterly report on decisions not carried out, and the January foster-home register."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from hubhome.accounts.models import User
from hubhome.children.models import Child, Gender, Placement
from hubhome.db import DbSession
from hubhome.decisions.models import DecisionInterruption, InterventionDecision, InterventionKind
from hubhome.decisions.rules import Quarter
from hubhome.decisions.services import periods, status_on
from hubhome.display.sheets import csv_text
from hubhome.network.models import Household
from hubhome.permissions import decision_ids_visible_to


def kind_label(kind: str) -> str:
    return {
        "foster_home": _("Foster home (familjehem)"),
        "contact_family": _("Contact family (kontaktfamilj)"),
        "respite": _("Respite (avlastning)"),
        "contact_person": _("Contact person (kontaktperson)"),
        "other": _("Other intervention"),
    }[kind]


def gender_labels() -> dict[str, str]:
    """Each gender's label, translated once (a register lists thousands of children)."""
    return {
        "girl": _("Girl"),
        "boy": _("Boy"),
        "other": _("Other"),
        "unknown": _("Not stated"),
    }


def gender_label(gender: str) -> str:
    return gender_labels()[gender]


def status_label(status: str) -> str:
    return {
        "waiting": _("Not carried out"),
        "carried_out": _("Carried out"),
        "interrupted": _("Interrupted"),
        "closed": _("Closed without being carried out"),
    }[status]


def rule_label(kind: str) -> str:
    return {
        "not_carried_out": _("Not carried out within three months of the decision"),
        "interrupted": _("Interrupted and not resumed within three months"),
    }[kind]


@dataclass(frozen=True)
class ReportRow:
    decision_id: int
    kind: str
    decision_date: date
    gender: str
    birth_year: int | None  # None for a decision about a family
    offers: list[tuple[date, bool]]
    delay_reason: str
    carried_out_on: date | None
    interrupted_on: date | None
    resumed_on: date | None
    closed_on: date | None
    status: str
    rule: str
    late_since: date
    days_since_decision: int
    responsible: str


def _with_details() -> tuple[Any, ...]:
    """Offers and interruptions in one query each; child, family and worker joined."""
    return (
        selectinload(InterventionDecision.offers),
        selectinload(InterventionDecision.interruptions),
        joinedload(InterventionDecision.child),
        joinedload(InterventionDecision.household),
        joinedload(InterventionDecision.responsible),
    )


def visible_decisions(
    session: DbSession, user: User, *, before: date | None = None
) -> list[InterventionDecision]:
    """The decisions `user` may see, with their offers, child and responsible worker."""
    query = (
        select(InterventionDecision)
        .where(InterventionDecision.id.in_(decision_ids_visible_to(user)))
        .options(*_with_details())
        .order_by(InterventionDecision.decision_date, InterventionDecision.id)
    )
    if before is not None:
        query = query.where(InterventionDecision.decision_date <= before)
    return list(session.scalars(query))


# A late period starts the day after three calendar months, never sooner than 89 days on.
_SHORTEST_LIMIT = timedelta(days=89)


def decisions_late_in(
    session: DbSession, user: User, quarter: Quarter
) -> list[InterventionDecision]:
    """The visible decisions that may have been late at some time in `quarter`, chosen in
    SQL (a few more than `quarter_rows` reports, never fewer): past the limit by the
    quarter's end, and neither carried out, resumed nor closed before it began."""
    d, i = InterventionDecision, DecisionInterruption
    limit_passed_by = quarter.end - _SHORTEST_LIMIT
    open_at_start = or_(d.closed_on.is_(None), d.closed_on >= quarter.start)
    never_done = and_(
        d.decision_date <= limit_passed_by,
        or_(d.carried_out_on.is_(None), d.carried_out_on >= quarter.start),
    )
    interrupted = exists().where(
        i.decision_id == d.id,
        i.interrupted_on <= limit_passed_by,
        or_(i.resumed_on.is_(None), i.resumed_on >= quarter.start),
    )
    query = (
        select(d)
        .where(
            d.id.in_(decision_ids_visible_to(user)),
            d.decision_date <= quarter.end,
            open_at_start,
            or_(never_done, interrupted),
        )
        .options(*_with_details())
        .order_by(d.decision_date, d.id)
    )
    return list(session.scalars(query).unique())


def quarter_rows(
    decisions: Iterable[InterventionDecision], quarter: Quarter, today: date | None = None
) -> list[ReportRow]:
    """One row per decision that was past a three-month limit at some time in the quarter.

    It stays in every quarter until carried out, resumed or closed (and appears in the
    quarter in which that happened, with the date). A quarter not yet over counts to `today`.
    """
    end = min(quarter.end, today) if today else quarter.end
    rows = []
    for decision in decisions:
        late = [p for p in periods(decision) if p.overlaps(quarter.start, end)]
        if not late:
            continue
        period = late[-1]
        as_of = min(end, period.until) if period.until else end
        rows.append(
            ReportRow(
                decision_id=decision.id,
                kind=str(decision.kind),
                decision_date=decision.decision_date,
                gender=str(decision.child.gender) if decision.child else "unknown",
                birth_year=decision.child.birth_date.year if decision.child else None,
                offers=[(o.offered_on, o.declined) for o in decision.offers],
                delay_reason=decision.delay_reason or "",
                carried_out_on=decision.carried_out_on,
                interrupted_on=period.interrupted_on or decision.interrupted_on,
                resumed_on=period.resumed_on if period.interrupted_on else decision.resumed_on,
                closed_on=decision.closed_on,
                status=status_on(decision, end),
                rule=period.kind,
                late_since=period.since,
                days_since_decision=(as_of - decision.decision_date).days,
                responsible=decision.responsible.name if decision.responsible else "",
            )
        )
    return rows


@dataclass(frozen=True)
class KindStatistics:
    kind: str
    by_gender: dict[str, int]
    total: int
    mean_days: int
    longest_days: int


def statistics(rows: Sequence[ReportRow]) -> list[KindStatistics]:
    """Counts by intervention type and gender, with days since decision, for the council."""
    result = []
    for kind in InterventionKind:
        mine = [r for r in rows if r.kind == kind.value]
        if not mine:
            continue
        days = [r.days_since_decision for r in mine]
        result.append(
            KindStatistics(
                kind=kind.value,
                by_gender={g.value: sum(r.gender == g.value for r in mine) for g in Gender},
                total=len(mine),
                mean_days=round(sum(days) / len(days)),
                longest_days=max(days),
            )
        )
    return result


def _offers_text(offers: Sequence[tuple[date, bool]]) -> str:
    return ", ".join(
        f"{day.isoformat()} ({_('declined')})" if declined else day.isoformat()
        for day, declined in offers
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    return csv_text(header, rows)


def quarter_csv(quarter: Quarter, rows: Sequence[ReportRow]) -> str:
    """The individual rows as CSV (semicolon-separated, as Swedish spreadsheets expect)."""
    return csv_text(*quarter_table(quarter, rows))


def quarter_table(quarter: Quarter, rows: Sequence[ReportRow]) -> tuple[list[str], list[list[Any]]]:
    """The individual rows with their header, for the CSV and the Excel sheet."""
    header = [
        _("Quarter"),
        _("Reference"),
        _("Rule"),
        _("Intervention"),
        _("Decision date"),
        _("Gender"),
        _("Birth year"),
        _("Dates offered"),
        _("Reason for delay"),
        _("Carried out"),
        _("Interrupted"),
        _("Resumed"),
        _("Closed"),
        _("Status at quarter end"),
        _("Days since decision"),
    ]
    return (
        header,
        [
            [
                str(quarter),
                r.decision_id,
                rule_label(r.rule),
                kind_label(r.kind),
                r.decision_date.isoformat(),
                gender_label(r.gender),
                r.birth_year or "",
                _offers_text(r.offers),
                r.delay_reason,
                _iso(r.carried_out_on),
                _iso(r.interrupted_on),
                _iso(r.resumed_on),
                _iso(r.closed_on),
                status_label(r.status),
                r.days_since_decision,
            ]
            for r in rows
        ],
    )


# --- the register of children in foster homes (to IVO each January) ---


@dataclass(frozen=True)
class RegisterRow:
    child_id: int
    name: str  # initials only for a child with protected identity
    born: str  # birth date, or only the year for protected identity
    gender: str
    home: str  # hidden for protected identity
    start: date
    end: date | None
    protected: bool
    born_on: date | None = None  # shown on the page; None for protected identity


def initials(first_name: str, last_name: str) -> str:
    return f"{first_name[:1]}.{last_name[:1]}.".upper()


REGISTER_PER_PAGE = 100  # the page; the CSV sent to IVO has every child


def foster_home_register(
    session: DbSession,
    organisation_id: int,
    year: int,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[RegisterRow]:
    """Children placed in the organisation's foster homes at any time during `year`
    (`limit` rows from `offset`, in the register's order, for one page of it)."""
    query = (
        select(
            Child.id,
            Child.first_name,
            Child.last_name,
            Child.birth_date,
            Child.gender,
            Child.protected_identity,
            Household.name,
            Placement.start_date,
            Placement.end_date,
        )
        .join(Child, Child.id == Placement.child_id)
        .join(Household, Household.id == Placement.household_id)
        .where(
            Household.organisation_id == organisation_id,
            Placement.start_date <= date(year, 12, 31),
            or_(Placement.end_date.is_(None), Placement.end_date >= date(year, 1, 1)),
        )
        .order_by(Child.last_name, Child.first_name, Placement.start_date, Placement.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = []
    for child_id, first, last, birth, gender, protected, home, start, end in session.execute(query):
        rows.append(
            RegisterRow(
                child_id=child_id,
                name=initials(first, last) if protected else f"{first} {last}",
                born=str(birth.year) if protected else birth.isoformat(),
                gender=str(gender),
                home="" if protected else home,
                start=start,
                end=end,
                protected=protected,
                born_on=None if protected else birth,
            )
        )
    return rows


def register_csv(year: int, rows: Sequence[RegisterRow]) -> str:
    header = [
        _("Year"),
        _("Child"),
        _("Born"),
        _("Gender"),
        _("Foster home"),
        _("Placed from"),
        _("Placed until"),
        _("Protected identity"),
    ]
    genders = gender_labels()
    return _csv(
        header,
        (
            [
                year,
                r.name,
                r.born,
                genders[r.gender],
                r.home,
                r.start.isoformat(),
                _iso(r.end),
                _("yes") if r.protected else _("no"),
            ]
            for r in rows
        ),
    )
