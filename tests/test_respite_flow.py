"""Respite in the pages and in the background: waiting list, closed periods, calendar feed,
reminders across DST, and the pages each role sees."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.respite.jobs import send_reminders
from hubhome.respite.models import RespiteBooking
from tests.respite_helpers import NOW, booking_body, children_of, set_beds

pytestmark = pytest.mark.clock(NOW)


def book(client, headers, body):
    return client.post("/api/v1/respite/bookings", json=body, headers=headers)


def sms(purpose):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)
    ).all()


def test_the_first_waiting_family_is_told_when_beds_free_up(
    client, demo, api_headers, login_as, frozen
):
    set_beds(demo, 1)
    first = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 6)),
    ).get_json()
    login_as("familj2")
    form = {
        "household_id": demo.user("familj2").household_id,
        "child_ids": children_of(demo.user("familj2"))[:1],
        "check_in": "2026-12-05",
        "check_out": "2026-12-06",
        "kind": "planned",
        "note": "",
    }
    refused = client.post("/respite/book", data=form)
    assert refused.status_code == 409
    assert "2026-12-05" in refused.get_data(as_text=True)
    joined = client.post(
        "/respite/waitlist",
        data={
            "household_id": form["household_id"],
            "check_in": "2026-12-05",
            "check_out": "2026-12-06",
            "beds": 1,
            "kind": "planned",
        },
    )
    assert joined.status_code == 302
    assert sms("respite.waitlist_offer") == []
    client.post(
        f"/api/v1/respite/bookings/{first['id']}/cancel", json={}, headers=api_headers("familj1")
    )
    offers = sms("respite.waitlist_offer")
    assert [m.to for m in offers] == ["+46700002222"]


def test_closing_a_period_with_approved_bookings_is_refused_with_the_list(
    client, demo, api_headers, login_as, frozen
):
    created = book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 6)),
    ).get_json()
    client.post(
        f"/api/v1/respite/bookings/{created['id']}/approve",
        json={},
        headers=api_headers("hubb.bjornen"),
    )
    login_as("hubb.bjornen")
    refused = client.post(
        "/respite/hub/blocks",
        data={"start_date": "2026-12-01", "last_night": "2026-12-10", "reason": "Semester"},
    )
    assert refused.status_code == 303  # to the hub page, which lists the bookings
    assert "4 dec. 2026" in client.get(refused.headers["Location"]).get_data(as_text=True)
    allowed = client.post(
        "/respite/hub/blocks",
        data={"start_date": "2026-12-20", "last_night": "2026-12-27", "reason": "Jul"},
    )
    assert allowed.status_code == 303
    bjornen = demo.constellations["Björnen"].id
    nights = client.get(
        f"/api/v1/respite/availability?constellation_id={bjornen}&from=2026-12-27&to=2026-12-29",
        headers=api_headers("familj2"),
    ).get_json()
    assert [(n["date"], n["free"]) for n in nights] == [("2026-12-27", 0), ("2026-12-28", 2)]


def test_the_family_page_shows_free_beds_and_no_other_familys_name(
    client, demo, api_headers, login_as, frozen
):
    book(
        client,
        api_headers("familj2"),
        booking_body(
            children_of(demo.user("familj2"))[:1],
            date(2026, 12, 4),
            date(2026, 12, 6),
            note="Tar medicin",
        ),
    )
    login_as("familj1")
    page = client.get("/respite/").get_data(as_text=True)
    assert "Familjen Berg" not in page
    assert "Tar medicin" not in page
    assert "lediga" in page or "ledig" in page


def test_the_hub_page_shows_requests_with_notes_and_the_family_can_cancel(
    client, demo, api_headers, login_as, frozen
):
    created = book(
        client,
        api_headers("familj1"),
        booking_body(
            children_of(demo.user("familj1"))[:1],
            date(2026, 11, 25),
            date(2026, 11, 27),
            note="Skjuts till skolan 8.00",
        ),
    ).get_json()
    login_as("hubb.bjornen")
    page = client.get("/respite/hub").get_data(as_text=True)
    assert "Skjuts till skolan 8.00" in page and "Familjen Andersson" in page
    approve = client.post(f"/respite/bookings/{created['id']}/approve", data={})
    assert approve.status_code == 303
    assert db.session.get(RespiteBooking, created["id"]).status == "approved"


def test_the_liaison_sees_planned_and_emergency_nights_per_family(
    client, demo, api_headers, login_as, frozen
):
    kid = children_of(demo.user("familj1"))[:1]
    for kind, start, end in (("planned", 4, 6), ("emergency", 10, 11)):
        created = book(
            client,
            api_headers("familj1"),
            booking_body(kid, date(2026, 12, start), date(2026, 12, end), kind=kind),
        ).get_json()
        client.post(
            f"/api/v1/respite/bookings/{created['id']}/approve",
            json={},
            headers=api_headers("hubb.bjornen"),
        )
    login_as("socialsekreterare")
    page = client.get("/respite/overview?year=2026").get_data(as_text=True)
    row = page.split("Familjen Andersson")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["2", "1"]


def test_the_calendar_feed_is_valid_and_can_be_revoked(client, demo, api_headers, login_as, frozen):
    book(
        client,
        api_headers("familj1"),
        booking_body(children_of(demo.user("familj1"))[:1], date(2026, 12, 4), date(2026, 12, 6)),
    )
    url = client.get("/api/v1/me", headers=api_headers("familj1")).get_json()["ical_url"]
    path = url.replace("https://hubhome.example.test", "")
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith("respite-")]
    assert len(events) == 1
    assert events[0]["DTSTART"].dt == date(2026, 12, 4)
    assert events[0]["DTEND"].dt == date(2026, 12, 6)
    login_as("familj1")
    client.post("/calendar", data={})
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("check_in", "too_early", "on_time"),
    [
        # Ordinary winter evening: 18:00 CET is 17:00 UTC.
        (
            date(2026, 12, 4),
            datetime(2026, 12, 3, 16, 59, tzinfo=UTC),
            datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
        ),
        # Check-in the day clocks go forward; the evening before is still CET.
        (
            date(2027, 3, 28),
            datetime(2027, 3, 27, 16, 59, tzinfo=UTC),
            datetime(2027, 3, 27, 17, 0, tzinfo=UTC),
        ),
        # Check-in the day after clocks go forward: 18:00 CEST is 16:00 UTC.
        (
            date(2027, 3, 29),
            datetime(2027, 3, 28, 15, 59, tzinfo=UTC),
            datetime(2027, 3, 28, 16, 0, tzinfo=UTC),
        ),
        # Check-in the day after clocks go back: 18:00 CET on 31 Oct is 17:00 UTC.
        (
            date(2027, 11, 1),
            datetime(2027, 10, 31, 16, 59, tzinfo=UTC),
            datetime(2027, 10, 31, 17, 0, tzinfo=UTC),
        ),
    ],
)
def test_reminders_go_at_18_stockholm_time_the_evening_before_once(
    app, demo, check_in, too_early, on_time
):
    from hubhome.respite.models import BookingKind, BookingStatus, RespiteBookingChild

    familj1 = demo.user("familj1")
    hub_id = demo.constellations["Björnen"].hub_household_id
    booking = RespiteBooking(
        constellation_id=demo.constellations["Björnen"].id,
        hub_household_id=hub_id,
        household_id=familj1.household_id,
        check_in=check_in,
        check_out=check_in.replace(day=check_in.day + 1) if check_in.day < 28 else check_in,
        kind=BookingKind.PLANNED,
        status=BookingStatus.APPROVED,
        requested_by_id=familj1.id,
    )
    if booking.check_out <= booking.check_in:
        from datetime import timedelta

        booking.check_out = booking.check_in + timedelta(days=1)
    booking.children = [RespiteBookingChild(child_id=children_of(familj1)[0])]
    db.session.add(booking)
    db.session.commit()
    with time_machine.travel(too_early, tick=False):
        assert send_reminders(db.session) == 0
    with time_machine.travel(on_time, tick=False):
        assert send_reminders(db.session) == 2  # the family and the hub carer
        db.session.commit()
        assert send_reminders(db.session) == 2  # the same messages, found by their keys
        db.session.commit()
    recipients = sorted(m.to for m in sms("respite.reminder"))
    assert recipients == ["+46700000101", "+46700001111"]


def test_the_liaison_sets_the_rules_and_families_cannot(client, demo, login_as):
    from hubhome.respite.models import RespiteRules

    bjornen = demo.constellations["Björnen"].id
    login_as("socialsekreterare")
    saved = client.post(
        f"/respite/rules/{bjornen}",
        data={"max_days_ahead": "90", "max_nights": "7", "yearly_planned_nights": "20"},
    )
    assert saved.status_code == 303
    rules = db.session.get(RespiteRules, bjornen)
    assert (rules.max_days_ahead, rules.max_nights, rules.yearly_planned_nights) == (90, 7, 20)
    refused = client.post(
        f"/respite/rules/{bjornen}", data={"max_days_ahead": "0", "max_nights": "7"}
    )
    assert refused.status_code == 422
    client.post("/logout")
    login_as("familj1")
    assert (
        client.post(
            f"/respite/rules/{bjornen}", data={"max_days_ahead": "900", "max_nights": "60"}
        ).status_code
        == 403
    )
