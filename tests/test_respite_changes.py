"""Changing a booking from the pages: cancelling after a confirmation, moving it to other
nights under the hub's lock, and refusals that say how many beds are free."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.respite.models import BookingStatus, RespiteBooking
from tests.respite_helpers import NOW, booking_body, children_of, set_beds

pytestmark = pytest.mark.clock(NOW)

TODAY = date(2026, 11, 23)


def _book(client, api_headers, user, check_in, check_out, beds=1, **extra):
    body = booking_body(children_of(user)[:beds], check_in, check_out, **extra)
    created = client.post("/api/v1/respite/bookings", json=body, headers=api_headers(user.email))
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def _booking(booking_id):
    db.session.expire_all()
    return db.session.get_one(RespiteBooking, booking_id)


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_cancel_asks_first_and_the_family_page_has_no_one_tap_cancel(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    booking_id = _book(client, api_headers, family, date(2026, 12, 4), date(2026, 12, 6))
    login_as("familj1")
    page = client.get("/respite/").get_data(as_text=True)
    assert f'action="/respite/bookings/{booking_id}/cancel"' not in page
    assert f'href="/respite/bookings/{booking_id}/cancel"' in page
    confirm = client.get(f"/respite/bookings/{booking_id}/cancel")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Avboka bokningen?" in text and "Ja, avboka" in text
    assert _booking(booking_id).status == BookingStatus.REQUESTED  # looking cancels nothing
    [viewed] = _events("respite.booking_viewed")  # the page names the children
    assert viewed.detail["child_ids"] == children_of(family)[:1]
    done = client.post(f"/respite/bookings/{booking_id}/cancel", data={})
    assert done.status_code == 303
    assert _booking(booking_id).status == BookingStatus.CANCELLED
    assert len(_events("respite.cancelled")) == 1


def test_a_pending_emergency_request_for_tonight_can_be_cancelled_by_the_family(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    booking_id = _book(
        client, api_headers, family, TODAY, TODAY + timedelta(days=1), kind="emergency"
    )
    assert _booking(booking_id).status == BookingStatus.REQUESTED
    login_as("familj1")
    page = client.get("/respite/").get_data(as_text=True)
    assert f'href="/respite/bookings/{booking_id}/cancel"' in page
    assert client.post(f"/respite/bookings/{booking_id}/cancel", data={}).status_code == 303
    assert _booking(booking_id).status == BookingStatus.CANCELLED


def test_another_familys_booking_cannot_be_cancelled_or_moved(
    client, demo, api_headers, login_as, frozen
):
    booking_id = _book(
        client, api_headers, demo.user("familj1"), date(2026, 12, 4), date(2026, 12, 6)
    )
    login_as("familj2")
    assert client.get(f"/respite/bookings/{booking_id}/cancel").status_code == 404
    assert client.post(f"/respite/bookings/{booking_id}/cancel").status_code == 404
    moved = client.post(
        f"/respite/bookings/{booking_id}/dates",
        data={"check_in": "2026-12-10", "check_out": "2026-12-11"},
    )
    assert moved.status_code == 404
    assert _booking(booking_id).check_in == date(2026, 12, 4)


def test_moving_an_approved_booking_asks_the_hub_again_and_tells_the_hub_carer(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    booking_id = _book(client, api_headers, family, date(2026, 12, 4), date(2026, 12, 6))
    client.post(
        f"/api/v1/respite/bookings/{booking_id}/approve",
        json={},
        headers=api_headers("hubb.bjornen"),
    )
    login_as("familj1")
    form = client.get(f"/respite/bookings/{booking_id}/dates").get_data(as_text=True)
    assert 'value="2026-12-04"' in form
    moved = client.post(
        f"/respite/bookings/{booking_id}/dates",
        data={"check_in": "2026-12-05", "check_out": "2026-12-08"},
    )
    assert moved.status_code == 303
    booking = _booking(booking_id)
    assert (booking.check_in, booking.check_out) == (date(2026, 12, 5), date(2026, 12, 8))
    assert booking.status == BookingStatus.REQUESTED
    [event] = _events("respite.dates_changed")
    assert event.detail["from"] == ["2026-12-04", "2026-12-06"]
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose.like("respite.moved%"))
    ).all()
    assert [m.to for m in told] == [demo.user("hubb.bjornen").phone]
    assert "5–8 dec" in told[0].body and "4–6 dec" in told[0].body


def test_moving_onto_a_full_night_is_refused_with_409_and_nothing_changes(
    client, demo, api_headers, login_as, frozen
):
    set_beds(demo, 1)
    mine = _book(client, api_headers, demo.user("familj1"), date(2026, 12, 4), date(2026, 12, 6))
    _book(client, api_headers, demo.user("familj2"), date(2026, 12, 7), date(2026, 12, 8))
    login_as("familj1")
    refused = client.post(
        f"/respite/bookings/{mine}/dates",
        data={"check_in": "2026-12-05", "check_out": "2026-12-08"},
    )
    assert refused.status_code == 409
    assert "Navfamiljen är fullbokad de här nätterna: 7 dec. 2026." in refused.get_data(
        as_text=True
    )
    booking = _booking(mine)
    assert (booking.check_in, booking.check_out) == (date(2026, 12, 4), date(2026, 12, 6))
    assert _events("respite.dates_changed") == []
    # its own beds are given back first: moving within its own nights fits
    kept = client.post(
        f"/respite/bookings/{mine}/dates",
        data={"check_in": "2026-12-05", "check_out": "2026-12-07"},
    )
    assert kept.status_code == 303
    assert _booking(mine).check_out == date(2026, 12, 7)


def test_moving_to_impossible_dates_is_refused_on_the_form(
    client, demo, api_headers, login_as, frozen
):
    mine = _book(client, api_headers, demo.user("familj1"), date(2026, 12, 4), date(2026, 12, 6))
    login_as("familj1")
    backwards = client.post(
        f"/respite/bookings/{mine}/dates",
        data={"check_in": "2026-12-09", "check_out": "2026-12-08"},
    )
    assert backwards.status_code == 422
    assert "Hemresan måste vara efter ankomsten" in backwards.get_data(as_text=True)
    garbage = client.post(
        f"/respite/bookings/{mine}/dates", data={"check_in": "x", "check_out": "99999-1-1"}
    )
    assert garbage.status_code == 422
    assert _booking(mine).check_in == date(2026, 12, 4)


def test_a_refusal_says_one_of_two_beds_is_free_and_fully_booked_only_when_none_is(
    client, demo, api_headers, login_as, frozen
):
    set_beds(demo, 2)
    _book(client, api_headers, demo.user("familj2"), date(2026, 12, 5), date(2026, 12, 6))
    family = demo.user("familj1")
    kids = children_of(family)
    assert len(kids) >= 2
    login_as("familj1")
    form = {
        "household_id": family.household_id,
        "child_ids": kids[:2],
        "check_in": "2026-12-05",
        "check_out": "2026-12-06",
        "kind": "planned",
        "note": "",
    }
    refused = client.post("/respite/book", data=form)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "1 av 2 sängar ledig" in text
    waiting = f'name="child_ids" type="hidden" value="{kids[0]},{kids[1]}"'
    assert waiting in text  # the waiting list keeps both children
    assert "fullbokade" not in text


def test_the_hub_carer_cancels_with_a_reason_and_moves_a_stay_that_stays_approved(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    booking_id = _book(client, api_headers, family, date(2026, 12, 4), date(2026, 12, 6))
    other_id = _book(client, api_headers, family, date(2026, 12, 10), date(2026, 12, 11))
    for approved in (booking_id, other_id):
        client.post(
            f"/api/v1/respite/bookings/{approved}/approve",
            json={},
            headers=api_headers("hubb.bjornen"),
        )
    login_as("hubb.bjornen")
    assert 'name="reason"' in client.get(f"/respite/bookings/{booking_id}/cancel").get_data(
        as_text=True
    )
    no_reason = client.post(f"/respite/bookings/{booking_id}/cancel", data={"reason": ""})
    assert no_reason.status_code == 422
    assert _booking(booking_id).status == BookingStatus.APPROVED
    done = client.post(f"/respite/bookings/{booking_id}/cancel", data={"reason": "Sjukdom"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/respite/hub")
    assert _booking(booking_id).status == BookingStatus.CANCELLED
    moved = client.post(
        f"/respite/bookings/{other_id}/dates",
        data={"check_in": "2026-12-11", "check_out": "2026-12-12"},
    )
    assert moved.status_code == 303
    assert _booking(other_id).status == BookingStatus.APPROVED
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose.like("respite.moved%"))
    ).all()
    assert {m.to for m in told} == {family.phone}
    assert told[0].body.startswith("Er avlastning")
