"""The `hubhome` command: demo seeding once, create-user, serve, and each role's home page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import create_engine, func, inspect, select, text

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Gender
from hubhome.cli import main
from hubhome.demo.seed import ACCOUNTS, BOY_NAMES, GIRL_NAMES
from hubhome.extensions import db
from tests import clock
from tests.conftest import TEST_FIELD_KEY, login

HUBHOME = str(Path(sys.executable).parent / "hubhome")
ROLES = ["admin", "socialsekreterare", "hubb.bjornen", "hubb.raven", "jour", "familj1", "familj9"]


def _env(database_url: str) -> dict[str, str]:
    """The environment of a `hubhome` process: its own settings, the test's clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBHOME_", "TWILIO_"))}
    env["HUBHOME_DATABASE_URL"] = database_url
    return clock.process_env(env)


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        counts = {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}
    engine.dispose()
    return counts


def test_demo_seeds_once_and_a_second_run_adds_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    first = subprocess.run(
        [HUBHOME, "demo", "--no-serve"], env=_env(url), capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    assert "seeded." in first.stdout
    assert "familj1@demo.hubhome.test" in first.stdout
    assert "demo-hubhome" in first.stdout
    after_first = _row_counts(url)
    assert after_first["users"] == len(ACCOUNTS)  # one per demo account
    assert after_first["constellations"] == 2
    assert after_first["households"] == 2 + 7 + 6
    second = subprocess.run(
        [HUBHOME, "demo", "--no-serve"], env=_env(url), capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    assert "nothing added" in second.stdout
    assert _row_counts(url) == after_first


def test_demo_children_have_names_that_fit_their_gender(demo):
    children = db.session.scalars(select(Child)).all()
    assert children
    for child in children:
        names = GIRL_NAMES if child.gender == Gender.GIRL else BOY_NAMES
        assert child.first_name in names, (child.first_name, child.gender)


def test_demo_satellites_each_have_one_to_three_children(demo):
    from hubhome.children.models import Placement
    from hubhome.network.models import Household, HouseholdKind

    counts = db.session.execute(
        select(Household.name, func.count(Placement.id))
        .join(Placement, Placement.household_id == Household.id, isouter=True)
        .where(Household.kind == HouseholdKind.SATELLITE)
        .group_by(Household.name)
    ).all()
    assert len(counts) == 13
    assert all(1 <= n <= 3 for _, n in counts)


def _invoke(app, *args: str):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_create_user_command_creates_an_account(app, demo):
    result = _invoke(
        app,
        "create-user",
        "--email",
        "Ny.Admin@Demokommun.se",
        "--name",
        "Ny Admin",
        "--role",
        "admin",
        "--organisation",
        "Demo kommun",
        "--phone",
        "070-123 45 67",
        "--password",
        "a-long-password",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ny.admin@demokommun.se"))
    assert user is not None
    assert user.phone == "+46701234567"
    assert user.organisation_id == demo.user("admin").organisation_id
    assert user.password_hash.startswith("$argon2")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.channel == "cli"
    assert event.object_id == user.id
    client = app.test_client()
    assert login(client, "ny.admin@demokommun.se", "a-long-password").status_code == 302


def test_create_user_command_refuses_bad_input_and_writes_nothing(app, demo):
    before = db.session.scalar(select(func.count()).select_from(User))
    result = _invoke(
        app,
        "create-user",
        "--email",
        "familj1@demo.hubhome.test",
        "--name",
        "Dubblett",
        "--role",
        "foster_carer",
        "--organisation",
        "Ny kommun",
        "--phone",
        "12",
        "--password",
        "short",
    )
    assert result.exit_code == 2
    assert "phone" in result.output and "password" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    from hubhome.network.models import Organisation

    assert db.session.scalar(select(Organisation).where(Organisation.name == "Ny kommun")) is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_starts_gunicorn_and_answers(tmp_path):
    url = f"sqlite:///{tmp_path}/serve.sqlite"
    subprocess.run(
        [HUBHOME, "db", "upgrade"], env=_env(url), check=True, capture_output=True, timeout=60
    )
    port = _free_port()
    env = _env(url) | {"HUBHOME_FIELD_KEY": TEST_FIELD_KEY}
    server = subprocess.Popen(
        [HUBHOME, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as reply:
                    status = reply.status
            except OSError:  # refused, reset or slow while it starts (URLError is an OSError)
                time.sleep(0.2)  # waiting for a real server process to come up
        assert status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_jobs_command_runs_once(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.sqlite"
    subprocess.run(
        [HUBHOME, "db", "upgrade"], env=_env(url), check=True, capture_output=True, timeout=60
    )
    result = subprocess.run(
        [HUBHOME, "jobs", "--once"], env=_env(url), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


# --- each role's home page: no dead links ---------------------------------------------------

HREF = re.compile(r'href="([^"#]+)"')


def _internal_links(html: str) -> set[str]:
    links = set()
    for href in HREF.findall(html):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/static/"):
            continue
        links.add(href.replace("&amp;", "&"))
    return links


@pytest.mark.parametrize("who", ROLES)
def test_home_page_and_menu_have_no_dead_links(client, login_as, who):
    login_as(who)
    home = client.get("/home")
    assert home.status_code == 200
    seen: set[str] = {"/home"}
    queue = deque(sorted(_internal_links(home.get_data(as_text=True))))
    broken = []
    while queue and len(seen) < 150:
        link = queue.popleft()
        if link in seen or link.startswith(("/logout", "/language")):
            continue
        seen.add(link)
        response = client.get(link)
        if response.status_code >= 400:
            broken.append(f"{link} -> {response.status_code}")
            continue
        if response.mimetype == "text/html":
            queue.extend(sorted(_internal_links(response.get_data(as_text=True)) - seen))
    assert not broken, broken
    assert len(seen) > 3
