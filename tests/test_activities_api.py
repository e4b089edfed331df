"""The events API: listing by constellation and dates, planning, and answers with 409 past
capacity; concurrent answers never overfill an event (PostgreSQL)."""

import threading

import pytest
import time_machine
from sqlalchemy import select

from hubhome.activities.models import ActivityAnswer, AnswerStatus
from hubhome.extensions import db
from hubhome.network.models import ConstellationMembership
from tests.activity_helpers import (
    NOW,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import bearer, is_postgres

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("without_demo_everyday")]


def body(constellation_id, **extra):
    data = {
        "constellation_id": constellation_id,
        "kind": "social",
        "title": "Pulkaåkning",
        "date": "2027-01-16",
        "start": "11:00:00",
        "end": "14:00:00",
        "place": "Backen",
        "capacity": 3,
    }
    data.update(extra)
    return data


def test_hub_carer_plans_and_families_list_by_dates(frozen, app, demo, api_headers):
    bjornen = demo.constellations["Björnen"].id
    created = app.test_client().post(
        "/api/v1/activities", headers=api_headers("hubb.bjornen"), json=body(bjornen)
    )
    assert created.status_code == 201, created.get_json()
    [event] = created.get_json()
    assert event["starts_at"].startswith("2027-01-16T10:00:00")  # 11:00 in Stockholm
    family = api_headers("familj2")
    url = f"/api/v1/activities?constellation_id={bjornen}&from=2027-01-16&to=2027-01-16"
    listed = app.test_client().get(url, headers=family).get_json()
    assert [a["id"] for a in listed] == [event["id"]], listed
    later = f"/api/v1/activities?constellation_id={bjornen}&from=2027-01-17&to=2027-01-31"
    assert app.test_client().get(later, headers=family).get_json() == []
    other = app.test_client().get(url, headers=api_headers("familj9"))
    assert other.status_code == 404


def test_families_cannot_plan_and_bad_input_names_the_fields(frozen, app, demo, api_headers):
    bjornen = demo.constellations["Björnen"].id
    refused = app.test_client().post(
        "/api/v1/activities", headers=api_headers("familj1"), json=body(bjornen)
    )
    assert refused.status_code == 403
    bad = app.test_client().post(
        "/api/v1/activities",
        headers=api_headers("socialsekreterare"),
        json=body(bjornen, kind="party", title="", capacity=0),
    )
    assert bad.status_code == 422
    assert {"kind", "title", "capacity"} <= set(bad.get_json()["errors"])
    backwards = app.test_client().post(
        "/api/v1/activities",
        headers=api_headers("socialsekreterare"),
        json=body(bjornen, start="14:00:00", end="11:00:00"),
    )
    assert backwards.status_code == 422 and "end" in backwards.get_json()["errors"]


def test_rsvp_past_capacity_is_409_and_a_waiting_place_can_be_taken(frozen, app, demo, api_headers):
    bjornen = demo.constellations["Björnen"].id
    [event] = (
        app.test_client()
        .post("/api/v1/activities", headers=api_headers("hubb.bjornen"), json=body(bjornen))
        .get_json()
    )
    url = f"/api/v1/activities/{event['id']}/rsvp"
    first = app.test_client().post(
        url, headers=api_headers("familj1"), json={"attending": True, "adults": 2, "children": 0}
    )
    assert first.status_code == 200 and first.get_json()["status"] == "coming"
    answer = {"attending": True, "adults": 1, "children": 1, "note": "Vegetariskt"}
    full = app.test_client().post(url, headers=api_headers("familj2"), json=answer)
    assert full.status_code == 409
    assert full.get_json()["free"] == 1
    waiting = app.test_client().post(
        url, headers=api_headers("familj2"), json={**answer, "waiting": True}
    )
    assert waiting.get_json()["status"] == "waiting"
    bad = app.test_client().post(url, headers=api_headers("familj1"), json={"adults": -1})
    assert bad.status_code == 422
    assert {"attending", "adults"} <= set(bad.get_json()["errors"])
    outsider = app.test_client().post(url, headers=api_headers("familj9"), json=answer)
    assert outsider.status_code == 404


pg_only = pytest.mark.skipif(not is_postgres(), reason="concurrency is proven on PostgreSQL")


@pg_only
def test_concurrent_answers_never_overfill_an_event(app, demo):
    """Seven families answer at once for three places: exactly three are coming."""
    from hubhome.accounts.models import Role, User
    from hubhome.accounts.passwords import hash_password
    from tests.conftest import DEMO_PASSWORD

    bjornen = demo.constellations["Björnen"].id
    households = db.session.scalars(
        select(ConstellationMembership.household_id).where(
            ConstellationMembership.constellation_id == bjornen
        )
    ).all()
    emails = []
    for household_id in households:
        if db.session.scalar(select(User.id).where(User.household_id == household_id)) is None:
            email = f"familj-h{household_id}@demo.hubhome.test"
            db.session.add(
                User(
                    organisation_id=demo.user("admin").organisation_id,
                    email=email,
                    name="Familj",
                    role=Role.FOSTER_CARER,
                    password_hash=hash_password(DEMO_PASSWORD),
                    household_id=household_id,
                )
            )
            emails.append(email)
    db.session.commit()
    emails += ["familj1@demo.hubhome.test", "familj2@demo.hubhome.test"]
    with time_machine.travel(NOW, tick=False):
        client = app.test_client()
        [event] = client.post(
            "/api/v1/activities", headers=bearer(client, "hubb.bjornen"), json=body(bjornen)
        ).get_json()
        headers = [bearer(client, email) for email in emails]
        db.session.commit()
        barrier = threading.Barrier(len(headers))
        results = [0] * len(headers)

        def run(i):
            barrier.wait()
            response = app.test_client().post(
                f"/api/v1/activities/{event['id']}/rsvp",
                headers=headers[i],
                json={"attending": True, "adults": 1},
            )
            results[i] = response.status_code

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(headers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [200] * 3 + [409] * (len(headers) - 3)
    db.session.expire_all()
    coming = db.session.scalars(
        select(ActivityAnswer).where(ActivityAnswer.status == AnswerStatus.COMING)
    ).all()
    assert sum(a.people for a in coming) == 3
