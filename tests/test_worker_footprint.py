"""A web worker starts without the libraries only rare requests need (issue 20: each worker's
peak memory under 150 MB). They are imported where they are used: openpyxl for an .xlsx
download, pywebpush and requests in the push sender, Twilio's REST SDK in the sender and the
reconciler, Authlib on the first OIDC request, icalendar for the calendar, Flask-Migrate
(Alembic, Mako) for a migration."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

RARELY_NEEDED = {
    "openpyxl": "an .xlsx download",
    "pywebpush": "the push sender",
    "py_vapid": "the push sender",
    "aiohttp": "the push sender",
    "requests": "the senders, OIDC",
    "urllib3": "the senders, OIDC",
    "twilio.rest": "the SMS sender, the reconciler",
    "twilio.http": "the SMS sender, the reconciler",
    "authlib": "OIDC sign-in",
    "joserfc": "OIDC sign-in",
    "icalendar": "the calendar",
    "flask_migrate": "migrations",
    "alembic": "migrations",
    "mako": "migrations",
}

SCRIPT = """
import json, sys
import hubhome
{extra}
app = hubhome.create_app()
{after}
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(extra: str = "", after: str = "") -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(extra=extra, after=after)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HUBHOME_SECRET_KEY", "footprint-test-secret-key-0000000000")
    return env


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_the_application_starts_without_the_rarely_needed_libraries():
    modules = _modules_after()
    loaded = {name: why for name, why in RARELY_NEEDED.items() if _loaded(modules, name)}
    assert loaded == {}


def test_the_phone_pool_starts_without_them_too():
    modules = _modules_after(
        "from hubhome.phone.commands import serve_phone_only",
        "serve_phone_only(app)",
    )
    assert [name for name in RARELY_NEEDED if _loaded(modules, name)] == []


@pytest.mark.parametrize(
    ("use", "needs"),
    [
        (
            "from hubhome.display.sheets import xlsx_bytes; xlsx_bytes('t', ['a'], [[1]])",
            "openpyxl",
        ),
        (
            "from hubhome.calendar.services import event\n"
            "from datetime import date\n"
            "event('x', 'title', date(2026, 12, 7), date(2026, 12, 8))",
            "icalendar",
        ),
        ("app.extensions['migrate'].directory", "flask_migrate"),
    ],
)
def test_a_library_is_imported_when_it_is_used(use: str, needs: str):
    modules = _modules_after(after="with app.app_context():\n    " + use.replace("\n", "\n    "))
    assert _loaded(modules, needs)
