"""The waiting list keeps the children and the note; its offer SMS links to a page that
books the nights with one button, once, and refuses politely when the beds are gone."""

from datetime import date

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.respite.models import (
    BookingStatus,
    RespiteBooking,
    RespiteWaitlistEntry,
    WaitStatus,
)
from tests.respite_helpers import NOW, booking_body, children_of, set_beds

pytestmark = pytest.mark.clock(NOW)


def _fill_the_bed(client, demo, api_headers, short="familj2"):
    set_beds(demo, 1)
    created = client.post(
        "/api/v1/respite/bookings",
        json=booking_body(children_of(demo.user(short))[:1], date(2026, 12, 5), date(2026, 12, 6)),
        headers=api_headers(short),
    )
    assert created.status_code == 201
    return created.get_json()["id"]


def _wait(client, demo, login_as):
    """familj1 asks for the full night with a note, then joins the waiting list from there."""
    family = demo.user("familj1")
    kid = children_of(family)[:1]
    login_as("familj1")
    refused = client.post(
        "/respite/book",
        data={
            "household_id": family.household_id,
            "child_ids": kid,
            "check_in": "2026-12-05",
            "check_out": "2026-12-06",
            "kind": "planned",
            "note": "Sover med nattlampa",
        },
    )
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "fullbokade" in page  # no bed at all is free that night
    assert f'name="child_ids" type="hidden" value="{kid[0]}"' in page
    joined = client.post(
        "/respite/waitlist",
        data={
            "household_id": family.household_id,
            "check_in": "2026-12-05",
            "check_out": "2026-12-06",
            "beds": 1,
            "kind": "planned",
            "child_ids": str(kid[0]),
            "note": "Sover med nattlampa",
        },
    )
    assert joined.status_code == 302
    entry = db.session.scalar(select(RespiteWaitlistEntry))
    assert [c.child_id for c in entry.children] == kid
    assert entry.note == "Sover med nattlampa"
    return entry.id, kid


def _offer_sms():
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "respite.waitlist_offer")
    ).all()


def test_the_offer_books_the_children_and_the_note_in_one_tap_and_only_once(
    client, demo, api_headers, login_as, frozen
):
    taken = _fill_the_bed(client, demo, api_headers)
    entry_id, kid = _wait(client, demo, login_as)
    client.post(f"/api/v1/respite/bookings/{taken}/cancel", json={}, headers=api_headers("familj2"))
    [sms] = _offer_sms()
    link = f"/respite/waitlist/{entry_id}/book"
    assert link in sms.body and sms.body.startswith("Det finns lediga sängar")
    page = client.get(link)
    assert page.status_code == 200
    assert "Boka de här nätterna" in page.get_data(as_text=True)
    assert client.post(link).status_code == 303
    assert client.post(link).status_code == 303  # a second tap books nothing more
    [booking] = db.session.scalars(
        select(RespiteBooking).where(
            RespiteBooking.household_id == demo.user("familj1").household_id
        )
    ).all()
    assert [c.child_id for c in booking.children] == kid
    assert booking.note == "Sover med nattlampa"
    assert booking.status == BookingStatus.REQUESTED
    entry = db.session.get_one(RespiteWaitlistEntry, entry_id)
    db.session.refresh(entry)
    assert (entry.status, entry.booking_id) == (WaitStatus.WITHDRAWN, booking.id)


def test_the_offer_refuses_politely_when_the_beds_are_gone_and_the_place_waits_again(
    client, demo, api_headers, login_as, frozen
):
    taken = _fill_the_bed(client, demo, api_headers)
    entry_id, _kid = _wait(client, demo, login_as)
    client.post(f"/api/v1/respite/bookings/{taken}/cancel", json={}, headers=api_headers("familj2"))
    assert len(_offer_sms()) == 1
    # someone else books the freed bed before the family taps the link
    hub_carer = api_headers("hubb.bjornen")
    other = booking_body(
        children_of(demo.user("familj2"))[:1], date(2026, 12, 5), date(2026, 12, 6)
    )
    other["household_id"] = demo.user("familj2").household_id
    assert client.post("/api/v1/respite/bookings", json=other, headers=hub_carer).status_code == 201
    refused = client.post(f"/respite/waitlist/{entry_id}/book")
    assert refused.status_code == 409
    assert "Tyvärr hann sängarna bokas" in refused.get_data(as_text=True)
    db.session.expire_all()
    entry = db.session.get_one(RespiteWaitlistEntry, entry_id)
    assert (entry.status, entry.booking_id) == (WaitStatus.WAITING, None)
    family = demo.user("familj1").household_id
    assert (
        db.session.scalars(
            select(RespiteBooking).where(RespiteBooking.household_id == family)
        ).all()
        == []
    )


def test_another_familys_offer_is_not_found(client, demo, api_headers, login_as, frozen):
    _fill_the_bed(client, demo, api_headers)
    entry_id, _kid = _wait(client, demo, login_as)
    client.post("/logout")
    login_as("familj2")
    assert client.get(f"/respite/waitlist/{entry_id}/book").status_code == 404
    assert client.post(f"/respite/waitlist/{entry_id}/book").status_code == 404


def test_a_waiting_list_form_with_a_child_of_another_family_is_refused(
    client, demo, api_headers, login_as, frozen
):
    login_as("familj1")
    stranger = children_of(demo.user("familj2"))[0]
    refused = client.post(
        "/respite/waitlist",
        data={
            "household_id": demo.user("familj1").household_id,
            "check_in": "2026-12-05",
            "check_out": "2026-12-06",
            "beds": 1,
            "kind": "planned",
            "child_ids": f"{stranger},99999999999999",
        },
    )
    assert refused.status_code in (400, 422)
    assert db.session.scalar(select(RespiteWaitlistEntry)) is None
