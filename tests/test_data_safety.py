"""Data safety: a backup restores into an empty database with every row, placement and
decision records cannot be deleted even with SQL, and a downgrade in production needs
to be told that it deletes data."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hubhome.cli import main
from hubhome.demo.seed import seed_demo
from hubhome.extensions import db
from tests.conftest import TEST_FIELD_KEY, make_test_app, postgres_url
from tests.test_demo_and_cli import _env, _row_counts

HUBHOME = str(Path(sys.executable).parent / "hubhome")


def _fresh_database(suffix: str) -> str:
    """An empty PostgreSQL database beside the test database (`<test db>_<suffix>`)."""
    url = make_url(postgres_url() or "")
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def _hubhome(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [HUBHOME, *args], env=_env(url), capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def demo_database() -> Iterator[str]:
    """A database migrated from empty and seeded with the demo, as in production."""
    if postgres_url() is None:
        pytest.skip("the restore drill runs on PostgreSQL: set HUBHOME_TEST_DATABASE_URL")
    url = _fresh_database("drill_source")
    app = make_test_app(url)
    with app.app_context():
        upgrade()
        seed_demo(db.session)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    yield url
    _drop(url)


@pytest.mark.postgres
def test_restore_drill_every_row_of_every_table_comes_back(demo_database, tmp_path):
    backup_file = tmp_path / "hubhome.dump"
    made = _hubhome("backup", "--out", str(backup_file), url=demo_database)
    assert made.returncode == 0, made.stderr
    assert backup_file.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    target = _fresh_database("drill_target")
    try:
        restored = _hubhome("restore", str(backup_file), url=target)
        assert restored.returncode == 0, restored.stderr
        before, after = _row_counts(demo_database), _row_counts(target)
        assert after == before
        assert before["placements"] > 0 and before["intervention_decisions"] > 0
        again = _hubhome("restore", str(backup_file), url=target)
        assert again.returncode != 0
        assert "not empty" in again.stderr
        _assert_records_kept(target)
    finally:
        _drop(target)
    print(f"restore drill: {len(before)} tables, {sum(before.values())} rows, all back")


def _assert_records_kept(url: str) -> None:
    engine = create_engine(url)
    try:
        for table in ("placements", "intervention_decisions"):
            for statement in (f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE"):
                with pytest.raises(DBAPIError, match="are kept"), engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_placements_and_decisions_cannot_be_deleted_with_sql(demo_database):
    before = _row_counts(demo_database)
    _assert_records_kept(demo_database)
    after = _row_counts(demo_database)
    assert after["placements"] == before["placements"]
    assert after["intervention_decisions"] == before["intervention_decisions"]


def test_downgrade_in_production_is_refused_without_the_data_loss_flag(tmp_path):
    production = {
        "HUBHOME_ENV": "production",
        "HUBHOME_SECRET_KEY": "s" * 40,
        "HUBHOME_DATABASE_URL": f"sqlite:///{tmp_path}/production.sqlite",
        "HUBHOME_FIELD_KEY": TEST_FIELD_KEY,
        "TWILIO_AUTH_TOKEN": "a-token",
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "HUBHOME_SECURE_COOKIES": "1",
        "HUBHOME_SMS_BACKEND": "twilio",
        "HUBHOME_REDIS_URL": "redis://127.0.0.1:6379/15",
        "HUBHOME_PROXY_HOPS": "1",
    }
    result = CliRunner().invoke(main, ["db", "downgrade", "base"], env=production)
    assert result.exit_code == 2
    assert "--i-understand-data-loss" in result.output
    help_text = CliRunner().invoke(main, ["db", "downgrade", "--help"]).output
    assert "--i-understand-data-loss" in help_text
