"""The on-call person's page, the call log and the follow-ups, as people see them."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.phone.models import Call
from tests.phone_helpers import DAYTIME, dialled, voice

pytestmark = pytest.mark.clock(DAYTIME)


def test_the_person_rung_sees_the_family_and_children_while_it_rings(client, demo, login_as, app):
    from tests.respite_helpers import children_of

    with time_machine.travel(DAYTIME, tick=False):
        voice(client, call_sid="CA31")
        hub = login_as("hubb.bjornen")
        page = hub.get("/phone/now").get_data(as_text=True)
        live = hub.get("/phone/now/live").get_data(as_text=True)
        hub.get("/phone/now/live")  # polling: no new audit event each time
    assert "Ringer nu" in page and "Familjen Andersson" in page
    from hubhome.children.models import Child

    children = [db.session.get(Child, i) for i in children_of(demo.user("familj1"))]
    for child in children:
        assert child.first_name in live
        assert child.last_name not in live  # first names and ages only
    assert " år" in live
    call = db.session.scalar(select(Call).where(Call.call_sid == "CA31"))
    viewed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "phone.context_view", AuditEvent.object_id == call.id
        )
    ).all()
    assert len(viewed) == 1 and viewed[0].household_id == call.household_id
    assert sorted(viewed[0].detail["child_ids"]) == sorted(c.id for c in children)


def test_someone_not_rung_sees_no_ringing_call(client, demo, login_as):
    with time_machine.travel(DAYTIME, tick=False):
        voice(client, call_sid="CA32")
        page = login_as("hubb.raven").get("/phone/now").get_data(as_text=True)
    assert "Inget samtal ringer till dig just nu." in page


def test_the_call_log_shows_legs_and_outcomes(client, demo, login_as):
    with time_machine.travel(DAYTIME, tick=False):
        page = login_as("jour").get("/phone/calls").get_data(as_text=True)
    assert "Familjen Andersson" in page and "Familjen Berg" in page
    assert "tog samtalet" in page and "svarade, tryckte inte 1" in page and "Röstmeddelande" in page


def test_one_click_from_a_call_opens_a_prefilled_advice_form(client, demo, login_as):
    with time_machine.travel(DAYTIME, tick=False):
        client = login_as("jour")
        page = client.get("/phone/calls").get_data(as_text=True)
        call = db.session.scalars(
            select(Call).where(Call.household_id.is_not(None)).order_by(Call.id)
        ).first()
        link = f"/advice/new?household_id={call.household_id}&channel=phone&call_id={call.id}"
        assert link.replace("&", "&amp;") in page
        form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="{call.household_id}">' in form
    assert f'name="call_id" type="hidden" value="{call.id}"' in form


def test_a_note_after_the_call(client, demo, login_as):
    call = db.session.scalars(select(Call).order_by(Call.id)).first()
    with time_machine.travel(DAYTIME, tick=False):
        staff = login_as("jour")
        empty = staff.post(f"/phone/calls/{call.id}", data={"note": ""})
        assert empty.status_code == 422
        saved = staff.post(f"/phone/calls/{call.id}", data={"note": "Pratade om läxor."})
        assert saved.status_code == 303
    db.session.expire_all()
    assert call.note == "Pratade om läxor."


def test_follow_ups_stay_open_until_marked_handled_once(client, demo, login_as):
    with time_machine.travel(DAYTIME, tick=False):
        staff = login_as("jour")
        listing = staff.get("/phone/follow-ups").get_data(as_text=True)
        assert "Öppna och markera som hanterat" in listing
        call = db.session.scalars(select(Call).where(Call.follow_up.has())).one()
        item = call.follow_up
        page = staff.get(f"/phone/follow-ups/{item.id}").get_data(as_text=True)
        assert "Lyssna på meddelandet (38 s)" in page
        assert (
            staff.post(f"/phone/follow-ups/{item.id}", data={"note": "Ringt upp"}).status_code
            == 303
        )
        again = staff.post(f"/phone/follow-ups/{item.id}", data={"note": "Igen"})
        assert again.status_code == 409
        listing = staff.get("/phone/follow-ups").get_data(as_text=True)
    assert "Inget väntar." in listing and "Ringt upp" in listing
    assert db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "phone.follow_up_handled")
    )


def test_the_call_page_for_an_accepted_call(client, demo, login_as):
    with time_machine.travel(DAYTIME, tick=False):
        dial, number = dialled(voice(client, call_sid="CA33"))
        from tests.phone_helpers import screen

        screen(client, number, digits="1")
        page = login_as("hubb.bjornen").get("/phone/now").get_data(as_text=True)
    assert "Pågående samtal" in page


def test_the_home_page_says_what_waits_on_the_phone(login_as, demo):
    with time_machine.travel(DAYTIME, tick=False):
        page = login_as("jour").get("/home").get_data(as_text=True)
    assert "1 röstmeddelande eller missat samtal väntar på att hanteras." in page
    assert "Dina jourpass" in page


def test_the_api_tells_who_is_on_call_and_lists_calls(client, demo, api_headers):
    bjornen = demo.constellations["Björnen"]
    with time_machine.travel(DAYTIME, tick=False):
        headers = api_headers("jour")
        coverage = client.get(f"/api/v1/constellations/{bjornen.id}/on-call", headers=headers)
        listed = client.get("/api/v1/calls", headers=headers)
    assert coverage.status_code == 200
    body = coverage.get_json()
    assert [s["label"] for s in body["on_call_now"]] == ["Hanna Ek", "Jonas Jour", "duty"]
    assert "number" not in body["on_call_now"][0] and body["gaps"] == []
    calls = listed.get_json()
    assert len(calls) == 2 and any(c["follow_up_open"] for c in calls)


def test_while_it_rings_the_hub_carer_sees_the_latest_advice_to_the_family(client, demo, login_as):
    from datetime import date

    from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic

    familj1 = demo.user("familj1")
    hub = demo.user("hubb.bjornen")
    db.session.add(
        AdviceContact(
            organisation_id=hub.organisation_id,
            household_id=familj1.household_id,
            constellation_id=demo.constellations["Björnen"].id,
            logged_by_id=hub.id,
            asked_by="Familjehemsmamma",
            channel=AdviceChannel.PHONE,
            topic=AdviceTopic.SCHOOL,
            summary="Ringa skolan om läxhjälp",
            follow_up_on=date(2026, 12, 1),
        )
    )
    db.session.commit()
    with time_machine.travel(DAYTIME, tick=False):
        voice(client, call_sid="CA35")
        page = login_as("hubb.bjornen").get("/phone/now").get_data(as_text=True)
    assert "Senaste råd till familjen:" in page
    assert "Ringa skolan om läxhjälp" in page and "följ upp senast" in page
