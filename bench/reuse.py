"""`python -m bench --reuse`: measure again without generating again.

After generating, the bench keeps a copy of the fresh database as a template
(`<database>_generated`) and the handles the scenarios need as JSON beside the run's artifacts
(`artifacts/bench/generated-<database>.json`). `--reuse` recreates the database from that
template (a file copy: seconds, where generating the largest municipality takes minutes) and
reads the handles back, so every run starts from the same untouched data — the scenarios
themselves book nights, ring calls and write audit events.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.generate import Generated

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "bench"
TUPLE_LISTS = ("families", "callers", "hub_carers")


def template_name(db_url: str) -> str:
    return f"{make_url(db_url).database}_generated"


def handles_path(db_url: str, directory: Path = ARTIFACTS) -> Path:
    return directory / f"generated-{make_url(db_url).database}.json"


def _admin(db_url: str) -> Any:
    url = make_url(db_url)
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _copy(admin: Any, source: str, target: str) -> None:
    with admin.connect() as conn:
        # The generator's own pooled connections would block the copy: end them (ours).
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": source},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))


def save(db_url: str, generated: Generated, directory: Path = ARTIFACTS) -> Path:
    """Keep the freshly generated database as a template and its handles as JSON."""
    admin = _admin(db_url)
    try:
        _copy(admin, str(make_url(db_url).database), template_name(db_url))
    finally:
        admin.dispose()
    return write_handles(db_url, generated, directory)


def write_handles(db_url: str, generated: Generated, directory: Path = ARTIFACTS) -> Path:
    """The handles the scenarios need, as JSON, for `load`."""
    path = handles_path(db_url, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataclasses.asdict(generated)) + "\n")
    return path


def restore(db_url: str, directory: Path = ARTIFACTS) -> Generated:
    """Recreate the database from its template; return the handles saved with it."""
    generated = load(db_url, directory)
    admin = _admin(db_url)
    try:
        _copy(admin, template_name(db_url), str(make_url(db_url).database))
    finally:
        admin.dispose()
    return generated


def load(db_url: str, directory: Path = ARTIFACTS) -> Generated:
    """The handles saved when the database was generated."""
    path = handles_path(db_url, directory)
    if not path.exists():
        raise SystemExit(f"--reuse: no {path}; run once without --reuse to generate")
    fields = json.loads(path.read_text())
    for name in TUPLE_LISTS:
        fields[name] = [tuple(item) for item in fields[name]]
    return Generated(**fields)
