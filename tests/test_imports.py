"""Modules that keep hot statements import on their own, in any order.

A statement with ORM options built at import configures every mapper, which fails while the
models it points at are not imported yet (`hubhome.accounts.services` imported first broke
that way). Such statements are built on first use instead; this guards it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

BUILDS_STATEMENTS = [
    "hubhome.accounts.services",
    "hubhome.api.auth",
    "hubhome.audit.services",
    "hubhome.outbox.services",
    "hubhome.respite.booking",
    "hubhome.respite.capacity",
    "hubhome.respite.rules",
]


@pytest.mark.parametrize("module", BUILDS_STATEMENTS)
def test_the_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
