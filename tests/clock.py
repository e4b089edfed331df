"""The tests' one clock: every test, fixture and process the tests start takes "now" from here.

`HUBHOME_TEST_NOW=2027-10-30T22:30:00Z bin/test` runs the whole suite at that instant: the
test processes, and every process a test starts (demo, serve, jobs, gunicorn), whose clock
`process_env()` moves to the test's own. Without it, the run's instant is the real one when
the run began, shared by every xdist worker.

Each test starts at the run's instant with the clock ticking, unless its module pins another
with `pytestmark = pytest.mark.clock(INSTANT)`: a module that seeds or asserts fixed dates
seeds at that instant and runs there, so the wall clock never mixes with fixed dates.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

ENV = "HUBHOME_TEST_NOW"
SITE = Path(__file__).resolve().parent / "clock_site"


def parse(value: str) -> datetime:
    """Read an ISO 8601 instant (`2027-10-30T22:30:00Z`); a naive one is taken as UTC."""
    try:
        instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"{ENV}={value!r} is not an ISO 8601 instant") from error
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def run_instant() -> datetime:
    """The instant this run takes as "now": `HUBHOME_TEST_NOW`, fixed when the run began."""
    value = os.environ.get(ENV)
    if not value:
        # The controller sets it in pytest_configure, before xdist starts its workers.
        value = datetime.now(UTC).isoformat()
        os.environ[ENV] = value
    return parse(value)


def process_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """Return `env` (default: this process's) for a process a test starts, on the test's clock.

    The child imports `tests/clock_site/sitecustomize.py`, which moves its clock to the
    instant the test is at now (ticking), so a server, the demo or the scheduler agrees
    with the test about what "today" is.
    """
    result = dict(os.environ if env is None else env)
    result[ENV] = datetime.now(UTC).isoformat()
    paths = [str(SITE), *filter(None, result.get("PYTHONPATH", "").split(os.pathsep))]
    result["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return result


# Monday 23 November 2026, 10:00 in Stockholm: the instant the fixed-date tests were written
# for (the demo's day rota is on). Modules that seed the demo and assert fixed dates pin it.
WRITTEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
