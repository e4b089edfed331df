"""The bench checks every target it prints, and the README's table comes from a run's JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.__main__ import worker_peak_mb, workers_cpu_seconds, write_artifact
from bench.report import text_table
from bench.targets import misses

ROOT = Path(__file__).resolve().parent.parent


def _result(**overrides: Any) -> dict[str, Any]:
    result = {
        "throughput": 400.0,
        "vs_floor": 0.8,
        "p50_ms": 5.0,
        "p95_ms": 9.0,
        "p99_ms": 12.0,
        "min_queries": 4,
        "max_queries": 4,
        "target_ms": 20.0,
        "target_percentile": "p95_ms",
        "errors": 0,
        "error_kinds": [],
    }
    return result | overrides


def _summary(**overrides: Any) -> dict[str, Any]:
    summary = {
        "started_at": "2026-12-07T14:00:00+00:00",
        "finished_at": "2026-12-07T14:20:00+00:00",
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "machine": {
            "cpus": 2,
            "python": "3.11.7",
            "platform": "Linux",
            "load_before": [0.4, 0.5, 0.6],
            "load_after": [1.2, 0.9, 0.7],
        },
        "quick": False,
        "org_scale": False,
        "seed": 1,
        "workers": 2,
        "generation_seconds": 300.0,
        "rows": {},
        "worker_peak_mb": {"page_pool": {"101": 120.0, "102": 121.0}},
        "query_scaling": {"caseload": {"sizes": [1, 45], "queries": [11, 11]}},
        "physical_floor": {
            "respite_booking_request": {
                "statements": 9,
                "replay_wall_p50_ms": 3.5,
                "replay_cpu_ms": 0.6,
                "floor_wall_p50_ms": 5.0,
                "floor_cpu_ms": 1.0,
                "served": True,
                "app_wall_p50_ms": 9.0,
                "app_cpu_ms": 2.5,
                "wall_ratio": 1.8,
                "cpu_ratio": 2.5,
            }
        },
        "results": {
            "floor": _result(target_ms=None, is_floor=True, vs_floor=1.0),
            "respite_booking_request": _result(worker_cpu_ms=2.5),
            "floor_respite_booking_request": {
                k: v
                for k, v in _result(target_ms=None, is_floor=True, worker_cpu_ms=1.0).items()
                if k != "vs_floor"
            },
        },
    }
    return summary | overrides


def _report(data: Path, readme: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench.report", str(data), "--readme", str(readme)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_run_that_meets_every_target_has_no_misses():
    summary = _summary()
    paced = _result(target_ms=None)  # calls paced 5 s apart: no throughput ratio
    del paced["vs_floor"]
    summary["results"]["phone_voice_with_pages_page_pool"] = paced
    assert misses(summary) == []
    row = next(r for r in text_table(summary).splitlines() if r.startswith("phone_voice_with"))
    assert " – " in row


def test_each_missed_target_is_named():
    summary = _summary()
    summary["results"]["caseload"] = _result(vs_floor=0.26, p95_ms=310.0, target_ms=300.0)
    summary["worker_peak_mb"]["phone_pool"] = {"201": 158.3}
    summary["query_scaling"]["call_log"] = {"sizes": [5, 50], "queries": [7, 52]}
    summary["physical_floor"]["respite_booking_request"] |= {"wall_ratio": 3.2, "cpu_ratio": 14.2}
    summary["results"]["phone_voice"] = _result(errors=3, error_kinds=["500"])
    summary["results"]["page_call_log"] = _result(constant_queries=True, max_queries=9)
    found = misses(summary)
    assert len(found) == 7
    text = "\n".join(found)
    assert "caseload: p95 310.0 ms (target < 300 ms)" in text
    assert "throughput" not in text  # × bare route is for reading, not a target
    assert "phone_pool worker 201 peaked at 158 MB" in text
    assert "call_log: queries per request grow with size" in text
    assert "respite_booking_request: wall 3.2 x" in text
    assert "respite_booking_request: CPU 14.2 x" in text
    assert "phone_voice: 3 errors (500)" in text
    assert "page_call_log: 4–9 queries per request (target: the same for every request)" in text


def test_the_readme_table_is_rewritten_between_its_markers_from_the_json(tmp_path):
    summary = _summary()
    summary["results"]["caseload"] = _result(vs_floor=0.26)
    data = tmp_path / "run.json"
    data.write_text(json.dumps(summary))
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Title\n\nBefore.\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nAfter.\n"
    )
    done = _report(data, readme)
    assert done.returncode == 0, done.stderr
    text = readme.read_text()
    assert text.startswith("# Title\n\nBefore.\n\n<!-- bench:start -->\n")
    assert text.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert "old table" not in text
    assert "2026-12-07T14:00:00+00:00" in text and "commit `0123456789ab`" in text
    assert "load average 0.4 before and 1.2 after" in text
    assert "| caseload | 400 | 0.26 |" in text
    assert "| respite_booking_request | 400 | 0.80 | 5.0 | 9.0 | 12.0 | 4 | 2.50 |" in text
    assert "| floor_respite_booking_request | 400 | – |" in text
    assert "| bare route (/ping) | 400 | 1.00 |" in text
    assert "Worker peak memory (VmHWM), page_pool: 120, 121 MB (met" in text
    assert "served by bare Flask: 5.0 ms wall p50, 1.00 ms worker CPU" in text
    assert "wall = 1.8 × (met" in text
    assert "All targets met." in text


def test_a_served_floor_that_fails_is_a_miss():
    summary = _summary()
    summary["results"]["floor_respite_booking_request"] |= {"errors": 5, "error_kinds": ["404"]}
    assert misses(summary) == ["floor_respite_booking_request: 5 errors (404)"]


def test_a_readme_without_markers_is_refused(tmp_path):
    data = tmp_path / "run.json"
    data.write_text(json.dumps(_summary()))
    readme = tmp_path / "README.md"
    readme.write_text("# No markers\n")
    done = _report(data, readme)
    assert done.returncode != 0 and "markers" in done.stderr
    assert readme.read_text() == "# No markers\n"


def test_the_artifact_is_the_summary_as_json(tmp_path):
    summary = _summary()
    path = write_artifact(summary, tmp_path)
    assert path.parent == tmp_path and path.name == "bench-20261207T142000.json"
    assert json.loads(path.read_text()) == summary


def test_worker_peak_memory_and_cpu_are_read_from_proc_for_each_child():
    script = "import sys; b = bytearray(40 << 20); print('ready', flush=True); sys.stdin.read()"
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
            peaks = worker_peak_mb(os.getpid())
            assert peaks[str(child.pid)] >= 40  # the peak, though nothing is freed or touched
            assert workers_cpu_seconds(os.getpid()) > 0
        finally:
            child.kill()


def test_the_console_table_gives_the_same_verdicts():
    summary = _summary()
    summary["results"]["caseload"] = _result(vs_floor=0.26, p95_ms=310.0, target_ms=300.0)
    table = text_table(summary)
    row = next(line for line in table.splitlines() if line.startswith("caseload"))
    assert "0.26" in row and "p95<300 MISS" in row
    assert "respite_booking_request" in table and "p95<20 ok" in table
    assert "Missed (1): caseload: p95 310.0 ms" in table and "**" not in table
