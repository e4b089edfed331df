"""The scheduler's SMS reach the fake Twilio through the real SDK; only the transport differs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hubhome.extensions import db
from hubhome.ops.models import JobRun
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.services import enqueue_sms
from tests.conftest import PUBLIC_URL, TWILIO_TOKEN
from tests.faults.fake_twilio import error

ONCE_SECONDS = 120.0  # every job once, on the demo data, on a busy machine


def _queue(demo, body: str) -> OutboxMessage:  # type: ignore[no-untyped-def]
    queued = enqueue_sms(
        db.session, demo.user("familj1"), "test.fault_tier", lambda: body, dedupe_key=body
    )
    assert queued is not None
    db.session.commit()
    return db.session.get_one(OutboxMessage, queued.id)


def _run_jobs_once(start_jobs) -> None:  # type: ignore[no-untyped-def]
    jobs = start_jobs("--once")
    jobs.wait(ONCE_SECONDS)
    db.session.expire_all()
    outbox = db.session.scalars(select(JobRun).where(JobRun.job == "outbox")).one()
    assert outbox.outcome == "ok", jobs.tail()


def test_an_sms_sent_by_the_scheduler_reaches_twilio_and_twilio_reports_its_delivery(
    app, demo, fake_twilio, start_jobs, start_server
):
    message = _queue(demo, "Hej från felnivån")
    _run_jobs_once(start_jobs)
    (sent,) = [
        r for r in fake_twilio.matching("POST", "/Messages.json") if r.form["Body"] == message.body
    ]
    settings = app.config["HUBHOME"]
    assert sent.path == f"/2010-04-01/Accounts/{settings.twilio_account_sid}/Messages.json"
    assert sent.auth == (settings.twilio_account_sid, TWILIO_TOKEN)
    assert sent.form["To"] == demo.user("familj1").phone
    assert sent.form["From"] == settings.twilio_from_number
    callback = f"/phone/sms/status?message={message.id}"
    assert sent.form["StatusCallback"] == PUBLIC_URL + callback
    (created,) = [m for m in fake_twilio.messages if m["body"] == message.body]
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT
    assert message.provider_sid == created["sid"]  # what the SDK parsed from the fake's JSON
    assert message.attempts == 1
    server = start_server()
    report = {"MessageSid": created["sid"], "MessageStatus": "delivered", "To": sent.form["To"]}
    assert server.post(callback, report).status == 403  # not signed by Twilio
    assert server.webhook(callback, report).status == 204
    db.session.refresh(message)
    assert message.status == OutboxStatus.DELIVERED


def test_a_500_from_twilio_is_recorded_as_a_failed_attempt_to_try_again(
    app, demo, fake_twilio, start_jobs
):
    message = _queue(demo, "Hej igen från felnivån")
    fake_twilio.script(
        error(500),
        method="POST",
        path="/Messages.json",
        when=lambda r: r.form.get("Body") == message.body,
    )
    before = datetime.now(UTC)
    _run_jobs_once(start_jobs)
    tried = [r for r in fake_twilio.requests if r.form.get("Body") == message.body]
    assert [r.reply.status for r in tried] == [500]
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.sent_at is None
    assert "500" in (message.last_error or "")
    assert message.due_at >= before + timedelta(minutes=1)  # the first back-off
