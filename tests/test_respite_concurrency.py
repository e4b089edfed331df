"""Under concurrency no night ever holds more children than the hub has beds (PostgreSQL)."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.network.models import ConstellationMembership
from hubhome.respite.models import RespiteBooking
from tests.conftest import is_postgres
from tests.respite_helpers import NOW, booking_body, set_beds

pytestmark = [
    pytest.mark.clock(NOW),
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="concurrency is proven on PostgreSQL"),
]

THREADS = 8
ROUNDS = 20


def race(app, calls):
    """Run each call in its own thread, released together; return their responses."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        client = app.test_client()
        barrier.wait()
        results[i] = call(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def satellite_children(demo):
    """One placed child for each Björnen satellite: (household_id, child_id)."""
    from hubhome.children.models import Placement

    bjornen = demo.constellations["Björnen"].id
    households = db.session.scalars(
        select(ConstellationMembership.household_id).where(
            ConstellationMembership.constellation_id == bjornen
        )
    ).all()
    pairs = []
    for household_id in households:
        child = db.session.scalar(
            select(Placement.child_id).where(
                Placement.household_id == household_id, Placement.end_date.is_(None)
            )
        )
        pairs.append((household_id, child))
    return pairs


def test_many_families_racing_for_the_last_bed_exactly_one_wins(app, demo, api_headers, frozen):
    set_beds(demo, 1)
    headers = api_headers("jour")
    pairs = (satellite_children(demo) * 2)[:THREADS]
    for round_number in range(ROUNDS):
        night = date(2026, 12, 1) + timedelta(days=round_number)

        def attempt(client, household_id, child_id, night=night):
            body = booking_body(
                [child_id], night, night + timedelta(days=1), household_id=household_id
            )
            return client.post("/api/v1/respite/bookings", json=body, headers=headers)

        responses = race(app, [lambda c, h=h, k=k: attempt(c, h, k) for h, k in pairs])
        codes = sorted(r.status_code for r in responses)
        assert codes == [201] + [409] * (THREADS - 1), (round_number, codes)
        held = db.session.scalar(
            select(db.func.count())
            .select_from(RespiteBooking)
            .where(RespiteBooking.check_in == night)
        )
        assert held == 1


def test_approve_and_decline_racing_exactly_one_wins(app, demo, api_headers, frozen):
    family = api_headers("familj1")
    hub = api_headers("hubb.bjornen")
    from tests.respite_helpers import children_of

    kid = children_of(demo.user("familj1"))[:1]
    for round_number in range(10):
        night = date(2026, 12, 1) + timedelta(days=round_number)
        created = (
            app.test_client()
            .post(
                "/api/v1/respite/bookings",
                json=booking_body(kid, night, night + timedelta(days=1)),
                headers=family,
            )
            .get_json()
        )
        url = f"/api/v1/respite/bookings/{created['id']}"
        approve, decline = race(
            app,
            [
                lambda c, url=url: c.post(f"{url}/approve", json={}, headers=hub),
                lambda c, url=url: c.post(f"{url}/decline", json={"reason": "Fullt"}, headers=hub),
            ],
        )
        assert sorted([approve.status_code, decline.status_code]) == [200, 409]
        db.session.expire_all()
        final = db.session.get(RespiteBooking, created["id"]).status
        assert final == ("approved" if approve.status_code == 200 else "declined")


def test_approve_racing_cancel_leaves_a_consistent_booking(app, demo, api_headers, frozen):
    from tests.respite_helpers import children_of

    family = api_headers("familj1")
    hub = api_headers("hubb.bjornen")
    kid = children_of(demo.user("familj1"))[:1]
    for round_number in range(10):
        night = date(2026, 12, 1) + timedelta(days=round_number)
        created = (
            app.test_client()
            .post(
                "/api/v1/respite/bookings",
                json=booking_body(kid, night, night + timedelta(days=1)),
                headers=family,
            )
            .get_json()
        )
        url = f"/api/v1/respite/bookings/{created['id']}"
        approve, cancel = race(
            app,
            [
                lambda c, url=url: c.post(f"{url}/approve", json={}, headers=hub),
                lambda c, url=url: c.post(f"{url}/cancel", json={}, headers=family),
            ],
        )
        assert cancel.status_code == 200
        assert approve.status_code in (200, 409)
        db.session.expire_all()
        assert db.session.get(RespiteBooking, created["id"]).status == "cancelled"


def test_double_submits_racing_create_one_booking(app, demo, api_headers, frozen):
    from tests.respite_helpers import children_of

    family = api_headers("familj1")
    body = booking_body(
        children_of(demo.user("familj1"))[:1],
        date(2026, 12, 4),
        date(2026, 12, 5),
        idempotency_key="double-click",
    )
    responses = race(
        app,
        [lambda c: c.post("/api/v1/respite/bookings", json=body, headers=family) for _ in range(4)],
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.get_json()["id"] for r in responses}) == 1
