"""Family group conferences: about a child, with the family, a coordinator, the child's
network from outside Hubhome (invited by SMS through the outbox), meetings and the plan.
Seen by those it concerns, 404 to everyone else; names and numbers never in the logs."""

import json
import logging
from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import func, select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.audit.models import AuditEvent
from hubhome.calendar.services import feed_for
from hubhome.conferences.models import ConferenceMember, FamilyConference
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from tests.activity_helpers import NOW
from tests.conftest import DEMO_PASSWORD, login
from tests.permission_matrix import Case, build_targets, run_cases

pytestmark = pytest.mark.clock(NOW)  # Monday 23 November 2026, 10:00 in Stockholm
DEMO_CONFERENCES = 1  # the demo's conference about familj1's child

GRANDMOTHER = "Gunnel Mormorsson"
GRANDMOTHER_PHONE = "070-123 45 67"


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    coordinator = User(
        organisation_id=demo.user("admin").organisation_id,
        email="samordnare@demo.hubhome.test",
        name="Sam Samordnare",
        role=Role.SOCIAL_WORKER,
        password_hash=hash_password(DEMO_PASSWORD),
    )
    db.session.add(coordinator)
    db.session.commit()
    targets.ids["coordinator"] = coordinator.id
    return targets


def _client(app, who):
    client = app.test_client()
    response = login(client, who)
    assert response.status_code == 302
    return client


def _new_form(targets, **extra):
    form = {
        "child_id": targets.ids["familj1_child"],
        "coordinator_id": targets.ids["coordinator"],
        "day": "2026-12-03",
        "start": "17:00",
        "end": "20:00",
        "place": "Församlingshemmet",
    }
    form.update(extra)
    return form


@pytest.fixture
def conference(app, targets):
    worker = _client(app, "socialsekreterare")
    response = worker.post("/conferences/new", data=_new_form(targets))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    conference = db.session.scalar(select(FamilyConference).order_by(FamilyConference.id.desc()))
    targets.ids["conference"] = conference.id
    return conference


def _members(conference):
    return db.session.scalar(
        select(func.count(ConferenceMember.id)).where(
            ConferenceMember.conference_id == conference.id
        )
    )


def _add_member(client, conference, **form):
    return client.post(f"/conferences/{conference.id}/members", data=form)


def test_a_conference_is_about_a_child_with_its_family_coordinator_and_meeting(conference, targets):
    assert conference.child_id == targets.ids["familj1_child"]
    assert conference.household_id == targets.ids["familj1_home"]
    assert conference.coordinator_id == targets.ids["coordinator"]
    [meeting] = conference.meetings
    assert meeting.starts_at == datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    assert meeting.place == "Församlingshemmet"


SEES = {
    "familj1": 200,
    "socialsekreterare": 200,
    "samordnare": 200,
    "admin": 200,
    "familj2": 404,
    "familj9": 404,
    "hubb.bjornen": 404,
    "hubb.raven": 404,
    "jour": 404,
    "other_admin": 404,
    "other_familj": 404,
}


def test_only_those_it_concerns_see_it_and_only_its_keepers_change_it(app, targets, conference):
    cases = [Case(who, "GET", "/conferences/{conference}", s) for who, s in SEES.items()]
    member = {"name": "X", "relation": "granne", "phone": ""}
    cases += [
        Case("familj1", "POST", "/conferences/{conference}/members", 403, member),
        Case("familj2", "POST", "/conferences/{conference}/members", 404, member),
        Case("other_admin", "POST", "/conferences/{conference}/plan", 404, {}),
        Case("familj1", "GET", "/conferences/new", 403),
        Case("hubb.bjornen", "GET", "/conferences/new", 403),
        Case("anonymous", "GET", "/conferences/{conference}", 302),
    ]
    failures = run_cases(app, targets, cases)
    assert not failures, "\n".join(failures)
    assert _members(conference) == 0
    listed = _client(app, "familj2").get("/conferences/").get_data(as_text=True)
    assert f"/conferences/{conference.id}" not in listed
    mine = _client(app, "samordnare").get("/conferences/").get_data(as_text=True)
    demo_conference = db.session.scalar(
        select(FamilyConference.id).where(FamilyConference.id != conference.id)
    )
    assert f'/conferences/{demo_conference}"' not in mine  # not the coordinator of that one
    assert f"/conferences/{conference.id}" in mine


def test_the_coordinator_adds_the_network_and_texts_the_invitations_once(app, conference, caplog):
    caplog.set_level(logging.DEBUG)
    coordinator = _client(app, "samordnare")
    added = _add_member(
        coordinator, conference, name=GRANDMOTHER, relation="mormor", phone=GRANDMOTHER_PHONE
    )
    assert added.status_code == 303
    _add_member(coordinator, conference, name="Lärare Lisa", relation="lärare", phone="")
    page = coordinator.get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert GRANDMOTHER in page and "Lärare Lisa" in page
    sent = coordinator.post(f"/conferences/{conference.id}/invitations", follow_redirects=True)
    assert "1 inbjudan är på väg." in sent.get_data(as_text=True)
    again = coordinator.post(f"/conferences/{conference.id}/invitations", follow_redirects=True)
    assert "0 inbjudningar är på väg." in again.get_data(as_text=True)
    db.session.expire_all()
    [sms] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "conferences.invitation")
    ).all()
    assert sms.to == "+46701234567"
    assert conference.child.first_name in sms.body and "Församlingshemmet" in sms.body
    assert "3 december" in sms.body
    assert GRANDMOTHER not in caplog.text and "701234567" not in caplog.text
    details = " ".join(
        str(e.detail)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("conference.%"))
        )
    )
    assert GRANDMOTHER not in details and "701234567" not in details


def test_a_long_name_in_any_script_is_kept_whole(app, conference):
    name = "Åsa-Öjvind " + "ö" * 50 + "👵" * 59  # 120 characters, 350 bytes in UTF-8
    response = _add_member(_client(app, "samordnare"), conference, name=name, relation="mormor")
    assert response.status_code == 303
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(ConferenceMember.name).where(ConferenceMember.conference_id == conference.id)
        )
        == name
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "relation": "moster", "phone": ""}, '#name">Namn: Fältet måste fyllas i.'),
        ({"name": "A", "relation": "", "phone": ""}, "#relation"),
        ({"name": "A", "relation": "moster", "phone": "12"}, "#phone"),
        ({"name": "A" * 121, "relation": "moster", "phone": ""}, "#name"),
    ],
)
def test_a_network_member_needs_a_name_a_relation_and_a_real_number(app, conference, form, message):
    response = _add_member(_client(app, "samordnare"), conference, **form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).split('class="error-summary"')[1]
    assert _members(conference) == 0


def test_bad_conference_input_is_refused_and_nothing_written(app, targets):
    worker = _client(app, "socialsekreterare")
    for extra in (
        {"end": "16:00"},
        {"day": "2026-11-01"},
        {"coordinator_id": "999999"},
        {"child_id": str(targets.ids["other_child"])},
        {"place": ""},
    ):
        response = worker.post("/conferences/new", data=_new_form(targets, **extra))
        assert response.status_code == 422, extra
        assert 'class="error-summary"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FamilyConference.id))) == DEMO_CONFERENCES


def test_the_plan_and_its_follow_up_date_are_seen_by_the_family(app, demo, conference):
    coordinator = _client(app, "samordnare")
    refused = coordinator.post(
        f"/conferences/{conference.id}/plan",
        data={"plan": "Mormor hämtar på fredagar.", "follow_up_on": "2026-11-01"},
    )
    assert refused.status_code == 422
    assert "Uppföljningen måste vara efter i dag." in refused.get_data(as_text=True)
    saved = coordinator.post(
        f"/conferences/{conference.id}/plan",
        data={"plan": "Mormor hämtar på fredagar.", "follow_up_on": "2027-03-01"},
    )
    assert saved.status_code == 303
    family = _client(app, "familj1").get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert "Mormor hämtar på fredagar." in family and "1 mars 2027" in family
    assert "Spara planen" not in family  # the family reads, the coordinator writes
    token = feed_for(db.session, demo.user("familj1")).token
    db.session.commit()
    feed = Calendar.from_ical(app.test_client().get(f"/calendar/{token}.ics").data)
    uids = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    meeting = conference.meetings[0]
    assert uids[f"conference-meeting-{meeting.id}@hubhome"].decoded("dtstart") == meeting.starts_at
    follow_up = uids[f"conference-follow-up-{conference.id}@hubhome"]
    assert str(follow_up.decoded("dtstart")) == "2027-03-01"
    other = feed_for(db.session, demo.user("familj2")).token
    db.session.commit()
    assert b"conference-" not in app.test_client().get(f"/calendar/{other}.ics").data


def test_reading_a_conference_is_audited_as_the_child_s_record(app, conference):
    _client(app, "familj1").get(f"/conferences/{conference.id}")
    read = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "conference.read")
    ).all()
    assert any(e.child_id == conference.child_id and e.object_id == conference.id for e in read)


def test_no_invitation_without_a_meeting_ahead(app, conference):
    _add_member(
        _client(app, "samordnare"), conference, name="A", relation="moster", phone="0701234568"
    )
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=UTC), tick=False):
        coordinator = _client(app, "samordnare")
        page = coordinator.post(
            f"/conferences/{conference.id}/invitations", follow_redirects=True
        ).get_data(as_text=True)
    assert "Lägg först till ett möte" in page
    assert (
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.purpose == "conferences.invitation"
            )
        )
        == 0
    )


def test_the_plan_s_follow_up_is_on_the_social_worker_s_caseload(app, conference):
    coordinator = _client(app, "samordnare")
    coordinator.post(
        f"/conferences/{conference.id}/plan",
        data={"plan": "Mormor hämtar på fredagar.", "follow_up_on": "2027-03-01"},
    )
    html = _client(app, "socialsekreterare").get("/caseload/").get_data(as_text=True)
    assert f'<a href="/conferences/{conference.id}">Följ upp familjerådslagets plan</a>' in html


def test_a_network_members_register_extract_holds_their_part_in_the_conference(app, conference):
    coordinator = _client(app, "samordnare")
    _add_member(
        coordinator, conference, name=GRANDMOTHER, relation="mormor", phone=GRANDMOTHER_PHONE
    )
    _add_member(coordinator, conference, name="Lärare Lisa", relation="lärare", phone="")
    admin = _client(app, "admin")
    answer = admin.get(
        "/admin/register-extract/download", query_string={"name": GRANDMOTHER.lower()}
    )
    assert answer.status_code == 200
    document = answer.get_json() or json.loads(answer.get_data(as_text=True))
    [row] = next(s["rows"] for s in document["sections"] if s["key"] == "conferences")
    assert row["part"] == "Nätverk: mormor" and row["phone"] == "+46701234567"
    assert row["child_first_name"] == conference.child.first_name
    assert "3 dec. 2026" in row["meetings"]
    assert "Lärare Lisa" not in answer.get_data(as_text=True)  # another person's part
    page = admin.get("/admin/register-extract/view", query_string={"name": GRANDMOTHER})
    assert page.status_code == 200 and "Nätverk: mormor" in page.get_data(as_text=True)
