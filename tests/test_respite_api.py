"""Respite through the API: booking, deciding, capacity, limits and who may do what."""

from datetime import date

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.respite.models import RespiteBooking, RespiteRules
from tests.respite_helpers import NOW, booking_body, children_of, set_beds

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("frozen")]


def book(client, headers, body):
    return client.post("/api/v1/respite/bookings", json=body, headers=headers)


def test_family_asks_and_the_hub_carer_approves(client, demo, api_headers):
    family = api_headers("familj1")
    kid = children_of(demo.user("familj1"))[0]
    created = book(
        client, family, booking_body([kid], date(2026, 12, 4), date(2026, 12, 6), note="Nötallergi")
    )
    assert created.status_code == 201, created.get_json()
    booking_id = created.get_json()["id"]
    assert created.get_json()["status"] == "requested"
    hub_sms = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "respite.requested")
    ).all()
    assert [m.to for m in hub_sms] == ["+46700000101"]
    assert "Familjen Andersson" in hub_sms[0].body  # in Swedish, the hub carer's language

    approved = client.post(
        f"/api/v1/respite/bookings/{booking_id}/approve",
        json={},
        headers=api_headers("hubb.bjornen"),
    )
    assert approved.status_code == 200
    assert approved.get_json()["status"] == "approved"
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "respite.approved")
    ).all()
    assert [m.to for m in told] == ["+46700001111"]


def test_a_request_that_does_not_fit_is_refused_naming_the_full_nights(client, demo, api_headers):
    set_beds(demo, 1)
    first = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 6)),
    )
    assert first.status_code == 201
    second = book(
        client,
        api_headers("familj2"),
        booking_body(children_of(demo.user("familj2"))[:1], date(2026, 12, 5), date(2026, 12, 8)),
    )
    assert second.status_code == 409
    problem = second.get_json()
    assert second.content_type == "application/problem+json"
    assert problem["full_nights"] == ["2026-12-05"]


def test_each_child_takes_a_bed(client, demo, api_headers):
    set_beds(demo, 1)
    familj = demo.user("familj1")
    kids = children_of(familj)
    if len(kids) < 2:
        pytest.skip("the demo family has one child")
    refused = book(
        client, api_headers("familj1"), booking_body(kids[:2], date(2026, 12, 4), date(2026, 12, 5))
    )
    assert refused.status_code == 409


def test_a_new_booking_is_in_the_session_as_written_and_reads_back_the_same(demo):
    """The booking and its children are written with Core inserts, not a flush: the session
    holds them as persistent and unchanged, and what the database stored reads the same."""
    from sqlalchemy import inspect

    from hubhome.respite import services
    from hubhome.respite.models import BookingKind

    familj = demo.user("familj1")
    kids = children_of(familj)[:2]
    booking = services.request_booking(
        db.session,
        familj,
        services.BookingRequest(
            household_id=familj.household_id,
            child_ids=[*reversed(kids), kids[0]],
            check_in=date(2026, 12, 4),
            check_out=date(2026, 12, 6),
            kind=BookingKind.PLANNED,
            note=" Nötallergi ",
        ),
    )
    assert inspect(booking).persistent and not db.session.new and not db.session.dirty
    assert db.session.get(RespiteBooking, booking.id) is booking
    assert [c.child_id for c in booking.children] == sorted(kids)
    assert all(inspect(c).persistent and c.booking is booking for c in booking.children)
    written = {
        column: getattr(booking, column)
        for column in RespiteBooking.__table__.columns.keys()  # noqa: SIM118
    }
    assert written["note"] == "Nötallergi" and written["status"] == "requested"
    assert written["created_at"] == written["updated_at"] and written["decided_at"] is None
    db.session.commit()
    db.session.expire_all()
    assert {column: getattr(booking, column) for column in written} == written
    assert sorted(c.child_id for c in booking.children) == sorted(kids)


@pytest.mark.parametrize(
    ("check_in", "check_out", "field"),
    [
        (date(2026, 12, 6), date(2026, 12, 6), "check_out"),
        (date(2026, 12, 6), date(2026, 12, 4), "check_out"),
        (date(2026, 11, 20), date(2026, 11, 22), "check_in"),
        (date(2026, 12, 1), date(2026, 12, 16), "check_out"),  # 15 nights > 14
        (date(2027, 9, 1), date(2027, 9, 2), "check_in"),  # beyond 180 days
    ],
)
def test_invalid_dates_are_refused_with_the_field_named(
    client, demo, api_headers, check_in, check_out, field
):
    response = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], check_in, check_out),
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.scalar(select(db.func.count()).select_from(RespiteBooking)) == 0


@pytest.mark.parametrize("with_own_child", [False, True])
def test_a_child_of_another_family_is_refused(client, demo, api_headers, with_own_child):
    own = children_of(demo.user("familj1"))[:1] if with_own_child else []
    other_child = children_of(demo.user("familj2"))[0]
    response = book(
        client,
        api_headers("familj1"),
        booking_body([*own, other_child], date(2026, 12, 4), date(2026, 12, 5)),
    )
    assert response.status_code == 422
    assert "child_ids" in response.get_json()["errors"]
    assert db.session.scalar(select(db.func.count()).select_from(RespiteBooking)) == 0


def test_a_child_whose_placement_has_ended_is_refused(client, demo, api_headers):
    from hubhome.children.models import Placement

    carer = demo.user("familj1")
    child = children_of(carer)[0]
    placement = db.session.scalars(
        select(Placement).where(Placement.child_id == child, Placement.end_date.is_(None))
    ).one()
    placement.end_date = date(2026, 11, 1)
    db.session.commit()
    response = book(
        client, api_headers("familj1"), booking_body([child], date(2026, 12, 4), date(2026, 12, 5))
    )
    assert response.status_code == 422
    assert "child_ids" in response.get_json()["errors"]


def test_the_same_child_named_twice_takes_one_bed(client, demo, api_headers):
    child = children_of(demo.user("familj1"))[0]
    response = book(
        client,
        api_headers("familj1"),
        booking_body([child, child], date(2026, 12, 4), date(2026, 12, 5)),
    )
    assert response.status_code == 201
    assert response.get_json()["child_ids"] == [child]


def test_a_family_may_not_book_for_another_family(client, demo, api_headers):
    familj2 = demo.user("familj2")
    body = booking_body(
        children_of(familj2)[:1],
        date(2026, 12, 4),
        date(2026, 12, 5),
        household_id=familj2.household_id,
    )
    assert book(client, api_headers("familj1"), body).status_code == 403
    assert book(client, api_headers("familj9"), body).status_code == 403
    assert book(client, api_headers("hubb.raven"), body).status_code == 403


def test_staff_book_on_a_familys_behalf_and_emergencies_are_approved_at_once(
    client, demo, api_headers
):
    familj2 = demo.user("familj2")
    body = booking_body(
        children_of(familj2)[:1],
        date(2026, 11, 23),
        date(2026, 11, 24),
        household_id=familj2.household_id,
        kind="emergency",
    )
    response = book(client, api_headers("jour"), body)
    assert response.status_code == 201
    assert response.get_json()["status"] == "approved"
    planned = booking_body(
        children_of(familj2)[:1],
        date(2026, 12, 10),
        date(2026, 12, 11),
        household_id=familj2.household_id,
    )
    by_liaison = book(client, api_headers("socialsekreterare"), planned)
    assert by_liaison.status_code == 201
    assert by_liaison.get_json()["status"] == "requested"
    family_phones = sorted(
        u.phone for u in demo.users.values() if u.household_id == familj2.household_id and u.phone
    )
    hub_phones = ["+46700000101"]
    sent = db.session.execute(
        select(OutboxMessage.purpose, OutboxMessage.to).order_by(OutboxMessage.id)
    ).all()
    told = {purpose: sorted(to for p, to in sent if p == purpose) for purpose, _to in sent}
    assert family_phones
    assert told == {
        "respite.requested": hub_phones * 2,  # both bookings, the hub carer each time
        "respite.approved": family_phones,  # the emergency, approved at once
        "respite.requested-for-you": family_phones,  # the liaison's request on their behalf
    }


def test_a_repeated_submit_creates_one_booking(client, demo, api_headers):
    headers = api_headers("familj1")
    body = booking_body(
        children_of(demo.user("familj1"))[:1],
        date(2026, 12, 4),
        date(2026, 12, 5),
        idempotency_key="form-123",
    )
    first, second = book(client, headers, body), book(client, headers, body)
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert db.session.scalar(select(db.func.count()).select_from(RespiteBooking)) == 1


def test_a_decision_on_a_changed_booking_is_a_conflict(client, demo, api_headers):
    created = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5)),
    ).get_json()
    cancel = client.post(
        f"/api/v1/respite/bookings/{created['id']}/cancel", json={}, headers=api_headers("familj1")
    )
    assert cancel.status_code == 200
    late = client.post(
        f"/api/v1/respite/bookings/{created['id']}/approve",
        json={},
        headers=api_headers("hubb.bjornen"),
    )
    assert late.status_code == 409


def test_only_the_hub_carer_decides_and_a_decline_needs_a_reason(client, demo, api_headers):
    created = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5)),
    ).get_json()
    url = f"/api/v1/respite/bookings/{created['id']}"
    assert client.post(f"{url}/approve", json={}, headers=api_headers("familj1")).status_code == 403
    assert (
        client.post(f"{url}/approve", json={}, headers=api_headers("hubb.raven")).status_code == 404
    )
    assert client.post(f"{url}/approve", json={}, headers=api_headers("familj9")).status_code == 404
    no_reason = client.post(f"{url}/decline", json={}, headers=api_headers("hubb.bjornen"))
    assert no_reason.status_code == 422
    declined = client.post(
        f"{url}/decline", json={"reason": "Fullt hos oss"}, headers=api_headers("hubb.bjornen")
    )
    assert declined.get_json()["status"] == "declined"


def test_the_yearly_allowance_counts_planned_nights_only(client, demo, api_headers):
    db.session.add(
        RespiteRules(
            constellation_id=demo.constellations["Björnen"].id,
            max_days_ahead=180,
            max_nights=14,
            yearly_planned_nights=3,
        )
    )
    db.session.commit()
    headers = api_headers("familj1")
    kid = children_of(demo.user("familj1"))[:1]
    assert (
        book(client, headers, booking_body(kid, date(2026, 12, 1), date(2026, 12, 3))).status_code
        == 201
    )
    over = book(client, headers, booking_body(kid, date(2026, 12, 10), date(2026, 12, 12)))
    assert over.status_code == 422
    emergency = book(
        client, headers, booking_body(kid, date(2026, 12, 10), date(2026, 12, 12), kind="emergency")
    )
    assert emergency.status_code == 201
    next_year = book(client, headers, booking_body(kid, date(2027, 1, 10), date(2027, 1, 13)))
    assert next_year.status_code == 201


def test_availability_names_no_family_and_is_scoped(client, demo, api_headers):
    set_beds(demo, 2)
    book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5)),
    )
    bjornen = demo.constellations["Björnen"].id
    url = f"/api/v1/respite/availability?constellation_id={bjornen}&from=2026-12-03&to=2026-12-06"
    nights = client.get(url, headers=api_headers("familj2"))
    assert nights.status_code == 200
    assert nights.get_json() == [
        {"date": "2026-12-03", "beds": 2, "free": 2},
        {"date": "2026-12-04", "beds": 2, "free": 1},
        {"date": "2026-12-05", "beds": 2, "free": 2},
    ]
    assert client.get(url, headers=api_headers("familj9")).status_code == 404
    bad = client.get(url.replace("to=2026-12-06", "to=2026-12-01"), headers=api_headers("familj2"))
    assert bad.status_code == 422


def test_families_see_only_their_own_bookings(client, demo, api_headers):
    book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 5)),
    )
    assert (
        len(client.get("/api/v1/respite/bookings", headers=api_headers("familj1")).get_json()) == 1
    )
    assert client.get("/api/v1/respite/bookings", headers=api_headers("familj2")).get_json() == []
    assert (
        len(client.get("/api/v1/respite/bookings", headers=api_headers("hubb.bjornen")).get_json())
        == 1
    )
    assert (
        client.get("/api/v1/respite/bookings", headers=api_headers("hubb.raven")).get_json() == []
    )


def test_me_gives_a_private_calendar_url(client, demo, api_headers):
    me = client.get("/api/v1/me", headers=api_headers("familj1")).get_json()
    assert me["ical_url"].startswith("https://hubhome.example.test/calendar/")
    assert me["ical_url"].endswith(".ics")
