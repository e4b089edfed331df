"""Time: instants are stored in UTC and shown in Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> datetime:
    """Return the current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """Return the current wall-clock time in Stockholm."""
    return utcnow().astimezone(STOCKHOLM)


def local_today() -> date:
    """Return today's date in Stockholm."""
    return local_now().date()


def to_local(instant: datetime) -> datetime:
    """Convert a stored instant to Stockholm wall-clock time."""
    return instant.astimezone(STOCKHOLM)


def local_to_utc(day: date, wall: time) -> datetime:
    """Turn a Stockholm wall-clock time on a day into a UTC instant.

    Times that do not exist (spring forward) move forward by the gap; ambiguous
    times (fall back) take the first occurrence, as zoneinfo's fold=0 does.
    """
    naive = datetime.combine(day, wall)
    aware = naive.replace(tzinfo=STOCKHOLM)
    roundtrip = aware.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None)
    if roundtrip != naive:  # inside the spring-forward gap
        aware = (naive + timedelta(hours=1)).replace(tzinfo=STOCKHOLM)
    return aware.astimezone(UTC)


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on a given day."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
