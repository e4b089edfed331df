"""The booking page's month of free nights: weeks of nights, and the months around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hubhome.respite.capacity import Night


@dataclass(frozen=True)
class MonthView:
    first: date  # the first day of the month shown
    weeks: list[list[Night | None]]  # Monday first; None pads the first and last week
    weekdays: list[date]  # a Monday to Sunday, for the column headers
    previous: date | None  # the first day of the month before, if it can be booked
    next: date | None
    bookable_from: date
    bookable_to: date  # the last night that can be chosen as check-in


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(value: str | None, default: date) -> date:
    """`2026-12` to the first of December 2026; anything else to the month of `default`."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return month_start(default)


def clamp_month(first: date, today: date, last_bookable: date) -> date:
    """Keep the month within those that hold a bookable night."""
    return min(max(first, month_start(today)), month_start(last_bookable))


def month_view(first: date, nights: Sequence[Night], today: date, last_bookable: date) -> MonthView:
    """Lay a month's nights out in weeks from Monday to Sunday."""
    cells: list[Night | None] = [None] * first.weekday() + list(nights)
    cells += [None] * (-len(cells) % 7)
    monday = first - timedelta(days=first.weekday())
    return MonthView(
        first=first,
        weeks=[cells[i : i + 7] for i in range(0, len(cells), 7)],
        weekdays=[monday + timedelta(days=i) for i in range(7)],
        previous=previous_month(first) if first > month_start(today) else None,
        next=next_month(first) if next_month(first) <= last_bookable else None,
        bookable_from=today,
        bookable_to=last_bookable,
    )
