"""Run the benchmark: `python -m bench` (full national scale) or `python -m bench --quick`.

Generates the data on PostgreSQL, serves Hubhome and a bare Flask route under the same
gunicorn settings, drives each scenario from a separate process, and prints a table and
one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
FIELD_KEY = "YmVuY2gtZmllbGQta2V5LTAwMDAwMDAwMDAwMDAwMDA="
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1/hubhome_bench"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(db_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "HUBHOME_DATABASE_URL": db_url,
            "HUBHOME_SECRET_KEY": "bench-secret-key-bench-secret-key-000",
            "HUBHOME_FIELD_KEY": FIELD_KEY,
            "HUBHOME_REQUIRE_MFA": "0",
            "HUBHOME_LOGIN_RATE_LIMIT": "1000000 per minute",
            "HUBHOME_COUNT_QUERIES": "1",
            "HUBHOME_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "HUBHOME_LOG_LEVEL": "WARNING",
            "TWILIO_AUTH_TOKEN": "bench-twilio-token",
        }
    )
    return env


def _recreate_database(db_url: str) -> None:
    url = make_url(db_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def prepare(db_url: str, quick: bool, seed: int) -> Any:
    """Create, migrate and fill the database; return the generated handles."""
    from flask_migrate import upgrade

    from bench.generate import Scale, generate
    from config import Settings
    from hubhome import create_app

    _recreate_database(db_url)
    env = _server_env(db_url, 0)
    app = create_app(Settings.from_env(env), CHEAP_PASSWORD_HASHES=False)
    with app.app_context():
        upgrade()
        return generate(Scale.quick() if quick else Scale.full(), seed=seed)


def _start(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        target,
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{target} did not start on port {port}")


def _worker_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def drive(
    base: str, requests: list[dict[str, Any]], concurrency: int, total: int
) -> dict[str, Any]:
    """Run the load driver in its own process and return its measurements."""
    spec = {"base": base, "requests": requests, "concurrency": concurrency, "total": total}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.driver", handle.name],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    return dict(json.loads(output.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, fewer requests")
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from bench.scenarios import scenarios

    generated = prepare(args.db, args.quick, args.seed)
    print(
        f"generated data in {generated.seconds:.1f} s "  # noqa: T201
        f"({len(generated.families)} families, {generated.bookings} past respite stays)"
    )
    port, floor_port = _free_port(), _free_port()
    env = _server_env(args.db, port)
    server = _start("hubhome:create_app()", port, args.workers, env)
    floor = _start("bench.floor_app:app", floor_port, args.workers, env)
    total = 400 if args.quick else 2000
    results: dict[str, Any] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        floor_result = drive(
            f"http://127.0.0.1:{floor_port}",
            [{"method": "GET", "path": "/ping", "headers": {}}],
            10,
            total,
        )
        results["floor"] = floor_result
        for scenario in scenarios():
            requests = scenario.build(base, generated)
            if scenario.repeatable:
                drive(base, requests, scenario.concurrency, min(50, total))  # warm-up
            count = total if scenario.repeatable else len(requests)
            result = drive(base, requests, scenario.concurrency, count)
            result["vs_floor"] = result["throughput"] / floor_result["throughput"]
            result["target_ms"] = scenario.target_ms
            result["target_percentile"] = scenario.target_percentile
            result["met"] = (
                scenario.target_ms is None
                or result[scenario.target_percentile] <= scenario.target_ms
            )
            results[scenario.name] = result
        rss = _worker_rss_mb(server.pid)
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=30)
    _print_table(results, rss)
    summary = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "quick": args.quick,
        "workers": args.workers,
        "worker_rss_mb": rss,
        "results": results,
    }
    print(json.dumps(summary, sort_keys=True))  # noqa: T201
    misses = [name for name, r in results.items() if name != "floor" and not r["met"]]
    misses += ["worker_memory"] if any(size > 150 for size in rss) else []
    return 1 if misses else 0


def _print_table(results: dict[str, Any], rss: list[float]) -> None:
    header = (
        f"{'scenario':32} {'req/s':>8} {'x floor':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'queries':>8} {'target':>14} {'errors':>6}"
    )
    print(header)  # noqa: T201
    for name, r in results.items():
        target = (
            ""
            if not r.get("target_ms")
            else (
                f"{r['target_percentile'][:3]}<{r['target_ms']:.0f} {'ok' if r['met'] else 'MISS'}"
            )
        )
        queries = "" if r.get("mean_queries") is None else f"{r['mean_queries']:.1f}"
        ratio = f"{r['vs_floor']:.2f}" if "vs_floor" in r else "1.00"
        print(
            f"{name:32} {r['throughput']:8.0f} {ratio:>8} {r['p50_ms']:8.1f} "  # noqa: T201
            f"{r['p95_ms']:8.1f} {r['p99_ms']:8.1f} {queries:>8} {target:>14} {r['errors']:6}"
        )
    print(f"worker memory (MB): {', '.join(f'{s:.0f}' for s in rss)}")  # noqa: T201


if __name__ == "__main__":
    sys.exit(main())
