"""Migrations build, from an empty database, exactly the schema the models describe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from hubhome.extensions import db
from tests.conftest import make_test_app, postgres_url

PG_SCHEMA = "hubhome_migration_test"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrated.sqlite"
        return
    url = postgres_url()
    if url is None:
        pytest.skip("set HUBHOME_TEST_DATABASE_URL to a PostgreSQL database")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{PG_SCHEMA}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def migrated(empty_database: str) -> Iterator[Flask]:
    app = make_test_app(empty_database)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_migrations_from_empty_match_the_models(migrated):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_audit_events_refuse_update_and_delete(migrated):
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO organisations (name, created_at) VALUES ('K', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO audit_events (at, organisation_id, action, channel) "
                "VALUES (:now, 1, 'child.view', 'web')"
            ),
            {"now": "2026-01-01 00:00:00"},
        )
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_events")).scalars().all() == [
            "child.view"
        ]


def test_migrations_downgrade_to_empty(migrated):
    downgrade(revision="base")
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set()
