"""Backups: `hubhome backup --out FILE` and `hubhome restore FILE`.

PostgreSQL is dumped with `pg_dump --format=custom` (compressed; `pg_restore` can restore it
whole or table by table) and restored with `pg_restore` into an empty database only, so a
restore never mixes two states. The connection string is taken from the settings; its
password goes to the tools in `PGPASSWORD`, never on a command line. SQLite (the demo) is
copied with SQLite's online backup API. A dump is a nightly safety net; point-in-time
recovery needs WAL archiving as well (README, "Backups and restore").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools")
    return found


def backup(database_url: str, out: Path) -> None:
    """Write a backup of the database to `out` (PostgreSQL custom format, or a SQLite copy)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(Path(url.database or ""), out)
        return
    dsn, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", dsn]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def restore(database_url: str, backup_file: Path) -> None:
    """Restore `backup_file` into the database, which must be empty."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = Path(url.database or "")
        if target.exists() and target.stat().st_size:
            raise BackupError(f"{target} exists: restore only into an empty database")
        _copy_sqlite(backup_file, target)
        return
    tables = _tables(database_url)
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables): restore only into an empty one"
        )
    dsn, env = _libpq(url)
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={dsn}",
        str(backup_file),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _tables(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _copy_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
