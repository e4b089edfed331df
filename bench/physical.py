"""The physical floor of a hot path: the same SQL the app sends, through bare psycopg.

`capture` runs one request of a hot path in-process (the booking request, `POST /phone/voice`)
with a `before_cursor_execute` listener and keeps every statement with its parameters.
`replay` sends those statements on one psycopg connection, `rounds` times, each round in a
transaction that is rolled back (the statements insert rows with unique keys: a booking's
child, a call's CallSid), and measures each round's wall time and this process's CPU time.

The floor the targets are checked against is that replay **served**: `write_spec` hands the
statements to the bare Flask app (`bench/floor_app.py`, `POST /sql/<name>`), which runs one
round per request on its worker's psycopg connection and **commits** it, as the app commits its
unit of work (the commit's wait for the disk is part of the physical floor; the call's CallSid
is made fresh for each request, so the same row can be inserted again). The bench drives it
under the same gunicorn settings, with the same request (path aside: same body, same headers)
and the same passes as the app's scenario, and reads its workers' CPU from /proc the same way.
So both sides pay for HTTP, gunicorn and a WSGI request; the ratio is what Flask's extensions,
SQLAlchemy and Hubhome's own Python add on top of the round trips. The in-process replay is
kept in the JSON for reading (no HTTP at all).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# SQL, parameters, executemany, and for an INSERT … RETURNING the ids it returned
Statement = tuple[str, Any, bool, list[Any]]
_INSERT = re.compile(r"^\s*INSERT INTO (\w+)", re.I)


@dataclass(frozen=True)
class Floor:
    statements: int
    wall_p50_ms: float
    cpu_ms: float


def capture(app: Any, send: Callable[[Any], Any]) -> list[Statement]:
    """The statements of the last request `send(client)` makes (it may try a few)."""
    from flask import has_request_context, request_started
    from sqlalchemy import event

    from hubhome.extensions import db

    captured: list[Statement] = []

    def keep(_conn: Any, cursor: Any, statement: str, parameters: Any, _ctx: Any, many: bool):
        if not has_request_context():
            return
        returned: list[Any] = []
        if " RETURNING " in statement and _INSERT.match(statement) and cursor.description:
            returned = [row[0] for row in cursor.fetchall()]
            cursor.scroll(0, mode="absolute")  # SQLAlchemy reads them again
        captured.append((statement, parameters, many, returned))

    def restart(_sender: Any, **_extra: Any) -> None:
        captured.clear()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", keep)
    request_started.connect(restart, app)
    try:
        response = send(app.test_client())
    finally:
        event.remove(engine, "after_cursor_execute", keep)
        request_started.disconnect(restart, app)
    if response.status_code >= 400:
        raise RuntimeError(f"capturing the floor: the request answered {response.status_code}")
    return captured


def _foreign_keys() -> dict[str, dict[str, str]]:
    """Table -> {column: the table whose id it references}, from Hubhome's models."""
    from hubhome.extensions import db

    return {
        name: {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        for name, table in db.metadata.tables.items()
    }


def _renumbered(sql: str, parameters: Any, new_ids: dict[tuple[str, Any], Any], fks: Any) -> Any:
    """An INSERT's parameters with the ids of rows inserted earlier in the captured request
    (a booking's, a call's) replaced by the ids the replay's own inserts returned."""
    match = _INSERT.match(sql)
    if not match or not new_ids or not isinstance(parameters, dict):
        return parameters
    references = fks.get(match.group(1), {})
    renumbered = dict(parameters)
    for key, value in parameters.items():
        target = references.get(key.split("__")[0])  # insertmanyvalues: booking_id__0, …
        if target is not None and (target, value) in new_ids:
            renumbered[key] = new_ids[(target, value)]
    return renumbered


def _varied(parameters: Any, fresh: dict[str, str]) -> Any:
    """Parameters with each unique value of the captured request (a CallSid) replaced by this
    request's own, so a floor that commits can insert its row again."""
    if not fresh:
        return parameters
    if isinstance(parameters, dict):
        return {k: fresh.get(v, v) if isinstance(v, str) else v for k, v in parameters.items()}
    if isinstance(parameters, list | tuple):
        return [_varied(p, fresh) for p in parameters]
    return parameters


def send_round(
    cursor: Any, statements: list[Statement], fks: Any, fresh: dict[str, str] | None = None
) -> None:
    """One request's statements on `cursor`, ids of rows it inserts renumbered as it goes,
    and the captured request's unique values replaced by `fresh`'s (old -> new)."""
    new_ids: dict[tuple[str, Any], Any] = {}
    for sql, captured, many, returned in statements:
        parameters = _varied(captured, fresh or {})
        if many:
            cursor.executemany(sql, parameters)
            continue
        cursor.execute(sql, _renumbered(sql, parameters, new_ids, fks) or None)
        if cursor.description is None:
            continue
        rows = cursor.fetchall()
        match = _INSERT.match(sql)
        if returned and match:
            for old, row in zip(returned, rows, strict=False):
                new_ids[(match.group(1), old)] = row[0]


def replay(dsn: str, statements: list[Statement], rounds: int = 200) -> Floor:
    """Send the statements `rounds` times on one connection; p50 wall and mean CPU per round."""
    import psycopg

    fks = _foreign_keys()
    walls: list[float] = []
    started_cpu = time.process_time()
    with psycopg.connect(dsn) as conn:
        for _round in range(rounds + 10):  # ten rounds to warm up, not counted
            if _round == 10:
                started_cpu = time.process_time()
            started = time.perf_counter()
            with conn.cursor() as cursor:
                send_round(cursor, statements, fks)
            conn.rollback()
            if _round >= 10:
                walls.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - started_cpu) * 1000 / rounds
    return Floor(len(statements), statistics.median(walls), cpu)


def write_spec(
    path: str,
    dsn: str,
    captured: dict[str, list[Statement]],
    unique: dict[str, list[str]] | None = None,
) -> None:
    """Hand the captured statements to the floor app (`HUBHOME_BENCH_FLOOR_SQL` names the file).

    Pickled: the parameters are Python values (dates, datetimes) exactly as the app bound them.
    `unique` names, per hot path, the values the served floor makes fresh for every request
    (a call's CallSid): it commits, as the app does, so it must not insert the same key twice.
    """
    import pickle

    spec = {"dsn": dsn, "fks": _foreign_keys(), "paths": captured, "unique": unique or {}}
    with open(path, "wb") as handle:
        pickle.dump(spec, handle)


def compare(
    floor: Floor, app_p50_ms: float, app_cpu_ms: float, served: dict[str, float] | None = None
) -> dict[str, Any]:
    """The hot path against its floor, as the JSON and the targets read it.

    `floor` is the in-process replay; `served` (p50_ms, cpu_ms) the same SQL served by the
    bare Flask app over HTTP. The ratios are taken against the served floor when there is one.
    """
    wall = served["p50_ms"] if served else floor.wall_p50_ms
    cpu = served["cpu_ms"] if served else floor.cpu_ms
    figures = {
        "statements": floor.statements,
        "replay_wall_p50_ms": round(floor.wall_p50_ms, 2),
        "replay_cpu_ms": round(floor.cpu_ms, 3),
        "floor_wall_p50_ms": round(wall, 2),
        "floor_cpu_ms": round(cpu, 3),
        "served": served is not None,
        "app_wall_p50_ms": round(app_p50_ms, 2),
        "app_cpu_ms": round(app_cpu_ms, 2),
        "wall_ratio": round(app_p50_ms / max(wall, 0.001), 2),
        "cpu_ratio": round(app_cpu_ms / max(cpu, 0.001), 2),
    }
    return figures


def hot_paths(app: Any, base: str, generated: Any) -> dict[str, list[Statement]]:
    """Capture a booking request and an incoming call, from data no scenario uses."""
    import json
    from datetime import date, timedelta

    from bench.generate import BENCH_PASSWORD
    from bench.phone import incoming_calls

    email, household_id, _constellation, child_id = generated.families[-1]
    nights = [date.today() + timedelta(days=n) for n in range(170, 180)]  # past the scenarios

    signed_in = app.test_client().post(
        "/api/v1/auth/token", json={"email": email, "password": BENCH_PASSWORD}
    )
    token = signed_in.json["token"]

    def book(client: Any) -> Any:
        """The first of `nights` with a free bed (a bed held by an earlier run is not)."""
        for night in nights:
            booking = {
                "household_id": household_id,
                "child_ids": [child_id],
                "check_in": night.isoformat(),
                "check_out": (night + timedelta(days=1)).isoformat(),
                "kind": "planned",
            }
            answer = client.post(
                "/api/v1/respite/bookings",
                data=json.dumps(booking),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            if answer.status_code != 409:
                return answer
        return answer

    (call,) = incoming_calls(base, generated.callers[-1:], prefix="floor")

    def ring(client: Any) -> Any:
        return client.open(call["path"], method="POST", data=call["body"], headers=call["headers"])

    captured = {
        "respite_booking_request": capture(app, book),
        "phone_voice": capture(app, ring),
    }
    _forget_call(app, call)
    return captured


def unique_values(generated: Any) -> dict[str, list[str]]:
    """The values of `hot_paths`' requests a committing floor must make fresh each time: the
    call's CallSid (unique). The booking has no unique value (no idempotency key is sent)."""
    from urllib.parse import parse_qs

    from bench.phone import incoming_calls

    (call,) = incoming_calls("http://unused", generated.callers[-1:], prefix="floor")
    return {"phone_voice": [parse_qs(call["body"])["CallSid"][0]]}


def _forget_call(app: Any, call: dict[str, Any]) -> None:
    """Delete the captured call, whose CallSid is unique, so the replay can insert it again."""
    from urllib.parse import parse_qs

    from sqlalchemy import delete, select

    from hubhome.extensions import db
    from hubhome.phone.models import Call, CallLeg

    sid = parse_qs(call["body"])["CallSid"][0]
    with app.app_context():
        made = select(Call.id).where(Call.call_sid == sid).scalar_subquery()
        db.session.execute(delete(CallLeg).where(CallLeg.call_id == made))
        db.session.execute(delete(Call).where(Call.call_sid == sid))
        db.session.commit()
