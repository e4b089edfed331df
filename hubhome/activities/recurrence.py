"""Recurring events expanded with dateutil's rrule at Stockholm wall-clock times.

The rule runs on naive local datetimes, so 18:00 stays 18:00 on both sides of a DST change;
each occurrence is then turned into a UTC instant. A monthly date past a month's end (the
31st) falls on that month's last day instead of skipping the month.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from hubhome.timeutil import local_to_utc

MAX_OCCURRENCES = 24


class Repeat(enum.StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY_DATE = "monthly_date"  # the same date each month (the month's last day if shorter)
    MONTHLY_WEEKDAY = "monthly_weekday"  # e.g. the second Tuesday; the 5th becomes the last


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime


def build_rule(first: date, start: time, repeat: Repeat, count: int) -> rrule:
    """Return the rrule for a series starting on `first` at local wall-clock time `start`."""
    dtstart = datetime.combine(first, start)
    if repeat == Repeat.WEEKLY:
        return rrule(WEEKLY, dtstart=dtstart, count=count)
    if repeat == Repeat.MONTHLY_DATE:
        if first.day <= 28:
            return rrule(MONTHLY, dtstart=dtstart, count=count, bymonthday=first.day)
        # 29th-31st: the latest existing day up to the wanted one, i.e. clamp to month end.
        days = list(range(28, first.day + 1))
        return rrule(MONTHLY, dtstart=dtstart, count=count, bymonthday=days, bysetpos=-1)
    if repeat == Repeat.MONTHLY_WEEKDAY:
        nth = (first.day - 1) // 7 + 1
        return rrule(
            MONTHLY,
            dtstart=dtstart,
            count=count,
            byweekday=weekday(first.weekday(), -1 if nth == 5 else nth),
        )
    return rrule(MONTHLY, dtstart=dtstart, count=1)


def occurrences(
    first: date, start: time, end: time, repeat: Repeat, count: int
) -> list[Occurrence]:
    """Expand a series into UTC instants; the end is the same day at the `end` wall time."""
    rule = build_rule(first, start, repeat, 1 if repeat == Repeat.NONE else count)
    return [
        Occurrence(local_to_utc(when.date(), start), local_to_utc(when.date(), end))
        for when in rule
    ]


def rule_text(first: date, start: time, repeat: Repeat, count: int) -> str:
    """The RFC 5545 text of the rule (DTSTART in local time), kept with the series."""
    return str(build_rule(first, start, repeat, count))
