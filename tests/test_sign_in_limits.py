"""Throttling that spares offices, the client address behind proxies, and the security
events in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from tests.conftest import DEMO_PASSWORD, bearer, login

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _events(action: str) -> list[AuditEvent]:
    rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
    db.session.commit()
    return rows


@pytest.fixture
def office(other_app, demo):
    """The production-like limit: ten refusals per address; correct sign-ins never count."""
    return other_app(login_rate_limit="10 per minute", proxy_hops=1)


def test_thirty_correct_sign_ins_a_minute_from_one_address_all_succeed(office):
    people = ["familj1", "familj2", "familj9", "hubb.bjornen", "socialsekreterare", "admin"]
    answers = []
    for i in range(30):
        client = office.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
        answers.append(login(client, people[i % len(people)]).status_code)
    assert answers == [302] * 30


def test_thirty_api_tokens_a_minute_from_one_address_are_issued(office):
    client = office.test_client()
    for _ in range(30):
        bearer(client, "familj1")


def test_wrong_passwords_for_one_account_end_locked(office):
    client = office.test_client()
    answers = [login(client, "familj1", "wrong-password").status_code for _ in range(25)]
    assert answers[:4] == [401] * 4
    assert answers[-1] == 429
    assert login(client, "familj1").status_code == 429  # locked, even with the password
    assert len(_events("auth.locked")) >= 1


def test_failures_from_one_address_are_limited_across_accounts(office):
    client = office.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.8"
    answers = [
        login(client, f"nobody{i}@example.test", "wrong-password").status_code for i in range(11)
    ]
    assert answers[:10] == [401] * 10
    assert answers[10] == 429


def test_the_address_is_read_behind_the_proxy(office):
    guesser = office.test_client()
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.9"
    for i in range(10):
        login(guesser, f"nobody{i}@example.test", "wrong-password")
    assert login(guesser, "familj1").status_code == 429
    colleague = office.test_client()  # same proxy, another person's address
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.10"
    assert login(colleague, "familj1").status_code == 302
    addresses = {event.ip for event in _events("auth.login_failed")}
    assert addresses == {"198.51.100.9"}


def test_without_proxy_hops_forwarded_headers_are_ignored(other_app, demo):
    app = other_app(proxy_hops=0)
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.1"
    login(client, "familj1", "wrong-password")
    assert {event.ip for event in _events("auth.login_failed")} == {"127.0.0.1"}


def test_failed_sign_ins_are_audited_and_shown_to_administrators(client, demo, api_headers):
    login(client, "familj1", "wrong-password")
    login(client, "nobody@example.test", "wrong-password")
    events = _events("auth.login_failed")
    assert len(events) == 2
    assert all("familj1" not in str(event.detail) for event in events)  # no e-mail in the log
    headers = api_headers("admin")
    listed = client.get("/api/v1/audit?action=auth.login_failed", headers=headers).get_json()
    # the unknown address belongs to no organisation; administrators see it too
    assert sorted(e["actor_id"] or 0 for e in listed) == [0, demo.user("familj1").id]
    login(client, "admin")
    page = client.get("/admin/audit?action=auth.login_failed")
    assert page.status_code == 200


def test_wrong_one_time_codes_count_toward_the_lockout(other_app, demo):
    app = other_app(require_mfa=True)
    user = db.session.scalar(select(User).where(User.email == "jour@demo.hubhome.test"))
    secret = pyotp.random_base32()
    user.totp_secret = secret
    db.session.commit()
    client = app.test_client()
    with time_machine.travel(NOW, tick=False):
        assert login(client, "jour").headers["Location"].endswith("/login/mfa")
        answers = [client.post("/login/mfa", data={"code": "000000"}).status_code for _ in range(5)]
        assert answers == [401, 401, 401, 401, 429]
        assert login(client, "jour").status_code == 429  # the account is locked now
    assert len(_events("auth.mfa_failed")) == 5
    assert len(_events("auth.locked")) == 1


def test_wrong_api_one_time_codes_are_audited(other_app, demo):
    app = other_app(require_mfa=True)
    user = db.session.scalar(select(User).where(User.email == "jour@demo.hubhome.test"))
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    body = {"email": "jour@demo.hubhome.test", "password": DEMO_PASSWORD, "otp": "000000"}
    assert app.test_client().post("/api/v1/auth/token", json=body).status_code == 401
    assert len(_events("auth.mfa_failed")) == 1


def test_asking_for_an_object_out_of_scope_is_audited(client, demo, api_headers):
    from hubhome.children.models import Child
    from hubhome.permissions import child_ids_visible_to

    carer = demo.user("familj1")
    other = db.session.scalar(select(Child.id).where(Child.id.not_in(child_ids_visible_to(carer))))
    db.session.commit()
    headers = api_headers("familj1")
    answers = {client.get(f"/api/v1/children/{other}", headers=headers).status_code}
    answers.add(client.get("/api/v1/children/2000000000", headers=headers).status_code)
    assert answers == {404}
    denied = _events("access.denied")
    assert [(e.object_type, e.object_id) for e in denied] == [("children", other)]
    assert denied[0].actor_id == carer.id
