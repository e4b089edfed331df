"""One calendar per person: the page (month and agenda) and the feed hold respite, activities,
contact visits and planned visits that concern the signed-in person, and nothing else."""

from datetime import time, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from hubhome.audit.models import AuditEvent
from hubhome.calendar.services import feed_for
from hubhome.extensions import db
from hubhome.timeutil import local_today, to_local
from hubhome.visits.models import ContactVisit, VisitStatus
from tests.activity_helpers import NOW

pytestmark = pytest.mark.clock(NOW)


def _feed(app, user):
    token = feed_for(db.session, user).token
    db.session.commit()
    response = app.test_client().get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}


def _upcoming_contact_visit():
    return db.session.scalar(select(ContactVisit).where(ContactVisit.status == VisitStatus.PLANNED))


def test_a_family_s_feed_holds_its_child_s_contact_visits(app, demo):
    visit = _upcoming_contact_visit()
    events = _feed(app, demo.user("familj1"))
    event = events[f"contact-visit-{visit.id}@hubhome"]
    assert event.decoded("dtstart") == visit.starts_at
    assert event.decoded("dtend") == visit.ends_at
    assert str(event["location"]) == visit.place
    assert str(event["summary"]) == f"Umgänge: {visit.child.first_name}"
    assert str(event["url"]).endswith(f"/visits/{visit.id}")
    read = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "contact_visit.read", AuditEvent.child_id == visit.child_id
        )
    ).all()
    assert read, "reading the child's visits through the feed is audited"


@pytest.mark.parametrize("who", ["familj2", "familj9", "jour", "admin"])
def test_others_feeds_leave_the_contact_visit_out(app, demo, who):
    visit = _upcoming_contact_visit()
    assert f"contact-visit-{visit.id}@hubhome" not in _feed(app, demo.user(who))


def test_the_responsible_social_worker_and_the_hub_carer_see_it(app, demo):
    visit = _upcoming_contact_visit()
    for who in ("socialsekreterare", "hubb.bjornen"):
        assert f"contact-visit-{visit.id}@hubhome" in _feed(app, demo.user(who)), who


def test_month_view_shows_the_visit_on_its_day_with_a_link(login_as, demo):
    visit = _upcoming_contact_visit()
    client = login_as("familj1")
    day = to_local(visit.starts_at).date()
    page = client.get(f"/calendar?month={day:%Y-%m}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cells = html.split("<td")[1:]
    [cell] = [c for c in cells if f"/visits/{visit.id}" in c]
    assert f'<span class="day-name">{day:%A}'.lower() not in cell  # Swedish, not English
    assert ">Umgänge<" in cell and visit.child.first_name in cell
    assert f'<span class="day-number" aria-hidden="true">{day.day}</span>' in cell
    assert html.count('aria-current="date"') == 1  # today, for screen readers


def test_agenda_view_lists_days_with_events_as_headings(login_as, demo):
    visit = _upcoming_contact_visit()
    client = login_as("familj1")
    day = to_local(visit.starts_at).date()
    html = client.get(f"/calendar?month={day:%Y-%m}&view=agenda").get_data(as_text=True)
    assert '<ol class="agenda">' in html
    assert 'class="agenda-day"' in html
    assert f"Umgänge: {visit.child.first_name}" in html
    assert to_local(visit.starts_at).strftime("%H:%M") in html


def test_subscribe_buttons_point_at_the_private_feed(login_as, demo):
    client = login_as("familj1")
    token = feed_for(db.session, demo.user("familj1")).token
    html = client.get("/calendar").get_data(as_text=True)
    webcal = f"webcal://hubhome.example.test/calendar/{token}.ics"
    https = f"https://hubhome.example.test/calendar/{token}.ics"
    assert f'href="{webcal}"' in html
    google = html.split('href="https://calendar.google.com/calendar/render?')[1].split('"')[0]
    assert unquote(parse_qs(google.replace("&amp;", "&"))["cid"][0]) == webcal
    outlook = html.split('href="https://outlook.live.com/calendar/0/addfromweb?')[1].split('"')[0]
    assert parse_qs(outlook.replace("&amp;", "&"))["url"][0] == https
    assert f'value="{https}"' in html
    assert urlsplit(https).path.endswith(".ics")


@pytest.mark.parametrize("month", ["2026-13", "december", "9999-12", "0001-01", "2026-1x"])
def test_a_month_that_is_not_one_is_refused_clearly(login_as, demo, month):
    response = login_as("familj1").get(f"/calendar?month={month}")
    assert response.status_code == 422
    assert "Ange månaden som år och månad" in response.get_data(as_text=True)


def test_an_unknown_view_falls_back_to_the_month(login_as, demo):
    html = login_as("familj1").get("/calendar?view=<script>").get_data(as_text=True)
    assert 'class="table month family-month"' in html
    assert "<script>" not in html.split("<main")[1].split("</main>")[0]


def test_the_calendar_needs_a_sign_in(client, demo):
    assert client.get("/calendar").status_code == 302


def test_a_past_month_without_events_says_so(login_as, demo):
    earlier = local_today() - timedelta(days=400)
    html = login_as("familj2").get(f"/calendar?month={earlier:%Y-%m}").get_data(as_text=True)
    assert "Inget i din kalender den här månaden." in html


def test_in_english_the_calendar_and_its_feed_speak_english(app, login_as, demo):
    visit = _upcoming_contact_visit()
    client = login_as("familj1")
    client.post("/language", data={"lang-locale": "en", "next": "/calendar"})
    day = to_local(visit.starts_at).date()
    html = client.get(f"/calendar?month={day:%Y-%m}&view=agenda").get_data(as_text=True)
    assert f"Contact visit: {visit.child.first_name}" in html
    assert "See it in the calendar on your phone or computer" in html
    assert "Umgänge" not in html
    events = _feed(app, demo.user("familj1"))  # the feed follows the account's language
    assert str(events[f"contact-visit-{visit.id}@hubhome"]["summary"]).startswith("Contact visit")


def _statements(client, path):
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def test_the_page_s_statements_do_not_grow_with_the_visits(login_as, demo, frozen):
    from hubhome.permissions import visit_child_ids_visible_to
    from hubhome.timeutil import local_to_utc

    client = login_as("hubb.bjornen")
    children = db.session.scalars(visit_child_ids_visible_to(demo.user("hubb.bjornen"))).all()
    assert len(children) >= 6
    visit = _upcoming_contact_visit()
    day = to_local(visit.starts_at).date()
    path = f"/calendar?month={day:%Y-%m}"
    client.get(path)  # the first visit makes the feed address
    db.session.commit()  # from here each request starts the same way
    before, _html = _statements(client, path)
    for hour, child_id in zip(range(8, 18), children, strict=False):
        db.session.add(
            ContactVisit(
                organisation_id=visit.organisation_id,
                child_id=child_id,
                constellation_id=visit.constellation_id,
                relatives="Pappa",
                place="Navhemmet",
                supervisor=visit.supervisor,
                starts_at=local_to_utc(day, time(hour, 0)),
                ends_at=local_to_utc(day, time(hour, 30)),
                created_by_id=visit.created_by_id,
            )
        )
    db.session.commit()
    after, html = _statements(client, path)
    assert html.count("Umgänge: ") >= 1 + min(len(children), 10)
    assert after == before  # each visit's child comes with it, not one query per child
