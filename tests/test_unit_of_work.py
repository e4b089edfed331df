"""One request, one job: a step that fails after a write leaves nothing written and sends nothing.

The booking below writes the booking, its audit event and the hub carer's SMS, and then a
later step fails: the page, the API call and the job must roll all of it back.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from hubhome.accounts.models import ApiToken, User
from hubhome.audit.models import AuditEvent
from hubhome.errors import Conflict
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.outbox.sender import send_due
from hubhome.outbox.services import enqueue_sms
from hubhome.respite import notify
from hubhome.respite.models import RespiteBooking
from jobs.registry import JobSpec
from jobs.scheduler import run_job
from tests.respite_helpers import NOW, booking_body, children_of

pytestmark = pytest.mark.clock(NOW)


def _count(model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _written() -> tuple[int, int, int]:
    """Bookings, their audit events and the SMS to the hub carer, as the database has them."""
    db.session.expire_all()
    return (
        _count(RespiteBooking),
        _count(AuditEvent, AuditEvent.action == "respite.requested"),
        _count(OutboxMessage, OutboxMessage.purpose == "respite.requested"),
    )


@pytest.fixture
def fails_after_writing(monkeypatch):
    """Make the booking fail right after it queued the hub carer's SMS; record what was
    written inside the transaction by then, to show the failure came after the writes."""
    seen: dict[str, tuple[int, int, int]] = {}
    queue_sms = notify.requested

    def fail_with(error: Exception) -> None:
        def requested_then_fail(session, booking, carers):  # type: ignore[no-untyped-def]
            queue_sms(session, booking, carers)
            seen["inside"] = (
                _count(RespiteBooking),
                _count(AuditEvent, AuditEvent.action == "respite.requested"),
                _count(OutboxMessage, OutboxMessage.purpose == "respite.requested"),
            )
            raise error

        monkeypatch.setattr(notify, "requested", requested_then_fail)

    fail_with.seen = seen  # type: ignore[attr-defined]
    return fail_with


def test_a_page_refused_after_its_writes_writes_and_sends_nothing(
    client, demo, login_as, fails_after_writing, twilio_http, frozen
):
    fails_after_writing(Conflict("Someone took the bed."))
    login_as("familj1")
    kid = children_of(demo.user("familj1"))[0]
    response = client.post(
        "/respite/book",
        data={
            "household_id": demo.user("familj1").household_id,
            "child_ids": [kid],
            "check_in": "2026-12-04",
            "check_out": "2026-12-06",
            "kind": "planned",
            "note": "",
        },
    )
    assert response.status_code == 409
    assert "Someone took the bed." in response.get_data(as_text=True)
    assert fails_after_writing.seen["inside"] == (1, 1, 1)
    assert _written() == (0, 0, 0)
    send_due(db.session)
    assert twilio_http.sent_sms == []


def test_an_api_call_that_fails_after_its_writes_writes_and_sends_nothing(
    app, client, demo, api_headers, fails_after_writing, twilio_http, frozen
):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production
    headers = api_headers("familj1")
    fails_after_writing(RuntimeError("the step after the writes broke"))
    kid = children_of(demo.user("familj1"))[0]
    response = client.post(
        "/api/v1/respite/bookings",
        json=booking_body([kid], date(2026, 12, 4), date(2026, 12, 6)),
        headers=headers,
    )
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert fails_after_writing.seen["inside"] == (1, 1, 1)
    assert _written() == (0, 0, 0)
    send_due(db.session)
    assert twilio_http.sent_sms == []
    # what must outlive the rollback did: the token's first use is recorded
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_an_unexpected_error_is_rolled_back_before_it_propagates(
    client, demo, api_headers, fails_after_writing, frozen
):
    headers = api_headers("familj1")
    fails_after_writing(RuntimeError("the step after the writes broke"))
    kid = children_of(demo.user("familj1"))[0]
    with pytest.raises(RuntimeError):
        client.post(
            "/api/v1/respite/bookings",
            json=booking_body([kid], date(2026, 12, 4), date(2026, 12, 6)),
            headers=headers,
        )
    assert _written() == (0, 0, 0)


def test_a_job_that_fails_after_its_writes_writes_and_sends_nothing(app, demo, twilio_http):
    familj1 = demo.user("familj1")
    user_id, name = familj1.id, familj1.name
    db.session.close()  # the test's own session holds no transaction while the job runs

    def writes_then_fails(session) -> int:  # type: ignore[no-untyped-def]
        user = session.get_one(User, user_id)
        user.name = "Half written"
        enqueue_sms(session, user, "test.job", lambda: "Hej", dedupe_key="job-test")
        session.flush()
        raise RuntimeError("the job could not finish")

    run = run_job(app, JobSpec("demo_job", writes_then_fails, "interval"))
    assert run.outcome == "failed"
    assert db.session.get_one(User, user_id).name == name
    assert _count(OutboxMessage, OutboxMessage.purpose == "test.job") == 0
    send_due(db.session)
    assert all(sms["Body"] != "Hej" for sms in twilio_http.sent_sms)


@pytest.mark.parametrize(("status", "kept"), [(200, 1), (303, 1), (409, 0), (422, 0), (500, 0)])
def test_the_status_a_view_answers_decides_commit_or_rollback(demo, other_app, status, kept):
    """Under 400 the request's writes are committed; an error status rolls them back."""
    from flask import redirect

    from hubhome.audit.services import record

    organisation_id = demo.user("admin").organisation_id
    app = other_app()  # its own app: this test adds a route

    def writes_then_answers():  # type: ignore[no-untyped-def]
        record(db.session, None, "test.write", organisation_id=organisation_id)
        return redirect("/home", status) if status == 303 else ("answer", status)

    app.add_url_rule("/test/writes-then-answers", view_func=writes_then_answers)
    assert app.test_client().get("/test/writes-then-answers").status_code == status
    assert _count(AuditEvent, AuditEvent.action == "test.write") == kept


def test_a_cli_command_that_is_refused_writes_nothing(app, runner):
    from flask.cli import ScriptInfo

    from hubhome.cli import main
    from hubhome.network.models import Organisation

    result = runner.invoke(
        main,
        [
            "create-user",
            "--email",
            "not-an-address",
            "--name",
            "Nobody",
            "--role",
            "admin",
            "--organisation",
            "Ny kommun",
            "--password",
            "long-enough-password",
        ],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 2
    assert _count(Organisation, Organisation.name == "Ny kommun") == 0
