"""The tests' clock: one instant per run, pinned modules, and processes started on it."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from hubhome.timeutil import local_today, utcnow
from tests import clock

LEAP_DAY = datetime(2028, 2, 29, 11, 0, tzinfo=UTC)
CHILD_CLOCK = "from datetime import datetime, UTC; print(datetime.now(UTC).isoformat())"


def test_each_test_starts_at_the_run_s_instant(now):
    assert now == clock.run_instant()
    assert abs(utcnow() - now) < timedelta(minutes=5)  # ticking from there


@pytest.mark.clock(LEAP_DAY, tick=False)
def test_a_pinned_test_runs_at_its_own_instant(now):
    assert now == LEAP_DAY and utcnow() == LEAP_DAY
    assert local_today().isoformat() == "2028-02-29"


def test_a_process_a_test_starts_runs_on_the_test_s_clock():
    with time_machine.travel(LEAP_DAY, tick=False):
        env = clock.process_env()
    seen = subprocess.run(
        [sys.executable, "-c", CHILD_CLOCK], env=env, capture_output=True, text=True, timeout=60
    )
    assert seen.returncode == 0, seen.stderr
    child_now = clock.parse(seen.stdout)
    assert LEAP_DAY <= child_now < LEAP_DAY + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("2027-10-30T22:30:00Z", datetime(2027, 10, 30, 22, 30, tzinfo=UTC)),
        ("2028-02-29T12:00:00+01:00", datetime(2028, 2, 29, 11, 0, tzinfo=UTC)),
        ("2026-12-31 23:59:30", datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC)),
    ],
)
def test_the_run_s_instant_is_read_as_iso_8601(written, instant):
    assert clock.parse(written) == instant


def test_a_wrong_instant_says_which_setting_is_wrong():
    with pytest.raises(ValueError, match="HUBHOME_TEST_NOW"):
        clock.parse("next tuesday")
