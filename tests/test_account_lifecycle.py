"""Accounts an IT department can govern: invitations and reset links by e-mail (a real
local SMTP server) or SMS, used once; MFA enrolment only through them; recovery codes;
editing, MFA reset and API tokens by administrators."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import func, select

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from tests.conftest import DEMO_PASSWORD, bearer, login
from tests.oidc_helpers import local
from tests.smtp_helpers import smtp_server

__all__ = ["smtp_server"]

NEW_PASSWORD = "a-brand-new-password"


@pytest.fixture
def mail_app(other_app, demo, smtp_server):
    return other_app(smtp_url=smtp_server.url)


@pytest.fixture
def mfa_app(other_app, demo, smtp_server):
    """The same database with two-step verification required (as in production)."""
    return other_app(smtp_url=smtp_server.url, require_mfa=True)


def _user(email: str) -> User:
    """The account as stored now, detached: reading it later starts no transaction."""
    user = db.session.scalar(select(User).where(User.email == email))
    db.session.expunge(user)
    db.session.commit()
    return user


def _count(action: str) -> int:
    number = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )
    db.session.commit()
    return number


def _id(demo, short: str) -> int:
    """An account's id, read without leaving a transaction open (SQLite's write lock would
    block the other app's requests)."""
    number = demo.user(short).id
    db.session.commit()
    return number


def _secret(page: str) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page)
    assert match, "the page shows the key"
    return match.group(1)


def test_forgot_password_sends_a_link_that_works_once(mail_app, smtp_server):
    client = mail_app.test_client()
    known = client.post("/login/forgot", data={"email": "familj1@demo.hubhome.test"})
    unknown = client.post("/login/forgot", data={"email": "nobody@demokommun.se"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert len(smtp_server.received) == 1
    message = smtp_server.to("familj1@demo.hubhome.test")[0]
    link = local(smtp_server.link_in(message))
    still_signed_in = mail_app.test_client()
    login(still_signed_in, "familj1")
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 200
    assert still_signed_in.get("/home").status_code == 302  # every session ended
    assert login(mail_app.test_client(), "familj1").status_code == 401  # the old password
    assert login(mail_app.test_client(), "familj1", NEW_PASSWORD).status_code == 302
    again = client.post(link, data={"password": "another-password-1", "confirm": "x"})
    assert again.status_code == 404  # used once
    assert _count("auth.password_set") == 1


def test_a_reset_link_expires(mail_app, smtp_server, frozen):
    client = mail_app.test_client()
    client.post("/login/forgot", data={"email": "familj1@demo.hubhome.test"})
    link = local(smtp_server.link_in(smtp_server.received[0]))
    with time_machine.travel(frozen + timedelta(hours=3), tick=False):
        assert client.get(link).status_code == 404


def test_an_invitation_by_e_mail_sets_a_password_and_enrols_mfa(mail_app, mfa_app, smtp_server):
    admin = mail_app.test_client()
    login(admin, "admin")
    created = admin.post(
        "/admin/users",
        data={
            "name": "Nya Socialsekreteraren",
            "email": "ny.handlaggare@demokommun.se",
            "role": "social_worker",
            "household_id": "0",
            "invite_by": "email",
        },
    )
    assert created.status_code == 302
    invited = smtp_server.to("ny.handlaggare@demokommun.se")
    assert len(invited) == 1
    link = local(smtp_server.link_in(invited[0]))
    person = mfa_app.test_client()
    page = person.get(link).get_data(as_text=True)
    secret = _secret(page)
    wrong = person.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "code": "000000"}
    )
    assert wrong.status_code == 422
    code = pyotp.TOTP(secret).now()
    done = person.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "code": code})
    assert done.status_code == 200
    codes = re.findall(r'<code class="recovery-code">([0-9a-f-]+)</code>', done.get_data(True))
    assert len(codes) == 10
    assert person.get(link).status_code == 404
    # signing in: password, then a recovery code instead of the app's code, once
    assert (
        login(person, "ny.handlaggare@demokommun.se", NEW_PASSWORD)
        .headers["Location"]
        .endswith("/login/mfa")
    )
    assert person.post("/login/mfa", data={"code": codes[0]}).status_code == 302
    assert person.get("/home").status_code == 200
    person.post("/logout")
    login(person, "ny.handlaggare@demokommun.se", NEW_PASSWORD)
    assert person.post("/login/mfa", data={"code": codes[0]}).status_code == 401
    assert person.post("/login/mfa", data={"code": codes[1]}).status_code == 302


def test_an_invitation_by_sms_goes_through_the_outbox(mail_app, demo):
    admin = mail_app.test_client()
    login(admin, "admin")
    user_id = _id(demo, "familj2")
    assert admin.post(f"/admin/users/{user_id}/link", data={"channel": "sms"}).status_code == 302
    messages = db.session.scalars(select(OutboxMessage)).all()
    db.session.commit()
    assert len(messages) == 1
    assert "/account/link/" in messages[0].body
    assert messages[0].to == "+46700002222"


def test_mfa_enrolment_is_refused_with_a_password_alone(mfa_app):
    client = mfa_app.test_client()
    response = login(client, "jour")  # on-call staff: needs MFA, not enrolled
    assert response.headers["Location"].endswith("/login/mfa/setup")
    page = client.get("/login/mfa/setup")
    assert page.status_code == 403
    assert 'class="secret"' not in page.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    assert client.post("/login/mfa", data={"code": "123456"}).status_code == 302
    assert _user("jour@demo.hubhome.test").totp_secret is None


def test_an_administrator_edits_an_account_and_a_role_change_ends_its_sessions(mail_app, demo):
    user_id = _id(demo, "familj2")
    household_id = demo.user("familj2").household_id
    db.session.commit()
    carer = mail_app.test_client()
    login(carer, "familj2")
    admin = mail_app.test_client()
    login(admin, "admin")
    assert admin.get(f"/admin/users/{user_id}").status_code == 200
    saved = admin.post(
        f"/admin/users/{user_id}",
        data={
            "name": "Fredrik Berg-Ek",
            "email": "Fredrik.Berg@demokommun.se",
            "phone": "070-123 45 67",
            "role": "hub_carer",
            "household_id": str(household_id),
            "personnummer": "198112189876",
        },
    )
    assert saved.status_code == 302
    user = _user("fredrik.berg@demokommun.se")
    assert (user.name, user.role, user.phone) == ("Fredrik Berg-Ek", "hub_carer", "+46701234567")
    assert user.personnummer == "198112189876"
    assert carer.get("/home").status_code == 302
    assert _count("user.update") == 1


def test_an_administrator_resets_mfa_ending_all_access(mail_app, demo):
    user = db.session.scalar(select(User).where(User.email == "jour@demo.hubhome.test"))
    user.totp_secret = pyotp.random_base32()
    user_id = user.id
    db.session.commit()
    other = mail_app.test_client()
    token = bearer(mail_app.test_client(), "familj1")  # an unrelated token stays
    admin = mail_app.test_client()
    login(admin, "admin")
    assert admin.post(f"/admin/users/{user_id}/reset-mfa").status_code == 302
    assert _user("jour@demo.hubhome.test").totp_secret is None
    assert other.get("/api/v1/me", headers=token).status_code == 200
    assert _count("user.mfa_reset") == 1


def test_an_administrator_lists_and_revokes_api_tokens(mail_app, demo):
    user_id = _id(demo, "familj1")
    headers = bearer(mail_app.test_client(), "familj1")
    admin = mail_app.test_client()
    login(admin, "admin")
    page = admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    revoke = re.search(rf"/admin/users/{user_id}/tokens/(\d+)/revoke", page)
    assert revoke
    assert admin.post(revoke.group(0)).status_code == 302
    assert mail_app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert admin.post(f"/admin/users/{user_id}/tokens/999999/revoke").status_code == 302
    assert _count("auth.token_revoked") == 1


def test_the_password_is_kept_only_for_the_account_with_the_link(mail_app, smtp_server):
    client = mail_app.test_client()
    client.post("/login/forgot", data={"email": "familj1@demo.hubhome.test"})
    client.post("/login/forgot", data={"email": "familj1@demo.hubhome.test"})
    first, second = (local(smtp_server.link_in(m)) for m in smtp_server.received)
    assert client.get(first).status_code == 404  # replaced by the newer link
    assert client.get(second).status_code == 200
    assert login(mail_app.test_client(), "familj1", DEMO_PASSWORD).status_code == 302
