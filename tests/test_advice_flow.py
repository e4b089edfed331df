"""The advice log: logging prefilled from a call, placement concerns to the responsible
social worker at once, follow-ups until done, and who reads the summaries."""

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from hubhome.advice.models import AdviceContact
from hubhome.extensions import db
from hubhome.network.models import Household
from hubhome.phone.models import Call
from tests.activity_helpers import (
    NOW,
    add_responsible_worker,
    messages,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import login
from tests.permission_matrix import Actors, Case, build_targets, run_cases

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("without_demo_everyday")]


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    targets.ids["responsible"] = add_responsible_worker(demo, targets.ids["familj1_child"])
    return targets


def advice_form(household_id, **extra):
    form = {
        "household_id": household_id,
        "asked_by": "Familjehemsmamma",
        "channel": "phone",
        "topic": "behaviour",
        "urgency": "normal",
        "summary": "Utbrott vid läggdags; vi pratade om rutiner.",
        "follow_up_on": "",
        "call_id": "",
    }
    form.update(extra)
    return form


def test_a_call_prefills_the_form_and_the_call_is_kept(frozen, app, targets):
    client = app.test_client()
    login(client, "jour")
    home = targets.ids["familj1_home"]
    call = Call(
        call_sid="CA" + "7" * 32,
        organisation_id=db.session.get(Household, home).organisation_id,
        constellation_id=targets.ids["bjornen"],
        household_id=home,
        from_number="+46700000001",
        to_number="+46100000001",
        chain=[],
    )
    db.session.add(call)
    db.session.commit()
    page = client.get(f"/advice/new?household_id={home}&channel=phone&call_id={call.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option selected value="{home}">' in html
    assert f'name="call_id" type="hidden" value="{call.id}"' in html
    response = client.post("/advice/new", data=advice_form(home, call_id=str(call.id)))
    assert response.status_code == 302
    contact = db.session.scalar(select(AdviceContact))
    assert contact.call_id == call.id
    assert contact.constellation_id == targets.ids["bjornen"]


def test_a_call_the_logger_may_not_see_is_refused(frozen, app, targets):
    client = app.test_client()
    login(client, "jour")
    home = targets.ids["familj1_home"]
    response = client.post("/advice/new", data=advice_form(home, call_id="4711"))
    assert response.status_code == 422
    assert "Samtalet kunde inte hittas" in response.get_data(as_text=True)
    assert db.session.scalar(select(AdviceContact)) is None


def test_placement_concern_tells_the_responsible_social_worker_at_once(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.bjornen")
    home = targets.ids["familj1_home"]
    response = client.post("/advice/new", data=advice_form(home, topic="placement_concern"))
    assert response.status_code == 302
    sent = messages("advice.placement_concern")
    from hubhome.children.models import Placement

    workers = set(
        db.session.scalars(
            select(Placement.social_worker_id).where(
                Placement.household_id == home, Placement.end_date.is_(None)
            )
        )
    )
    assert targets.ids["responsible"] in workers
    assert sorted(m.recipient_id for m in sent) == sorted(workers)  # one each, nobody else
    assert "Oro för placeringen" in sent[0].body
    assert "Utbrott" not in sent[0].body  # the summary stays in Hubhome
    client.post("/advice/new", data=advice_form(home, topic="school"))
    assert len(messages("advice.placement_concern")) == len(workers)  # school: no message


def test_follow_up_stays_on_the_logger_s_and_liaison_s_lists_until_done(frozen, app, targets):
    logger = app.test_client()
    login(logger, "jour")
    home = targets.ids["familj1_home"]
    logger.post(
        "/advice/new", data=advice_form(home, follow_up_on="2026-11-25", summary="Ring skolan")
    )
    contact = db.session.scalar(select(AdviceContact))
    liaison = app.test_client()
    login(liaison, "socialsekreterare")
    other_hub = app.test_client()
    login(other_hub, "hubb.raven")
    assert "Ring skolan" in logger.get("/advice/follow-ups").get_data(as_text=True)
    assert "Ring skolan" in liaison.get("/advice/follow-ups").get_data(as_text=True)
    assert "Ring skolan" not in other_hub.get("/advice/follow-ups").get_data(as_text=True)
    assert "1 uppföljning är öppen." in liaison.get("/home").get_data(as_text=True)
    # Still there the day after it was due.
    with time_machine.travel("2026-11-27 09:00Z", tick=False):
        login(logger, "jour")
        assert "Ring skolan" in logger.get("/advice/follow-ups").get_data(as_text=True)
        assert logger.post(f"/advice/{contact.id}/done").status_code == 303
        assert "Ring skolan" not in logger.get("/advice/follow-ups").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AdviceContact, contact.id).follow_up_done_at is not None


# A contact about familj1's home logged by on-call staff: who may read its summary.
READS = {
    "jour": 200,  # the logger
    "hubb.bjornen": 200,  # the hub carer of the family's constellation
    "socialsekreterare": 200,  # the liaison
    "ansvarig@demo.hubhome.test": 200,  # the responsible social worker
    "familj1": 200,  # the family itself
    "familj2": 404,  # another family, same constellation
    "familj9": 404,
    "hubb.raven": 404,
    "admin": 404,
    "other_admin": 404,
    "other_familj": 404,
}


def test_summaries_are_read_by_exactly_the_right_people(frozen, app, targets):
    client = app.test_client()
    login(client, "jour")
    client.post("/advice/new", data=advice_form(targets.ids["familj1_home"], summary="Hemligt x"))
    contact = db.session.scalar(select(AdviceContact))
    targets.ids["contact"] = contact.id
    cases = [
        Case(who.split("@")[0], "GET", "/advice/{contact}", status) for who, status in READS.items()
    ]
    failures = run_cases(app, targets, cases)
    assert not failures, "\n".join(failures)
    actors = Actors(app)
    for who, status in READS.items():
        short = who.split("@")[0]
        listed = app.test_client().get("/api/v1/advice-contacts", headers=actors.headers(short))
        assert listed.status_code == 200
        assert (contact.id in [c["id"] for c in listed.get_json()]) == (status == 200), who


def test_a_family_never_sees_another_family_s_contacts(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.bjornen")
    client.post(
        "/advice/new", data=advice_form(targets.ids["familj2_home"], summary="Om familj två")
    )
    client.post(
        "/advice/new", data=advice_form(targets.ids["familj1_home"], summary="Om familj ett")
    )
    family = app.test_client()
    login(family, "familj1")
    page = family.get("/advice/").get_data(as_text=True)
    assert "Om familj ett" in page and "Om familj två" not in page
    assert family.get("/advice/new").status_code == 403


def test_advice_for_a_family_outside_scope_is_refused_and_nothing_saved(frozen, app, targets):
    client = app.test_client()
    login(client, "hubb.raven")
    response = client.post("/advice/new", data=advice_form(targets.ids["familj1_home"]))
    assert response.status_code == 422
    assert db.session.scalar(select(AdviceContact)) is None


def test_api_logs_advice_and_names_bad_fields(frozen, app, targets, api_headers):
    headers = api_headers("hubb.bjornen")
    bad = app.test_client().post(
        "/api/v1/advice-contacts",
        headers=headers,
        json={"household_id": targets.ids["familj1_home"], "channel": "fax", "topic": "school"},
    )
    assert bad.status_code == 422
    assert {"channel", "asked_by", "summary"} <= set(bad.get_json()["errors"])
    good = app.test_client().post(
        "/api/v1/advice-contacts",
        headers=headers,
        json={
            "household_id": targets.ids["familj1_home"],
            "asked_by": "Familjehemspappa",
            "channel": "video",
            "topic": "health",
            "summary": "Frågor om medicin",
            "follow_up_on": date(2026, 12, 1).isoformat(),
        },
    )
    assert good.status_code == 201, good.get_json()
    assert good.get_json()["channel"] == "video"
    outside = app.test_client().post(
        "/api/v1/advice-contacts",
        headers=headers,
        json={
            "household_id": targets.ids["familj9_home"],
            "asked_by": "x",
            "channel": "phone",
            "topic": "other",
            "summary": "x",
        },
    )
    assert outside.status_code == 422 and "household_id" in outside.get_json()["errors"]
