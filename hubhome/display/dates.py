"""One way to show dates, times and numbers: Babel's medium format in the user's language.

Dates read "7 dec. 2026" in Swedish and "Dec 7, 2026" in English, with the weekday where
it helps ("mån 7 dec. 2026"); times are always Europe/Stockholm's wall clock. Templates use
the filters registered here; Python code that builds a sentence (an SMS, an error, a note)
calls the same functions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_interval, format_skeleton
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal
from flask_babel import get_locale, get_timezone

WEEKDAY = "yMMMEd"


def _locale() -> Locale:
    return get_locale() or Locale.parse("sv")


def _local(instant: datetime) -> datetime:
    return instant.astimezone(get_timezone())


def _day_of(value: date | datetime) -> date:
    return _local(value).date() if isinstance(value, datetime) else value


def format_day(value: date | datetime, style: str = "medium") -> str:
    """Show a day: "7 dec. 2026"; style "weekday" adds the weekday, any other is a pattern."""
    day = _day_of(value)
    if style == "medium":
        return babel_date(day, "medium", locale=_locale())
    if style == "weekday":
        return format_skeleton(WEEKDAY, day, locale=_locale())
    return babel_date(day, style, locale=_locale())


def format_clock(instant: datetime) -> str:
    """Show the Stockholm wall-clock time of an instant: "15:07" (or "3:07 PM")."""
    return babel_time(_local(instant), "short", locale=_locale())


def format_instant(instant: datetime, style: str = "medium") -> str:
    """Show an instant as its Stockholm day and time: "7 dec. 2026 15:07"."""
    if style not in ("medium", "weekday"):  # an explicit Babel pattern
        return babel_datetime(instant, style, tzinfo=get_timezone(), locale=_locale())
    glue = str(_locale().datetime_formats["medium"])
    return glue.replace("{1}", format_day(instant, style)).replace("{0}", format_clock(instant))


def format_day_range(start: date | datetime, end: date | datetime) -> str:
    """Show two days as one span: "18–20 dec. 2026", "Dec 18 – 20, 2026"."""
    first, last = _day_of(start), _day_of(end)
    if first == last:
        return format_day(first)
    return _interval(first, last, str(_locale()))


@functools.lru_cache(maxsize=1024)
def _interval(first: date, last: date, locale: str) -> str:
    """Babel's interval formatting parses its skeletons on every call (about a tenth of a
    booking request's CPU in an SMS): the same span in the same language is the same text."""
    return str(format_interval(first, last, "yMMMd", locale=locale))


def format_instant_range(start: datetime, end: datetime, style: str = "medium") -> str:
    """Show a span of time: "7 dec. 2026 08:00–20:00", or both ends in full across days."""
    if _day_of(start) == _day_of(end):
        return f"{format_instant(start, style)}–{format_clock(end)}"
    return f"{format_instant(start, style)} – {format_instant(end, style)}"


def format_days(days: Iterable[date]) -> str:
    """Show a list of days: "18 dec. 2026, 19 dec. 2026"."""
    return ", ".join(format_day(day) for day in days)


def format_number(value: float | int, digits: int = 1) -> str:
    """Show a figure with the language's decimal sign and a fixed number of decimals."""
    return format_decimal(
        value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=_locale()
    )
