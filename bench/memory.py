"""Each gunicorn worker's memory, step by step: `python -m bench.memory --db URL`.

Serves the bench's database (`python -m bench --quick --generate-only --db URL` first) with
the page pool (`gunicorn -w 2 'hubhome:create_app()'`, the bench's environment) and the phone
pool (what `hubhome serve --phone` serves), reads each worker's VmRSS right after start, then
drives the bench's scenarios one step at a time (signing in through /api/v1/auth/token,
/api/v1/me, availability, bookings, caseload, constellation health, outcomes over five
years; incoming calls and dial results on the phone pool) and prints every worker's VmRSS and
peak (VmHWM) after each step, so the step that raises the peak shows. Requests go two at a
time, so both workers serve them. With `--json PATH` the steps are written there too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.__main__ import DEFAULT_DB, _free_port, _server_env, _start, _workers, drive
from bench.generate import Generated

Step = tuple[str, Callable[[], list[dict[str, Any]]], int]


def worker_memory_mb(master: int) -> dict[int, tuple[float, float]]:
    """Each gunicorn worker's (VmRSS, VmHWM) in MB, by pid."""
    found: dict[int, tuple[float, float]] = {}
    for pid in _workers(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # a worker that has just exited
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss, hwm = (round(int(fields[key].split()[0]) / 1024, 1) for key in ("VmRSS", "VmHWM"))
        found[pid] = (rss, hwm)
    return found


def load_generated(db_url: str) -> Generated:
    """Rebuild, from a generated database, the handles the scenarios need."""
    engine = create_engine(db_url)
    with engine.connect() as conn:

        def rows(sql: str) -> list[Any]:
            return list(conn.execute(text(sql)))

        families = [
            (r.email, r.household_id, r.constellation_id, r.child_id)
            for r in rows(
                """SELECT u.email, h.id AS household_id, m.constellation_id,
                          (SELECT p.child_id FROM placements p
                            WHERE p.household_id = h.id AND p.end_date IS NULL
                            ORDER BY p.id LIMIT 1) AS child_id
                     FROM households h
                     JOIN constellation_memberships m ON m.household_id = h.id
                     JOIN users u ON u.household_id = h.id
                    WHERE h.kind = 'satellite'
                    ORDER BY h.id"""
            )
            if r.child_id is not None
        ]
        phones = dict(rows("SELECT household_id, phone FROM users WHERE household_id IS NOT NULL"))
        numbers = dict(rows("SELECT id, phone_number FROM constellations"))
        caseload = dict(
            rows(
                """SELECT u.email, count(p.id) FROM users u
                     LEFT JOIN placements p ON p.social_worker_id = u.id AND p.end_date IS NULL
                    WHERE u.role = 'social_worker' GROUP BY u.email"""
            )
        )
        liaison = dict(
            rows(
                """SELECT u.email, count(c.id) FROM users u
                     LEFT JOIN constellations c ON c.liaison_id = u.id
                    WHERE u.role = 'social_worker' GROUP BY u.email"""
            )
        )
        by_role = {
            role: [
                r.email for r in rows(f"SELECT email FROM users WHERE role = '{role}' ORDER BY id")
            ]  # noqa: S608  (constants)
            for role in ("admin", "foster_carer", "social_worker", "oncall_staff")
        }
    engine.dispose()
    return Generated(
        organisation_ids=[],
        social_worker_emails=by_role["social_worker"],
        carer_emails=by_role["foster_carer"],
        constellation_numbers=list(numbers.values()),
        seconds=0.0,
        families=families,
        bookings=0,
        callers=[(phones[h], numbers[c]) for _e, h, c, _child in families[:2000]],
        admin_emails=by_role["admin"],
        caseload_sizes={str(k): int(v) for k, v in caseload.items()},
        liaison_sizes={str(k): int(v) for k, v in liaison.items()},
        oncall_emails=by_role["oncall_staff"],
    )


def page_steps(base: str, data: Generated) -> list[Step]:
    """The bench's page-pool scenarios, each built (and its sign-ins made) inside its step."""
    from bench import scenarios

    def bookings() -> list[dict[str, Any]]:
        # Nights shifted 50-129 days on by the minute of the run, so a rerun still finds free
        # beds (still inside the 180 days a family may book ahead).
        return _shift_nights(scenarios.respite_booking(base, _few(data, 40)))

    return [
        ("sign-ins + /api/v1/me", lambda: scenarios.me(base, data), 200),
        ("availability 90 nights", lambda: scenarios.respite_availability(base, data), 200),
        ("booking requests", bookings, 40),
        ("caseload", lambda: scenarios.caseload(base, data), 100),
        ("constellation health", lambda: scenarios.constellation_health(base, data), 100),
        ("outcomes five years", lambda: scenarios.outcomes_report(base, data), 100),
    ]


def _few(data: Generated, count: int) -> Generated:
    import dataclasses

    return dataclasses.replace(data, families=data.families[:count])


def _shift_nights(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from datetime import date, timedelta

    offset = timedelta(days=50 + int(time.time()) // 60 % 80)
    shifted = []
    for request in requests:
        body = json.loads(request["body"])
        for key in ("check_in", "check_out"):
            body[key] = (date.fromisoformat(body[key]) + offset).isoformat()
        shifted.append(request | {"body": json.dumps(body)})
    return shifted


def phone_steps(public: str, data: Generated) -> list[Step]:
    """Incoming calls and dial results, new CallSids every run (signed over the page URL)."""
    from bench.phone import dial_results, incoming_calls

    tag = f"m{int(time.time()) % 10**6:06d}"
    callers = data.callers[1400:] or data.callers
    return [
        ("incoming calls", lambda: incoming_calls(public, callers[:100], prefix=f"v{tag}"), 100),
        ("dial results", lambda: dial_results(public, callers[100:200], prefix=f"d{tag}"), 100),
    ]


def _report(pool: str, step: str, master: int, statuses: str = "") -> dict[str, Any]:
    memory = worker_memory_mb(master)
    cells = "  ".join(
        f"{pid}: rss {rss:5.1f} peak {hwm:5.1f}" for pid, (rss, hwm) in memory.items()
    )
    print(f"{pool:<5} {step:<26} {cells}  {statuses}", flush=True)  # noqa: T201
    return {
        "pool": pool,
        "step": step,
        "workers": {
            str(pid): {"rss_mb": rss, "peak_mb": hwm} for pid, (rss, hwm) in memory.items()
        },
        "result": statuses,
    }


def _run(pool: str, target: str, master: int, steps: list[Step]) -> list[dict[str, Any]]:
    done = []
    for name, build, total in steps:
        requests = build()
        result = drive(target, requests, 2, total)
        outcome = (
            f"{result['requests']} requests, {result['errors']} errors {result['error_kinds']}"
        )
        done.append(_report(pool, name, master, outcome))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the steps here")
    args = parser.parse_args(argv)

    data = load_generated(args.db)
    port, phone_port = _free_port(), _free_port()
    env = _server_env(args.db, port)
    base, phone_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{phone_port}"
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)  # noqa: T201
    pages = _start("hubhome:create_app()", port, args.workers, env)
    phone: subprocess.Popen[bytes] | None = None
    steps: list[dict[str, Any]] = []
    try:
        phone = _start("bench.phone:phone_pool()", phone_port, args.workers, env)
        _wait_for_workers(pages.pid, args.workers)
        _wait_for_workers(phone.pid, args.workers)
        steps.append(_report("page", "started", pages.pid))
        steps.append(_report("phone", "started", phone.pid))
        steps += _run("page", base, pages.pid, page_steps(base, data))
        steps += _run("phone", phone_base, phone.pid, phone_steps(base, data))
    finally:
        for process in (pages, phone):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)  # noqa: T201
    if args.json:
        args.json.write_text(json.dumps(steps, indent=1) + "\n")
    return 0


def _wait_for_workers(master: int, workers: int) -> None:
    """Until every worker has loaded the application (its memory stops growing)."""
    deadline = time.monotonic() + 60
    previous: dict[int, tuple[float, float]] = {}
    while time.monotonic() < deadline:
        current = worker_memory_mb(master)
        if len(current) == workers and current == previous:
            return
        previous = current
        time.sleep(1.0)


if __name__ == "__main__":
    sys.exit(main())
