"""CPU, wall time and statements of the booking request, in-process; optionally profiled.

    python -m bench.profile_booking --db URL -n 300 [--profile | --gunicorn] [--families 40]

Builds the app as the bench serves it (`bench.__main__._server_env`: query counting on,
logging at WARNING), signs families in through `POST /api/v1/auth/token` for bearer tokens
and sends `-n` one-night booking requests through the test client, as the
`respite_booking_request` scenario does: each family from its own constellation on its own
night, every request a token's first use in a minute (9 statements). Between two requests,
outside what is measured, the booking just made is deleted and the token's last use cleared
on a connection of its own, so the same family can ask for the same night again and the
run never runs out of nights, beds or yearly allowance.

`--gunicorn` serves the app with gunicorn as the bench does (2 sync workers, the bench's
environment) and sends the requests over HTTP, one at a time.

Prints the CPU per request (in-process `time.process_time`; under gunicorn the workers'
utime + stime from /proc, in clock ticks, so only the mean over many requests means
anything; PostgreSQL's work is in neither), the wall p50 and p95 and the statements per
request (`X-Query-Count`). With `--profile` the requests run under cProfile, timed by CPU
(`time.process_time`), and the top 30 functions by cumulative and by own time are printed
(cProfile's own cost inflates the figures several times: compare CPU without it). The
database is one `python -m bench --generate-only` filled (`--quick` is enough).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bench.__main__ import DEFAULT_DB, _server_env

WARM_UP = 20  # requests first, not measured (the statement caches fill)


@dataclass(frozen=True)
class Family:
    email: str
    household_id: int
    child_id: int


@dataclass
class Measured:
    cpu_ms: list[float]
    wall_ms: list[float]
    statements: list[int]


def _families(dsn: str, count: int) -> list[Family]:
    """Foster families with a child placed now, each in another constellation with a hub."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            """
            SELECT DISTINCT ON (c.id) u.email, h.id, p.child_id
            FROM users u
            JOIN households h ON h.id = u.household_id
            JOIN constellation_memberships m ON m.household_id = h.id AND m.left_on IS NULL
            JOIN constellations c ON c.id = m.constellation_id AND c.hub_household_id <> h.id
            JOIN placements p ON p.household_id = h.id AND p.end_date IS NULL
            WHERE u.role = 'foster_carer' AND u.active
            ORDER BY c.id, h.id, u.id, p.child_id
            LIMIT %s
            """,
            (count,),
        ).fetchall()
    return [Family(email, household, child) for email, household, child in rows]


def _dsn(db_url: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    return str(url.set(drivername="postgresql")).replace("***", url.password or "")


class InProcess:
    """The app in this process, asked through its test client."""

    def __init__(self, db_url: str) -> None:
        from config import Settings
        from hubhome import create_app

        self.app = create_app(Settings.from_env(_server_env(db_url, 0)))
        self.client = self.app.test_client()

    def post(self, path: str, body: str, headers: dict[str, str]) -> tuple[int, Any, int]:
        """Status, JSON body and X-Query-Count of a POST."""
        answer = self.client.post(path, data=body, headers=headers)
        return answer.status_code, answer.get_json(), int(answer.headers.get("X-Query-Count", 0))

    def cpu_seconds(self) -> float:
        return time.process_time()

    def close(self) -> None:
        pass


class Gunicorn:
    """The app under gunicorn as the bench serves it (2 sync workers), asked over HTTP; its
    CPU is the workers' (utime + stime from /proc)."""

    def __init__(self, db_url: str, workers: int = 2) -> None:
        from bench.__main__ import _free_port, _start

        self.port = _free_port()
        env = _server_env(db_url, self.port)
        self.process = _start("hubhome:create_app()", self.port, workers, env)

    def post(self, path: str, body: str, headers: dict[str, str]) -> tuple[int, Any, int]:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        count = int(response.getheader("X-Query-Count") or 0)
        return response.status, json.loads(data) if data else None, count

    def cpu_seconds(self) -> float:
        from bench.__main__ import workers_cpu_seconds

        return workers_cpu_seconds(self.process.pid)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def run(
    db_url: str, requests: int, families: int, profile: bool, gunicorn: bool = False
) -> tuple[Measured, Any]:
    """Send WARM_UP + `requests` bookings; the measured ones' figures and the profile."""
    import psycopg

    from bench.generate import BENCH_PASSWORD

    dsn = _dsn(db_url)
    chosen = _families(dsn, families)
    if not chosen:
        raise SystemExit("no families found: generate the data with python -m bench first")
    server: InProcess | Gunicorn = Gunicorn(db_url) if gunicorn else InProcess(db_url)
    try:
        tokens = []
        for family in chosen:
            status, signed_in, _count = server.post(
                "/api/v1/auth/token",
                json.dumps({"email": family.email, "password": BENCH_PASSWORD}),
                {"Content-Type": "application/json"},
            )
            if status not in (200, 201):
                raise SystemExit(f"signing {family.email} in answered {status}")
            tokens.append(signed_in["token"])
        first_night = date.today() + timedelta(days=7)
        measured = Measured([], [], [])
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits
        with psycopg.connect(dsn, autocommit=True) as tidy:
            for i in range(WARM_UP + requests):
                slot = i % len(chosen)
                family, token = chosen[slot], tokens[slot]
                night = first_night + timedelta(days=slot % 150)
                body = json.dumps(
                    {
                        "household_id": family.household_id,
                        "child_ids": [family.child_id],
                        "check_in": night.isoformat(),
                        "check_out": (night + timedelta(days=1)).isoformat(),
                        "kind": "planned",
                    }
                )
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                counted = i >= WARM_UP
                if profiler is not None and counted:
                    profiler.enable()
                cpu, wall = server.cpu_seconds(), time.perf_counter()
                status, booked, count = server.post("/api/v1/respite/bookings", body, headers)
                cpu, wall = server.cpu_seconds() - cpu, time.perf_counter() - wall
                if profiler is not None and counted:
                    profiler.disable()
                if status != 201:
                    raise SystemExit(f"booking {i} answered {status}: {booked}")
                if counted:
                    measured.cpu_ms.append(cpu * 1000)
                    measured.wall_ms.append(wall * 1000)
                    measured.statements.append(count)
                tidy.execute(
                    "DELETE FROM respite_booking_children WHERE booking_id = %s", (booked["id"],)
                )
                tidy.execute("DELETE FROM respite_bookings WHERE id = %s", (booked["id"],))
                tidy.execute(
                    "UPDATE api_tokens SET last_used_at = NULL WHERE token_hash = %s",
                    (_token_hash(token),),
                )
    finally:
        server.close()
    return measured, profiler


def _token_hash(token: str) -> str:
    """As `hubhome.accounts.services` keeps a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_booking", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("--families", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="run under cProfile, print top 30")
    parser.add_argument(
        "--gunicorn", action="store_true", help="serve with gunicorn (2 workers), over HTTP"
    )
    args = parser.parse_args(argv)
    if args.profile and args.gunicorn:
        parser.error("--profile profiles this process: not with --gunicorn")
    measured, profiler = run(args.db, args.requests, args.families, args.profile, args.gunicorn)
    counts = sorted(set(measured.statements))
    statements = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    load = os.getloadavg()[0]
    print(  # noqa: T201
        f"{len(measured.cpu_ms)} booking requests, load average {load:.2f}"
        f"{' (under cProfile)' if profiler else ''}"
        f"{', gunicorn with 2 workers' if args.gunicorn else ', in-process'}:\n"
        f"  CPU per request  {statistics.mean(measured.cpu_ms):.2f} ms"
        f"{' (the workers)' if args.gunicorn else ''}\n"
        f"  wall p50         {statistics.median(measured.wall_ms):.2f} ms, "
        f"p95 {_percentile(measured.wall_ms, 0.95):.2f} ms\n"
        f"  statements       {statements} per request"
    )
    if profiler is not None:
        for order in ("cumulative", "tottime"):
            print(f"\nTop 30 by {order} time:")  # noqa: T201
            pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
