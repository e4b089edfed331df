"""Queries per request do not grow with the rows a page shows (issue 20).

Each test counts a page's queries (`X-Query-Count`), adds rows the page shows, and counts
again: the same number at both sizes, and the new rows are on the page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from hubhome.extensions import db
from hubhome.phone.models import Call, CallLeg, CallStatus, FollowUp, FollowUpKind, LegOutcome
from hubhome.timeutil import utcnow
from tests.conftest import login
from tests.phone_helpers import DAYTIME

pytestmark = pytest.mark.clock(DAYTIME)


def _count(client: Any, path: str) -> tuple[int, str]:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return int(response.headers["X-Query-Count"]), response.get_data(as_text=True)


def _calls(demo: Any, count: int, *, tag: str, ringing_for: Any = None) -> None:
    """`count` calls to Björnen from a known family, two legs each, half with a voicemail."""
    bjornen = demo.constellations["Björnen"]
    hub, staff = demo.user("hubb.bjornen"), demo.user("jour")
    family = demo.user("familj1")
    for i in range(count):
        ringing = ringing_for is not None
        call = Call(
            call_sid=f"CA{tag}{i:04d}",
            organisation_id=bjornen.organisation_id,
            constellation_id=bjornen.id,
            household_id=family.household_id,
            from_number=family.phone,
            to_number=bjornen.phone_number,
            chain=[],
            status=CallStatus.RINGING if ringing else CallStatus.VOICEMAIL,
            started_at=utcnow() - timedelta(minutes=i + 1),
            note=f"Note {tag}{i}" if i % 3 == 0 else None,
        )
        call.legs = [
            CallLeg(step=0, user_id=hub.id, number=hub.phone, outcome=LegOutcome.NO_ANSWER),
            CallLeg(
                step=1,
                user_id=(ringing_for or staff).id,
                number=staff.phone,
                outcome=LegOutcome.RINGING if ringing else LegOutcome.NO_ANSWER,
            ),
        ]
        db.session.add(call)
        if not ringing and i % 2 == 0:
            call.follow_up = FollowUp(
                organisation_id=bjornen.organisation_id,
                constellation_id=bjornen.id,
                kind=FollowUpKind.VOICEMAIL,
                handled_at=utcnow() - timedelta(hours=1) if i % 4 == 0 else None,
                handled_by_id=staff.id if i % 4 == 0 else None,
            )
    db.session.commit()


def _counting_client(other_app: Any, who: str) -> Any:
    client = other_app(count_queries=True).test_client()
    login(client, who)
    return client


def test_the_call_log_costs_the_same_for_a_few_calls_or_a_full_page(demo, other_app):
    with time_machine.travel(DAYTIME, tick=False):
        client = _counting_client(other_app, "jour")
        _calls(demo, 2, tag="few")
        few, _ = _count(client, "/phone/calls")
        _calls(demo, 40, tag="many")
        many, text = _count(client, "/phone/calls")
    assert "Hanna Ek" in text and "Jonas Jour" in text
    assert many == few


def test_the_call_log_is_paged_fifty_calls_at_a_time(demo, other_app):
    with time_machine.travel(DAYTIME, tick=False):
        client = _counting_client(other_app, "jour")
        _calls(demo, 60, tag="pg")
        total = db.session.query(Call).count()
        db.session.commit()  # SQLite: let the other app's requests begin
        first, text = _count(client, "/phone/calls")
        assert text.count('href="/phone/calls/') == 50
        assert 'href="/phone/calls?page=2"' in text and 'rel="prev"' not in text
        pages = -(-total // 50)
        last, text = _count(client, f"/phone/calls?page={pages}")
        assert text.count('href="/phone/calls/') == total - 50 * (pages - 1)
        assert f'href="/phone/calls?page={pages - 1}"' in text and 'rel="next"' not in text
        past, text = _count(client, "/phone/calls?page=999")
        assert 'href="/phone/calls/' not in text and 'href="/phone/calls"' in text
        assert client.get("/phone/calls?page=99999999999").status_code == 200  # not a number
    assert first == last and past <= first


def test_follow_ups_cost_the_same_however_many_are_open(demo, other_app):
    with time_machine.travel(DAYTIME, tick=False):
        client = _counting_client(other_app, "jour")
        few, _ = _count(client, "/phone/follow-ups")
        _calls(demo, 30, tag="fu")
        many, text = _count(client, "/phone/follow-ups")
    assert text.count("Jonas Jour") >= 7  # handled by, on the handled ones
    assert many == few


def test_the_live_panel_costs_the_same_for_one_ringing_call_or_forty(demo, other_app):
    from hubhome.audit.models import AuditEvent

    with time_machine.travel(DAYTIME, tick=False):
        client = _counting_client(other_app, "jour")
        _calls(demo, 1, tag="one", ringing_for=demo.user("jour"))
        one, text = _count(client, "/phone/now/live")
        assert text.count("Open the call") == 1 or text.count("Öppna samtalet") == 1
        _calls(demo, 40, tag="forty", ringing_for=demo.user("jour"))
        forty, text = _count(client, "/phone/now/live")
        again, _ = _count(client, "/phone/now/live")  # polled: nothing new to audit
    assert text.count('href="/phone/calls/') == 41
    assert forty == one and again == forty - 1
    viewed = db.session.query(AuditEvent).filter_by(action="phone.context_view").all()
    assert len(viewed) == 41 and all(e.detail["child_ids"] for e in viewed)


def _constellations(demo: Any, count: int, liaison: Any) -> None:
    """`count` more constellations in the demo organisation, each with its hub home."""
    from hubhome.network.models import Constellation, Household, HouseholdKind

    org_id = demo.constellations["Björnen"].organisation_id
    for i in range(count):
        hub = Household(organisation_id=org_id, name=f"Nav {i}", kind=HouseholdKind.HUB)
        db.session.add(hub)
        db.session.flush()
        db.session.add(
            Constellation(
                organisation_id=org_id,
                name=f"Extra {i}",
                hub_household_id=hub.id,
                liaison_id=liaison.id,
            )
        )
    db.session.commit()


def test_the_monthly_report_costs_the_same_however_many_constellations(demo, other_app):
    worker = demo.user("socialsekreterare")
    bjornen = demo.constellations["Björnen"]
    path = f"/activities/report?constellation_id={bjornen.id}&month=2026-10"
    client = _counting_client(other_app, "socialsekreterare")
    few, _ = _count(client, path)
    _constellations(demo, 6, worker)
    many, text = _count(client, path)
    assert "Extra 5" in text
    assert many == few
