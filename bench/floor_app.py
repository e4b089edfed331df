"""The floors every scenario is compared to, served the same way as Hubhome.

- `GET /ping`: a bare Flask route, the cost of HTTP, gunicorn and a WSGI request alone.
- `POST /sql/<name>`: the physical floor of a hot path: the SQL Hubhome sent for one such
  request (captured by `bench.physical.capture`), sent again through bare psycopg on the
  worker's own connection and committed, as the app commits; values that must be unique (a
  CallSid) are made fresh for each request. The statements come from the pickle
  `HUBHOME_BENCH_FLOOR_SQL` names (`write_spec`).

Deliberately bare: no SQLAlchemy, no extensions, nothing of Hubhome imported.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from flask import Flask, abort

from bench.physical import send_round

app = Flask(__name__)
_spec: dict[str, Any] | None = None
_connection: Any = None
_served = 0


def _loaded() -> dict[str, Any]:
    global _spec
    if _spec is None:
        path = os.environ.get("HUBHOME_BENCH_FLOOR_SQL")
        _spec = {"paths": {}}
        if path:
            with open(path, "rb") as handle:
                _spec = pickle.load(handle)  # noqa: S301  (the bench's own file)
    return _spec


@app.route("/ping")
def ping() -> str:
    return "pong"


@app.route("/sql/<name>", methods=["POST"])
def sql(name: str) -> str:
    import psycopg

    global _connection, _served
    spec = _loaded()
    statements = spec["paths"].get(name)
    if statements is None:
        abort(404)
    if _connection is None:
        _connection = psycopg.connect(spec["dsn"])
    _served += 1
    fresh = {old: f"{old}-{os.getpid()}-{_served}" for old in spec["unique"].get(name, [])}
    try:
        with _connection.cursor() as cursor:
            send_round(cursor, statements, spec["fks"], fresh)
        _connection.commit()
    finally:
        _connection.rollback()  # after a failed statement; nothing to do after the commit
    return "ok"
