"""The outbox under faults: every message reaches Twilio once, none is lost.

Twilio is the fake on 127.0.0.1 (the real SDK inside Hubhome, only the transport's base URL
differs); "sent" means the fake created a Message resource for it. What the fake received is
counted per message body: a body Twilio created twice was sent twice.

The Twilio client's timeout here is 2 s (`TWILIO_SECONDS`); a message whose answer does not
come in time is looked up at the fake after `RECONCILE` seconds.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from hubhome.extensions import db
from hubhome.ops.models import JobRun, SchedulerLease
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.services import enqueue_sms_to_number
from tests.faults.conftest import TWILIO_SECONDS
from tests.faults.fake_twilio import HANG, FakeTwilio, Recorded, error, slow

RECONCILE = "8"  # seconds after an unanswered attempt before Twilio is asked
FAST = {"HUBHOME_OUTBOX_RECONCILE_SECONDS": RECONCILE, "HUBHOME_OUTBOX_BACKOFF_SECONDS": "1"}
NUMBERS = [f"+4670100{n:04d}" for n in range(25)]


def _queue(bodies: list[str], purpose: str = "test.fault_tier") -> None:
    for n, body in enumerate(bodies):
        enqueue_sms_to_number(db.session, None, NUMBERS[n % len(NUMBERS)], purpose, body)
    db.session.commit()


def _created(fake: FakeTwilio, bodies: list[str]) -> Counter[str]:
    """How many Message resources Twilio holds for each of these bodies."""
    wanted = set(bodies)
    return Counter(m["body"] for m in fake.messages if m["body"] in wanted)


def _for(body: str) -> Callable[[Recorded], bool]:
    return lambda request: request.form.get("Body") == body


def _messages(bodies: list[str]) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.body.in_(bodies))))


def _wait_until_settled(bodies: list[str], timeout: float, why: Callable[[], str]) -> None:
    """Poll the database until every message is sent or failed for good."""
    deadline = time.monotonic() + timeout
    while True:
        open_ = [m for m in _messages(bodies) if m.status in ("pending", "sending")]
        if not open_:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(open_)} messages still open: {why()}")
        time.sleep(0.25)  # polling the outcome with a deadline, not waiting for it to happen


def _holder_pid() -> int | None:
    db.session.expire_all()
    lease = db.session.get(SchedulerLease, "scheduler")
    return int(lease.holder.split(":")[1]) if lease is not None else None


def _wait_for_holder(pids: set[int], timeout: float = 90.0) -> int:
    deadline = time.monotonic() + timeout
    while (pid := _holder_pid()) not in pids:
        if time.monotonic() > deadline:
            raise AssertionError(f"no scheduler among {pids} took the lock (holder: {pid})")
        time.sleep(0.1)
    return pid  # type: ignore[return-value]


def _advisory_locks_held() -> int:
    """Advisory locks granted in the test's database (the server is shared with other runs)."""
    held = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    with db.engine.connect() as conn:
        return int(conn.execute(text(held)).scalar_one())


def _assert_each_sent_once(fake: FakeTwilio, bodies: list[str]) -> None:
    created = _created(fake, bodies)
    twice = {body: count for body, count in created.items() if count > 1}
    missing = [body for body in bodies if body not in created]
    assert twice == {}, f"sent more than once: {twice}"
    assert missing == [], f"never sent: {missing[:10]}"
    sids = {m["body"]: m["sid"] for m in fake.messages}
    for message in _messages(bodies):
        assert message.status == OutboxStatus.SENT, (message.body, message.last_error)
        assert message.provider_sid == sids[message.body]


def test_500_messages_with_failures_slow_answers_and_the_lock_holder_killed(
    demo, fake_twilio, start_jobs
):
    bodies = [f"Meddelande nr {n}" for n in range(500)]
    _queue(bodies)
    for n, body in enumerate(bodies):
        if n % 10 == 3:  # 10 % fail once with a 500
            fake_twilio.script(error(500), method="POST", when=_for(body))
        elif n % 33 == 5:  # 3 % answer after 4 s, past the client's 2 s timeout
            fake_twilio.script(slow(4), method="POST", when=_for(body))
    first = start_jobs(**FAST)
    _wait_for_holder({first.pid})
    standby = start_jobs(**FAST)
    fake_twilio.wait_for(150, timeout=120, method="POST", path="/Messages.json")
    first.kill()  # kill -9 of the lock holder in the middle of the run
    killed_at = time.monotonic()
    before = len(fake_twilio.matching("POST", "/Messages.json"))
    first.wait()
    assert _wait_for_holder({standby.pid}) == standby.pid
    fake_twilio.wait_for(before + 1, timeout=90, method="POST", path="/Messages.json")
    takeover = time.monotonic() - killed_at
    _wait_until_settled(bodies, 300, standby.tail)
    _assert_each_sent_once(fake_twilio, bodies)
    assert takeover < 60
    posts = Counter(r.form["Body"] for r in fake_twilio.matching("POST", "/Messages.json"))
    resent = sum(1 for body in bodies if posts[body] > 1)
    db.session.expire_all()
    stuck = db.session.scalars(select(JobRun).where(JobRun.outcome == "running")).all()
    assert len(stuck) <= 1  # at most the standby's own run now; the killed one's was closed
    print(  # shown with -rP: the figures the report quotes
        f"500 messages: each created once at Twilio; {sum(posts[b] for b in bodies)} requests, "
        f"{resent} messages tried again after a 500 or a lookup; "
        f"{len(fake_twilio.matching('GET', '/Messages.json'))} lookups; "
        f"standby's first send {takeover:.1f} s after the kill"
    )


def test_a_poison_message_blocks_nothing_and_is_looked_up_before_any_resend(
    demo, fake_twilio, start_jobs
):
    hanging, late = "Hänger för evigt", "Svarar för sent"
    others = [f"Vanligt nr {n}" for n in range(20)]
    _queue([hanging, late, *others], purpose="phone.follow_up")
    fake_twilio.script(HANG, method="POST", when=_for(hanging))  # never answered, never made
    fake_twilio.script(slow(4), method="POST", when=_for(late))  # made 4 s late
    jobs = start_jobs(**FAST)
    fake_twilio.wait_for(22, timeout=90, method="POST", path="/Messages.json")
    _wait_until_settled([hanging, late, *others], 120, jobs.tail)
    _assert_each_sent_once(fake_twilio, [hanging, late, *others])

    def requests_for(body: str) -> list[Recorded]:
        number = _messages([body])[0].to
        return [
            r
            for r in fake_twilio.requests
            if r.form.get("Body") == body or (r.method == "GET" and r.query.get("To") == number)
        ]

    # The hanging one: tried, looked up (not found), then sent again once.
    assert [r.method for r in requests_for(hanging)] == ["POST", "GET", "POST"]
    # The late one: tried, looked up and found: never sent a second time.
    assert [r.method for r in requests_for(late)] == ["POST", "GET"]
    messages = {m.body: m for m in _messages([hanging, late])}
    assert messages[hanging].attempts == 2
    assert messages[late].attempts == 1
    # Nothing waited behind the poison message: every other one was sent before it was
    # looked up.
    lookup = fake_twilio.requests.index(requests_for(hanging)[1])
    sent_at = {r.form.get("Body"): i for i, r in enumerate(fake_twilio.requests)}
    assert all(sent_at[body] < lookup for body in others)
    print(f"poison message: Twilio client timeout {TWILIO_SECONDS:g} s, lookup after {RECONCILE} s")


def test_sigterm_mid_send_finishes_the_message_records_the_run_and_releases_the_lock(
    demo, fake_twilio, start_jobs
):
    bodies = [f"Avslut nr {n}" for n in range(5)]
    _queue(bodies)
    fake_twilio.script(slow(1.5), method="POST", when=_for(bodies[0]))  # within the timeout
    jobs = start_jobs(**FAST)
    fake_twilio.wait_for(1, timeout=90, method="POST", path="/Messages.json")
    jobs.signal(signal.SIGTERM)  # while Twilio is answering the first message
    assert jobs.wait(30) == 0, jobs.tail()
    assert "lock released" in jobs.output()
    first = _messages(bodies[:1])[0]
    assert first.status == OutboxStatus.SENT  # the step in flight was finished
    db.session.expire_all()
    runs = db.session.scalars(select(JobRun)).all()
    assert runs and all(run.outcome != "running" for run in runs)
    lease = db.session.get(SchedulerLease, "scheduler")
    assert lease is not None
    assert lease.expires_at <= datetime.now(UTC)
    assert _advisory_locks_held() == 0  # the advisory lock went with the process
    again = start_jobs("--once", **FAST)
    assert again.wait(120) == 0, again.tail()
    _wait_until_settled(bodies, 60, again.tail)
    _assert_each_sent_once(fake_twilio, bodies)


def test_sigterm_during_jobs_once_finishes_the_send_records_the_run_and_starts_nothing_more(
    demo, fake_twilio, start_jobs
):
    bodies = [f"Engång nr {n}" for n in range(5)]
    _queue(bodies)
    fake_twilio.script(slow(1.5), method="POST", when=_for(bodies[0]))  # within the timeout
    once = start_jobs("--once", **FAST)
    fake_twilio.wait_for(1, timeout=90, method="POST", path="/Messages.json")
    once.signal(signal.SIGTERM)  # while Twilio is answering the first message
    assert once.wait(30) == 0, once.tail()
    assert "lock released" in once.output()
    first, *rest = sorted(_messages(bodies), key=lambda m: m.id)
    assert first.status == OutboxStatus.SENT and first.provider_sid  # the step in flight
    assert [(m.status, m.attempts) for m in rest] == [(OutboxStatus.PENDING, 0)] * 4
    assert len(fake_twilio.sent_sms) == 1  # no new message taken after the signal
    db.session.expire_all()
    runs = db.session.scalars(select(JobRun)).all()
    assert [(run.job, run.outcome) for run in runs] == [("outbox", "ok")]  # no job after it
    assert runs[0].finished_at is not None
    assert _advisory_locks_held() == 0  # the lock is released
    again = start_jobs("--once", **FAST)
    assert again.wait(120) == 0, again.tail()
    _assert_each_sent_once(fake_twilio, bodies)


def test_a_status_callback_settles_a_message_whose_answer_never_came(
    demo, fake_twilio, start_jobs, start_server
):
    """Twilio made the message after the client gave up: its status callback, not a lookup,
    records it as sent and delivered, and it is never sent again."""
    from tests.conftest import PUBLIC_URL

    bodies = ["Svaret kom aldrig"]
    _queue(bodies)
    fake_twilio.script(slow(4), method="POST", when=_for(bodies[0]))  # made after the timeout
    slow_lookup = {"HUBHOME_OUTBOX_RECONCILE_SECONDS": "600"}
    once = start_jobs("--once", **slow_lookup)
    assert once.wait(120) == 0, once.tail()
    (message,) = _messages(bodies)
    assert message.status == OutboxStatus.SENDING and message.provider_sid is None
    (created,) = fake_twilio.wait_for(1, method="POST", path="/Messages.json")
    callback = created.form["StatusCallback"]
    assert callback.startswith(PUBLIC_URL + "/phone/sms/status?message=")
    deadline = time.monotonic() + 30
    while not (made := [m for m in fake_twilio.messages if m["body"] == bodies[0]]):
        assert time.monotonic() < deadline, "Twilio never made the slow message"
        time.sleep(0.1)  # polling the fake's state with a deadline
    (made,) = made
    server = start_server(phone=True)
    for status in ("sent", "delivered", "delivered"):  # in order, and once more
        form = {"MessageSid": made["sid"], "MessageStatus": status, "To": made["to"]}
        assert server.webhook(callback[len(PUBLIC_URL) :], form).status == 204
    (message,) = _messages(bodies)
    assert message.status == OutboxStatus.DELIVERED
    assert (message.provider_sid, message.attempts) == (made["sid"], 1)
    again = start_jobs("--once", HUBHOME_OUTBOX_RECONCILE_SECONDS="0")
    assert again.wait(120) == 0, again.tail()
    posts = [r for r in fake_twilio.matching("POST", "/Messages.json") if _for(bodies[0])(r)]
    assert len(posts) == 1  # never sent again
    lookups = fake_twilio.matching("GET", "/Messages.json")
    assert [r for r in lookups if r.query.get("To") == made["to"]] == []  # nor looked up


def test_a_refused_connection_is_a_failed_attempt_with_its_text_and_backoff(
    demo, refusing_address, start_jobs
):
    bodies = ["Ingen når Twilio"]
    _queue(bodies)
    before = datetime.now(UTC)
    jobs = start_jobs("--once", HUBHOME_TWILIO_API_BASE=f"http://127.0.0.1:{refusing_address.port}")
    # The reconciliation with Twilio cannot reach it either: that run fails, so the exit is 1.
    assert jobs.wait(120) == 1, jobs.tail()
    db.session.expire_all()
    outcomes = {
        job: outcome for job, outcome in db.session.execute(select(JobRun.job, JobRun.outcome))
    }
    assert outcomes["outbox"] == "ok" and outcomes["phone_reconciliation"] == "failed"
    (message,) = _messages(bodies)
    assert message.status == OutboxStatus.PENDING  # never sent, so tried again, not looked up
    assert message.attempts == 1
    assert "refused" in (message.last_error or "").lower()
    assert message.due_at >= before + timedelta(minutes=1)  # the first back-off
