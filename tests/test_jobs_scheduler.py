"""The scheduler process: one runner at a time, every run recorded, never silent when it stops."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select, text

from hubhome.extensions import db
from hubhome.ops.models import SchedulerLease
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.sender import MAX_ATTEMPTS, send_due
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from jobs.lock import lock_for
from jobs.registry import JobSpec
from jobs.scheduler import run_job
from tests import clock
from tests.conftest import TEST_FIELD_KEY, is_postgres
from tests.respite_helpers import children_of

HUBHOME = str(Path(sys.executable).parent / "hubhome")


def _outbox(purpose: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def _beat(minutes_ago: float) -> None:
    db.session.merge(
        SchedulerLease(
            name="scheduler",
            holder="test",
            expires_at=datetime.now(UTC),
            heartbeat_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
    )
    db.session.commit()


# --- health ------------------------------------------------------------------------------------


def test_healthz_reports_the_database_and_the_scheduler(client, demo):
    _beat(1)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["scheduler_heartbeat"] is not None


def test_healthz_is_503_when_the_database_is_unreachable(other_app, tmp_path):
    broken = other_app(database_url=f"sqlite:///{tmp_path}/missing-dir/none.sqlite")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def _watchdog(app, runner):  # type: ignore[no-untyped-def]
    from flask.cli import ScriptInfo

    from hubhome.cli import main

    return runner.invoke(main, ["watchdog"], obj=ScriptInfo(create_app=lambda: app))


def test_a_stale_heartbeat_warns_on_admin_pages_and_the_watchdog_texts_each_admin_once(
    app, client, demo, login_as, runner, twilio_http
):
    _beat(6)
    admins_with_phone = [u for u in demo.users.values() if u.role == "admin" and u.phone]
    assert admins_with_phone
    assert client.get("/healthz").status_code == 200
    assert _outbox("ops.scheduler_stale") == []  # a web request never sends anything
    assert _watchdog(app, runner).exit_code == 1
    assert _watchdog(app, runner).exit_code == 1
    sent = _outbox("ops.scheduler_stale")
    assert len(sent) == len(admins_with_phone)
    assert all(m.status == OutboxStatus.SENT for m in sent)  # sent at once, not queued
    assert len(twilio_http.sent_sms) == len(admins_with_phone)
    page = login_as("admin").get("/admin/users").get_data(as_text=True)
    assert "Schemaläggaren har inte hörts av sedan" in page


def test_health_checks_never_send_and_ready_says_what_is_wrong(app, demo, other_app, twilio_http):
    _beat(6)
    polls = other_app(count_queries=True)
    polls.extensions["twilio_http_client"] = twilio_http
    client = polls.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/live").get_json() == {"status": "ok"}
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.get_json()["scheduler"] == "stale"
    assert ready.get_json()["redis"] == "not configured"
    assert twilio_http.requests == []
    assert _outbox("ops.scheduler_stale") == []
    _beat(1)
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["status"] == "ok"


def test_ready_is_503_while_an_urgent_message_waits_too_long(app, demo, client):
    from hubhome.outbox.services import enqueue_sms

    _beat(1)
    enqueue_sms(
        db.session,
        demo.user("familj1"),
        "phone.follow_up",
        lambda: "Röstmeddelande",
        due_at=datetime.now(UTC) - timedelta(minutes=6),
    )
    enqueue_sms(db.session, demo.user("familj1"), "caseload.digest", lambda: "Veckans")
    db.session.commit()
    body = client.get("/healthz/ready").get_json()
    assert body["outbox"] == "behind"
    assert body["outbox_backlog"] == 2
    assert body["oldest_urgent_seconds"] >= 360


def test_ready_counts_a_message_in_backoff_as_waiting_since_it_was_queued(app, demo, client):
    from hubhome.outbox.services import enqueue_sms

    _beat(1)
    queued = enqueue_sms(db.session, demo.user("familj1"), "phone.follow_up", lambda: "Igen")
    assert queued is not None
    message = db.session.get_one(OutboxMessage, queued.id)
    message.created_at = datetime.now(UTC) - timedelta(minutes=10)
    message.attempts, message.due_at = 2, datetime.now(UTC) + timedelta(minutes=2)
    db.session.commit()
    body = client.get("/healthz/ready").get_json()
    assert body["outbox_backlog"] == 1
    assert body["oldest_urgent_seconds"] >= 600
    assert body["status"] == "unavailable"


def test_a_fresh_heartbeat_shows_no_warning_and_other_roles_never_see_it(client, demo, login_as):
    _beat(6)
    assert "Hubhome behöver åtgärdas" not in login_as("familj1").get("/home").get_data(True)
    client.post("/logout")
    _beat(1)
    assert "Hubhome behöver åtgärdas" not in login_as("admin").get("/home").get_data(True)


def test_watchdog_command_exits_1_and_alerts_when_the_scheduler_stopped(app, demo, runner):
    _beat(30)
    result = _watchdog(app, runner)
    assert result.exit_code == 1
    assert _outbox("ops.scheduler_stale")


# --- job runs ----------------------------------------------------------------------------------


def _boom(session) -> int:  # type: ignore[no-untyped-def]
    raise RuntimeError("the job could not finish")


def test_a_failed_run_is_recorded_rolled_back_shown_and_reported_once_a_day(app, demo, login_as):
    familj1 = demo.user("familj1")
    user_type, user_id = type(familj1), familj1.id
    db.session.close()  # the test's own session holds no transaction while jobs run

    def half_then_boom(session) -> int:  # type: ignore[no-untyped-def]
        session.get(user_type, user_id).name = "Half written"
        session.flush()
        raise RuntimeError("the job could not finish")

    first = run_job(app, JobSpec("demo_job", half_then_boom, "interval"))
    second = run_job(app, JobSpec("demo_job", _boom, "interval"))
    assert first.outcome == second.outcome == "failed"
    assert "could not finish" in (first.error or "")
    assert db.session.get(user_type, user_id).name != "Half written"
    admins = [u for u in demo.users.values() if u.role == "admin" and u.phone]
    assert len(_outbox("ops.job_failed")) == len(admins)  # once a day, not once a run
    client = login_as("admin")
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "demo_job" in page and "Misslyckades" in page
    assert "Jobbet demo_job misslyckades" in client.get("/home").get_data(as_text=True)


def test_a_good_run_records_rows_and_clears_the_failure(app, demo, login_as):
    db.session.close()
    run_job(app, JobSpec("demo_job", _boom, "interval"))
    run = run_job(app, JobSpec("demo_job", lambda session: 3, "interval"))
    assert (run.outcome, run.rows) == ("ok", 3)
    page = login_as("admin").get("/home").get_data(as_text=True)
    assert "Jobbet demo_job misslyckades" not in page


def test_only_admins_see_the_job_page(login_as):
    assert login_as("socialsekreterare").get("/admin/jobs").status_code == 403


# --- the outbox never loses a message ----------------------------------------------------------


def test_a_message_that_fails_for_good_tells_the_admins(app, demo, twilio_http):
    from hubhome.outbox.services import enqueue_sms

    enqueue_sms(db.session, demo.user("familj1"), "test", lambda: "Hej", dedupe_key="t1")
    db.session.commit()
    twilio_http.fail_next = MAX_ATTEMPTS
    for attempt in range(MAX_ATTEMPTS):
        with time_machine.travel(datetime.now(UTC) + timedelta(hours=attempt * 20), tick=False):
            send_due(db.session)
    failed = _outbox("test")[0]
    assert failed.status == OutboxStatus.FAILED
    alerts = _outbox("ops.message_failed")
    assert alerts and all(str(failed.id) in m.body for m in alerts)


# --- one runner at a time ----------------------------------------------------------------------


def test_a_second_scheduler_stays_idle_and_takes_over_when_the_first_dies(app, other_app):
    first, second = lock_for(app), lock_for(other_app())
    assert first.acquire()
    assert not second.acquire()
    assert first.acquire()  # renewing keeps it
    if is_postgres():
        # The first process dies: its connection goes, and with it the advisory lock.
        pid = first.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()  # type: ignore[attr-defined]
        with db.engine.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while not second.acquire() and time.monotonic() < deadline:
            time.sleep(0.1)  # the server ends the backend asynchronously
        assert second.acquire()
        assert not first.acquire()
    else:
        # The first process dies without releasing: its lease runs out within a minute.
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=61), tick=False):
            assert second.acquire()
        assert not first.acquire()
    second.release()
    assert first.acquire()
    first.release()


def _due_tomorrow_booking(demo) -> None:  # type: ignore[no-untyped-def]
    familj1 = demo.user("familj1")
    booking = RespiteBooking(
        constellation_id=demo.constellations["Björnen"].id,
        hub_household_id=demo.constellations["Björnen"].hub_household_id,
        household_id=familj1.household_id,
        check_in=date(2026, 10, 25),
        check_out=date(2026, 10, 26),
        kind=BookingKind.PLANNED,
        status=BookingStatus.APPROVED,
        requested_by_id=familj1.id,
    )
    booking.children = [RespiteBookingChild(child_id=children_of(familj1)[0])]
    db.session.add(booking)


EVENING_BEFORE = datetime(2026, 10, 24, 16, 30, tzinfo=UTC)  # 18:30 Stockholm, the day before


@pytest.mark.clock(EVENING_BEFORE)
def test_two_job_processes_at_once_send_every_message_exactly_once(app, demo, db_url):
    """The evening before check-in (18:30 Stockholm, the day before the October DST change)."""
    from hubhome.outbox.services import enqueue_sms

    _due_tomorrow_booking(demo)
    for n in range(20):
        enqueue_sms(
            db.session,
            demo.user("familj1"),
            "test",
            lambda n=n: f"Nr {n}",
            due_at=datetime(2026, 10, 24, 12, 0, tzinfo=UTC),
        )
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBHOME_", "TWILIO_"))}
    env |= {
        "HUBHOME_DATABASE_URL": db_url,
        "HUBHOME_SMS_BACKEND": "console",
        "HUBHOME_FIELD_KEY": TEST_FIELD_KEY,
    }
    printed: list[str] = []
    for minute in (30, 35, 40):  # three rounds, each a few minutes after the last
        with time_machine.travel(EVENING_BEFORE.replace(minute=minute), tick=True):
            procs = [
                subprocess.Popen(
                    [HUBHOME, "jobs", "--once"],
                    env=clock.process_env(env),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outputs
        printed += re.findall(r"--- sms #(\d+) to", "".join(out for out, _err in outputs))
    db.session.expire_all()
    messages = db.session.scalars(select(OutboxMessage)).all()
    reminders = [m for m in messages if m.purpose.startswith("respite.reminder")]
    assert len(reminders) == 2  # the family and the hub carer, once each
    assert [(m.purpose, m.status, m.attempts) for m in messages if m.attempts != 1] == []
    assert all(m.status == OutboxStatus.SENT for m in messages)
    assert len([m for m in messages if m.purpose == "test"]) == 20
    # What the console backend printed over all rounds: each message once, none twice.
    assert len(printed) == len(set(printed))


@pytest.mark.postgres
def test_concurrent_senders_skip_each_others_rows(app, demo, db_url, other_app):
    """Without the single-runner lock, `FOR UPDATE SKIP LOCKED` alone keeps sends unique."""
    if not is_postgres():
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    from hubhome.outbox.services import enqueue_sms

    for n in range(60):
        enqueue_sms(db.session, demo.user("familj1"), "test", lambda n=n: f"Nr {n}")
    db.session.commit()
    apps = [other_app(sms_backend="console") for _ in range(4)]

    def send(worker_app) -> None:  # type: ignore[no-untyped-def]
        with worker_app.app_context():
            send_due(db.session, limit=100)
            db.session.remove()

    threads = [threading.Thread(target=send, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    attempts = db.session.scalar(select(func.sum(OutboxMessage.attempts)))
    assert attempts == 60
    assert (
        db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
        == 60
    )


def test_a_national_job_commits_each_organisation_and_a_failing_one_undoes_no_other(app, demo):
    from hubhome.network.models import Organisation
    from hubhome.ops.schedule import for_each_organisation
    from hubhome.outbox.services import enqueue_sms_to_number

    broken = Organisation(name="Trasiga kommunen")
    db.session.add(broken)
    db.session.commit()
    broken_id = broken.id
    db.session.commit()  # SQLite: no transaction of the test's open while the job runs

    def work(session, organisation_id: int) -> int:  # type: ignore[no-untyped-def]
        enqueue_sms_to_number(session, organisation_id, "+46700000000", "test.per_org", "Hej")
        if organisation_id == broken_id:
            raise RuntimeError("this municipality's data is broken")
        return 1

    run = run_job(
        app,
        JobSpec("national_test", lambda session: for_each_organisation(session, work), "interval"),
    )
    assert run.outcome == "failed"
    assert str(broken_id) in (run.error or "")
    kept = {m.organisation_id for m in _outbox("test.per_org")}
    organisations = set(db.session.scalars(select(Organisation.id)))
    assert kept == organisations - {broken_id}
    assert kept


def test_the_next_runner_closes_runs_a_crashed_scheduler_left_running(app, demo):
    from hubhome.ops.models import JobRun
    from jobs.scheduler import Runner

    db.session.add(JobRun(job="outbox", started_at=datetime.now(UTC) - timedelta(minutes=3)))
    db.session.commit()
    runner = Runner(app)
    runner.renew()
    assert runner.leader
    runner.release()
    db.session.expire_all()
    (run,) = db.session.scalars(select(JobRun)).all()
    assert run.outcome == "failed"
    assert run.finished_at is not None
    assert "abandoned" in (run.error or "")


def test_a_standby_texts_the_admins_once_when_the_lock_holder_stops_beating(app, demo, twilio_http):
    from jobs.scheduler import Runner

    standby = Runner(app)  # has not taken the lock: another runner holds it, silent
    _beat(6)
    standby.watch()
    standby.watch()
    admins_with_phone = [u for u in demo.users.values() if u.role == "admin" and u.phone]
    sent = _outbox("ops.scheduler_stale")
    assert len(sent) == len(admins_with_phone)
    assert all(m.status == OutboxStatus.SENT for m in sent)
    assert len(twilio_http.sent_sms) == len(admins_with_phone)
