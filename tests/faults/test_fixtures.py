"""The fault tier's own fixtures do what they promise, so the tests built on them mean
something: the proxy stalls, refuses, slows and recovers; the fake Twilio answers the real SDK
and misbehaves on cue; dead addresses are dead; the scheduler can be killed."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from contextlib import suppress
from datetime import UTC, datetime

import psycopg
import pytest
import redis
import requests
from sqlalchemy.engine import make_url
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from hubhome.deadline import DeadlineExceeded, can_arm, deadline
from hubhome.extensions import db
from hubhome.ops.models import SchedulerLease
from hubhome.telephony.client import TwilioTransport
from tests.conftest import TWILIO_TOKEN
from tests.faults.fake_twilio import DROP, HANG, error, slow


def _connect(url: str, timeout: int = 2) -> psycopg.Connection:
    params = make_url(url)
    return psycopg.connect(
        host=params.host,
        port=params.port,
        user=params.username,
        dbname=params.database,
        connect_timeout=timeout,
        autocommit=True,
    )


def _elapsed(started: float) -> float:
    return time.monotonic() - started


def test_the_proxy_holds_in_silence_refuses_at_once_and_recovers(db_proxy):
    assert can_arm()
    open_before = _connect(db_proxy.url)
    try:
        assert open_before.execute("SELECT 1").fetchone() == (1,)
        db_proxy.hold()
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded), deadline(1.0):
            open_before.execute("SELECT 2")  # sent, never answered
        assert 1.0 <= _elapsed(started) < 2.0
    finally:
        open_before.close()  # mid-query: closed, never committed over a held connection
    started = time.monotonic()
    with pytest.raises(psycopg.errors.ConnectionTimeout):
        _connect(db_proxy.url)  # accepted, then nothing: libpq's connect_timeout ends it
    assert 2.0 <= _elapsed(started) < 3.0
    db_proxy.pass_through()
    cut = _connect(db_proxy.url)
    try:
        db_proxy.refuse()
        with pytest.raises(psycopg.OperationalError):
            cut.execute("SELECT 3")
    finally:
        cut.close()
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        _connect(db_proxy.url)
    assert _elapsed(started) < 1.0
    db_proxy.pass_through()
    with _connect(db_proxy.url) as recovered:
        assert recovered.execute("SELECT 4").fetchone() == (4,)


def test_held_connections_go_on_where_they_stopped_when_released(db_proxy):
    results: dict[str, object] = {}
    open_before = _connect(db_proxy.url, timeout=10)
    db_proxy.hold()

    def query() -> None:
        results["query"] = open_before.execute("SELECT 5").fetchone()

    def connect() -> None:
        with _connect(db_proxy.url, timeout=10) as opened_during:
            results["connect"] = opened_during.execute("SELECT 6").fetchone()

    threads = [threading.Thread(target=query), threading.Thread(target=connect)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=0.5)  # held for at least this long
    assert all(thread.is_alive() for thread in threads) and results == {}
    db_proxy.pass_through()
    for thread in threads:
        thread.join(timeout=10)
    open_before.close()
    assert results == {"query": (5,), "connect": (6,)}


def test_the_proxy_makes_the_database_slow(db_proxy):
    with _connect(db_proxy.url) as conn:
        db_proxy.slow(0.3)
        started = time.monotonic()
        conn.execute("SELECT 1")
        assert _elapsed(started) >= 0.3
        db_proxy.pass_through()
        started = time.monotonic()
        conn.execute("SELECT 1")
        assert _elapsed(started) < 0.3


@pytest.fixture
def twilio(app, fake_twilio):  # type: ignore[no-untyped-def]
    """The real SDK on Hubhome's transport, pointed at the fake, with a 1 s timeout."""
    sid = app.config["HUBHOME"].twilio_account_sid
    return Client(sid, TWILIO_TOKEN, http_client=TwilioTransport(1.0, fake_twilio.url))


def test_the_fake_twilio_answers_the_sdk_and_records_each_request(twilio, fake_twilio):
    sent = twilio.messages.create(to="+46701234567", from_="+46100000000", body="Hej")
    assert (sent.sid, sent.status, sent.to, sent.body) == (
        fake_twilio.messages[0]["sid"],
        "queued",
        "+46701234567",
        "Hej",
    )
    call = twilio.calls.create(to="+46701234567", from_="+46100000000", twiml="<Response/>")
    assert twilio.calls(call.sid).update(status="completed").status == "completed"
    (posted,) = fake_twilio.wait_for(1, method="POST", path="/Messages.json")
    assert posted.form == {"To": "+46701234567", "From": "+46100000000", "Body": "Hej"}
    assert posted.auth == (fake_twilio.account_sid, TWILIO_TOKEN)
    assert fake_twilio.sent_sms == [posted.form]
    wrong = Client(
        fake_twilio.account_sid, "not-the-token", http_client=TwilioTransport(1.0, fake_twilio.url)
    )
    with pytest.raises(TwilioRestException) as refused:
        wrong.messages.create(to="+46701234567", from_="+46100000000", body="Hej")
    assert refused.value.status == 401


def test_the_fake_twilio_fails_hangs_drops_and_is_slow_on_cue(twilio, fake_twilio):
    fake_twilio.script(error(500), HANG, DROP, slow(0.3), method="POST")

    def send() -> object:
        return twilio.messages.create(to="+46701234567", from_="+46100000000", body="Hej")

    with pytest.raises(TwilioRestException) as failed:
        send()
    assert failed.value.status == 500
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        send()  # the fake hangs; the transport's 1 s timeout ends the wait
    assert 1.0 <= _elapsed(started) < 2.0
    with pytest.raises(requests.exceptions.ConnectionError):
        send()
    started = time.monotonic()
    assert send()
    assert _elapsed(started) >= 0.3
    assert send()  # the script is used up: answered at once
    kinds = [r.reply.kind for r in fake_twilio.requests]
    assert kinds == ["error", "hang", "drop", "slow", "answer"]
    assert len(fake_twilio.messages) == 2  # only the answered ones were created


def test_the_fake_twilio_lists_what_the_test_set_with_twilios_filters_and_pages(
    twilio, fake_twilio
):
    day = "Mon, 23 Nov 2026 10:00:00 +0000"
    for n in range(5):
        fake_twilio.add_call(to=f"+4670000000{n}", status="completed", start_time=day)
    fake_twilio.add_call(to="+46700000009", status="no-answer", start_time=None)
    fake_twilio.add_message(to="+46701234567", status="delivered", date_sent=day)
    recording = fake_twilio.add_recording(call_sid=fake_twilio.calls[0]["sid"], duration="12")
    assert len(twilio.calls.list(page_size=2)) == 6  # three pages, followed by the SDK
    assert len(twilio.calls.list(status="completed")) == 5
    after = datetime(2026, 11, 23, tzinfo=UTC)
    assert len(twilio.calls.list(start_time_after=after)) == 5
    assert len(twilio.calls.list(start_time_before=datetime(2026, 11, 22, tzinfo=UTC))) == 0
    (message,) = twilio.messages.list(to="+46701234567", date_sent_after=after)
    assert message.status == "delivered"
    (listed,) = twilio.calls(recording["call_sid"]).recordings.list()
    assert listed.sid == recording["sid"] == twilio.recordings.list()[0].sid
    assert twilio.recordings(recording["sid"]).delete()
    assert fake_twilio.recordings == []


def test_dead_addresses_hang_or_refuse(silent_address, refusing_address):
    silent = redis.Redis.from_url(silent_address.redis_url, socket_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(redis.TimeoutError):
        silent.ping()  # connected, asked, never answered
    assert 0.5 <= _elapsed(started) < 2.0
    silent.close()
    refused = redis.Redis.from_url(refusing_address.redis_url, socket_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        refused.ping()
    assert _elapsed(started) < 0.5
    refused.close()


def _wait_for_heartbeat(jobs) -> None:  # type: ignore[no-untyped-def]
    """Until this scheduler has taken the lock and written its heartbeat."""
    give_up = time.monotonic() + 90
    while True:
        db.session.rollback()
        lease = db.session.get(SchedulerLease, "scheduler")
        if lease is not None and f":{jobs.pid}:" in lease.holder:
            return
        assert jobs.running, jobs.tail()
        assert time.monotonic() < give_up, jobs.tail()
        with suppress(subprocess.TimeoutExpired):
            jobs.process.wait(timeout=0.1)  # polls, and ends early if the process dies


def test_the_scheduler_can_be_killed_and_stopped(start_jobs):
    killed = start_jobs()
    _wait_for_heartbeat(killed)
    killed.kill()
    assert killed.wait() == -signal.SIGKILL
    stopped = start_jobs()  # takes the lock the killed one's closed connection let go
    _wait_for_heartbeat(stopped)
    stopped.terminate()
    assert stopped.wait() in (0, -signal.SIGTERM)
