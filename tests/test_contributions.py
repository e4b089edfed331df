"""The areas wired together: what the phone, advice, visits and activities areas know shows on
the social worker's caseload and in constellation health, and calls reach the monthly report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from hubhome.activities.models import Activity, ActivityKind
from hubhome.advice.models import AdviceChannel, AdviceContact, AdviceTopic
from hubhome.children.models import Placement
from hubhome.extensions import db
from hubhome.phone.models import Call, CallStatus, FollowUp, FollowUpKind
from hubhome.visits.models import ContactRestriction
from tests.activity_helpers import without_demo_everyday  # noqa: F401

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.clock(NOW)


def _familj1_child_and_home(demo):  # type: ignore[no-untyped-def]
    worker = demo.user("socialsekreterare")
    placement = db.session.scalars(
        select(Placement)
        .where(
            Placement.household_id == demo.user("familj1").household_id,
            Placement.social_worker_id == worker.id,
            Placement.end_date.is_(None),
        )
        .order_by(Placement.id)
    ).first()
    assert placement is not None
    return placement.child_id, placement.household_id


def test_the_caseload_shows_restrictions_advice_and_unhandled_calls_concerns_first(
    app, demo, login_as
):
    child_id, home = _familj1_child_and_home(demo)
    worker = demo.user("socialsekreterare")
    bjornen = demo.constellations["Björnen"]
    db.session.add(
        ContactRestriction(
            organisation_id=worker.organisation_id,
            child_id=child_id,
            decided_on=date(2026, 7, 1),
            relatives="Mamma",
            decision="Umgänge endast under tillsyn",
            review_due=date(2026, 10, 1),
            created_by_id=worker.id,
        )
    )
    db.session.add(
        AdviceContact(
            organisation_id=worker.organisation_id,
            household_id=home,
            constellation_id=bjornen.id,
            logged_by_id=demo.user("hubb.bjornen").id,
            asked_by="Familjehemsmamma",
            channel=AdviceChannel.PHONE,
            topic=AdviceTopic.PLACEMENT_CONCERN,
            summary="Oro för placeringen",
            created_at=NOW - timedelta(days=2),
        )
    )
    call = Call(
        call_sid="CA" + "5" * 32,
        organisation_id=worker.organisation_id,
        constellation_id=bjornen.id,
        household_id=home,
        from_number="+46700000001",
        to_number=bjornen.phone_number or "+46100000001",
        chain=[],
        status=CallStatus.VOICEMAIL,
        started_at=NOW - timedelta(hours=5),
    )
    db.session.add(call)
    db.session.flush()
    db.session.add(
        FollowUp(
            call_id=call.id,
            organisation_id=worker.organisation_id,
            constellation_id=bjornen.id,
            kind=FollowUpKind.VOICEMAIL,
            created_at=NOW - timedelta(hours=5),
        )
    )
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        page = login_as("socialsekreterare").get("/caseload/").get_data(as_text=True)
    assert "Omprövning av umgängesbegränsning försenad sedan" in page
    assert "Råd: Oro för placeringen" in page
    assert "Familjens samtal 20 nov. 2026 05:00 är inte hanterat" in page
    assert "Oro för placeringen</" not in page  # the summary itself stays in the advice log
    assert page.index("Råd: Oro för placeringen") < page.index("Omprövning av umgängesbegränsning")


@pytest.mark.usefixtures("without_demo_everyday")
def test_constellation_health_counts_calls_day_and_night_and_missed_meetings(app, demo, login_as):
    bjornen = demo.constellations["Björnen"]
    hub = demo.user("hubb.bjornen")
    for n, (at, status) in enumerate(
        [
            (datetime(2026, 10, 5, 10, 0, tzinfo=UTC), CallStatus.COMPLETED),  # 12:00 day
            (datetime(2026, 10, 5, 19, 30, tzinfo=UTC), CallStatus.MISSED),  # 21:30 night
            (datetime(2026, 10, 26, 6, 30, tzinfo=UTC), CallStatus.VOICEMAIL),  # 07:30 CET night
        ]
    ):
        db.session.add(
            Call(
                call_sid=f"CA{n:032d}",
                organisation_id=hub.organisation_id,
                constellation_id=bjornen.id,
                from_number="+46700000001",
                to_number="+46100000001",
                chain=[],
                status=status,
                started_at=at,
            )
        )
    db.session.add(
        Activity(
            constellation_id=bjornen.id,
            kind=ActivityKind.MEETING,
            title="Konstellationsträff",
            starts_at=datetime(2026, 9, 10, 16, 0, tzinfo=UTC),
            ends_at=datetime(2026, 9, 10, 18, 0, tzinfo=UTC),
            created_by_id=hub.id,
        )
    )
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        client = login_as("admin")
        csv_text = client.get("/outcomes/outcomes.csv?from=2026-09-01&to=2026-10-31").get_data(
            as_text=True
        )
    assert "Björnen;Samtal dagtid (08–20);1" in csv_text
    assert "Björnen;Samtal nattetid (20–08);2" in csv_text
    assert "Björnen;Samtal som ingen tog;2" in csv_text
    assert "Björnen;Månader med konstellationsträff;1" in csv_text
    assert "Björnen;Månader utan konstellationsträff;1" in csv_text
