"""Profile the phone line's webhooks in-process: `python -m bench.profile_voice --db URL`.

Creates Hubhome with the bench server's environment (`_server_env`: the Twilio token the
bench signs with, query counting on), sends `-n` signed `POST /phone/voice` webhooks with
fresh CallSids (`bench.phone`'s builders) through `app.test_client()`, and prints per request:
the CPU time (`time.process_time`) of the whole round (test client included) and of the WSGI
application alone, the wall p50, and the statements (`X-Query-Count`). `--hook dial-result`
measures the first person's "no answer" instead (each call started, unmeasured, first).
`--profile` adds cProfile's top 30 functions by cumulative and by own time. The calls made
are deleted at the end (`--keep` keeps them), so the bench's data stays as generated.

Runs against a database `python -m bench --quick --generate-only` filled.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any

from bench.__main__ import DEFAULT_DB, _free_port, _server_env, _start, drive, workers_cpu_seconds
from bench.phone import dial_results, first_dial_action, incoming_calls, signed_post

PORT = 8020  # only signed into the URLs: nothing listens
BASE = f"http://127.0.0.1:{PORT}"
WARM_UP = 20


def callers(app: Any, count: int) -> list[tuple[str, str]]:
    """(a carer's phone, their constellation's number) for `count` satellite carers."""
    from sqlalchemy import text

    from hubhome.extensions import db

    query = text(
        "SELECT u.phone, c.phone_number FROM users u"
        " JOIN constellation_memberships m ON m.household_id = u.household_id"
        " JOIN constellations c ON c.id = m.constellation_id"
        " WHERE u.phone IS NOT NULL AND c.phone_number IS NOT NULL"
        " ORDER BY u.id LIMIT :n"
    )
    with app.app_context():
        rows = db.session.execute(query, {"n": count}).all()
        db.session.rollback()
    if not rows:
        raise SystemExit("no callers: generate the data first (python -m bench --generate-only)")
    return [(str(phone), str(line)) for phone, line in rows]


class CpuMeter:
    """WSGI middleware: the CPU the application itself uses (not the test client)."""

    def __init__(self, wsgi: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi = wsgi
        self.seconds = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        started = time.process_time()
        try:
            return list(self.wsgi(environ, start_response))
        finally:
            self.seconds += time.process_time() - started


def _send(client: Any, prepared: dict[str, Any]) -> Any:
    return client.open(
        prepared["path"], method="POST", data=prepared["body"], headers=prepared["headers"]
    )


def _dial_results(client: Any, voices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Start each call (not measured); the first person's "no answer" for each."""
    results = []
    for voice in voices:
        answer = _send(client, voice)
        sid = dict(p.split("=", 1) for p in voice["body"].split("&"))["CallSid"]
        params = {
            "CallSid": sid,
            "DialCallStatus": "no-answer",
            "DialCallSid": sid + "L",
            "CallStatus": "in-progress",
        }
        results.append(
            signed_post(BASE, first_dial_action(answer.get_data(as_text=True), BASE), params)
        )
    return results


def _forget(app: Any, prefix: str) -> int:
    """Delete the calls this run made (their legs, follow-ups and receipts first)."""
    from sqlalchemy import text

    from hubhome.extensions import db

    made = "SELECT id FROM calls WHERE call_sid LIKE :p"
    with app.app_context():
        for table in ("call_legs", "phone_follow_ups"):
            db.session.execute(
                text(f"DELETE FROM {table} WHERE call_id IN ({made})"), {"p": f"CA{prefix}%"}
            )  # noqa: S608
        done = db.session.execute(
            text("DELETE FROM calls WHERE call_sid LIKE :p"), {"p": f"CA{prefix}%"}
        )
        db.session.commit()
    return int(getattr(done, "rowcount", 0))


def under_gunicorn(args: argparse.Namespace, app: Any, prefix: str) -> None:
    """The same webhooks over HTTP to `hubhome:create_app()` under gunicorn (2 sync workers):
    its workers' CPU per request from /proc, the p50 the driver saw."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    people = callers(app, WARM_UP + args.n)
    mine = [people[i % len(people)] for i in range(WARM_UP + args.n)]
    server = _start("hubhome:create_app()", port, 2, _server_env(args.db, port))
    try:
        if args.hook == "dial-result":  # each call started first, not measured
            requests = dial_results(base, mine, prefix=prefix)
        else:
            requests = incoming_calls(base, mine, prefix=prefix)
        drive(base, requests[:WARM_UP], 2, WARM_UP)
        cpu_before = workers_cpu_seconds(server.pid)
        result = drive(base, requests[WARM_UP:], args.clients, args.n)
        cpu_ms = (workers_cpu_seconds(server.pid) - cpu_before) * 1000 / max(result["requests"], 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.hook}: {args.n} webhooks to gunicorn (2 workers), {args.clients} clients")  # noqa: T201
    print(f"workers' CPU per request: {cpu_ms:.2f} ms")  # noqa: T201
    print(  # noqa: T201
        f"wall p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, "
        f"errors {result['errors']}, statements {result['min_queries']}–{result['max_queries']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_voice", description=__doc__)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("-n", type=int, default=300, help="webhooks measured")
    parser.add_argument("--hook", choices=("voice", "dial-result"), default="voice")
    parser.add_argument("--profile", action="store_true", help="cProfile's top 30 functions")
    parser.add_argument("--keep", action="store_true", help="keep the calls made")
    parser.add_argument(
        "--gunicorn", action="store_true", help="over HTTP to gunicorn: its workers' CPU"
    )
    parser.add_argument("--clients", type=int, default=1, help="with --gunicorn: at once")
    parser.add_argument("--dump", help="with --profile: also write the raw stats to this file")
    args = parser.parse_args(argv)

    from config import Settings
    from hubhome import create_app

    app = create_app(Settings.from_env(_server_env(args.db, PORT)))
    meter = CpuMeter(app.wsgi_app)
    app.wsgi_app = meter  # type: ignore[method-assign]
    prefix = f"pv{int(time.time()) % 10**6:06d}"
    if args.gunicorn:
        try:
            under_gunicorn(args, app, prefix)
        finally:
            if not args.keep:
                _forget(app, prefix)
        return 0
    people = callers(app, WARM_UP + args.n)
    mine = [people[i % len(people)] for i in range(WARM_UP + args.n)]
    requests = incoming_calls(BASE, mine, prefix=prefix)
    client = app.test_client()
    if args.hook == "dial-result":
        requests = _dial_results(client, requests)
    for prepared in requests[:WARM_UP]:
        _send(client, prepared)

    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not wall
    walls: list[float] = []
    queries: list[int] = []
    meter.seconds = 0.0
    cpu_started = time.process_time()
    if profiler is not None:
        profiler.enable()
    for prepared in requests[WARM_UP:]:
        started = time.perf_counter()
        answer = _send(client, prepared)
        walls.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{prepared['path']} answered {answer.status_code}")
        queries.append(int(answer.headers.get("X-Query-Count", "0")))
    if profiler is not None:
        profiler.disable()
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.n
    app_cpu_ms = meter.seconds * 1000 / args.n
    if not args.keep:
        _forget(app, prefix)

    load = " ".join(f"{x:.2f}" for x in __import__("os").getloadavg())
    print(f"{args.hook}: {args.n} webhooks in-process, load average {load}")  # noqa: T201
    print(f"CPU per request: {cpu_ms:.2f} ms (the WSGI app alone: {app_cpu_ms:.2f} ms)")  # noqa: T201
    print(f"wall p50: {statistics.median(walls):.2f} ms")  # noqa: T201
    print(f"statements per request: {min(queries)}–{max(queries)}")  # noqa: T201
    if profiler is not None:
        if args.dump:
            profiler.dump_stats(args.dump)
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(30)
            print(f"\n--- top 30 by {order} ---")  # noqa: T201
            print(out.getvalue())  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
