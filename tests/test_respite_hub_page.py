"""The hub carer's page after a refused closed period, and closed periods shown by their last
night."""

from datetime import date, timedelta

import pytest

from tests.respite_helpers import NOW, booking_body, children_of

pytestmark = pytest.mark.clock(NOW)

TODAY = date(2026, 11, 23)


def test_a_refused_closed_period_redirects_to_the_hub_page_with_tonight_and_the_bookings(
    client, demo, api_headers, login_as, frozen
):
    family = demo.user("familj1")
    tonight = booking_body(children_of(family)[:1], TODAY, TODAY + timedelta(days=2))
    tonight.update(household_id=family.household_id, kind="emergency")
    client.post("/api/v1/respite/bookings", json=tonight, headers=api_headers("hubb.bjornen"))
    login_as("hubb.bjornen")
    refused = client.post(
        "/respite/hub/blocks",
        data={"start_date": "2026-11-23", "last_night": "2026-11-30", "reason": "Semester"},
    )
    assert refused.status_code == 303
    assert "closing_from=2026-11-23" in refused.headers["Location"]
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    in_tonight = page.split('id="h-tonight"')[1].split("</section>")[0]
    assert "Inga barn sover här i natt" not in in_tonight and "<li>" in in_tonight
    capacity = page.split('id="h-capacity"')[1]
    assert "Det finns bokningar under perioden" in page
    assert "23 nov. 2026 – 25 nov. 2026" in capacity
    assert "Beviljad" in capacity
    assert "(approved)" not in capacity and "2026-11-23 –" not in capacity
    assert 'value="2026-11-30"' in capacity  # the form keeps the nights asked for


def test_a_closed_period_entered_to_23_december_shows_as_ending_23_december(
    client, demo, login_as, frozen
):
    login_as("hubb.bjornen")
    closed = client.post(
        "/respite/hub/blocks",
        data={"start_date": "2026-12-21", "last_night": "2026-12-23", "reason": "Jul"},
    )
    assert closed.status_code == 303
    page = client.get("/respite/hub").get_data(as_text=True)
    assert "21 dec. 2026 – 23 dec. 2026" in page
    assert "24 dec. 2026" not in page.split('id="h-capacity"')[1]


def test_a_made_up_closing_range_in_the_address_is_ignored(client, demo, login_as, frozen):
    login_as("hubb.bjornen")
    page = client.get("/respite/hub?closing_from=2026-13-01&closing_to=x")
    assert page.status_code == 200
