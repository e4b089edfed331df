"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import DateTime, MetaData, String, Table, TypeDecorator, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, registry, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Store instants as naive UTC; hand them back timezone-aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is stored; attach a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base class of every Hubhome model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), str: String()},
    )


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements on hot paths (typed as a Table, which it is)."""
    return cast(Table, model.__table__)


def str_enum(enum_cls: type, length: int = 24) -> Any:
    """Store a Python Enum as its string value (portable, no native enum types)."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def install_sqlite_pragmas() -> None:
    """Make SQLite behave for a multi-threaded web app: foreign keys, WAL, and writers in line.

    Every SQLite transaction starts with BEGIN IMMEDIATE, so a check-then-insert (bed
    capacity, outbox pick-up) cannot interleave with another writer: the write lock is
    taken before the first read. PostgreSQL uses row locks instead.
    """
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            from hubhome.sqltime import sqlite_stockholm_hour, sqlite_stockholm_month

            for name, fn in (
                ("stockholm_hour", sqlite_stockholm_hour),
                ("stockholm_month", sqlite_stockholm_month),
            ):
                dbapi_connection.create_function(name, 1, fn, deterministic=True)

    @event.listens_for(Engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


_installed = False


def install_once() -> None:
    global _installed
    if not _installed:
        install_sqlite_pragmas()
        _installed = True


# Services take either a plain Session or Flask-SQLAlchemy's scoped `db.session` proxy.
DbSession = Session | scoped_session[Any]


def plan_for_these_values(session: DbSession) -> None:
    """For the rest of this transaction, plan each statement for its own parameters.

    psycopg prepares a statement on its fifth run, and PostgreSQL may then switch to a
    generic plan that ignores the parameters. For the outcomes reports (periods of one to
    ten years over one organisation) that plan was 2.5 times slower: the ten-year page took
    116 ms on a fresh worker and 290 ms on one that had served it five times. Hot paths keep
    the default (a generic plan saves them planning). PostgreSQL only; one round trip.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
