"""How long the national jobs take on the generated country, and how much memory they use.

    python -m bench --generate-only [--quick]        # fill the database first
    python -m bench.jobs [--db URL] [--at INSTANT]   # then time the jobs on it

Each job runs as the scheduler runs it (`jobs.scheduler.run_job`: its run recorded, one unit
of work per organisation) in a process of its own, and its peak is what it allocated
(tracemalloc, which slows it a little); the clock
is set to `--at` (default: a Monday 07:00 in the first week of a quarter, when the dues
digest and "IVO report ready" both have work). Prints a line per job and one JSON line. The
outbox is not sent: the messages are queued, as they would be before the sender runs.

Exits 1 when a job failed or missed its target: each under `--max-seconds` (60) and its
peak allocation under `--max-mb` (50: memory bounded by the largest organisation, which is
the same size at every scale the bench generates, never by the country).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime
from typing import Any

from bench.__main__ import DEFAULT_DB, _server_env

JOBS = ("caseload_dues_digest", "ivo_report_ready", "rota_gaps")
DEFAULT_AT = "2027-01-04T06:00:00+00:00"  # Monday 07:00 in Stockholm, four days into Q1
TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 50.0


def _measure_one(db_url: str, job: str, at: str) -> dict[str, Any]:
    """Run one job in this process at instant `at`; return its figures."""
    import time_machine
    from sqlalchemy import event, func, select

    from config import Settings
    from hubhome import create_app
    from hubhome.extensions import db
    from hubhome.network.models import Organisation
    from hubhome.outbox.models import OutboxMessage
    from jobs.registry import all_jobs
    from jobs.scheduler import run_job

    env = _server_env(db_url, 0) | {"HUBHOME_DB_STATEMENT_TIMEOUT_MS": "0"}
    app = create_app(Settings.from_env(env))
    spec = next(s for s in all_jobs(app) if s.name == job)
    queries = 0

    def count(*_args: Any) -> None:
        nonlocal queries
        queries += 1

    with time_machine.travel(datetime.fromisoformat(at), tick=True), app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        queued_before = db.session.scalar(select(func.count(OutboxMessage.id))) or 0
        organisations = db.session.scalar(select(func.count(Organisation.id))) or 1
        db.session.commit()
        tracemalloc.start()
        started = time.monotonic()
        run = run_job(app, spec)
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        queued = (db.session.scalar(select(func.count(OutboxMessage.id))) or 0) - queued_before
        db.session.commit()
    return {
        "job": job,
        "outcome": run.outcome,
        "error": run.error,
        "seconds": round(seconds, 2),
        "queries": queries,
        "queries_per_organisation": round(queries / organisations, 1),
        "sms_queued": queued,
        "peak_python_mb": round(peak / 2**20, 1),  # what the job allocated at its peak
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--at", default=DEFAULT_AT, help="the instant the jobs run at (ISO 8601)")
    parser.add_argument("--max-seconds", type=float, default=TARGET_SECONDS)
    parser.add_argument("--max-mb", type=float, default=TARGET_PEAK_MB, help="peak allocated")
    parser.add_argument("--job", choices=JOBS, help=argparse.SUPPRESS)  # one, in this process
    args = parser.parse_args(argv)
    if args.job:
        print(json.dumps(_measure_one(args.db, args.job, args.at)))  # noqa: T201
        return 0
    results = []
    for job in JOBS:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.jobs", "--db", args.db, "--at", args.at, "--job", job],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)  # noqa: T201
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(  # noqa: T201
            f"{job:22} {result['outcome']:7} {result['seconds']:8.2f} s "
            f"{result['queries']:7} queries ({result['queries_per_organisation']} per "
            f"organisation) {result['sms_queued']:6} SMS "
            f"peak {result['peak_python_mb']:6.1f} MB allocated"
        )
    print(json.dumps({"at": args.at, "jobs": results}, sort_keys=True))  # noqa: T201
    missed = [
        f"{r['job']}: {r['outcome']}, {r['seconds']} s, {r['peak_python_mb']} MB"
        for r in results
        if r["outcome"] != "ok"
        or r["seconds"] > args.max_seconds
        or r["peak_python_mb"] > args.max_mb
    ]
    for line in missed:
        print(  # noqa: T201
            f"missed the target (ok, < {args.max_seconds:g} s, < {args.max_mb:g} MB): {line}",
            file=sys.stderr,
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
