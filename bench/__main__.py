"""Run the benchmark: `python -m bench` (full national scale) or `python -m bench --quick`.

Generates the data on PostgreSQL, serves Hubhome and a bare Flask route under the same
gunicorn settings, drives each scenario from a separate process, prints a table with a verdict
for every target, writes the run's JSON under artifacts/bench/ and exits 1 when any target is
missed (`bench/targets.py`).

`--reuse` skips generating: the database is recreated from the copy kept when it was last
generated with the same `--db` (`bench/reuse.py`), so scenarios can be measured again in
seconds rather than minutes, from the same untouched data.
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
from datetime import UTC, datetime
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


def prepare(db_url: str, quick: bool, seed: int, *, org_scale: bool = False) -> Any:
    """Create, migrate and fill the database; return the generated handles."""
    from flask_migrate import upgrade

    from bench.generate import Scale, generate
    from config import Settings
    from hubhome import create_app

    _recreate_database(db_url)
    env = _server_env(db_url, 0)
    env["HUBHOME_DB_STATEMENT_TIMEOUT_MS"] = "0"  # VACUUM ANALYZE of a country takes minutes
    app = create_app(Settings.from_env(env), CHEAP_PASSWORD_HASHES=False)
    with app.app_context():
        upgrade()
        scale = Scale.org() if org_scale else Scale.quick() if quick else Scale.full()
        return generate(scale, seed=seed)


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
        "--config",
        "python:hubhome.gunicorn_hooks",  # as `hubhome serve` runs (gc.freeze per worker)
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


def _workers(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def worker_peak_mb(master: int) -> dict[str, float]:
    """Each gunicorn worker's peak resident memory (VmHWM), in MB, by pid."""
    peaks = {}
    for pid in _workers(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # a worker that has just exited
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[str(pid)] = round(int(line.split()[1]) / 1024, 1)
    return peaks


def workers_cpu_seconds(master: int) -> float:
    """User and system CPU its workers have used so far (from /proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _workers(master):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def _git_commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=40"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def write_artifact(summary: dict[str, Any], directory: Path = ROOT / "artifacts" / "bench") -> Path:
    """Write the run's summary as JSON under artifacts/bench/; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = summary["finished_at"].replace(":", "").replace("-", "")[:15]
    path = directory / f"bench-{stamp}{'-quick' if summary['quick'] else ''}.json"
    path.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return path


def drive(
    base: str,
    requests: list[dict[str, Any]],
    concurrency: int,
    total: int,
    think_ms: float = 0,
) -> dict[str, Any]:
    """Run the load driver in its own process and return its measurements."""
    spec = {
        "base": base,
        "requests": requests,
        "concurrency": concurrency,
        "total": total,
        "think_ms": think_ms,
    }
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


def _latencies(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "p99_ms": result["p99_ms"],
        "latency_requests": result["requests"],
        "latency_errors": result["errors"],
    }


def _measure(
    scenario: Any,
    base: str,
    requests: list[dict[str, Any]],
    total: int,
    latency_total: int,
    server_pid: int,
) -> dict[str, Any]:
    """Throughput at the scenario's concurrency, then latencies in a paced pass; the workers'
    CPU per request over both passes (not the set-up: signing in hashes a password)."""
    if scenario.repeatable:
        drive(base, requests, scenario.concurrency, min(50, total))  # warm-up
        loaded, paced = requests, requests
        loaded_total, paced_total = total, latency_total
    else:  # each request changes state: half measure throughput, half latency
        half = len(requests) // 2
        loaded, paced = requests[:half], requests[half:]
        loaded_total, paced_total = len(loaded), len(paced)
    cpu_before = workers_cpu_seconds(server_pid)
    result = drive(base, loaded, scenario.concurrency, loaded_total)
    result["loaded_p50_ms"] = result["p50_ms"]
    result["loaded_p99_ms"] = result["p99_ms"]
    latency = drive(base, paced, scenario.latency_clients, paced_total, scenario.think_ms)
    result |= _latencies(latency)
    served = result["requests"] + result["latency_requests"]
    cpu_ms = (workers_cpu_seconds(server_pid) - cpu_before) * 1000 / max(served, 1)
    result["worker_cpu_ms"] = round(cpu_ms, 2)
    result["errors"] += latency["errors"]
    result["error_kinds"] = sorted(set(result["error_kinds"]) | set(latency["error_kinds"]))
    for key in ("min_queries", "max_queries"):
        values = [v for v in (result[key], latency[key]) if v is not None]
        result[key] = (min if key == "min_queries" else max)(values) if values else None
    result["latency_clients"] = scenario.latency_clients
    result["think_ms"] = scenario.think_ms
    result["target_ms"] = scenario.target_ms
    result["target_percentile"] = scenario.target_percentile
    result["constant_queries"] = scenario.constant_queries
    result["met"] = (
        scenario.target_ms is None or result[scenario.target_percentile] <= scenario.target_ms
    )
    return result


def _floors(db_url: str, port: int, generated: Any, spec_path: str) -> dict[str, Any]:
    """Capture each hot path's SQL in-process, replay it through bare psycopg here, and hand it
    to the floor app (`spec_path`) to be served over HTTP beside the app."""
    from bench.physical import hot_paths, replay, unique_values, write_spec
    from config import Settings
    from hubhome import create_app

    app = create_app(Settings.from_env(_server_env(db_url, port)))
    captured = hot_paths(app, f"http://127.0.0.1:{port}", generated)
    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    write_spec(spec_path, dsn, captured, unique_values(generated))
    return {name: replay(dsn, statements) for name, statements in captured.items()}


def _served_floor(
    name: str,
    scenario: Any,
    example: dict[str, Any],
    floor_base: str,
    total: int,
    latency_total: int,
    floor_pid: int,
) -> dict[str, Any]:
    """The hot path's SQL served by the bare floor app, measured as its scenario is: the same
    request (body and headers; path `/sql/<name>`), the same passes, CPU from /proc."""
    from bench.scenarios import Scenario

    request = dict(example) | {"method": "POST", "path": f"/sql/{name}"}
    shape = Scenario(
        name=f"floor_{name}",
        build=lambda _base, _data: [request],
        concurrency=scenario.concurrency,
        latency_clients=scenario.latency_clients,
        think_ms=scenario.think_ms,
    )
    return _measure(shape, floor_base, [request], total, latency_total, floor_pid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, fewer requests")
    parser.add_argument(
        "--org-scale",
        action="store_true",
        help="a tenth of the country in one organisation, and every page a user waits on",
    )
    parser.add_argument("--db", default=os.environ.get("HUBHOME_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--generate-only", action="store_true", help="fill the database, measure nothing"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="recreate --db from its last generated copy"
    )
    args = parser.parse_args(argv)

    from bench.physical import compare
    from bench.scenarios import query_scaling, scenarios
    from bench.targets import misses

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    from bench import reuse

    if args.reuse:
        generated = reuse.restore(args.db)
    else:
        generated = prepare(args.db, args.quick, args.seed, org_scale=args.org_scale)
        reuse.save(args.db, generated)
    print(
        f"generated data in {generated.seconds:.1f} s "  # noqa: T201
        f"({len(generated.families)} families, {generated.bookings} past respite stays)"
    )
    print(  # noqa: T201
        "rows: " + ", ".join(f"{table} {count}" for table, count in generated.rows.items())
    )
    if args.generate_only:
        return 0
    port, floor_port = _free_port(), _free_port()
    env = _server_env(args.db, port)
    spec = tempfile.NamedTemporaryFile(suffix=".pickle", delete=False)  # noqa: SIM115
    spec.close()
    floors = _floors(args.db, port, generated, spec.name)
    server = _start("hubhome:create_app()", port, args.workers, env)
    floor_env = env | {"HUBHOME_BENCH_FLOOR_SQL": spec.name}
    floor = _start("bench.floor_app:app", floor_port, args.workers, floor_env)
    total = 400 if args.quick else 800
    latency_total = 200 if args.quick else 400
    if args.org_scale:  # pages of a few hundred ms: 200 requests give a p95 in minutes
        total, latency_total = 100, 100
    results: dict[str, Any] = {}
    physical: dict[str, Any] = {}
    peaks: dict[str, dict[str, float]] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        ping = [{"method": "GET", "path": "/ping", "headers": {}}]
        floor_base = f"http://127.0.0.1:{floor_port}"
        floor_result = drive(floor_base, ping, 10, total)
        floor_result |= _latencies(drive(floor_base, ping, 1, latency_total))
        results["floor"] = floor_result | {"is_floor": True, "vs_floor": 1.0}
        for scenario in scenarios(org_scale=args.org_scale):
            requests = scenario.build(base, generated)
            result = _measure(scenario, base, requests, total, latency_total, server.pid)
            cpu_ms = result["worker_cpu_ms"]
            result["vs_floor"] = result["throughput"] / floor_result["throughput"]
            results[scenario.name] = result
            if scenario.name in floors:
                served = _served_floor(
                    scenario.name, scenario, requests[0], floor_base, total, latency_total,
                    floor.pid,
                )  # fmt: skip
                results[f"floor_{scenario.name}"] = served | {"is_floor": True}
                physical[scenario.name] = compare(
                    floors[scenario.name],
                    result["p50_ms"],
                    cpu_ms,
                    {"p50_ms": served["p50_ms"], "cpu_ms": served["worker_cpu_ms"]},
                )
        from bench.phone import under_page_load  # the line while pages are busy (issue 17)

        loaded, peaks["phone_pool"] = under_page_load(
            base, generated, start=_start, free_port=_free_port, drive=drive,
            workers=args.workers, env=env, quick=args.quick, page_pool=server,
            peak=worker_peak_mb,
        )  # fmt: skip
        results |= loaded  # paced calls, not a closed loop: no throughput ratio to check
        scaling = query_scaling(base, generated)
        peaks["page_pool"] = worker_peak_mb(server.pid)
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=30)
        os.unlink(spec.name)
    summary = {
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        },
        "quick": args.quick,
        "org_scale": args.org_scale,
        "seed": args.seed,
        "workers": args.workers,
        "generation_seconds": round(generated.seconds, 1),
        "rows": generated.rows,
        "worker_peak_mb": peaks,
        "query_scaling": scaling,
        "physical_floor": physical,
        "results": results,
    }
    from bench.report import text_table

    print(text_table(summary))  # noqa: T201
    path = write_artifact(summary)
    print(f"results: {path}")  # noqa: T201
    missed = misses(summary)
    for line in missed:
        print(f"MISSED {line}", file=sys.stderr)  # noqa: T201
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
