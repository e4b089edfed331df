"""The caseload: every placed child a social worker is responsible for, with what is due.

The page runs a constant number of queries whatever the caseload's size: one per kind of
fact (placements, constellations, visits, reviews, respite), each for all children at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select

from hubhome.accounts.models import User
from hubhome.audit.services import Subject, record_many
from hubhome.caseload.models import (
    DEFAULT_VISITS_PER_YEAR,
    REVIEW_MONTHS,
    FollowUpVisit,
    MonitoringSettings,
    PlacementReview,
)
from hubhome.caseload.sources import CaseloadNote, extras_for
from hubhome.children.models import Child, Gender, Placement
from hubhome.db import DbSession
from hubhome.decisions.rules import add_months
from hubhome.network.models import Constellation, ConstellationMembership, Household
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from hubhome.timeutil import age_on

SORTS = ("visit", "review", "name", "start")
DUE_SOON_DAYS = 14


def visits_per_year(session: DbSession, organisation_id: int) -> int:
    settings = session.get(MonitoringSettings, organisation_id)
    return settings.visits_per_year if settings else DEFAULT_VISITS_PER_YEAR


def visit_interval(per_year: int) -> timedelta:
    return timedelta(days=round(365 / max(per_year, 1)))


@dataclass
class CaseloadRow:
    child_id: int
    first_name: str
    last_name: str
    gender: Gender
    age: int
    protected_identity: bool
    placement_id: int
    placement_start: date
    household_id: int
    household: str
    constellation: str | None
    years_placed: int
    months_placed: int
    last_visit: date | None
    last_visit_private_talk: bool
    last_private_talk: date | None
    next_visit_due: date
    visit_days_left: int
    last_review: date | None
    next_review_due: date
    review_days_left: int
    respite_planned: int = 0
    respite_emergency: int = 0
    notes: list[CaseloadNote] = field(default_factory=list)

    @property
    def visit_overdue(self) -> bool:
        return self.visit_days_left < 0

    @property
    def review_overdue(self) -> bool:
        return self.review_days_left < 0

    @property
    def anything_overdue(self) -> bool:
        return self.visit_overdue or self.review_overdue or any(n.overdue for n in self.notes)

    @property
    def due_soon(self) -> bool:
        return min(self.visit_days_left, self.review_days_left) <= DUE_SOON_DAYS


@dataclass(frozen=True)
class CaseloadFilter:
    constellation: str | None = None
    due: str | None = None  # "overdue", "soon", "private_talk" (no private talk at last visit)
    sort: str = "visit"  # one of SORTS; anything else sorts by the next visit


def _months_between(start: date, today: date) -> int:
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - 1 if today.day < start.day else months


def _constellation_names(session: DbSession, household_ids: Sequence[int]) -> dict[int, str]:
    m = ConstellationMembership
    rows = session.execute(
        select(m.household_id, Constellation.name)
        .join(Constellation, Constellation.id == m.constellation_id)
        .where(m.household_id.in_(household_ids), m.left_on.is_(None))
        .union_all(
            select(Constellation.hub_household_id, Constellation.name).where(
                Constellation.hub_household_id.in_(household_ids)
            )
        )
    ).all()
    return {household_id: name for household_id, name in rows}


def last_visits(
    session: DbSession, placement_ids: Sequence[int]
) -> dict[int, tuple[date, date | None]]:
    v = FollowUpVisit
    rows = session.execute(
        select(
            v.placement_id,
            func.max(v.visit_date),
            func.max(case((v.private_talk.is_(True), v.visit_date))),
        )
        .where(v.placement_id.in_(placement_ids))
        .group_by(v.placement_id)
    ).all()
    return {pid: (last, talk) for pid, last, talk in rows}


def last_reviews(session: DbSession, placement_ids: Sequence[int]) -> dict[int, date]:
    r = PlacementReview
    rows = session.execute(
        select(r.placement_id, func.max(r.review_date))
        .where(r.placement_id.in_(placement_ids))
        .group_by(r.placement_id)
    ).all()
    return {placement_id: day for placement_id, day in rows}


def respite_nights_by_child(
    session: DbSession, child_ids: Sequence[int], year: int
) -> dict[tuple[int, str], int]:
    """Nights of approved or completed respite per (child, kind) within a calendar year."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    rows = session.execute(
        select(
            RespiteBookingChild.child_id,
            RespiteBooking.kind,
            RespiteBooking.check_in,
            RespiteBooking.check_out,
        )
        .join(RespiteBooking, RespiteBooking.id == RespiteBookingChild.booking_id)
        .where(
            RespiteBookingChild.child_id.in_(child_ids),
            RespiteBooking.status.in_((BookingStatus.APPROVED, BookingStatus.COMPLETED)),
            RespiteBooking.check_in < after,
            RespiteBooking.check_out > first,
        )
    ).all()
    totals: dict[tuple[int, str], int] = {}
    for child_id, kind, check_in, check_out in rows:
        nights = (min(check_out, after) - max(check_in, first)).days
        key = (child_id, str(kind))
        totals[key] = totals.get(key, 0) + nights
    return totals


def caseload(
    session: DbSession,
    worker: User,
    today: date,
    filters: CaseloadFilter | None = None,
    *,
    viewer: User | None = None,
) -> list[CaseloadRow]:
    """The children `worker` is responsible for, with dues; reads are audited for `viewer`."""
    filters = filters or CaseloadFilter()
    per_year = visits_per_year(session, worker.organisation_id)
    interval = visit_interval(per_year)
    found = session.execute(
        select(Placement, Child, Household)
        .join(Child, Child.id == Placement.child_id)
        .join(Household, Household.id == Placement.household_id)
        .where(
            Placement.social_worker_id == worker.id,
            Placement.end_date.is_(None),
            Child.organisation_id == worker.organisation_id,
        )
    ).all()
    if not found:
        return []
    placement_ids = [p.id for p, _c, _h in found]
    child_ids = [c.id for _p, c, _h in found]
    constellations = _constellation_names(session, [h.id for _p, _c, h in found])
    visits = last_visits(session, placement_ids)
    reviews = last_reviews(session, placement_ids)
    respite = respite_nights_by_child(session, child_ids, today.year)
    notes = extras_for(session, child_ids, today)
    rows = []
    for placement, child, household in found:
        last_visit, last_talk = visits.get(placement.id, (None, None))
        next_visit = (last_visit or placement.start_date) + interval
        last_review = reviews.get(placement.id)
        next_review = add_months(last_review or placement.start_date, REVIEW_MONTHS)
        months = _months_between(placement.start_date, today)
        rows.append(
            CaseloadRow(
                child_id=child.id,
                first_name=child.first_name,
                last_name=child.last_name,
                gender=child.gender,
                age=age_on(child.birth_date, today),
                protected_identity=child.protected_identity,
                placement_id=placement.id,
                placement_start=placement.start_date,
                household_id=household.id,
                household=household.name,
                constellation=constellations.get(household.id),
                years_placed=months // 12,
                months_placed=months % 12,
                last_visit=last_visit,
                last_visit_private_talk=last_visit is not None and last_talk == last_visit,
                last_private_talk=last_talk,
                next_visit_due=next_visit,
                visit_days_left=(next_visit - today).days,
                last_review=last_review,
                next_review_due=next_review,
                review_days_left=(next_review - today).days,
                respite_planned=respite.get((child.id, BookingKind.PLANNED.value), 0),
                respite_emergency=respite.get((child.id, BookingKind.EMERGENCY.value), 0),
                notes=notes.get(child.id, []),
            )
        )
    if viewer is not None:
        audit_reads(session, viewer, rows)
    return sort_rows(filter_rows(rows, filters), filters.sort)


def audit_reads(session: DbSession, viewer: User, rows: Sequence[CaseloadRow]) -> None:
    """Log one child-record read per child shown, in a single statement."""
    subjects = [Subject("children", r.child_id, r.child_id, r.household_id) for r in rows]
    record_many(session, viewer, "child.view", subjects, detail={"via": "caseload"})


def filter_rows(rows: list[CaseloadRow], filters: CaseloadFilter) -> list[CaseloadRow]:
    if filters.constellation:
        rows = [r for r in rows if r.constellation == filters.constellation]
    if filters.due == "overdue":
        rows = [r for r in rows if r.anything_overdue]
    elif filters.due == "soon":
        rows = [r for r in rows if r.due_soon]
    elif filters.due == "private_talk":
        rows = [r for r in rows if not r.last_visit_private_talk]
    return rows


def sort_rows(rows: list[CaseloadRow], sort: str) -> list[CaseloadRow]:
    keys = {
        "visit": lambda r: (r.next_visit_due, r.first_name),
        "review": lambda r: (r.next_review_due, r.first_name),
        "name": lambda r: (r.first_name.casefold(), r.last_name.casefold()),
        "start": lambda r: (r.placement_start, r.first_name),
    }
    return sorted(rows, key=keys.get(sort, keys["visit"]))


def social_workers(session: DbSession, organisation_id: int) -> list[User]:
    """The social workers of an organisation, for an administrator's choice of caseload."""
    from hubhome.accounts.models import Role

    return list(
        session.scalars(
            select(User)
            .where(User.organisation_id == organisation_id, User.role == Role.SOCIAL_WORKER)
            .order_by(User.name)
        )
    )
