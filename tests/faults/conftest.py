"""The fault tier: real processes (gunicorn, the scheduler) and things broken on purpose.

Every test in tests/faults is marked `faults` (and `postgres`) here and skipped, saying why,
unless HUBHOME_TEST_DATABASE_URL names a PostgreSQL database. Run them alone with
`pytest -m faults tests/faults`.

Fixtures (see docs/DEVELOPING.md, "Fault tier"):

- `db_proxy`: a `DatabaseProxy` in front of the test database; `db_proxy.url` for the app,
  `.hold()`, `.refuse()`, `.slow(s)`, `.pass_through()` at any moment.
- `fake_twilio`: a started `FakeTwilio` with the test settings' credentials.
- `hubhome_env`: the environment for Hubhome's processes (the test settings, the database
  through `db_proxy`, Twilio at `fake_twilio`); a dict the test may change before starting.
- `start_server(workers=1, **env)`: `hubhome serve` under that environment (plus
  overrides), once it answers; stopped at teardown.
- `start_jobs(*args, **env)`: `hubhome jobs` with these arguments (`"--once"`), started
  and not waited for; stopped at teardown.
- `run_hubhome(*args, **env)`: `hubhome <args>` (a CLI command) run to its end: its
  `returncode` and `output`.
- `silent_address`, `refusing_address`: dead ends (`.redis_url`, `.port`).

The `app` fixture is set up first and torn down last: a test may seed and check the
database in-process (directly, not through the proxy), and the tables are emptied only
after every process is stopped and the proxy is closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import TWILIO_TOKEN, is_postgres, test_settings
from tests.faults import addresses
from tests.faults.addresses import DeadAddress
from tests.faults.fake_twilio import FakeTwilio
from tests.faults.processes import HubhomeProcess, HubhomeServer, settings_environment
from tests.faults.proxy import DatabaseProxy

HERE = Path(__file__).parent
PROCESSES = pytest.StashKey[list[HubhomeProcess]]()
TWILIO_SECONDS = 2.0  # the Twilio client's timeout in the fault tier: a hang costs 2 s


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(
        reason="the fault tier needs PostgreSQL: set "
        "HUBHOME_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/<db>"
    )
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.postgres)
            if not is_postgres():
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failing test's report shows the end of the log of every process it started."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in item.stash.get(PROCESSES, []):
            report.sections.append((f"log of {process.name}", process.tail()))


def _register(request: pytest.FixtureRequest, process: HubhomeProcess) -> None:
    request.node.stash.setdefault(PROCESSES, []).append(process)


@pytest.fixture
def db_proxy(app: Flask, db_url: str) -> Iterator[DatabaseProxy]:
    proxy = DatabaseProxy(db_url).start()
    yield proxy
    proxy.close()


@pytest.fixture
def fake_twilio(app: Flask) -> Iterator[FakeTwilio]:
    settings = app.config["HUBHOME"]
    fake = FakeTwilio(settings.twilio_account_sid, TWILIO_TOKEN).start()
    yield fake
    fake.close()


@pytest.fixture
def hubhome_env(tmp_path: Path, db_proxy: DatabaseProxy, fake_twilio: FakeTwilio) -> dict[str, str]:
    settings = test_settings(
        db_proxy.url,
        twilio_api_base=fake_twilio.url,
        twilio_timeout=TWILIO_SECONDS,
        phone_spool_dir=str(tmp_path / "phone-spool"),  # shared by the test's processes
        recordings_dir=str(tmp_path / "recordings"),
    )
    return settings_environment(settings)


@pytest.fixture
def start_server(
    request: pytest.FixtureRequest, tmp_path: Path, hubhome_env: dict[str, str]
) -> Iterator[Callable[..., HubhomeServer]]:
    started: list[HubhomeServer] = []

    def start(workers: int = 1, phone: bool = False, **env: str) -> HubhomeServer:
        log = tmp_path / f"serve-{len(started)}.log"
        # gunicorn's control socket goes here, not to the shared ~/.gunicorn/gunicorn.ctl
        env = {"XDG_RUNTIME_DIR": str(tmp_path)} | env
        server = HubhomeServer(hubhome_env | env, log, workers=workers, phone=phone)
        started.append(server)
        _register(request, server)
        server.start()
        server.wait_until_serving()
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def start_jobs(
    request: pytest.FixtureRequest, tmp_path: Path, hubhome_env: dict[str, str]
) -> Iterator[Callable[..., HubhomeProcess]]:
    started: list[HubhomeProcess] = []

    def start(*args: str, **env: str) -> HubhomeProcess:
        number = len(started)
        log = tmp_path / f"jobs-{number}.log"
        jobs = HubhomeProcess(f"hubhome jobs #{number}", ["jobs", *args], hubhome_env | env, log)
        started.append(jobs)
        _register(request, jobs)
        jobs.start()
        return jobs

    yield start
    for jobs in started:
        jobs.stop()


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: str


@pytest.fixture
def run_hubhome(
    request: pytest.FixtureRequest, tmp_path: Path, hubhome_env: dict[str, str]
) -> Callable[..., Finished]:
    """Run `hubhome <args>` under the test's environment to its end (a CLI command)."""
    runs: list[HubhomeProcess] = []

    def run(*args: str, timeout: float = 120.0, **env: str) -> Finished:
        log = tmp_path / f"run-{len(runs)}.log"
        process = HubhomeProcess(f"hubhome {' '.join(args)}", list(args), hubhome_env | env, log)
        runs.append(process)
        _register(request, process)
        process.start()
        code = process.wait(timeout)
        process.stop()
        return Finished(code, process.output())

    return run


@pytest.fixture
def silent_address() -> Iterator[DeadAddress]:
    address = addresses.silent()
    yield address
    address.close()


@pytest.fixture
def refusing_address() -> Iterator[DeadAddress]:
    address = addresses.refusing()
    yield address
    address.close()
