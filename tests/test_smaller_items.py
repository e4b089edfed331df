"""The smaller items of issue 21: each rough edge, proved gone through the public surface."""

from __future__ import annotations

import re

import pytest


def test_the_favicon_is_served_at_the_root(client, demo):
    with client.get("/favicon.ico") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "image/vnd.microsoft.icon"
        assert answer.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_every_log_advice_link_in_the_call_log_opens_for_whoever_sees_it(client, login_as, demo):
    for user in ("admin", "jour", "hubb.bjornen"):
        login_as(user)
        for path in ("/phone/calls", *[f"/phone/calls/{n}" for n in (1, 2)]):
            page = client.get(path)
            if page.status_code != 200:
                continue
            for link in re.findall(r'href="(/advice/new[^"]*)"', page.get_data(as_text=True)):
                answer = client.get(link.replace("&amp;", "&"))
                assert answer.status_code == 200, (user, link, answer.status_code)
        client.post("/logout")


def test_the_admin_sees_no_log_advice_link_and_on_call_staff_do(client, login_as, demo):
    login_as("admin")
    assert "/advice/new" not in client.get("/phone/calls").get_data(as_text=True)
    client.post("/logout")
    login_as("jour")
    assert "/advice/new" in client.get("/phone/calls").get_data(as_text=True)


def test_on_call_pages_link_numbers_for_calling(client, login_as, demo):
    login_as("jour")
    answer = client.get("/phone/calls").get_data(as_text=True)
    assert re.search(r'href="tel:\+46\d+"', answer)
    follow_ups = client.get("/phone/follow-ups").get_data(as_text=True)
    assert re.search(r'href="tel:\+46\d+"', follow_ups)


def _new_user(client, email: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/users",
        data={
            "name": "Ny Jour",
            "email": email,
            "role": "oncall_staff",
            "household_id": "0",
            "invite_by": "",
        },
    )


def test_the_admin_creates_a_user_in_the_demos_own_domain(client, login_as, demo):
    login_as("admin")
    created = _new_user(client, "ny.jour@demo.hubhome.test")
    assert created.status_code == 302, created.get_data(as_text=True)[-2000:]
    assert "ny.jour@demo.hubhome.test" in client.get("/admin/users").get_data(as_text=True)


def test_a_reserved_domain_is_still_refused_in_production(app, client, login_as, demo):
    import dataclasses

    login_as("admin")
    app.config["HUBHOME"] = dataclasses.replace(app.config["HUBHOME"], env="production")
    refused = _new_user(client, "ny.jour@demo.hubhome.test")
    assert refused.status_code == 422
    assert "giltig e-postadress" in refused.get_data(as_text=True)


@pytest.mark.clock("2026-12-07T00:20:00+01:00", tick=False)
def test_the_demo_seeded_just_after_midnight_has_no_call_in_the_future(demo):
    from sqlalchemy import select

    from hubhome.extensions import db
    from hubhome.phone.models import Call, FollowUp
    from hubhome.timeutil import utcnow

    now = utcnow()
    calls = db.session.scalars(select(Call)).all()
    assert calls
    assert all(c.started_at <= now and (c.ended_at is None or c.ended_at <= now) for c in calls)
    assert all(f.created_at <= now for f in db.session.scalars(select(FollowUp)))


def _advice(household_id: int, **extra: object) -> dict[str, object]:
    from tests.test_advice_flow import advice_form

    return advice_form(household_id, **{"asked_by": "Familjehemspappa", "topic": "school", **extra})


def test_the_advice_form_has_no_topic_chosen_in_advance(client, login_as, demo):
    login_as("jour")
    page = client.get("/advice/new").get_data(as_text=True)
    topic = re.search(r'<select id="topic"[^>]*>(.*?)</select>', page, re.S)[1]
    assert re.search(r'<option selected value="">', topic)
    assert 'selected value="behaviour"' not in topic
    refused = client.post("/advice/new", data=_advice(demo.user("familj1").household_id, topic=""))
    assert refused.status_code == 422
    assert "Välj ett ämne." in refused.get_data(as_text=True)


def test_advice_records_when_it_happened_and_which_child(client, login_as, demo):
    from datetime import timedelta

    from sqlalchemy import select

    from hubhome.advice.models import AdviceContact
    from hubhome.extensions import db
    from hubhome.timeutil import local_now, local_to_utc
    from tests.respite_helpers import children_of

    family = demo.user("familj1")
    child_id = children_of(family)[0]
    other_child = children_of(demo.user("familj2"))[0]
    when = local_now().replace(second=0, microsecond=0) - timedelta(days=1, hours=2)
    login_as("jour")
    page = client.get("/advice/new").get_data(as_text=True)
    assert f'<option value="{child_id}">' in page
    at = {"occurred_on": when.date().isoformat(), "occurred_time": when.strftime("%H:%M")}
    wrong = client.post(
        "/advice/new", data=_advice(family.household_id, child_id=other_child, **at)
    )
    assert wrong.status_code == 422
    assert "Välj ett barn som är placerat i familjen." in wrong.get_data(as_text=True)
    future = when + timedelta(days=2)
    ahead = {"occurred_on": future.date().isoformat(), "occurred_time": future.strftime("%H:%M")}
    assert client.post("/advice/new", data=_advice(family.household_id, **ahead)).status_code == 422
    saved = client.post("/advice/new", data=_advice(family.household_id, child_id=child_id, **at))
    assert saved.status_code == 302
    contact = db.session.scalars(
        select(AdviceContact).where(AdviceContact.asked_by == "Familjehemspappa")
    ).one()
    assert contact.child_id == child_id
    assert contact.occurred_at == local_to_utc(when.date(), when.time())
    shown = client.get(f"/advice/{contact.id}").get_data(as_text=True)
    assert "Vilket barn det gällde" in shown
    assert f"{when.day} " in shown and when.strftime("%H:%M") in shown


def test_the_api_records_when_advice_happened_and_which_child(client, api_headers, demo):
    from datetime import timedelta

    from hubhome.timeutil import utcnow
    from tests.respite_helpers import children_of

    family = demo.user("familj1")
    child_id = children_of(family)[0]
    when = (utcnow() - timedelta(hours=3)).replace(microsecond=0)
    body = {
        "household_id": family.household_id,
        "asked_by": "Familjehemsmamma",
        "channel": "phone",
        "topic": "school",
        "summary": "Skolskjuts",
        "occurred_at": when.isoformat(),
        "child_id": child_id,
    }
    saved = client.post("/api/v1/advice-contacts", json=body, headers=api_headers("jour"))
    assert saved.status_code == 201, saved.get_json()
    assert saved.get_json()["child_id"] == child_id
    other = children_of(demo.user("familj2"))[0]
    refused = client.post(
        "/api/v1/advice-contacts", json={**body, "child_id": other}, headers=api_headers("jour")
    )
    assert refused.status_code == 422 and "child_id" in refused.get_json()["errors"]
