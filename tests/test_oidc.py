"""OpenID Connect sign-in against a real provider (npm oidc-provider, tests/oidc/)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from tests.oidc_helpers import at_provider, local, oidc_provider, params, with_params

__all__ = ["oidc_provider"]  # the fixture, imported for the tests below

PERSONNUMMER = "191212121212"  # the demo's familj1, registered as 19121212-1212
ACCOUNTS = {
    "sara": {"email": "Socialsekreterare@Demo.Hubhome.test", "name": "Sara"},
    "fatima": {"personal_identity_number": PERSONNUMMER, "name": "Fatima"},
    "stranger-staff": {"email": "stranger@example.test", "name": "Stranger"},
    "stranger-family": {"personal_identity_number": "198112189876", "name": "Stranger"},
    "carer-at-staff": {"email": "familj1@demo.hubhome.test", "name": "Fatima"},
}


@pytest.fixture
def oidc_app(other_app, demo, oidc_provider):
    oidc_provider.add_accounts(ACCOUNTS)
    oidc_provider.follow_the_test_clock()
    return other_app(require_mfa=True, **oidc_provider.settings())


def _start(client, name: str) -> str:
    response = client.get(f"/login/oidc/{name}")
    assert response.status_code == 302
    return response.headers["Location"]


def _sign_in(client, name: str, account: str):
    return client.get(local(at_provider(_start(client, name), account)))


def _failed_events() -> list[AuditEvent]:
    rows = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    )
    db.session.commit()
    return rows


def _signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_the_flow_uses_pkce_state_and_nonce(oidc_app, oidc_provider):
    url = _start(oidc_app.test_client(), "staff")
    assert url.startswith(f"{oidc_provider.issuer}/")
    query = params(url)
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] and query["state"] and query["nonce"]
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == "http://localhost/login/oidc/staff/callback"
    assert "openid" in query["scope"].split()


def test_staff_sign_in_by_e_mail_without_a_one_time_code(oidc_app):
    client = oidc_app.test_client()
    response = _sign_in(client, "staff", "sara")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home")
    assert page.status_code == 200
    assert "Sara Socialsekreterare" in page.get_data(as_text=True)
    logins = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).all()
    assert [e.detail for e in logins] == [{"method": "oidc:staff"}]
    db.session.commit()


def test_family_sign_in_by_personnummer(oidc_app, demo):
    client = oidc_app.test_client()
    response = _sign_in(client, "family", "fatima")
    assert response.status_code == 302
    page = client.get("/home")
    assert page.status_code == 200
    assert demo.user("familj1").name in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "account"), [("staff", "stranger-staff"), ("family", "stranger-family")]
)
def test_an_unknown_identity_is_refused_and_no_account_is_made(oidc_app, name, account):
    users = db.session.scalar(select(func.count()).select_from(User))
    db.session.commit()
    client = oidc_app.test_client()
    response = _sign_in(client, name, account)
    assert response.status_code == 403
    assert "no active account" in response.get_data(as_text=True) or "inget aktivt konto" in (
        response.get_data(as_text=True)
    )
    assert not _signed_in(client)
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    db.session.commit()
    events = _failed_events()
    assert [e.detail for e in events] == [{"provider": name, "reason": "unknown_identity"}]


def test_a_family_identity_never_signs_in_through_the_staff_provider(oidc_app):
    client = oidc_app.test_client()
    assert _sign_in(client, "staff", "carer-at-staff").status_code == 403  # a carer's e-mail
    assert _sign_in(client, "staff", "fatima").status_code == 403  # only a personnummer
    assert not _signed_in(client)


def test_a_staff_identity_never_signs_in_through_the_family_provider(oidc_app):
    client = oidc_app.test_client()
    assert _sign_in(client, "family", "sara").status_code == 403
    assert not _signed_in(client)


def test_a_forged_state_is_refused(oidc_app):
    client = oidc_app.test_client()
    back = at_provider(_start(client, "staff"), "sara")
    response = client.get(local(with_params(back, state="forged-state")))
    assert response.status_code == 403
    assert not _signed_in(client)
    assert [e.detail["reason"] for e in _failed_events()] == ["protocol"]


def test_a_callback_without_a_flow_is_refused(oidc_app):
    client = oidc_app.test_client()
    assert client.get("/login/oidc/family/callback?code=x&state=y").status_code == 403
    assert not _signed_in(client)


def test_a_replayed_code_is_refused(oidc_app):
    first = oidc_app.test_client()
    back = at_provider(_start(first, "staff"), "sara")
    assert first.get(local(back)).status_code == 302
    assert first.get(local(back)).status_code == 403  # the same answer again
    other = oidc_app.test_client()  # someone else, with a flow of their own, replays the code
    own = params(at_provider(_start(other, "staff"), "stranger-staff"))
    replay = with_params(back, state=own["state"])
    assert other.get(local(replay)).status_code == 403
    assert not _signed_in(other)


def test_an_id_token_with_another_nonce_is_refused(oidc_app):
    client = oidc_app.test_client()
    tampered = with_params(_start(client, "staff"), nonce="a-nonce-hubhome-never-sent")
    response = client.get(local(at_provider(tampered, "sara")))
    assert response.status_code == 403
    assert not _signed_in(client)


def test_the_sign_in_page_offers_each_provider_family_first(oidc_app):
    page = oidc_app.test_client().get("/login").get_data(as_text=True)
    family = page.index("/login/oidc/family")
    staff = page.index("/login/oidc/staff")
    assert family < staff


def test_without_providers_there_are_no_links_and_no_routes(client, demo):
    assert "/login/oidc/" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc/staff").status_code == 404


def test_a_deactivated_carer_is_refused(oidc_app, demo):
    user = db.session.get(User, demo.user("familj1").id)
    user.active = False
    db.session.commit()
    assert _sign_in(oidc_app.test_client(), "family", "fatima").status_code == 403


@pytest.mark.parametrize("dead", ["refusing", "silent"])
def test_an_unreachable_provider_gets_a_clear_answer_within_its_timeout(other_app, demo, dead):
    from tests.faults import addresses

    address = getattr(addresses, dead)()
    app = other_app(
        oidc_staff_issuer=f"http://127.0.0.1:{address.port}",
        oidc_staff_client_id="x",
        oidc_staff_client_secret="y",
        oidc_timeout=1.0,
    )
    try:
        response = app.test_client().get("/login/oidc/staff")
    finally:
        address.close()
    assert response.status_code == 503


def test_an_administrator_registers_a_carers_personnummer(client, demo):
    from tests.conftest import login

    login(client, "admin")
    household = demo.user("familj2").household_id
    form = {
        "name": "Ny Familjehemsförälder",
        "email": "ny.foralder@demokommun.se",
        "role": "foster_carer",
        "household_id": str(household),
        "personnummer": "198112189876",
        "password": "a-long-password-1",
    }
    assert client.post("/admin/users", data=form).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "ny.foralder@demokommun.se"))
    assert user.personnummer == "198112189876"
    assert user.personnummer_hash and "198112189876" not in user.personnummer_hash
    stored = db.session.execute(
        text("SELECT personnummer FROM users WHERE id = :id"), {"id": user.id}
    ).scalar_one()
    assert "198112189876" not in stored  # encrypted at rest
    db.session.commit()
    again = {**form, "email": "andra.foralder@demokommun.se"}
    refused = client.post("/admin/users", data=again)
    assert refused.status_code == 422
    second = select(User).where(User.email == "andra.foralder@demokommun.se")
    assert db.session.scalar(second) is None
    db.session.commit()


def test_the_demo_carer_has_the_test_personnummer(demo):
    from hubhome.accounts.services import carer_for_personnummer

    assert carer_for_personnummer(db.session, "19121212-1212").id == demo.user("familj1").id
    db.session.commit()


def test_administrators_see_refused_identities_in_the_audit_api(oidc_app, api_headers):
    _sign_in(oidc_app.test_client(), "family", "stranger-family")
    listed = oidc_app.test_client().get(
        "/api/v1/audit?action=auth.login_failed", headers=api_headers("admin")
    )
    assert listed.status_code == 200
    assert [e["action"] for e in listed.get_json()] == ["auth.login_failed"]
