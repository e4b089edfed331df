"""Signing in: same refusal for every address, lockout, rate limits, the second factor."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from hubhome.accounts.models import LoginThrottle, User
from hubhome.extensions import db
from tests.conftest import DEMO_PASSWORD, login

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
WRONG = "The e-mail address or password is wrong."
WRONG_SV = "E-postadressen eller lösenordet är fel."
LOCKED_SV = "För många misslyckade försök"


def _error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


def test_wrong_password_and_unknown_email_get_the_same_answer(client, demo):
    known = login(client, "familj1", "wrong-password")
    unknown = login(client, "nobody@demo.hubhome.test", "wrong-password")
    assert known.status_code == unknown.status_code == 401
    known_html, unknown_html = known.get_data(as_text=True), unknown.get_data(as_text=True)
    assert WRONG_SV in known_html
    assert _error_summary(known_html) == _error_summary(unknown_html)


def test_api_token_refusal_is_the_same_for_unknown_email(client, demo):
    known = client.post(
        "/api/v1/auth/token", json={"email": "familj1@demo.hubhome.test", "password": "nope"}
    )
    unknown = client.post(
        "/api/v1/auth/token", json={"email": "nobody@demo.hubhome.test", "password": "nope"}
    )
    assert known.status_code == unknown.status_code == 401
    assert known.get_json() == unknown.get_json()
    assert known.mimetype == "application/problem+json"


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, demo):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            assert login(client, "familj1", "wrong-password").status_code == 401
        locked = login(client, "familj1", DEMO_PASSWORD)
        assert locked.status_code == 429
        assert LOCKED_SV in locked.get_data(as_text=True)
        token = client.post(
            "/api/v1/auth/token",
            json={"email": "familj1@demo.hubhome.test", "password": DEMO_PASSWORD},
        )
        assert token.status_code == 429
        assert token.mimetype == "application/problem+json"
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert login(client, "familj1", DEMO_PASSWORD).status_code == 429
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert login(client, "familj1", DEMO_PASSWORD).status_code == 302
        assert client.get("/home").status_code == 200


def test_unknown_addresses_are_locked_out_the_same_way(client, demo):
    other = client.application.test_client()
    with time_machine.travel(NOW, tick=False):
        unknown = [login(client, "ghost@demo.hubhome.test", "guess") for _ in range(6)]
        known = [login(other, "familj2", "guess") for _ in range(6)]
    assert [r.status_code for r in unknown] == [401] * 5 + [429]
    assert [r.status_code for r in known] == [401] * 5 + [429]
    unknown_locked = _error_summary(unknown[-1].get_data(as_text=True))
    assert "Försök igen om 15 minuter" in unknown_locked
    assert unknown_locked == _error_summary(known[-1].get_data(as_text=True))


def test_the_throttle_keeps_no_email_address(client, demo):
    login(client, "ghost@demo.hubhome.test", "guess")
    rows = db.session.scalars(select(LoginThrottle)).all()
    assert rows and all("@" not in row.email_hash for row in rows)


def test_failures_spread_over_time_do_not_lock(client, demo):
    for minutes in (0, 20, 40, 60, 80, 100):
        with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
            assert login(client, "familj1", "wrong-password").status_code == 401
    with time_machine.travel(NOW + timedelta(minutes=101), tick=False):
        assert login(client, "familj1", DEMO_PASSWORD).status_code == 302


@pytest.fixture
def limited_app(other_app, demo):
    return other_app(login_rate_limit="3 per minute")


def test_sign_in_form_is_rate_limited(limited_app):
    client = limited_app.test_client()
    answers = [login(client, "familj1", "wrong-password").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    assert "För många försök" in client.post("/login", data={}).get_data(as_text=True)


def test_token_endpoint_is_rate_limited(limited_app):
    client = limited_app.test_client()
    body = {"email": "familj1@demo.hubhome.test", "password": DEMO_PASSWORD}
    assert all(client.post("/api/v1/auth/token", json=body).status_code == 201 for _ in range(5))
    wrong = {"email": "familj2@demo.hubhome.test", "password": "wrong-password"}
    answers = [client.post("/api/v1/auth/token", json=wrong) for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert answers[-1].mimetype == "application/problem+json"
    assert "Retry-After" in answers[-1].headers


# --- the second factor ----------------------------------------------------------------------


@pytest.fixture
def mfa_app(other_app, demo):
    return other_app(require_mfa=True)


def _secret_on(page: str) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page)
    assert match, "the set-up page shows the key"
    return match.group(1)


def test_the_one_time_code_is_asked_for_and_never_accepted_twice(mfa_app):
    secret = pyotp.random_base32()
    user = db.session.scalar(select(User).where(User.email == "jour@demo.hubhome.test"))
    user.totp_secret = secret
    db.session.commit()
    client = mfa_app.test_client()
    with time_machine.travel(NOW, tick=False):
        response = login(client, "jour")
        assert response.headers["Location"].endswith("/login/mfa")
        assert client.get("/home").status_code == 302  # not signed in before the second step
        code = pyotp.TOTP(secret).now()
        done = client.post("/login/mfa", data={"code": code})
        assert done.status_code == 302
        assert done.headers["Location"].endswith("/home")
        assert client.get("/home").status_code == 200
        client.post("/logout")
        # the same code again, on the next sign-in: a replay, refused
        assert login(client, "jour").headers["Location"].endswith("/login/mfa")
        replay = client.post("/login/mfa", data={"code": code})
        assert replay.status_code == 401
        assert "redan använts" in replay.get_data(as_text=True)
        assert client.get("/home").status_code == 302
    with time_machine.travel(NOW + timedelta(seconds=95), tick=False):
        fresh = client.post("/login/mfa", data={"code": pyotp.TOTP(secret).now()})
        assert fresh.status_code == 302
        assert client.get("/home").status_code == 200


def test_foster_carers_sign_in_without_a_second_factor(mfa_app):
    client = mfa_app.test_client()
    response = login(client, "familj1")
    assert response.headers["Location"].endswith("/home")


def test_the_mfa_pages_need_a_password_first(mfa_app):
    client = mfa_app.test_client()
    assert client.get("/login/mfa").headers["Location"].endswith("/login")
    assert client.get("/login/mfa/setup").status_code == 403  # enrolment only through a link
    assert client.post("/login/mfa", data={"code": "123456"}).status_code == 302


def test_api_token_needs_a_one_time_code_for_mfa_roles(mfa_app):
    client = mfa_app.test_client()
    secret = pyotp.random_base32()
    user = db.session.scalar(select(User).where(User.email == "jour@demo.hubhome.test"))
    user.totp_secret = secret
    db.session.commit()
    body = {"email": "jour@demo.hubhome.test", "password": DEMO_PASSWORD}
    with time_machine.travel(NOW, tick=False):
        missing = client.post("/api/v1/auth/token", json=body)
        assert missing.status_code == 401
        assert missing.mimetype == "application/problem+json"
        wrong = client.post("/api/v1/auth/token", json={**body, "otp": "000000"})
        assert wrong.status_code == 401
        code = pyotp.TOTP(secret).now()
        ok = client.post("/api/v1/auth/token", json={**body, "otp": code})
        assert ok.status_code == 201
        replay = client.post("/api/v1/auth/token", json={**body, "otp": code})
        assert replay.status_code == 401
    carer = client.post(
        "/api/v1/auth/token",
        json={"email": "familj1@demo.hubhome.test", "password": DEMO_PASSWORD},
    )
    assert carer.status_code == 201


def test_mfa_role_without_enrolment_gets_no_api_token(mfa_app):
    client = mfa_app.test_client()
    body = {"email": "admin@demo.hubhome.test", "password": DEMO_PASSWORD, "otp": "123456"}
    assert client.post("/api/v1/auth/token", json=body).status_code == 401
