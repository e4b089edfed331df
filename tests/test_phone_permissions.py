"""Rota and telephone pages in the permission matrix (rows in tests/permission_matrix.py)."""

import pytest
import time_machine

from tests.permission_matrix import add_phone_targets, build_targets, phone_rota_cases, run_cases
from tests.phone_helpers import DAYTIME

pytestmark = pytest.mark.clock(DAYTIME)


def test_phone_and_rota_permission_matrix(app, demo):
    targets = add_phone_targets(build_targets(demo))
    with time_machine.travel(DAYTIME, tick=False):
        failures = run_cases(app, targets, phone_rota_cases())
    assert not failures, "\n".join(failures)
