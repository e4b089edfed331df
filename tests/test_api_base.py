"""The JSON API base: OpenAPI document, problem+json errors, bearer tokens."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import time_machine
from openapi_spec_validator import validate
from sqlalchemy import select

from hubhome.accounts.models import ApiToken
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.respite.models import RespiteBooking
from tests.conftest import DEMO_PASSWORD
from tests.respite_helpers import booking_body, children_of

ENDPOINTS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/me": {"get"},
    "/api/v1/constellations": {"get"},
    "/api/v1/households": {"get"},
    "/api/v1/households/{household_id}": {"get"},
    "/api/v1/children": {"get"},
    "/api/v1/children/{child_id}": {"get"},
    "/api/v1/audit": {"get"},
    "/api/v1/outbox": {"get"},
}
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _token(client, short="familj1"):
    response = client.post(
        "/api/v1/auth/token",
        json={"email": f"{short}@demo.hubhome.test", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 201
    return response.get_json()


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    for path, methods in ENDPOINTS.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), path
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_api_errors_are_problem_documents(client, demo):
    headers = {"Authorization": f"Bearer {_token(client)['token']}"}
    cases = [
        (client.get("/api/v1/me"), 401),
        (client.get("/api/v1/children/999999", headers=headers), 404),
        (client.get("/api/v1/audit", headers=headers), 403),
        (client.put("/api/v1/me", headers=headers), 405),
        (client.get("/api/v1/audit?limit=0", headers=_bearer(client, "admin")), 422),
        (client.post("/api/v1/auth/token", json={"email": "nope"}), 422),
    ]
    for response, status in cases:
        assert response.status_code == status
        assert response.mimetype == "application/problem+json", status
        body = response.get_json()
        assert body["status"] == status
        assert body["title"]
    missing = client.get("/api/v1/me")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")


def _bearer(client, short):
    return {"Authorization": f"Bearer {_token(client, short)['token']}"}


def test_invalid_token_request_lists_field_errors(client, demo):
    response = client.post("/api/v1/auth/token", json={"email": "not-an-address"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"email", "password"}


def test_tokens_are_stored_only_as_hashes(client, demo):
    issued = _token(client)
    rows = db.session.scalars(select(ApiToken)).all()
    assert len(rows) == 1
    assert rows[0].token_hash == hashlib.sha256(issued["token"].encode()).hexdigest()
    assert issued["token"] not in rows[0].token_hash


def test_tokens_expire(client, demo):
    with time_machine.travel(NOW, tick=False):
        issued = _token(client)
        headers = {"Authorization": f"Bearer {issued['token']}"}
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert datetime.fromisoformat(issued["expires_at"]) == NOW + timedelta(hours=12)
    with time_machine.travel(NOW + timedelta(hours=11, minutes=59), tick=False):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    with time_machine.travel(NOW + timedelta(hours=12), tick=False):
        assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_tokens_last_use_is_written_at_most_once_a_minute(client, demo):
    def last_used():
        db.session.expire_all()
        return db.session.scalars(select(ApiToken.last_used_at)).one()

    with time_machine.travel(NOW, tick=False):
        headers = {"Authorization": f"Bearer {_token(client)['token']}"}
        assert last_used() is None
        me = client.get("/api/v1/me", headers=headers)  # first use: written and committed
        assert me.status_code == 200 and me.get_json()["email"].startswith("familj1@")
        assert last_used() == NOW
    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert last_used() == NOW
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
        assert last_used() == NOW + timedelta(minutes=1)


def test_a_write_on_a_tokens_first_use_is_made_by_its_user(client, demo):
    carer = demo.user("familj1")
    with time_machine.travel(NOW, tick=False):
        headers = _bearer(client, "familj1")
        response = client.post(
            "/api/v1/respite/bookings",
            headers=headers,
            json=booking_body(children_of(carer)[:1], date(2026, 3, 20), date(2026, 3, 21)),
        )
    assert response.status_code == 201, response.get_json()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "respite.requested")
    ).one()
    assert (event.actor_id, event.household_id) == (carer.id, carer.household_id)
    assert event.channel == "api"
    assert db.session.scalars(select(ApiToken.last_used_at)).one() == NOW


def test_a_refused_write_still_records_the_tokens_use(client, demo):
    with time_machine.travel(NOW, tick=False):
        headers = _bearer(client, "familj1")
        refused = client.post("/api/v1/respite/bookings", headers=headers, json={"kind": "x"})
        assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.scalars(select(ApiToken.last_used_at)).one() == NOW
    assert db.session.scalar(select(db.func.count()).select_from(RespiteBooking)) == 0


def test_a_token_can_be_revoked(client, demo):
    headers = {"Authorization": f"Bearer {_token(client)['token']}"}
    other = {"Authorization": f"Bearer {_token(client)['token']}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only that token
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("auth.token_issued") == 2
    assert actions.count("auth.token_revoked") == 1


def test_a_deactivated_users_tokens_stop_working(client, demo):
    headers = _bearer(client, "familj1")
    demo.user("familj1").active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_api_ignores_the_session_cookie(client, login_as):
    login_as("admin")
    assert client.get("/api/v1/me").status_code == 401


def test_me_describes_the_caller(client, demo):
    body = client.get("/api/v1/me", headers=_bearer(client, "hubb.bjornen")).get_json()
    assert body["email"] == "hubb.bjornen@demo.hubhome.test"
    assert body["role"] == "hub_carer"
    assert body["household_id"] == demo.constellations["Björnen"].hub_household_id
    assert body["constellation_ids"] == [demo.constellations["Björnen"].id]


def test_children_are_shown_at_the_callers_access_level(client, demo):
    jour = client.get("/api/v1/children", headers=_bearer(client, "jour")).get_json()
    assert jour and all(set(c) == {"id", "first_name", "age", "access"} for c in jour)
    social = client.get("/api/v1/children", headers=_bearer(client, "socialsekreterare"))
    masked = [c["personnummer_masked"] for c in social.get_json()]
    assert all(m.endswith("-****") and len(m) == 13 for m in masked)


def test_protected_identity_hides_the_address_from_those_without_a_need(client, demo):
    from hubhome.children.models import Child, Placement

    child = db.session.scalar(select(Child).where(Child.protected_identity.is_(True)))
    home = db.session.scalar(select(Placement.household_id).where(Placement.child_id == child.id))
    hub = client.get(f"/api/v1/households/{home}", headers=_bearer(client, "hubb.bjornen"))
    if hub.status_code == 404:  # the child lives in Räven
        hub = client.get(f"/api/v1/households/{home}", headers=_bearer(client, "hubb.raven"))
    assert hub.status_code == 200
    assert hub.get_json()["street"] is None
    social = client.get(
        f"/api/v1/households/{home}", headers=_bearer(client, "socialsekreterare")
    ).get_json()
    assert social["street"]
    carer = client.get(f"/api/v1/children/{child.id}", headers=_bearer(client, "jour")).get_json()
    assert "last_name" not in carer
