"""The three-month rule in calendar months, and which quarters a decision is reported in."""

from __future__ import annotations

from datetime import date

import pytest

from hubhome.decisions.rules import Quarter, add_months, first_late_day, late_periods


@pytest.mark.parametrize(
    ("decided", "last_day_in_time", "first_late"),
    [
        (date(2025, 11, 30), date(2026, 2, 28), date(2026, 3, 1)),  # February is short
        (date(2027, 11, 30), date(2028, 2, 29), date(2028, 3, 1)),  # leap year
        (date(2027, 11, 29), date(2028, 2, 29), date(2028, 3, 1)),
        (date(2025, 11, 29), date(2026, 2, 28), date(2026, 3, 1)),
        (date(2026, 5, 31), date(2026, 8, 31), date(2026, 9, 1)),
        (date(2026, 8, 31), date(2026, 11, 30), date(2026, 12, 1)),  # 30-day month
        (date(2026, 10, 15), date(2027, 1, 15), date(2027, 1, 16)),  # across the year
        (date(2026, 1, 1), date(2026, 4, 1), date(2026, 4, 2)),
    ],
)
def test_three_calendar_months(decided, last_day_in_time, first_late):
    assert add_months(decided, 3) == last_day_in_time
    assert first_late_day(decided) == first_late


def test_carried_out_on_the_last_day_is_in_time():
    assert late_periods(date(2025, 11, 30), date(2026, 2, 28), [], None) == []
    late = late_periods(date(2025, 11, 30), date(2026, 3, 1), [], None)
    assert [(p.since, p.until) for p in late] == [(date(2026, 3, 1), date(2026, 3, 1))]


def test_interruption_not_resumed_within_three_months():
    periods = late_periods(date(2026, 1, 10), date(2026, 2, 1), [(date(2026, 5, 31), None)], None)
    assert [(p.kind, p.since) for p in periods] == [("interrupted", date(2026, 9, 1))]
    resumed_in_time = late_periods(
        date(2026, 1, 10), date(2026, 2, 1), [(date(2026, 5, 31), date(2026, 8, 31))], None
    )
    assert resumed_in_time == []


def test_each_interruption_is_judged_on_its_own():
    periods = late_periods(
        date(2025, 1, 10),
        date(2025, 2, 1),
        [(date(2025, 3, 1), date(2025, 4, 1)), (date(2025, 6, 30), date(2025, 10, 15))],
        None,
    )
    assert [(p.since, p.until, p.interrupted_on) for p in periods] == [
        (date(2025, 10, 1), date(2025, 10, 15), date(2025, 6, 30))
    ]


def test_quarters():
    q = Quarter.parse("2026q4")
    assert (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter.parse("2028Q1").end == date(2028, 3, 31)
    assert str(Quarter.containing(date(2026, 1, 1)).previous()) == "2025Q4"
    with pytest.raises(ValueError):
        Quarter.parse("2026Q5")
