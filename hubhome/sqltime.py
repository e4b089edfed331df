"""Day counts and Stockholm hours computed in SQL, on PostgreSQL and SQLite alike.

Reports count nights and calls by the hour over years of rows; done in the database they
return one row per group instead of one per booking or call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, String, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from hubhome.timeutil import STOCKHOLM


class days_between(FunctionElement[int]):  # noqa: N801  (reads like the SQL function it is)
    """`days_between(end, start)`: whole days from the date `start` to the date `end`."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    end, start = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(end, **kw)}) - "
        f"julianday({compiler.process(start, **kw)}) AS INTEGER)"
    )


class stockholm_hour(FunctionElement[int]):  # noqa: N801
    """The hour of the day (0–23), Swedish time, of an instant stored as naive UTC."""

    type = Integer()
    inherit_cache = True


def _in_stockholm(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
    """PostgreSQL: the element's one argument, an instant stored as naive UTC, in Swedish time."""
    (instant,) = list(element.clauses)
    stored = compiler.process(instant, **kw)
    return f"(({stored} AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Stockholm')"


def _sqlite_function(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
    """SQLite: the Python function of the element's name registered on every connection."""
    (instant,) = list(element.clauses)
    return f"{type(element).__name__}({compiler.process(instant, **kw)})"


def _stored_in_stockholm(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(STOCKHOLM)


@compiles(stockholm_hour)
def _stockholm_hour(element: stockholm_hour, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(HOUR FROM {_in_stockholm(element, compiler, **kw)}) AS INTEGER)"


compiles(stockholm_hour, "sqlite")(_sqlite_function)


def sqlite_stockholm_hour(stored: str | None) -> int | None:
    """SQLite's `stockholm_hour()`: registered on every SQLite connection (hubhome.db)."""
    return None if stored is None else _stored_in_stockholm(stored).hour


class _stockholm_hour_by_offsets(FunctionElement[int]):  # noqa: N801
    """`stockholm_hour` given the period's changes of offset: (instant, *changes, *offsets)."""

    type = Integer()
    inherit_cache = True


@compiles(_stockholm_hour_by_offsets)
def _stockholm_hour_by_offsets_pg(element: Any, compiler: Any, **kw: Any) -> str:
    instant, *rest = [compiler.process(c, **kw) for c in element.clauses]
    changes, offsets = rest[: len(rest) // 2], rest[len(rest) // 2 :]
    # width_bucket: how many of the (sorted) changes the instant is at or after.
    return (
        f"mod(CAST(EXTRACT(HOUR FROM {instant}) AS INTEGER) + (ARRAY[{', '.join(offsets)}])"
        f"[width_bucket({instant}, ARRAY[{', '.join(changes)}]) + 1], 24)"
    )


@compiles(_stockholm_hour_by_offsets, "sqlite")
def _stockholm_hour_by_offsets_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    instant = list(element.clauses)[0]
    return f"stockholm_hour({compiler.process(instant, **kw)})"


@lru_cache(maxsize=64)
def offset_changes(start: datetime, end: datetime) -> tuple[tuple[datetime, ...], tuple[int, ...]]:
    """The instants in (start, end] (naive UTC) at which Stockholm's offset from UTC changes,
    and its offset in whole hours before, between and after them; no changes when an offset
    is not whole hours."""
    step = timedelta(days=7)  # Stockholm's changes are months apart

    def offset(at: datetime) -> timedelta:
        return at.replace(tzinfo=UTC).astimezone(STOCKHOLM).utcoffset() or timedelta()

    changes: list[datetime] = []
    offsets = [offset(start)]
    cursor = start
    while cursor < end:
        following = min(cursor + step, end)
        if offset(following) != offset(cursor):
            low, high = cursor, following  # the offset changes in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != offset(low) else (middle, high)
            changes.append(high.replace(microsecond=0))
            offsets.append(offset(following))
        cursor = following
    if any(o % timedelta(hours=1) for o in offsets):
        return (), ()
    return tuple(changes), tuple(o // timedelta(hours=1) for o in offsets)


def stockholm_hour_between(instant: Any, start: datetime, end: datetime) -> ColumnElement[int]:
    """`stockholm_hour(instant)` for instants in [start, end) (naive UTC).

    On PostgreSQL, the hour in UTC plus the offset of the instant's stretch between the
    period's changes to and from summer time (found with `width_bucket` among them) instead
    of a time-zone conversion per row: a third of the cost of counting 41,000 calls by hour.
    Instants outside the period get the offset of its first or last stretch.
    """
    changes, offsets = offset_changes(start, end)
    if not offsets:
        return stockholm_hour(instant)
    if not changes:
        changes = (end,)  # width_bucket needs one threshold; both stretches have one offset
        offsets = (offsets[0], offsets[0])
    binds = [bindparam(None, at.replace(tzinfo=UTC), type_=instant.type) for at in changes]
    binds += [bindparam(None, hours, type_=Integer()) for hours in offsets]
    return _stockholm_hour_by_offsets(instant, *binds)


class stockholm_month(FunctionElement[str]):  # noqa: N801
    """The month, Swedish time, of an instant stored as naive UTC, as "YYYY-MM"."""

    type = String()
    inherit_cache = True


@compiles(stockholm_month)
def _stockholm_month(element: stockholm_month, compiler: Any, **kw: Any) -> str:
    return f"to_char({_in_stockholm(element, compiler, **kw)}, 'YYYY-MM')"


compiles(stockholm_month, "sqlite")(_sqlite_function)


def sqlite_stockholm_month(stored: str | None) -> str | None:
    """SQLite's `stockholm_month()`: registered on every SQLite connection (hubhome.db)."""
    if stored is None:
        return None
    local = _stored_in_stockholm(stored)
    return f"{local.year:04d}-{local.month:02d}"
