"""Audit: every view of a child's or household's record and every write leaves an event."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.children.models import Placement
from hubhome.extensions import db
from tests.conftest import bearer


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _a_child_of(household_name: str) -> int:
    from hubhome.network.models import Household

    return db.session.scalar(
        select(Placement.child_id)
        .join(Household, Household.id == Placement.household_id)
        .where(Household.name == household_name)
        .order_by(Placement.child_id)
    )


def test_viewing_a_childs_page_is_audited(client, login_as, demo):
    login_as("familj1")
    child_id = _a_child_of("Familjen Andersson")
    assert client.get(f"/children/{child_id}").status_code == 200
    [event] = _events("child.view")
    assert event.actor_id == demo.user("familj1").id
    assert event.actor_role == "foster_carer"
    assert event.child_id == child_id
    assert event.object_type == "children"
    assert event.channel == "web"
    assert event.ip == "127.0.0.1"
    assert event.organisation_id == demo.user("familj1").organisation_id


def test_viewing_a_child_through_the_api_is_audited(client, demo):
    child_id = _a_child_of("Familjen Andersson")
    headers = bearer(client, "socialsekreterare")
    assert client.get(f"/api/v1/children/{child_id}", headers=headers).status_code == 200
    [event] = _events("child.view")
    assert event.channel == "api"
    assert event.child_id == child_id
    listed = client.get("/api/v1/children", headers=headers).get_json()
    assert {e.child_id for e in _events("child.list_view")} == {c["id"] for c in listed}


def test_a_refused_child_view_leaves_no_view_event(client, login_as):
    login_as("familj9")
    assert client.get(f"/children/{_a_child_of('Familjen Andersson')}").status_code == 404
    assert _events("child.view") == []


def test_viewing_a_household_is_audited_on_page_and_api(client, login_as, demo):
    household_id = demo.user("familj1").household_id
    login_as("familj1")
    assert client.get(f"/households/{household_id}").status_code == 200
    headers = bearer(client, "hubb.bjornen")
    assert client.get(f"/api/v1/households/{household_id}", headers=headers).status_code == 200
    events = _events("household.view")
    assert [(e.household_id, e.channel) for e in events] == [
        (household_id, "web"),
        (household_id, "api"),
    ]


def test_writes_are_audited(client, login_as, demo):
    login_as("socialsekreterare")
    household_id = demo.user("familj2").household_id
    response = client.post(
        "/children/new",
        data={
            "first_name": "Tindra",
            "last_name": "Ny",
            "birth_date": "2019-04-02",
            "gender": "girl",
            "household_id": str(household_id),
            "placement_start": "2025-06-01",
        },
    )
    assert response.status_code == 302
    [created] = _events("child.create")
    assert created.actor_id == demo.user("socialsekreterare").id
    assert _events("placement.create")[0].child_id == created.child_id
    ended = client.post(
        f"/children/{created.child_id}/placement/end",
        data={"end_date": "2025-09-01", "planned": "yes", "reason": "Återförening"},
    )
    assert ended.status_code == 302
    [end] = _events("placement.end")
    assert end.child_id == created.child_id
    assert end.detail is None or "Återförening" not in str(end.detail)
    assert _events("auth.login")


def test_creating_an_account_is_audited(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users",
        data={
            "name": "Nina Ny",
            "email": "nina.ny@demokommun.se",
            "phone": "070-123 45 67",
            "role": "foster_carer",
            "household_id": "0",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 302
    [event] = _events("user.create")
    assert event.object_type == "users"


def test_audit_events_are_searchable_by_user_child_and_date(client, login_as, demo):
    child_id = _a_child_of("Familjen Andersson")
    with time_machine.travel(datetime(2026, 2, 2, 10, 0, tzinfo=UTC), tick=False):
        login_as("familj1")
        client.get(f"/children/{child_id}")
        client.post("/logout")
    with time_machine.travel(datetime(2026, 3, 3, 10, 0, tzinfo=UTC), tick=False):
        login_as("admin")
        page = client.get(
            "/admin/audit",
            query_string={
                "actor_id": demo.user("familj1").id,
                "child_id": child_id,
                "date_from": "2026-02-01",
                "date_to": "2026-02-28",
            },
        )
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "1 händelse" in html
        assert "Barnets uppgifter lästa" in html and "child.view" not in html
        empty = client.get(
            "/admin/audit", query_string={"child_id": child_id, "date_from": "2026-03-01"}
        )
        assert "0 händelser" in empty.get_data(as_text=True)
        headers = bearer(client, "admin")
        found = client.get(
            "/api/v1/audit",
            headers=headers,
            query_string={"child_id": child_id, "from": "2026-02-01", "to": "2026-02-28"},
        ).get_json()
        assert [e["action"] for e in found] == ["child.view"]
        assert found[0]["actor_id"] == demo.user("familj1").id


def test_admins_see_only_their_own_organisations_events(client, demo):
    from tests.permission_matrix import make_other_organisation

    make_other_organisation()
    client.get("/api/v1/me", headers=bearer(client, "familj1"))
    other = bearer(client, "other_admin@annan.hubhome.test")
    events = client.get("/api/v1/audit", headers=other).get_json()
    assert events and all(e["actor_id"] != demo.user("familj1").id for e in events)
