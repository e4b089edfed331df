"""Constellation health and organisation outcomes, as the evaluations define them.

Every function runs a fixed number of queries whatever the number of constellations,
households or years: one per kind of fact, aggregated in the database or in one pass here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from hubhome.children.models import Placement
from hubhome.db import DbSession, plan_for_these_values
from hubhome.decisions.rules import add_months
from hubhome.network.models import Constellation, ConstellationMembership, Household
from hubhome.outcomes.models import ConstellationSnapshot
from hubhome.outcomes.sources import HealthFigure, figures_for, totals
from hubhome.respite.models import (
    BedCapacityChange,
    BlockedPeriod,
    BookingStatus,
    RespiteBooking,
    RespiteBookingChild,
)
from hubhome.sqltime import days_between

DAYS_PER_YEAR = 365.25


def overlap_days(start: date, end: date | None, first: date, last: date) -> int:
    """Days of [start, end) that fall in [first, last] (end None: still going)."""
    stop = min(end or last + timedelta(days=1), last + timedelta(days=1))
    return max(0, (stop - max(start, first)).days)


def _merged(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def bed_nights(
    session: DbSession, default_beds: dict[int, int], first: date, last: date
) -> dict[int, tuple[int, int]]:
    """Per hub home: (beds × nights in [first, last] after capacity changes and closed
    periods, beds on the last day).

    Two queries for every hub at once, and arithmetic on date spans rather than nights, so
    five years cost what one month does.
    """
    hub_ids = list(default_beds)
    after = last + timedelta(days=1)
    changes: dict[int, list[tuple[date, int]]] = {}
    for hub_id, effective_from, beds in session.execute(
        select(
            BedCapacityChange.household_id, BedCapacityChange.effective_from, BedCapacityChange.beds
        )
        .where(
            BedCapacityChange.household_id.in_(hub_ids), BedCapacityChange.effective_from < after
        )
        .order_by(BedCapacityChange.effective_from)
    ):
        changes.setdefault(hub_id, []).append((effective_from, beds))
    closed: dict[int, list[tuple[date, date]]] = {}
    for hub_id, start, end in session.execute(
        select(BlockedPeriod.household_id, BlockedPeriod.start_date, BlockedPeriod.end_date).where(
            BlockedPeriod.household_id.in_(hub_ids),
            BlockedPeriod.start_date < after,
            BlockedPeriod.end_date > first,
        )
    ):
        closed.setdefault(hub_id, []).append((start, end))
    result = {}
    for hub_id, beds in default_beds.items():
        # Spans [start, end) with a number of beds, covering [first, after).
        spans: list[tuple[date, date, int]] = []
        cursor, current = first, beds
        for effective_from, changed in changes.get(hub_id, []):
            if effective_from > cursor:
                spans.append((cursor, effective_from, current))
                cursor = effective_from
            current = changed
        spans.append((cursor, after, current))
        total = 0
        blocked = _merged(closed.get(hub_id, []))
        for start, end, count in spans:
            days = (end - start).days
            for b_start, b_end in blocked:
                days -= max(0, (min(end, b_end) - max(start, b_start)).days)
            total += count * days
        result[hub_id] = (total, spans[-1][2])
    return result


@dataclass
class ConstellationHealth:
    constellation_id: int
    name: str
    satellites_active: int = 0
    satellites_left: int = 0
    children_placed: int = 0
    hub_beds: int = 0
    planned_nights: int = 0
    emergency_nights: int = 0
    bed_nights: int = 0
    figures: list[HealthFigure] = field(default_factory=list)

    @property
    def occupancy(self) -> float | None:
        """Nights used ÷ (beds × nights), as a share; None without beds."""
        if not self.bed_nights:
            return None
        return (self.planned_nights + self.emergency_nights) / self.bed_nights


def respite_nights(
    session: DbSession, constellation_ids: Sequence[int], first: date, last: date
) -> dict[tuple[int, str], int]:
    """Child-nights of approved or completed respite per (constellation, kind) in [first, last].

    Summed in the database over (booking, child) rows: one row per constellation and kind,
    however many years of stays."""
    after = last + timedelta(days=1)
    b = RespiteBooking
    nights = days_between(
        case((b.check_out > after, after), else_=b.check_out),
        case((b.check_in < first, first), else_=b.check_in),
    )
    rows = session.execute(
        select(b.constellation_id, b.kind, func.sum(nights))
        .join(RespiteBookingChild, RespiteBookingChild.booking_id == b.id)
        .where(
            b.constellation_id.in_(constellation_ids),
            b.status.in_((BookingStatus.APPROVED, BookingStatus.COMPLETED)),
            b.check_in <= last,
            b.check_out > first,
        )
        .group_by(b.constellation_id, b.kind)
    ).all()
    return {(cid, str(kind)): int(total) for cid, kind, total in rows}


def constellation_health(
    session: DbSession,
    constellations: Sequence[Constellation],
    first: date,
    last: date,
    *,
    with_sources: bool = True,
) -> list[ConstellationHealth]:
    """Per constellation: satellites, children placed, beds and their use, carers who left."""
    result = {c.id: ConstellationHealth(c.id, c.name) for c in constellations}
    if not result:
        return []
    plan_for_these_values(session)  # periods of a year or ten: no generic plan
    ids = list(result)
    hub_ids = [c.hub_household_id for c in constellations if c.hub_household_id]
    beds = dict(
        session.execute(
            select(Household.id, Household.respite_beds).where(Household.id.in_(hub_ids))
        ).all()
    )
    capacity = bed_nights(session, beds, first, last)
    for c in constellations:
        if c.hub_household_id in capacity:
            health = result[c.id]
            health.bed_nights, health.hub_beds = capacity[c.hub_household_id]
    m = ConstellationMembership
    for cid, left_on in session.execute(
        select(m.constellation_id, m.left_on).where(
            m.constellation_id.in_(ids),
            m.joined_on <= last,
            or_(m.left_on.is_(None), m.left_on >= first),
        )
    ):
        if left_on is None or left_on > last:
            result[cid].satellites_active += 1
        else:
            result[cid].satellites_left += 1
    for cid, count in session.execute(
        select(m.constellation_id, func.count(Placement.id))
        .join(Placement, Placement.household_id == m.household_id)
        .where(m.constellation_id.in_(ids), m.left_on.is_(None), Placement.end_date.is_(None))
        .group_by(m.constellation_id)
    ):
        result[cid].children_placed = count
    for (cid, kind), count in respite_nights(session, ids, first, last).items():
        if kind == "planned":
            result[cid].planned_nights = count
        else:
            result[cid].emergency_nights = count
    if with_sources:
        for cid, figures in figures_for(session, ids, first, last).items():
            if cid in result:
                result[cid].figures = sorted(figures, key=lambda f: (f.group, f.label))
    return [result[c.id] for c in constellations]


@dataclass(frozen=True)
class Retention:
    months: int
    cohort: int  # carer households registered at least `months` before the period's end
    still_fostering: int

    @property
    def share(self) -> float | None:
        return self.still_fostering / self.cohort if self.cohort else None


@dataclass
class OrganisationOutcomes:
    first: date
    last: date
    placement_years: float
    unplanned_endings: int
    planned_endings: int
    retention: list[Retention]
    carers_left: int
    planned_nights: int
    emergency_nights: int
    fidelity: list[HealthFigure]

    @property
    def unplanned_per_placement_year(self) -> float | None:
        return self.unplanned_endings / self.placement_years if self.placement_years else None

    @property
    def emergency_share(self) -> float | None:
        total = self.planned_nights + self.emergency_nights
        return self.emergency_nights / total if total else None


def organisation_outcomes(
    session: DbSession,
    organisation_id: int,
    first: date,
    last: date,
    health: Sequence[ConstellationHealth] = (),
) -> OrganisationOutcomes:
    """Placement stability, carer retention, respite mix and fidelity for a period.

    `health`, when it is every constellation of the organisation over the same period (an
    administrator's health page), gives the respite mix and fidelity without counting again.
    """
    placements = session.execute(
        select(Placement.start_date, Placement.end_date, Placement.ended_planned)
        .join(Household, Household.id == Placement.household_id)
        .where(
            Household.organisation_id == organisation_id,
            Placement.start_date <= last,
            or_(Placement.end_date.is_(None), Placement.end_date >= first),
        )
    ).all()
    placement_days = sum(overlap_days(s, e, first, last) for s, e, _p in placements)
    ended = [(e, planned) for _s, e, planned in placements if e is not None and first <= e <= last]
    carers = session.execute(
        select(Household.registered_on, Household.deregistered_on).where(
            Household.organisation_id == organisation_id, Household.registered_on.is_not(None)
        )
    ).all()
    registered = [(reg, dereg) for reg, dereg in carers if reg is not None]
    retention = []
    for months in (12, 24):
        cohort = [(reg, dereg) for reg, dereg in registered if add_months(reg, months) <= last]
        kept = [1 for reg, dereg in cohort if dereg is None or dereg > add_months(reg, months)]
        retention.append(Retention(months, len(cohort), len(kept)))
    left = sum(1 for _reg, dereg in carers if dereg is not None and first <= dereg <= last)
    ids = list(
        session.scalars(
            select(Constellation.id).where(Constellation.organisation_id == organisation_id)
        )
    )
    if health and sorted(h.constellation_id for h in health) == sorted(ids):
        planned = sum(h.planned_nights for h in health)
        emergency = sum(h.emergency_nights for h in health)
        fidelity = totals({h.constellation_id: h.figures for h in health})
    else:
        mix = respite_nights(session, ids, first, last)
        planned = sum(v for (_c, k), v in mix.items() if k == "planned")
        emergency = sum(v for (_c, k), v in mix.items() if k == "emergency")
        fidelity = totals(figures_for(session, ids, first, last))
    return OrganisationOutcomes(
        first=first,
        last=last,
        placement_years=placement_days / DAYS_PER_YEAR,
        unplanned_endings=sum(1 for _e, planned in ended if planned is False),
        planned_endings=sum(1 for _e, planned in ended if planned is not False),
        retention=retention,
        carers_left=left,
        planned_nights=planned,
        emergency_nights=emergency,
        fidelity=fidelity,
    )


@dataclass(frozen=True)
class TrendRow:
    month: date
    children_placed: float  # mean over the month's snapshots
    satellites_active: float
    planned_nights: int
    emergency_nights: int
    bed_nights: int

    @property
    def occupancy(self) -> float | None:
        return (
            (self.planned_nights + self.emergency_nights) / self.bed_nights
            if self.bed_nights
            else None
        )


def monthly_trend(
    session: DbSession, constellation_ids: Sequence[int], first: date, last: date
) -> list[TrendRow]:
    """Month by month from the nightly snapshots: one grouped query, however many years."""
    s = ConstellationSnapshot
    rows = session.execute(
        select(
            s.day,
            func.sum(s.children_placed),
            func.sum(s.satellites_active),
            func.sum(s.planned_nights),
            func.sum(s.emergency_nights),
            func.sum(s.hub_beds),
        )
        .where(s.constellation_id.in_(constellation_ids), s.day >= first, s.day <= last)
        .group_by(s.day)
        .order_by(s.day)
    ).all()
    months: dict[date, list[tuple[int, int, int, int, int]]] = {}
    for day, children, satellites, planned, emergency, beds in rows:
        months.setdefault(day.replace(day=1), []).append(
            (children, satellites, planned, emergency, beds)
        )
    return [
        TrendRow(
            month=month,
            children_placed=sum(d[0] for d in days) / len(days),
            satellites_active=sum(d[1] for d in days) / len(days),
            planned_nights=sum(d[2] for d in days),
            emergency_nights=sum(d[3] for d in days),
            bed_nights=sum(d[4] for d in days),
        )
        for month, days in months.items()
    ]
