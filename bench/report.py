"""Turn the bench's JSON line into the Markdown table the README shows.

`python -m bench | tail -1 | python -m bench.report`
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _target(r: dict[str, Any]) -> str:
    if not r.get("target_ms"):
        return ""
    verdict = "met" if r["met"] else "**missed**"
    return f"{r['target_percentile'][:3]} < {r['target_ms']:.0f} ms: {verdict}"


def _queries(r: dict[str, Any]) -> str:
    low, high = r.get("min_queries"), r.get("max_queries")
    if low is None:
        return ""
    return str(low) if low == high else f"{low}–{high}"


def markdown(summary: dict[str, Any]) -> str:
    lines = [
        "| scenario | req/s | × floor | p50 ms | p95 ms | p99 ms | queries | target | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    results = summary["results"]
    for name in sorted(results, key=lambda n: n != "floor"):  # the floor first
        r = results[name]
        ratio = f"{r['vs_floor']:.2f}" if "vs_floor" in r else "1.00"
        lines.append(
            f"| {name} | {r['throughput']:.0f} | {ratio} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {_queries(r)} | {_target(r)} | "
            f"{r['errors']} |"
        )
    rss = summary["worker_rss_mb"]
    lines.append("")
    lines.append(
        f"Worker memory (RSS after all scenarios): {', '.join(f'{s:.0f}' for s in rss)} MB "
        f"({'met' if max(rss) < 150 else '**missed**'}: < 150 MB each)."
    )
    for name, s in summary["query_scaling"].items():
        lines.append(
            f"Queries per request, {name}: {s['queries'][0]} at size {s['sizes'][0]}, "
            f"{s['queries'][1]} at size {s['sizes'][1]}."
        )
    lines.append(f"Generation: {summary['generation_seconds']:.0f} s.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(json.loads(sys.stdin.read().strip().splitlines()[-1])))  # noqa: T201
