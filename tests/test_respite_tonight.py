"""'Tonight' has one definition, and a waiting-list place outside one's scope is not found."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.respite import queries
from hubhome.respite.models import RespiteWaitlistEntry
from hubhome.respite.panels import home_panel
from tests.respite_helpers import NOW, booking_body, children_of

TODAY = date(2026, 11, 23)


pytestmark = pytest.mark.clock(NOW)


def test_a_stay_checking_in_today_is_tonight_on_the_panel_and_the_hub_page(
    client, demo, api_headers, login_as, frozen
):
    hub_carer = api_headers("hubb.bjornen")
    kids = children_of(demo.user("familj1"))
    arriving = booking_body(kids[:1], TODAY, TODAY + timedelta(days=2), kind="emergency")
    arriving["household_id"] = demo.user("familj1").household_id
    created = client.post("/api/v1/respite/bookings", json=arriving, headers=hub_carer)
    assert created.get_json()["status"] == "approved"  # an emergency the hub carer books
    hub = demo.user("hubb.bjornen")
    stays = queries.tonight(db.session, hub, hub.household_id, TODAY)
    assert [b.check_in for b in stays] == [TODAY]
    assert home_panel(hub)["tonight"] == 1
    page = login_as("hubb.bjornen").get("/respite/hub").get_data(as_text=True)
    tonight = page.split('id="h-tonight"')[1].split("</section>")[0]
    assert "Inga barn sover här i natt" not in tonight and "<li>" in tonight  # the same stay


def _join(client, household_id: int) -> None:
    response = client.post(
        "/respite/waitlist",
        data={
            "household_id": household_id,
            "check_in": "2026-12-05",
            "check_out": "2026-12-06",
            "beds": 1,
            "kind": "planned",
        },
    )
    assert response.status_code == 302


def test_another_familys_waiting_place_is_not_found_and_ones_own_can_be_left(
    client, demo, login_as, frozen
):
    _join(login_as("familj1"), demo.user("familj1").household_id)
    entry_id = db.session.scalar(select(RespiteWaitlistEntry.id))
    client.post("/logout")
    assert login_as("familj2").post(f"/respite/waitlist/{entry_id}/withdraw").status_code == 404
    client.post("/logout")
    assert login_as("familj1").post(f"/respite/waitlist/{entry_id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get_one(RespiteWaitlistEntry, entry_id).status == "withdrawn"
