"""`pytest --progress`: a line per test file as it finishes, and each failure as it happens.

`bin/test` turns it on. Dots say little on a suite spread over every core; a line per file
says how far the run is, where the time goes, and what failed, while it runs.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Generator, Sequence
from typing import Any

import pytest

_WORST = ["passed", "skipped", "xfailed", "xpassed", "failed", "error"]


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _outcome(report: pytest.TestReport) -> str:
    if report.when != "call" and report.failed:
        return "error"
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    return str(report.outcome)


class Progress:
    """Counts tests per file from collection, prints a file when its last test is reported."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.per_file: Counter[str] = Counter()
        self.results: dict[str, Counter[str]] = defaultdict(Counter)
        self.worst: dict[str, str] = {}
        self.seconds: Counter[str] = Counter()
        self.total = 0
        self.finished = 0
        self.started = time.monotonic()

    @property
    def reporter(self) -> Any:
        return self.config.pluginmanager.get_plugin("terminalreporter")

    def _expect(self, nodeids: Sequence[str]) -> None:
        if self.total:
            return  # every xdist worker collects the same tests; count them once
        self.per_file.update(_file_of(nodeid) for nodeid in nodeids)
        self.total = len(nodeids)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self._expect([item.nodeid for item in items])

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        self._expect(ids)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_report_teststatus(self, report: Any) -> Generator[None, Any, None]:
        outcome = yield
        category, _letter, word = outcome.get_result()
        outcome.force_result((category, "", word))  # no dots: the file lines say it

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        outcome = _outcome(report)
        previous = self.worst.get(report.nodeid, "passed")
        if _WORST.index(outcome) > _WORST.index(previous):
            self.worst[report.nodeid] = outcome
        name = _file_of(report.nodeid)
        self.seconds[name] += report.duration
        if outcome in ("failed", "error"):
            self.reporter.write_line(f"{outcome.upper()} {report.nodeid}", red=True, bold=True)
        if report.when == "teardown":  # every test has one, whatever came before
            self._finish(report.nodeid)

    def _finish(self, nodeid: str) -> None:
        name = _file_of(nodeid)
        self.results[name][self.worst.pop(nodeid, "passed")] += 1
        self.finished += 1
        if sum(self.results[name].values()) < self.per_file.get(name, 0):
            return
        counts = ", ".join(f"{n} {word}" for word, n in sorted(self.results[name].items()))
        percent = 100 * self.finished // max(self.total, 1)
        elapsed = time.monotonic() - self.started
        red = any(word in ("failed", "error") for word in self.results[name])
        self.reporter.write_line(
            f"[{percent:3d}% {elapsed:5.0f} s] {name}: {counts} ({self.seconds[name]:.1f} s)",
            red=red,
            green=not red,
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--progress",
        action="store_true",
        help="print a line per test file as it finishes, and each failure at once",
    )


def pytest_configure(config: pytest.Config) -> None:
    worker = hasattr(config, "workerinput")
    if config.getoption("progress") and not worker:
        config.pluginmanager.register(Progress(config), "hubhome-progress")
