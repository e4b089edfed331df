"""The bench's results as text: the console table, and the README's table from the JSON.

    python -m bench.report artifacts/bench/bench-….json --readme README.md

rewrites the README between `<!-- bench:start -->` and `<!-- bench:end -->` with the run's
table, its date, the machine's load and the git commit it measured; never edit that part
by hand. Without `--readme` the Markdown is printed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from bench import targets

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _target(r: dict[str, Any]) -> str:
    if not r.get("target_ms"):
        return ""
    verdict = _verdict(targets.latency_met(r))
    return f"{r['target_percentile'][:3]} < {r['target_ms']:.0f} ms: {verdict}"


def _ratio(r: dict[str, Any]) -> str:
    """Throughput as a fraction of the bare route's: for reading, not a target."""
    if "vs_floor" not in r:  # a floor, or paced calls (no closed-loop throughput)
        return "–"
    return f"{r['vs_floor']:.2f}"


def _cpu(r: dict[str, Any]) -> str:
    """The workers' CPU per request (utime + stime over the measured passes)."""
    return f"{r['worker_cpu_ms']:.2f}" if "worker_cpu_ms" in r else ""


def _queries(r: dict[str, Any]) -> str:
    low, high = r.get("min_queries"), r.get("max_queries")
    if low is None:
        return ""
    return str(low) if low == high else f"{low}–{high}"


def _label(name: str) -> str:
    return "bare route (/ping)" if name == "floor" else name


def _ordered(results: dict[str, Any]) -> list[str]:
    return sorted(results, key=lambda n: n != "floor")  # the floor first, then as run


def markdown(summary: dict[str, Any]) -> str:
    """The README's section: provenance, the table, memory, scaling, floors and misses."""
    machine = summary["machine"]
    scale = (
        "org-scale (a tenth of the country in one organisation)"
        if summary.get("org_scale")
        else "quick (a tenth of the country)"
        if summary["quick"]
        else "full national scale"
    )
    lines = [
        f"Run {summary['started_at']} – {summary['finished_at']}, {scale}, seed "
        f"{summary['seed']}, {summary['workers']} workers, commit `{summary['commit'][:12]}`; "
        f"{machine['cpus']} CPUs, load average {machine['load_before'][0]:.1f} before and "
        f"{machine['load_after'][0]:.1f} after; Python {machine['python']}. "
        f"Targets: the latency in the target column, no errors, worker peak < "
        f"{targets.WORKER_PEAK_MB:.0f} MB, constant queries, each hot path within "
        f"{targets.PHYSICAL_WALL:g} × the wall time and {targets.PHYSICAL_CPU:g} × the CPU of "
        "its physical floor (`floor_…`: its own SQL in bare psycopg, served by bare Flask). "
        "× bare route (throughput over the bare `/ping` route's) is for reading, not a target.",
        "",
        "| scenario | req/s | × bare route | p50 ms | p95 ms | p99 ms | queries | CPU ms | "
        "target | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    results = summary["results"]
    for name in _ordered(results):
        r = results[name]
        lines.append(
            f"| {_label(name)} | {r['throughput']:.0f} | {_ratio(r)} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {_queries(r)} | {_cpu(r)} | "
            f"{_target(r)} | {r['errors']} |"
        )
    lines.append("")
    for pool, peaks in summary["worker_peak_mb"].items():
        worst = max(peaks.values(), default=0.0)
        lines.append(
            f"Worker peak memory (VmHWM), {pool}: "
            f"{', '.join(f'{v:.0f}' for v in peaks.values())} MB "
            f"({_verdict(worst <= targets.WORKER_PEAK_MB)}: < {targets.WORKER_PEAK_MB:.0f} MB)."
        )
    for name, s in summary["query_scaling"].items():
        lines.append(
            f"Queries per request, {name}: {s['queries'][0]} at size {s['sizes'][0]}, "
            f"{s['queries'][1]} at size {s['sizes'][1]} "
            f"({_verdict(len(set(s['queries'])) == 1)})."
        )
    for name, f in summary.get("physical_floor", {}).items():
        met = targets.physical_met(f)
        how = (
            f"served by bare Flask: {f['floor_wall_p50_ms']:.1f} ms wall p50, "
            f"{f['floor_cpu_ms']:.2f} ms worker CPU; in-process replay without HTTP "
            f"{f['replay_wall_p50_ms']:.1f} ms, {f['replay_cpu_ms']:.2f} ms CPU"
            if f.get("served")
            else f"{f['floor_wall_p50_ms']:.1f} ms wall, {f['floor_cpu_ms']:.2f} ms CPU"
        )
        lines.append(
            f"Physical floor, {name} ({f['statements']} statements in bare psycopg, {how}): app "
            f"{f['app_wall_p50_ms']:.1f} ms wall = {f['wall_ratio']:.1f} × "
            f"({_verdict(met['wall'])}: ≤ {targets.PHYSICAL_WALL:g} ×), "
            f"{f['app_cpu_ms']:.1f} ms CPU = {f['cpu_ratio']:.1f} × "
            f"({_verdict(met['cpu'])}: ≤ {targets.PHYSICAL_CPU:g} ×)."
        )
    lines.append(f"Generation: {summary['generation_seconds']:.0f} s.")
    missed = targets.misses(summary)
    lines.append("")
    lines.append(
        "All targets met."
        if not missed
        else f"Missed ({len(missed)}): " + "; ".join(m.replace("*", "") for m in missed) + "."
    )
    return "\n".join(lines)


def text_table(summary: dict[str, Any]) -> str:
    """The console's table: the same figures and verdicts as the README's."""
    out = [
        f"{'scenario':40} {'req/s':>6} {'x bare':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'queries':>7} {'CPU ms':>7} {'target':>13} {'errors':>6}"
    ]
    results = summary["results"]
    for name in _ordered(results):
        r = results[name]
        target = ""
        if r.get("target_ms"):
            verdict = "ok" if targets.latency_met(r) else "MISS"
            target = f"{r['target_percentile'][:3]}<{r['target_ms']:.0f} {verdict}"
        out.append(
            f"{_label(name):40} {r['throughput']:6.0f} {_ratio(r):>7} {r['p50_ms']:7.1f} "
            f"{r['p95_ms']:7.1f} {r['p99_ms']:7.1f} {_queries(r):>7} {_cpu(r):>7} "
            f"{target:>13} {r['errors']:6}"
        )
    section = markdown(summary).split("\n\n", 2)[-1]  # memory, scaling, floors, verdict
    return "\n".join(out) + "\n" + section.replace("**", "")


def rewrite_readme(readme: Path, summary: dict[str, Any]) -> None:
    """Replace the README's bench section (between the markers) with this run's."""
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no {START} … {END} markers")
    section = f"{START}\n{markdown(summary)}\n{END}"
    readme.write_text(pattern.sub(lambda _m: section, text, count=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("json", type=Path, help="a run's JSON, from artifacts/bench/")
    parser.add_argument("--readme", type=Path, help="rewrite this README's bench table")
    args = parser.parse_args(argv)
    summary = json.loads(args.json.read_text())
    if args.readme:
        rewrite_readme(args.readme, summary)
    else:
        print(markdown(summary))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
