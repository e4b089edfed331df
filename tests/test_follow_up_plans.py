"""Planned follow-up visits: the child's social worker books the next visit; the family and
the worker see it in their calendars, get a text the evening before, and the plan becomes the
recorded visit. Scoped like the child's record; every read and write audited."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.calendar.services import feed_for
from hubhome.caseload.models import FollowUpVisit
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.visits.jobs import send_follow_up_reminders
from hubhome.visits.models import PlannedFollowUpVisit, PlannedVisitStatus
from tests.activity_helpers import NOW
from tests.conftest import login
from tests.permission_matrix import Case, build_targets, run_cases

pytestmark = pytest.mark.clock(NOW)  # Monday 23 November 2026, 10:00 in Stockholm
DEMO_PLANS = 1  # the demo's planned visit to familj1's child, on Friday


def _form(child_id, **extra):
    form = {
        "child_id": child_id,
        "day": "2026-11-26",
        "start": "14:00",
        "end": "15:00",
        "place": "Familjehemmet",
        "talk_alone": "y",
    }
    form.update(extra)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def targets(app, demo):
    return build_targets(demo)


@pytest.fixture
def plan(app, targets):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    response = worker.post("/visits/follow-ups/new", data=_form(targets.ids["familj1_child"]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    return db.session.scalar(select(PlannedFollowUpVisit).order_by(PlannedFollowUpVisit.id.desc()))


def _feed_uids(app, user):
    token = feed_for(db.session, user).token
    db.session.commit()
    body = app.test_client().get(f"/calendar/{token}.ics").data
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_planned_visit_is_stored_with_its_time_place_and_private_talk(plan, targets):
    assert plan.child_id == targets.ids["familj1_child"]
    assert plan.starts_at == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 14:00 CET
    assert plan.ends_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    assert plan.place == "Familjehemmet" and plan.talk_alone is True
    assert plan.status == PlannedVisitStatus.PLANNED
    created = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "follow_up_plan.create", AuditEvent.object_id == plan.id
        )
    )
    assert created.child_id == plan.child_id and created.object_id == plan.id


def test_it_is_in_the_family_s_and_the_worker_s_calendars_only(app, demo, plan):
    uid = f"follow-up-visit-{plan.id}@hubhome"
    for who in ("familj1", "socialsekreterare"):
        event = _feed_uids(app, demo.user(who))[uid]
        assert event.decoded("dtstart") == plan.starts_at
        assert str(event["location"]) == "Familjehemmet"
        assert "enskilt samtal" in str(event["description"])
    for who in ("familj2", "hubb.bjornen", "jour", "admin"):
        assert uid not in _feed_uids(app, demo.user(who)), who
    page = login(app.test_client(), "familj1")
    family = app.test_client()
    login(family, "familj1")
    html = family.get("/calendar?month=2026-11").get_data(as_text=True)
    assert page.status_code == 302
    assert f"/visits/follow-ups/{plan.id}" in html and "Uppföljningsbesök" in html


# Who reaches a planned visit to familj1's child: the family, the responsible (and visiting)
# social worker and the organisation's admin; 404 for everyone else.
SEES = {
    "familj1": 200,
    "socialsekreterare": 200,
    "admin": 200,
    "familj2": 404,
    "familj9": 404,
    "hubb.bjornen": 404,
    "hubb.raven": 404,
    "jour": 404,
    "other_admin": 404,
    "other_familj": 404,
}


def test_a_planned_visit_is_seen_by_exactly_the_child_s_circle(app, targets, plan):
    targets.ids["plan"] = plan.id
    cases = [Case(who, "GET", "/visits/follow-ups/{plan}", s) for who, s in SEES.items()]
    cases += [Case("anonymous", "GET", "/visits/follow-ups/{plan}", 302)]
    # Only planners may cancel or record; outside the scope it is 404 before anything else.
    cases += [
        Case("familj1", "POST", "/visits/follow-ups/{plan}/record", 403, {}),
        Case("familj2", "POST", "/visits/follow-ups/{plan}/cancel", 404, {}),
        Case("other_admin", "GET", "/visits/follow-ups/{plan}/record", 404),
        Case("familj1", "GET", "/visits/follow-ups/new", 403),
        Case("hubb.bjornen", "POST", "/visits/follow-ups/new", 403, {}),
    ]
    failures = run_cases(app, targets, cases)
    assert not failures, "\n".join(failures)
    db.session.expire_all()
    assert db.session.get(PlannedFollowUpVisit, plan.id).status == PlannedVisitStatus.PLANNED


@pytest.mark.parametrize(
    ("extra", "field_message"),
    [
        ({"end": "13:00"}, '#end">Slutar: Sluttiden måste vara efter starttiden.'),
        ({"day": "2026-11-20"}, '#day">Datum: Planera besöket till en tid som inte har passerat.'),
        ({"day": "2026-02-30"}, '#day">Datum: Fältet måste fyllas i.'),
        ({"place": ""}, '#place">Plats: Fältet måste fyllas i.'),
        ({"place": "x" * 201}, '#place">Plats: Fältet får inte vara längre än 200 tecken.'),
        ({"start": "25:00"}, '#start">Börjar: Fältet måste fyllas i.'),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    app, targets, extra, field_message
):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    response = worker.post(
        "/visits/follow-ups/new", data=_form(targets.ids["familj1_child"], **extra)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert field_message in html.split('class="error-summary"')[1]
    assert db.session.scalar(select(func.count(PlannedFollowUpVisit.id))) == DEMO_PLANS


def test_a_child_outside_the_worker_s_caseload_cannot_be_chosen(app, targets):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    response = worker.post("/visits/follow-ups/new", data=_form(targets.ids["other_child"]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#child_id"' in html.split('class="error-summary"')[1]
    assert db.session.scalar(select(func.count(PlannedFollowUpVisit.id))) == DEMO_PLANS


def _run_reminders_at(instant):
    with time_machine.travel(instant, tick=False):
        sent = send_follow_up_reminders(db.session)
        db.session.commit()
    return sent


def _reminders():
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "visits.follow_up_reminder")
        )
    )


def test_the_family_and_the_worker_get_one_reminder_the_evening_before(app, demo, plan):
    assert _run_reminders_at(datetime(2026, 11, 25, 16, 59, tzinfo=UTC)) == 0  # 17:59
    assert _reminders() == []
    sent = _run_reminders_at(datetime(2026, 11, 25, 17, 0, tzinfo=UTC))  # 18:00 Stockholm
    messages = _reminders()
    recipients = {m.recipient_id for m in messages}
    assert demo.user("familj1").id in recipients
    assert demo.user("socialsekreterare").id in recipients
    assert demo.user("familj2").id not in recipients
    assert sent == len(messages) >= 2
    family = next(m for m in messages if m.recipient_id == demo.user("familj1").id)
    assert "i morgon kl. 14:00" in family.body and "Familjehemmet" in family.body
    assert _run_reminders_at(datetime(2026, 11, 25, 17, 10, tzinfo=UTC)) == 0
    assert len(_reminders()) == len(messages)  # the dedupe key holds


def test_a_cancelled_visit_gets_no_reminder_and_leaves_the_calendar(app, demo, plan):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    assert worker.post(f"/visits/follow-ups/{plan.id}/cancel").status_code == 303
    assert _run_reminders_at(datetime(2026, 11, 25, 17, 0, tzinfo=UTC)) == 0
    assert f"follow-up-visit-{plan.id}@hubhome" not in _feed_uids(app, demo.user("familj1"))
    again = worker.post(f"/visits/follow-ups/{plan.id}/cancel", follow_redirects=True)
    assert "inte längre planerat" in again.get_data(as_text=True)


def test_the_plan_becomes_the_recorded_visit(app, demo, plan):
    worker = app.test_client()
    with time_machine.travel(datetime(2026, 11, 26, 15, 0, tzinfo=UTC), tick=False):
        login(worker, "socialsekreterare")
        form = worker.get(f"/visits/follow-ups/{plan.id}/record").get_data(as_text=True)
        assert 'value="2026-11-26"' in form  # prefilled from the plan
        [talk] = re.findall(r"<input[^>]*id=\"private_talk\"[^>]*>", form)
        assert "checked" in talk  # the plan said to talk with the child alone
        response = worker.post(
            f"/visits/follow-ups/{plan.id}/record",
            data={"visit_date": "2026-11-26", "private_talk": "y", "note": "Bra samtal."},
        )
        assert response.status_code == 302
        db.session.expire_all()
        done = db.session.get(PlannedFollowUpVisit, plan.id)
        assert done.status == PlannedVisitStatus.DONE
        visit = db.session.get(FollowUpVisit, done.follow_up_visit_id)
        assert visit.visit_date == date(2026, 11, 26) and visit.private_talk is True
        assert visit.child_id == plan.child_id
        twice = worker.post(
            f"/visits/follow-ups/{plan.id}/record",
            data={"visit_date": "2026-11-26", "note": ""},
        )
        assert twice.status_code == 409
        assert db.session.scalar(select(func.count(FollowUpVisit.id))) == 1 + _demo_visits()


def _demo_visits():
    return db.session.scalar(
        select(func.count(FollowUpVisit.id)).where(FollowUpVisit.note != "Bra samtal.")
    )


def test_recording_before_the_day_is_refused(app, plan):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    response = worker.post(
        f"/visits/follow-ups/{plan.id}/record",
        data={"visit_date": "2026-11-26", "note": ""},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(PlannedFollowUpVisit, plan.id).status == PlannedVisitStatus.PLANNED


def test_the_list_shows_the_worker_s_planned_visits(app, plan):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    html = worker.get("/visits/follow-ups/").get_data(as_text=True)
    assert f"/visits/follow-ups/{plan.id}" in html
    assert "Planera ett uppföljningsbesök" in html


def test_the_caseload_shows_the_next_planned_visit_with_a_link(app, plan):
    worker = app.test_client()
    login(worker, "socialsekreterare")
    html = worker.get("/caseload/").get_data(as_text=True)
    assert (
        f'<a href="/visits/follow-ups/{plan.id}">Uppföljningsbesök planerat tors 26 nov. 14:00</a>'
        in html
    )
