"""Events through the pages: planning, recurrence across DST and month ends, answers against
capacity with a waiting place, attendance, messages, the calendar and the feed."""

from datetime import UTC, datetime, time

import pytest
import time_machine

from hubhome.activities.models import ActivityAnswer, AnswerStatus
from hubhome.extensions import db
from hubhome.timeutil import to_local
from tests.activity_helpers import (
    NOW,
    answer_form,
    messages,
    plan,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import login

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("without_demo_everyday")]


@pytest.fixture
def bjornen(demo):
    return demo.constellations["Björnen"].id


def test_monthly_meeting_keeps_its_wall_clock_time_across_spring_dst(frozen, login_as, bjornen):
    client = login_as("hubb.bjornen")
    # 25 Feb 2027 is the fourth Thursday; DST starts 28 March 2027.
    created = plan(client, bjornen, day="2027-02-25", repeat="monthly_weekday", count="3")
    starts = [to_local(a.starts_at) for a in created]
    assert [s.date().isoformat() for s in starts] == ["2027-02-25", "2027-03-25", "2027-04-22"]
    assert all(s.time() == time(18, 0) for s in starts)
    assert [a.starts_at.hour for a in created] == [17, 17, 16]  # UTC moves, the wall clock not
    assert all(to_local(a.ends_at).time() == time(20, 0) for a in created)
    assert len({a.series_id for a in created}) == 1


def test_last_thursday_series_crosses_autumn_dst(frozen, login_as, bjornen):
    client = login_as("hubb.bjornen")
    # 30 Sep 2027 is the fifth Thursday: the series takes the last Thursday of each month.
    created = plan(client, bjornen, day="2027-09-30", repeat="monthly_weekday", count="3")
    assert [to_local(a.starts_at).date().isoformat() for a in created] == [
        "2027-09-30",
        "2027-10-28",
        "2027-11-25",
    ]
    assert [a.starts_at.hour for a in created] == [16, 16, 17]
    assert all(to_local(a.starts_at).time() == time(18, 0) for a in created)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2027-01-31", ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]),
        ("2027-12-30", ["2027-12-30", "2028-01-30", "2028-02-29", "2028-03-30"]),
        ("2027-01-15", ["2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15"]),
    ],
)
def test_monthly_date_falls_on_the_last_day_of_shorter_months(
    frozen, login_as, bjornen, day, expected
):
    client = login_as("hubb.bjornen")
    created = plan(client, bjornen, day=day, repeat="monthly_date", count="4")
    assert [to_local(a.starts_at).date().isoformat() for a in created] == expected


def test_invitation_goes_to_every_family_of_the_constellation_but_not_the_planner(
    frozen, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    plan(client, bjornen, repeat="monthly_weekday", count="6")
    sent = messages("activity.invited")
    recipients = {m.recipient_id for m in sent}
    assert demo.user("familj1").id in recipients and demo.user("familj2").id in recipients
    assert demo.user("familj9").id not in recipients  # Räven
    assert demo.user("hubb.bjornen").id not in recipients
    assert len(sent) == len(recipients)  # one message for the whole series
    assert "och 5 gånger till" in sent[0].body


def test_a_full_event_offers_a_waiting_place_and_a_freed_place_goes_to_it(
    frozen, app, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen, title="Julpyssel", kind="social", capacity="4")
    familj1, familj2 = demo.user("familj1"), demo.user("familj2")
    one, two = app.test_client(), app.test_client()
    login(one, "familj1")
    login(two, "familj2")
    url = f"/activities/{event.id}/answer"
    assert (
        one.post(url, data=answer_form(familj1.household_id, adults=2, children=1)).status_code
        == 302
    )
    full = two.post(url, data=answer_form(familj2.household_id, adults=1, children=1))
    assert full.status_code == 409
    page = full.get_data(as_text=True)
    assert "Ta en reservplats" in page and "1 platser kvar" in page
    waiting = two.post(
        url, data=answer_form(familj2.household_id, adults=1, children=1, accept_waiting="yes")
    )
    assert waiting.status_code == 302
    db.session.expire_all()
    answers = {a.household_id: a for a in db.session.query(ActivityAnswer)}
    assert answers[familj2.household_id].status == AnswerStatus.WAITING
    # Familj1 can no longer come: the waiting family gets the place and an SMS.
    assert one.post(url, data=answer_form(familj1.household_id, attending=False)).status_code == 302
    db.session.expire_all()
    answers = {a.household_id: a for a in db.session.query(ActivityAnswer)}
    assert answers[familj1.household_id].status == AnswerStatus.NOT_COMING
    assert answers[familj2.household_id].status == AnswerStatus.COMING
    assert [m.recipient_id for m in messages("activity.promoted")] == [familj2.id]


def test_bad_answer_is_refused_and_nothing_is_saved(frozen, login_as, demo, bjornen):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen)
    client.post("/logout")
    client = login_as("familj1")
    response = client.post(
        f"/activities/{event.id}/answer",
        data=answer_form(demo.user("familj1").household_id, adults=0, children=0),
    )
    assert response.status_code == 422
    assert "Ange hur många som kommer" in response.get_data(as_text=True)
    assert db.session.query(ActivityAnswer).count() == 0


def test_change_tells_the_families_and_cancel_tells_only_those_coming(
    frozen, app, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen)
    family = app.test_client()
    login(family, "familj1")
    family.post(
        f"/activities/{event.id}/answer", data=answer_form(demo.user("familj1").household_id)
    )
    form = {
        "title": "Konstellationsträff",
        "day": "2026-12-10",
        "start": "17:00",
        "end": "19:00",
        "place": "Biblioteket",
        "description": "",
        "capacity": "",
    }
    assert client.post(f"/activities/{event.id}/edit", data=form).status_code == 302
    changed = messages("activity.changed")
    assert {m.recipient_id for m in changed} >= {demo.user("familj1").id, demo.user("familj2").id}
    assert "17:00" in changed[0].body and "Biblioteket" in changed[0].body
    assert client.post(f"/activities/{event.id}/cancel").status_code == 303
    client.post(f"/activities/{event.id}/cancel")  # twice: still one message each
    assert [m.recipient_id for m in messages("activity.cancelled")] == [demo.user("familj1").id]


def test_family_conference_for_one_family_is_hidden_from_the_others(
    frozen, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    home = demo.user("familj1").household_id
    [event] = plan(
        client,
        bjornen,
        kind="family_conference",
        title="Familjerådslag",
        invite="chosen",
        household_ids=[str(home)],
    )
    assert [m.recipient_id for m in messages("activity.invited")] == [demo.user("familj1").id]
    client.post("/logout")
    client = login_as("familj2")
    assert client.get(f"/activities/{event.id}").status_code == 404
    assert "Familjerådslag" not in client.get("/activities/").get_data(as_text=True)
    client.post("/logout")
    client = login_as("familj1")
    assert "Familjerådslag" in client.get(f"/activities/?constellation_id={bjornen}").get_data(
        as_text=True
    )


def test_month_view_and_list_show_the_constellation_to_its_members_only(
    frozen, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    plan(client, bjornen, title="Höstträff", day="2026-12-03")
    client.post("/logout")
    client = login_as("familj2")
    page = client.get(f"/activities/calendar?constellation_id={bjornen}&month=2026-12")
    assert page.status_code == 200 and "Höstträff" in page.get_data(as_text=True)
    assert "Höstträff" in client.get("/activities/").get_data(as_text=True)
    client.post("/logout")
    client = login_as("familj9")
    assert client.get(f"/activities/calendar?constellation_id={bjornen}").status_code == 404
    assert "Höstträff" not in client.get("/activities/").get_data(as_text=True)


def test_events_a_family_comes_to_are_in_its_calendar_feed(frozen, app, login_as, demo, bjornen):
    from hubhome.calendar.services import feed_for

    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen, title="Vårträff")
    [other] = plan(client, bjornen, title="Bowling", day="2026-12-12")
    [unanswered] = plan(client, bjornen, title="Filmkväll", day="2026-12-13")
    familj1 = demo.user("familj1")
    family = app.test_client()
    login(family, "familj1")
    family.post(f"/activities/{event.id}/answer", data=answer_form(familj1.household_id))
    family.post(
        f"/activities/{other.id}/answer", data=answer_form(familj1.household_id, attending=False)
    )
    token = feed_for(db.session, familj1).token
    hub_token = feed_for(db.session, demo.user("hubb.bjornen")).token
    db.session.commit()
    body = app.test_client().get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "Vårträff" in body and f"activity-{event.id}@hubhome" in body
    assert "DTSTART:20261210T170000Z" in body
    assert "Bowling" not in body and "Filmkväll" not in body
    hub_feed = app.test_client().get(f"/calendar/{hub_token}.ics").get_data(as_text=True)
    assert all(title in hub_feed for title in ("Vårträff", "Bowling", "Filmkväll"))


def test_hub_carer_records_attendance_after_the_event(login_as, demo, bjornen):
    with time_machine.travel(NOW, tick=False):
        client = login_as("hubb.bjornen")
        [event] = plan(client, bjornen)
    with time_machine.travel(datetime(2026, 12, 10, 18, 0, tzinfo=UTC), tick=False):
        login(client, "hubb.bjornen")  # the earlier session has timed out
        homes = [str(demo.user("familj1").household_id), str(demo.user("familj2").household_id)]
        response = client.post(f"/activities/{event.id}/attendance", data={"household_ids": homes})
        assert response.status_code == 303
        db.session.expire_all()
        came = {a.household_id for a in db.session.query(ActivityAnswer) if a.attended}
        assert came == {int(h) for h in homes}
        page = client.get(f"/activities/{event.id}").get_data(as_text=True)
        assert "Vilka kom" in page


def test_families_cannot_plan_or_cancel(frozen, login_as, bjornen):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen)
    client.post("/logout")
    client = login_as("familj1")
    assert client.get("/activities/new").status_code == 403
    assert client.post(f"/activities/{event.id}/cancel").status_code == 403


def test_home_panel_shows_the_next_event_and_whether_the_family_answered(
    frozen, app, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen, title="Adventsfika")
    family = app.test_client()
    login(family, "familj1")
    home = family.get("/home").get_data(as_text=True)
    assert "Adventsfika" in home and "Inte svarat än" in home
    family.post(
        f"/activities/{event.id}/answer", data=answer_form(demo.user("familj1").household_id)
    )
    assert "Ni har svarat: Kommer" in family.get("/home").get_data(as_text=True)


def test_raising_the_capacity_gives_waiting_families_their_places(
    frozen, app, login_as, demo, bjornen
):
    client = login_as("hubb.bjornen")
    [event] = plan(client, bjornen, capacity="1")
    family = app.test_client()
    login(family, "familj2")
    home = demo.user("familj2").household_id
    family.post(f"/activities/{event.id}/answer", data=answer_form(home, accept_waiting="yes"))
    family.post(
        f"/activities/{event.id}/answer", data=answer_form(home, adults=2, accept_waiting="yes")
    )
    db.session.expire_all()
    assert db.session.query(ActivityAnswer).one().status == AnswerStatus.WAITING
    form = {
        "title": "Konstellationsträff",
        "day": "2026-12-10",
        "start": "18:00",
        "end": "20:00",
        "place": "Navfamiljen Ek, Björnstigen 1",
        "description": "",
        "capacity": "5",
    }
    assert client.post(f"/activities/{event.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.query(ActivityAnswer).one().status == AnswerStatus.COMING
    assert [m.recipient_id for m in messages("activity.promoted")] == [demo.user("familj2").id]
    assert messages("activity.changed") == []  # same time and place: no change message


def test_cancelling_the_rest_of_a_series_leaves_earlier_meetings(frozen, login_as, bjornen):
    client = login_as("hubb.bjornen")
    created = plan(client, bjornen, day="2026-12-10", repeat="monthly_weekday", count="4")
    page = client.get(f"/activities/{created[1].id}").get_data(as_text=True)
    assert "Ställ in den här och alla senare träffar i serien" in page
    response = client.post(f"/activities/{created[1].id}/cancel", data={"scope": "following"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [str(a.status) for a in created] == ["planned", "cancelled", "cancelled", "cancelled"]
