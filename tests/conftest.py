"""Shared fixtures: an app per test on SQLite or PostgreSQL, the demo seed, sign-in helpers,
and Twilio faked at its HTTP transport (the only seam)."""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse

from config import Settings
from hubhome import create_app
from hubhome.extensions import db
from tests import clock

pytest_plugins = ["tests.progress"]

TEST_FIELD_KEY = "t7yS2lV2dE4nZ0Sg3z2m8P7Jd3cV1o8W9QxkPp5YB0U="
PUBLIC_URL = "https://hubhome.example.test"
TWILIO_TOKEN = "test-auth-token-primary"
TWILIO_TOKEN_SECONDARY = "test-auth-token-secondary"


# --- the clock: "now" comes from tests/clock.py ---------------------------------------------

_RUN_CLOCK: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    """Move this process's clock to the run's instant before any test module is imported."""
    travel = time_machine.travel(clock.run_instant(), tick=True)
    travel.start()
    _RUN_CLOCK.append(travel)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _RUN_CLOCK:
        _RUN_CLOCK.pop().stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock: {clock.ENV}={os.environ[clock.ENV]}"


@pytest.fixture(autouse=True)
def now(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Start each test, and every fixture it uses, at one instant: the run's, or its module's.

    `pytestmark = pytest.mark.clock(INSTANT)` pins a module that seeds or asserts fixed
    dates to INSTANT (ticking; `tick=False` freezes it). Autouse, so it runs before `app`
    and `demo`: the demo is always seeded at the instant the test runs at.
    """
    marker = request.node.get_closest_marker("clock")
    instant = clock.run_instant() if marker is None else marker.args[0]
    if isinstance(instant, str):
        instant = clock.parse(instant)
    tick = True if marker is None else marker.kwargs.get("tick", True)
    with time_machine.travel(instant, tick=tick):
        yield instant


@pytest.fixture
def frozen(now: datetime) -> Iterator[datetime]:
    """Stop the clock at the test's instant."""
    with time_machine.travel(now, tick=False):
        yield now


@functools.cache
def postgres_url() -> str | None:
    """The PostgreSQL test database, one per pytest-xdist worker (`test` -> `test_gw1`).

    Workers run tests side by side, and every test empties the tables after itself, so
    each worker needs a database of its own; it is created the first time it is asked for.
    """
    url = os.environ.get("HUBHOME_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def database_url(tmp_root: str) -> str:
    return postgres_url() or f"sqlite:///{tmp_root}/hubhome-test.sqlite"


def is_postgres() -> bool:
    return (os.environ.get("HUBHOME_TEST_DATABASE_URL") or "").startswith("postgresql")


# The phone webhooks' spool (what they keep while the database is down): one per process.
SPOOL = Path(tempfile.gettempdir()) / f"hubhome-test-spool-{os.getpid()}"
# Call recordings kept in Hubhome (the demo keeps one): one directory per process.
RECORDINGS = Path(tempfile.gettempdir()) / f"hubhome-test-recordings-{os.getpid()}"


def test_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "testing",
        "secret_key": "test-secret-key-that-is-long-enough-000",
        "database_url": url,
        "field_key": TEST_FIELD_KEY,
        "public_url": PUBLIC_URL,
        "require_mfa": False,
        "login_rate_limit": "1000 per minute",
        "twilio_account_sid": "AC" + "1" * 32,
        "twilio_auth_token": TWILIO_TOKEN,
        "twilio_auth_token_secondary": TWILIO_TOKEN_SECONDARY,
        "twilio_from_number": "+46100000000",
        "fallback_number": "+46100000099",
        "sms_backend": "twilio",
        "phone_simulator": True,
        "phone_spool_dir": str(SPOOL),
        "recordings_dir": str(RECORDINGS),
    }
    values.update(overrides)
    return Settings(**values)


def make_test_app(url: str, **overrides: Any) -> Flask:
    settings_overrides = {k: v for k, v in overrides.items() if k.islower()}
    flask_overrides = {k: v for k, v in overrides.items() if not k.islower()}
    flask_overrides.setdefault("WTF_CSRF_ENABLED", False)
    flask_overrides.setdefault("CHEAP_PASSWORD_HASHES", True)
    return create_app(test_settings(url, **settings_overrides), TESTING=True, **flask_overrides)


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = database_url(str(tmp_path_factory.mktemp("db")))
    app = make_test_app(url)
    with app.app_context():
        db.drop_all()
        if is_postgres():
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.create_all()
        db.engine.dispose()
    yield url


def _empty_all_tables() -> None:
    """Delete every row, children first: one round trip of DELETEs.

    On PostgreSQL a TRUNCATE of the ~45 tables costs ~140 ms per test; DELETE of the
    few rows a test leaves costs ~10 ms. Ids are not reset; no test relies on them.
    """
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("; ".join(f"DELETE FROM {name}" for name in tables)))
    else:
        for name in tables:
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The `app` fixture keeps one application context open so tests can query the database,
    and Flask reuses that context for requests; without this, `g` (cached locale, current
    user, API user, CSRF token) would leak from one request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g, has_app_context

        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def shared_app(db_url: str) -> Flask:
    """The test settings' app, built once per worker: building one costs ~0.3 s of routing."""
    app = make_test_app(db_url)
    app.test_client_class = FreshRequestClient
    return app


@pytest.fixture
def app(shared_app: Flask) -> Iterator[Flask]:
    """The app under test, in an app context, its tables emptied and its state reset after.

    The app is shared by a worker's tests, so a test that must change it (add a route, a
    listener) takes its own from `other_app()`; what tests may change is put back here.
    """
    from hubhome.extensions import limiter

    config = dict(shared_app.config)
    with shared_app.app_context():
        yield shared_app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()
    shared_app.config.clear()
    shared_app.config.update(config)
    shared_app.extensions.pop("twilio_http_client", None)
    limiter.reset()
    shutil.rmtree(SPOOL, ignore_errors=True)
    shutil.rmtree(RECORDINGS, ignore_errors=True)


@pytest.fixture
def other_app(app: Flask, db_url: str) -> Iterator[Any]:
    """Make an app with other settings on the same database: other_app(require_mfa=True).

    The test's own session is committed first: on SQLite every transaction begins
    IMMEDIATE, so an open one would block the other app's requests. Commit again after
    querying in the test before the other app runs more requests.
    """
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        db.session.commit()
        other = make_test_app(db_url, **overrides)
        other.test_client_class = FreshRequestClient
        made.append(other)
        return other

    yield make
    db.session.commit()
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


# --- the demo seed --------------------------------------------------------------------------


@dataclass
class Demo:
    """Handles on the seeded demo data by the names the issues use."""

    users: dict[str, Any] = field(default_factory=dict)
    constellations: dict[str, Any] = field(default_factory=dict)

    def user(self, short: str) -> Any:
        """Return a demo user by the part of the e-mail before '@' (e.g. 'familj1')."""
        return self.users[short]


@pytest.fixture
def demo(app: Flask) -> Demo:
    from hubhome.accounts.models import User
    from hubhome.demo.seed import seed_demo
    from hubhome.network.models import Constellation

    seed_demo(db.session)
    db.session.commit()
    result = Demo()
    for user in db.session.scalars(select(User)):
        result.users[user.email.split("@")[0]] = user
    for constellation in db.session.scalars(select(Constellation)):
        result.constellations[constellation.name] = constellation
    return result


# --- signing in ---------------------------------------------------------------------------

DEMO_PASSWORD = "demo-hubhome"


def login(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> Any:
    if "@" not in email:
        email = f"{email}@demo.hubhome.test"
    data = {"email": email, "password": password}
    csrf = _csrf_token(client, "/login")
    if csrf:
        data["csrf_token"] = csrf
    return client.post("/login", data=data)


def _csrf_token(client: FlaskClient, path: str) -> str | None:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else None


@pytest.fixture
def login_as(client: FlaskClient, demo: Demo):  # type: ignore[no-untyped-def]
    """Sign the test client in as a demo account: login_as('familj1')."""

    def sign_in(short: str) -> FlaskClient:
        response = login(client, short)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return sign_in


def bearer(client: FlaskClient, short: str) -> dict[str, str]:
    email = short if "@" in short else f"{short}@demo.hubhome.test"
    response = client.post("/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def api_headers(client: FlaskClient, demo: Demo):  # type: ignore[no-untyped-def]
    """Bearer headers for a demo account: api_headers('admin')."""
    return lambda short: bearer(client, short)


# --- Twilio, faked at the HTTP transport ----------------------------------------------------


class FakeTwilioHttp(HttpClient):
    """Records every request the Twilio SDK makes and answers like Twilio would."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("twilio.http_client"), is_async=False)
        self.requests: list[dict[str, Any]] = []
        self.fail_next = 0
        self._sid = 0

    def request(
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        import json

        self.requests.append({"method": method, "url": url, "data": dict(data or {})})
        if self.fail_next:
            self.fail_next -= 1
            body = {"code": 30003, "message": "Unreachable destination handset", "status": 400}
            return TwilioResponse(400, json.dumps(body))
        self._sid += 1
        sid = f"SM{self._sid:032d}"
        payload = {
            "sid": sid,
            "status": "queued",
            "to": (data or {}).get("To"),
            "body": (data or {}).get("Body"),
        }
        return TwilioResponse(201, json.dumps(payload))

    @property
    def sent_sms(self) -> list[dict[str, Any]]:
        return [r["data"] for r in self.requests if r["url"].endswith("/Messages.json")]


@pytest.fixture
def twilio_http(app: Flask) -> FakeTwilioHttp:
    fake = FakeTwilioHttp()
    app.extensions["twilio_http_client"] = fake
    return fake
