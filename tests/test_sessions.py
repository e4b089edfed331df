"""Server-side sessions: the cookie is an opaque id; ending a session ends it everywhere."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from hubhome.accounts.models import UserSession
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from tests.conftest import DEMO_PASSWORD, bearer, login


def _cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _copy(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _actions(action: str) -> int:
    number = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )
    db.session.commit()
    return number


def test_the_cookie_is_an_opaque_id(client, demo):
    login(client, "familj1")
    value = _cookie(client)
    assert "." not in value  # no signed payload, just a random id
    assert str(demo.user("familj1").id) not in value or len(value) >= 40
    assert client.get("/home").status_code == 200


def test_a_copied_cookie_opens_nothing_after_logout(app, client, demo):
    login(client, "familj1")
    copy = _copy(app, _cookie(client))
    assert copy.get("/home").status_code == 200
    assert client.post("/logout").status_code == 302
    assert _signed_out(copy.get("/home"))
    assert _signed_out(client.get("/home"))


def test_sign_in_gives_a_new_id(app, client, demo):
    client.get("/login")
    client.post("/language", data={"lang-locale": "en"})  # something in the session
    planted = _cookie(client)
    login(client, "familj1")
    assert _cookie(client) != planted
    assert _signed_out(_copy(app, planted).get("/home"))


def test_sign_out_everywhere_ends_every_session_and_token(app, client, demo):
    login(client, "familj1")
    elsewhere = app.test_client()
    login(elsewhere, "familj1")
    headers = bearer(app.test_client(), "familj1")
    page = client.get("/account")
    assert page.status_code == 200
    assert "2" in page.get_data(as_text=True)
    response = client.post("/account/sessions/end")
    assert _signed_out(response)
    assert _signed_out(elsewhere.get("/home"))
    assert _signed_out(client.get("/home"))
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert _actions("auth.session_revoked") == 1


def test_the_account_page_lists_ones_sessions(app, client, demo):
    client.environ_base["HTTP_USER_AGENT"] = "Firefox/140 test"
    login(client, "familj1")
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = "Safari/18 test"
    login(other, "familj1")
    login(app.test_client(), "familj2")
    text = client.get("/account").get_data(as_text=True)
    assert "Firefox/140 test" in text
    assert "Safari/18 test" in text


def test_deactivation_ends_sessions_and_api_tokens(app, client, demo):
    carer = app.test_client()
    login(carer, "familj1")
    headers = bearer(app.test_client(), "familj1")
    login(client, "admin")
    user_id = demo.user("familj1").id
    assert f"/admin/users/{user_id}/deactivate" in client.get("/admin/users").get_data(True)
    response = client.post(f"/admin/users/{user_id}/deactivate")
    assert response.status_code == 302
    assert _signed_out(carer.get("/home"))
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert login(app.test_client(), "familj1").status_code == 401
    assert _actions("user.deactivate") == 1
    assert _actions("auth.session_revoked") == 1
    assert f"/admin/users/{user_id}/reactivate" in client.get("/admin/users").get_data(True)
    assert client.post(f"/admin/users/{user_id}/reactivate").status_code == 302
    assert login(app.test_client(), "familj1").status_code == 302


def test_an_admin_cannot_deactivate_an_account_of_another_organisation(client, demo):
    login(client, "admin")
    assert client.post("/admin/users/999999/deactivate").status_code == 404


def test_a_session_ends_after_an_hour_idle(client, demo, frozen):
    login(client, "familj1")
    with time_machine.travel(frozen + timedelta(minutes=55), tick=False):
        assert client.get("/home").status_code == 200  # activity keeps it alive
    with time_machine.travel(frozen + timedelta(minutes=110), tick=False):
        assert client.get("/home").status_code == 200
    with time_machine.travel(frozen + timedelta(minutes=171), tick=False):
        assert _signed_out(client.get("/home"))


def test_a_session_ends_twelve_hours_after_sign_in_whatever_the_activity(client, demo, frozen):
    login(client, "familj1")
    for minutes in range(50, 12 * 60, 50):
        with time_machine.travel(frozen + timedelta(minutes=minutes), tick=False):
            assert client.get("/home").status_code == 200
    with time_machine.travel(frozen + timedelta(hours=12, minutes=1), tick=False):
        assert _signed_out(client.get("/home"))


def test_the_limits_come_from_the_settings(other_app, demo, frozen):
    app = other_app(session_idle_minutes=5, session_max_hours=1)
    client = app.test_client()
    login(client, "familj1")
    with time_machine.travel(frozen + timedelta(minutes=6), tick=False):
        assert _signed_out(client.get("/home"))


def test_expired_sessions_are_purged_by_the_job(app, client, demo, frozen):
    from hubhome.accounts.jobs import purge_sessions

    login(client, "familj1")
    db.session.commit()
    with time_machine.travel(frozen + timedelta(hours=2), tick=False):
        assert purge_sessions(db.session) >= 1
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    db.session.commit()


def test_visitors_without_anything_in_their_session_store_nothing(client, demo):
    client.get("/tillganglighet")
    client.get("/api/v1/openapi.json")
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    db.session.commit()


def test_wrong_password_keeps_no_session_of_a_user(client, demo):
    assert login(client, "familj1", DEMO_PASSWORD + "x").status_code == 401
    assert _signed_out(client.get("/home"))
