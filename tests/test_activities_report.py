"""The hub's monthly report against hand-counted fixtures: the page and the CSV agree."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine

from hubhome.activities.models import (
    Activity,
    ActivityAnswer,
    ActivityKind,
    ActivityStatus,
    AnswerStatus,
)
from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic
from hubhome.extensions import db
from hubhome.phone.models import Call, CallStatus
from hubhome.respite.models import BookingKind, BookingStatus, RespiteBooking, RespiteBookingChild
from hubhome.visits.models import ContactVisit, Supervisor, VisitStatus
from tests import clock
from tests.activity_helpers import without_demo_everyday  # noqa: F401
from tests.conftest import login
from tests.permission_matrix import build_targets

pytestmark = [pytest.mark.clock(clock.WRITTEN), pytest.mark.usefixtures("without_demo_everyday")]

VIEWED_AT = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def fixtures(app, demo):
    t = build_targets(demo).ids
    hub = demo.user("hubb.bjornen")
    f1, f2, f9 = t["familj1_home"], t["familj2_home"], t["familj9_home"]

    def activity(constellation, kind, start, status=ActivityStatus.PLANNED, came=()):
        item = Activity(
            constellation_id=t[constellation],
            kind=kind,
            title=f"{kind} {start:%d %H}",
            starts_at=start,
            ends_at=start.replace(hour=(start.hour + 1) % 24)
            if start.hour < 23
            else start.replace(minute=59),
            status=status,
            created_by_id=hub.id,
        )
        db.session.add(item)
        db.session.flush()
        for household, adults, children in came:
            db.session.add(
                ActivityAnswer(
                    activity_id=item.id,
                    household_id=household,
                    status=AnswerStatus.COMING,
                    adults=adults,
                    children=children,
                    answered_by_id=hub.id,
                    attended=True,
                )
            )
        return item

    # Björnen, December 2026 (Stockholm time is UTC+1 in winter).
    activity("bjornen", ActivityKind.MEETING, utc(2026, 12, 3, 17), came=[(f1, 2, 1), (f2, 1, 0)])
    activity("bjornen", ActivityKind.SOCIAL, utc(2026, 12, 12, 10), came=[(f1, 2, 1)])
    activity("bjornen", ActivityKind.TRAINING, utc(2026, 11, 30, 23, 30))  # 1 Dec 00:30 local
    activity("bjornen", ActivityKind.SOCIAL, utc(2026, 12, 15, 17), status=ActivityStatus.CANCELLED)
    activity("bjornen", ActivityKind.MEETING, utc(2026, 11, 30, 22, 30))  # 30 Nov 23:30 local
    activity("bjornen", ActivityKind.MEETING, utc(2027, 1, 7, 17))  # next month
    activity("raven", ActivityKind.MEETING, utc(2026, 12, 5, 17), came=[(f9, 3, 3)])
    # The same answer shape not attended does not count.
    no_show = activity("bjornen", ActivityKind.FAMILY_CONFERENCE, utc(2026, 12, 20, 9))
    db.session.add(
        ActivityAnswer(
            activity_id=no_show.id,
            household_id=f2,
            status=AnswerStatus.COMING,
            adults=2,
            children=2,
            answered_by_id=hub.id,
            attended=False,
        )
    )

    def advice(constellation, topic, channel, at):
        db.session.add(
            AdviceContact(
                organisation_id=hub.organisation_id,
                household_id=f1,
                constellation_id=t[constellation],
                logged_by_id=hub.id,
                asked_by="x",
                channel=channel,
                topic=topic,
                summary="x",
                created_at=at,
            )
        )

    advice("bjornen", AdviceTopic.BEHAVIOUR, AdviceChannel.PHONE, utc(2026, 12, 1, 8))
    advice("bjornen", AdviceTopic.BEHAVIOUR, AdviceChannel.SMS, utc(2026, 12, 9, 8))
    advice(
        "bjornen", AdviceTopic.SCHOOL, AdviceChannel.PHONE, utc(2026, 12, 31, 22, 59)
    )  # 23:59 local
    advice("bjornen", AdviceTopic.SCHOOL, AdviceChannel.PHONE, utc(2026, 12, 31, 23, 0))  # January
    advice(
        "bjornen", AdviceTopic.HEALTH, AdviceChannel.VIDEO, utc(2026, 11, 30, 22, 59)
    )  # November
    advice("raven", AdviceTopic.HEALTH, AdviceChannel.PHONE, utc(2026, 12, 2, 8))

    def booking(kind, check_in, check_out, children, status=BookingStatus.APPROVED):
        item = RespiteBooking(
            constellation_id=t["bjornen"],
            hub_household_id=t["hub_bjornen"],
            household_id=f1,
            check_in=check_in,
            check_out=check_out,
            kind=kind,
            status=status,
            requested_by_id=hub.id,
        )
        item.children = [RespiteBookingChild(child_id=c) for c in children]
        db.session.add(item)

    kids = [t["familj1_child"], t["familj2_child"]]
    booking(BookingKind.PLANNED, date(2026, 11, 29), date(2026, 12, 3), kids)  # 2 nights × 2
    booking(
        BookingKind.PLANNED,
        date(2026, 12, 30),
        date(2027, 1, 2),
        kids[:1],
        status=BookingStatus.COMPLETED,
    )  # 2 nights in December
    booking(BookingKind.EMERGENCY, date(2026, 12, 10), date(2026, 12, 11), kids[:1])  # 1
    booking(
        BookingKind.PLANNED,
        date(2026, 12, 14),
        date(2026, 12, 18),
        kids,
        status=BookingStatus.DECLINED,
    )

    def visit(status, start, constellation="bjornen"):
        db.session.add(
            ContactVisit(
                organisation_id=hub.organisation_id,
                child_id=t["familj1_child"],
                constellation_id=t[constellation],
                relatives="Mamma",
                place="Navhemmet",
                supervisor=Supervisor.HUB_CARER,
                starts_at=start,
                ends_at=start.replace(hour=start.hour + 1),
                status=status,
                created_by_id=hub.id,
            )
        )

    visit(VisitStatus.HELD, utc(2026, 12, 8, 9))
    visit(VisitStatus.HELD, utc(2026, 12, 22, 9))
    visit(VisitStatus.CANCELLED, utc(2026, 12, 9, 9))
    visit(VisitStatus.PLANNED, utc(2026, 12, 23, 9))
    visit(VisitStatus.HELD, utc(2026, 12, 8, 9), constellation="raven")

    def call(started_at, constellation="bjornen"):
        db.session.add(
            Call(
                call_sid=f"CA{started_at:%Y%m%d%H%M}{constellation}",
                organisation_id=hub.organisation_id,
                constellation_id=t[constellation],
                from_number="+46700000001",
                to_number="+46100000001",
                chain=[],
                status=CallStatus.COMPLETED,
                started_at=started_at,
            )
        )

    call(utc(2026, 12, 3, 9, 30))  # 10:30 in Stockholm: day
    call(utc(2026, 12, 3, 21, 30))  # 22:30: night
    call(utc(2026, 11, 30, 23, 30))  # 1 December 00:30 in Stockholm: night, in the month
    call(utc(2026, 12, 31, 23, 30))  # 1 January 00:30 in Stockholm: not in the month
    call(utc(2026, 12, 3, 10, 0), constellation="raven")
    db.session.commit()
    return t


MEETINGS = "Meetings and activities"
TOPIC = {"behaviour": "Behaviour", "school": "School", "health": "Health"}
CHANNEL = {"phone": "Phone", "sms": "SMS", "video": "Video"}
EXPECTED = {
    (MEETINGS, "Constellation meeting: held"): "1",
    (MEETINGS, "Constellation meeting: attendance"): "4",
    (MEETINGS, "Social activity: held"): "1",  # the cancelled one is not held
    (MEETINGS, "Social activity: attendance"): "3",
    (MEETINGS, "Training or peer support: held"): "1",
    (MEETINGS, "Training or peer support: attendance"): "0",
    (MEETINGS, "Family group conference: held"): "1",
    (MEETINGS, "Family group conference: attendance"): "0",
    ("Advice by topic", TOPIC["behaviour"]): "2",
    ("Advice by topic", TOPIC["school"]): "1",
    ("Advice by topic", TOPIC["health"]): "0",
    ("Advice by channel", CHANNEL["phone"]): "2",
    ("Advice by channel", CHANNEL["sms"]): "1",
    ("Advice by channel", CHANNEL["video"]): "0",
    ("Advice contacts", "Total"): "3",
    ("Respite child-nights", "Planned"): "6",
    ("Respite child-nights", "Emergency"): "1",
    ("Contact visits", "Held"): "2",
    ("Calls", "By day"): "1",
    ("Calls", "By night"): "2",
}


def test_monthly_report_counts_match_the_hand_count(app, fixtures):
    with time_machine.travel(VIEWED_AT, tick=False):
        client = app.test_client()
        login(client, "hubb.bjornen")
        url = f"/activities/report.csv?constellation_id={fixtures['bjornen']}&month=2026-12"
        client.post("/language", data={"lang-locale": "en", "next": "/home"})
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        text = response.get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        got = {(r["Section"], r["Item"]): r["Value"] for r in rows}
        assert {k: got[k] for k in EXPECTED} == EXPECTED
        assert {r["Month"] for r in rows} == {"2026-12"}
        client.post("/language", data={"lang-locale": "sv", "next": "/home"})
        page = client.get(
            f"/activities/report?constellation_id={fixtures['bjornen']}&month=2026-12"
        )
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Månadsrapport: Björnen, december 2026" in html
        assert '<th scope="row">Konstellationsträff</th><td>1</td><td>4</td>' in html
        assert '<th scope="row">Avlastning, barnnätter planerade</th><td>6</td>' in html


def test_the_report_is_for_the_hub_carer_liaison_and_admin_only(app, fixtures):
    with time_machine.travel(VIEWED_AT, tick=False):
        url = f"/activities/report?constellation_id={fixtures['bjornen']}&month=2026-12"
        for who, status in (
            ("admin", 200),
            ("socialsekreterare", 200),
            ("hubb.bjornen", 200),
            ("hubb.raven", 404),
            ("familj1", 403),
            ("jour", 403),
            ("other_admin", 404),
        ):
            client = app.test_client()
            email = who if who != "other_admin" else "other_admin@annan.hubhome.test"
            login(client, email)
            assert client.get(url).status_code == status, who
