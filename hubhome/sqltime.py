"""Day counts and Stockholm hours computed in SQL, on PostgreSQL and SQLite alike.

Reports count nights and calls by the hour over years of rows; done in the database they
return one row per group instead of one per booking or call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
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


@compiles(stockholm_hour)
def _stockholm_hour(element: stockholm_hour, compiler: Any, **kw: Any) -> str:
    (instant,) = list(element.clauses)
    return (
        "CAST(EXTRACT(HOUR FROM ("
        f"{compiler.process(instant, **kw)} AT TIME ZONE 'UTC') "
        "AT TIME ZONE 'Europe/Stockholm') AS INTEGER)"
    )


@compiles(stockholm_hour, "sqlite")
def _stockholm_hour_sqlite(element: stockholm_hour, compiler: Any, **kw: Any) -> str:
    (instant,) = list(element.clauses)
    return f"stockholm_hour({compiler.process(instant, **kw)})"


def sqlite_stockholm_hour(stored: str | None) -> int | None:
    """SQLite's `stockholm_hour()`: registered on every SQLite connection (hubhome.db)."""
    if stored is None:
        return None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(STOCKHOLM).hour


class stockholm_month(FunctionElement[str]):  # noqa: N801
    """The month, Swedish time, of an instant stored as naive UTC, as "YYYY-MM"."""

    type = String()
    inherit_cache = True


@compiles(stockholm_month)
def _stockholm_month(element: stockholm_month, compiler: Any, **kw: Any) -> str:
    (instant,) = list(element.clauses)
    return (
        f"to_char(({compiler.process(instant, **kw)} AT TIME ZONE 'UTC') "
        "AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM')"
    )


@compiles(stockholm_month, "sqlite")
def _stockholm_month_sqlite(element: stockholm_month, compiler: Any, **kw: Any) -> str:
    (instant,) = list(element.clauses)
    return f"stockholm_month({compiler.process(instant, **kw)})"


def sqlite_stockholm_month(stored: str | None) -> str | None:
    """SQLite's `stockholm_month()`: registered on every SQLite connection (hubhome.db)."""
    if stored is None:
        return None
    local = datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(STOCKHOLM)
    return f"{local.year:04d}-{local.month:02d}"
