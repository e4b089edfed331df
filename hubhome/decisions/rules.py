"""The three-month rule for decisions not carried out, and quarters, in calendar terms."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

LIMIT_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """Add calendar months; a day missing in the target month becomes its last day.

    30 November + 3 months is 28 February (29 in a leap year); 31 May + 3 months is 31 August.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def limit_for(start: date) -> date:
    """The last day on which something started on `start` is still within three months."""
    return add_months(start, LIMIT_MONTHS)


def first_late_day(start: date) -> date:
    """The first day past the three-month limit: from this day on it is reported."""
    return limit_for(start) + timedelta(days=1)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse '2026Q4' (case-insensitive); raise ValueError otherwise."""
        cleaned = text.strip().upper()
        if len(cleaned) != 6 or cleaned[4] != "Q" or cleaned[5] not in "1234":
            raise ValueError(text)
        return cls(int(cleaned[:4]), int(cleaned[5]))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return add_months(self.start, 3) - timedelta(days=1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class LatePeriod:
    """A span in which a decision is reportable: from the first late day until `until`."""

    kind: str  # "not_carried_out" or "interrupted"
    since: date
    until: date | None  # the day it was carried out, resumed or closed; None while open
    interrupted_on: date | None = None  # for an interruption: which one
    resumed_on: date | None = None

    def overlaps(self, start: date, end: date) -> bool:
        return self.since <= end and (self.until is None or self.until >= start)

    def open_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or self.until > day)


def late_periods(
    decision_date: date,
    carried_out_on: date | None,
    interruptions: Sequence[tuple[date, date | None]],
    closed_on: date | None,
) -> list[LatePeriod]:
    """When a decision was or is late under the three-month rule.

    `interruptions` are (interrupted on, resumed on or None) pairs. A declined offer
    changes nothing here: only carrying out, resuming or closing ends a late period.
    """
    periods = []
    first = first_late_day(decision_date)
    done = min((d for d in (carried_out_on, closed_on) if d is not None), default=None)
    if done is None or done >= first:
        periods.append(LatePeriod("not_carried_out", first, done, None, None))
    for interrupted_on, resumed_on in interruptions:
        late = first_late_day(interrupted_on)
        back = min((d for d in (resumed_on, closed_on) if d is not None), default=None)
        if back is None or back >= late:
            periods.append(LatePeriod("interrupted", late, back, interrupted_on, resumed_on))
    return periods
