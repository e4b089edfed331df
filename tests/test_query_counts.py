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
        _calls(demo, 2, tag="fu0")  # both lists shown at both sizes (a recording's copy too)
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
    assert forty == one and again <= forty
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


def _decisions(demo: Any, count: int, *, decided: str, carried_out: str | None = None) -> None:
    from datetime import date

    from sqlalchemy import select

    from hubhome.children.models import Child
    from hubhome.decisions.models import InterventionDecision, InterventionKind

    admin = demo.user("admin")
    child = db.session.scalars(select(Child).order_by(Child.id)).first()
    for _i in range(count):
        db.session.add(
            InterventionDecision(
                organisation_id=admin.organisation_id,
                child_id=child.id,
                kind=InterventionKind.CONTACT_FAMILY,
                decision_date=date.fromisoformat(decided),
                carried_out_on=date.fromisoformat(carried_out) if carried_out else None,
                responsible_id=admin.id,
                created_by_id=admin.id,
            )
        )
    db.session.commit()


def test_the_ivo_report_reads_only_the_quarters_decisions_and_the_same_queries(demo, other_app):
    client = _counting_client(other_app, "admin")
    _decisions(demo, 2, decided="2026-01-10")
    few, _ = _count(client, "/decisions/report?quarter=2026Q3")
    few_csv, _ = _count(client, "/decisions/report.csv?quarter=2026Q3")
    _decisions(demo, 12, decided="2026-02-10")
    _decisions(demo, 30, decided="2020-02-10", carried_out="2020-03-01")  # long done
    many, _ = _count(client, "/decisions/report?quarter=2026Q3")
    many_csv, csv = _count(client, "/decisions/report.csv?quarter=2026Q3")
    assert csv.count("2026-02-10") == 12 and "2020-02-10" not in csv
    assert many == few and many_csv == few_csv


def test_choosing_the_quarters_decisions_in_sql_reports_the_same_rows(demo):
    """Every quarter of 2025–2026 reports the same rows as filtering all decisions in Python,
    from decisions carried out, closed, interrupted and resumed on either side of a limit."""
    from datetime import date, timedelta

    from hubhome.decisions.models import DecisionInterruption, InterventionDecision
    from hubhome.decisions.reports import decisions_late_in, quarter_rows, visible_decisions
    from hubhome.decisions.rules import Quarter

    _decisions(demo, 1, decided="2024-12-01")
    admin = demo.user("admin")
    base = db.session.query(InterventionDecision).order_by(InterventionDecision.id.desc()).first()
    day = date(2024, 10, 1)
    for i in range(60):
        decided = day + timedelta(days=11 * i)
        decision = InterventionDecision(
            organisation_id=base.organisation_id,
            child_id=base.child_id,
            kind=base.kind,
            decision_date=decided,
            carried_out_on=decided + timedelta(days=(60, 95, 200)[i % 3]) if i % 4 else None,
            closed_on=decided + timedelta(days=150) if i % 7 == 0 else None,
            created_by_id=admin.id,
        )
        if i % 5 == 0 and decision.carried_out_on:
            decision.interruptions = [
                DecisionInterruption(
                    interrupted_on=decision.carried_out_on + timedelta(days=5),
                    resumed_on=decision.carried_out_on + timedelta(days=(30, 120)[i % 2]),
                )
            ]
        db.session.add(decision)
    db.session.flush()
    today = date(2026, 11, 23)
    reported = 0
    for quarter in [Quarter(year, n) for year in (2025, 2026) for n in (1, 2, 3, 4)]:
        everything = visible_decisions(db.session, admin, before=quarter.end)
        chosen = decisions_late_in(db.session, admin, quarter)
        assert len(chosen) < len(everything) or quarter.year == 2026
        rows = quarter_rows(chosen, quarter, today)
        assert rows == quarter_rows(everything, quarter, today)
        reported += len(rows)
    assert reported > 20


def test_outcomes_over_ten_years_cost_the_same_queries_as_over_one(demo, other_app):
    client = _counting_client(other_app, "admin")
    one, _ = _count(client, "/outcomes/?from=2025-11-24&to=2026-11-23")
    ten, text = _count(client, "/outcomes/?from=2016-11-24&to=2026-11-23")
    assert "2016" in text
    assert ten == one


def test_outcomes_show_a_page_of_constellations_and_the_organisation_on_each(
    demo, other_app, monkeypatch
):
    from hubhome.network.models import Constellation
    from hubhome.outcomes import views

    monkeypatch.setattr(views, "CONSTELLATIONS_PER_PAGE", 1)
    organisation_id = demo.user("admin").organisation_id
    found = db.session.query(Constellation).filter_by(organisation_id=organisation_id)
    names = sorted(c.name for c in found)
    db.session.commit()  # SQLite: let the other app's requests begin
    assert len(names) > 1
    client = _counting_client(other_app, "admin")
    period = "from=2016-11-24&to=2026-11-23"
    first, text = _count(client, f"/outcomes/?{period}")
    shown = [n for n in names if f"<h4>{n}</h4>" in text]
    assert shown == names[:1]
    assert f"Konstellationer 1–1 av {len(names)}" in text  # Swedish, with the total
    assert 'rel="next"' in text and 'rel="prev"' not in text and 'id="organisation"' in text
    last, text = _count(client, f"/outcomes/?{period}&page={len(names)}")
    assert [n for n in names if f"<h4>{n}</h4>" in text] == names[-1:]
    assert 'rel="prev"' in text and 'rel="next"' not in text and 'id="organisation"' in text
    assert first == last
    csv = client.get(f"/outcomes/outcomes.csv?{period}").get_data(as_text=True)
    assert all(n in csv for n in names)  # the CSV has every constellation


def test_the_foster_home_register_costs_the_same_for_a_few_children_or_many(demo, other_app):
    from datetime import date

    from hubhome.children.models import Child, Gender, Placement
    from hubhome.network.models import Household

    client = _counting_client(other_app, "admin")
    few, _ = _count(client, "/decisions/foster-home-register?year=2025")
    home = db.session.query(Household).filter_by(name="Familjen Berg").one()
    for i in range(15):
        child = Child(
            organisation_id=home.organisation_id,
            first_name=f"Registrerad{i}",
            last_name="Barn",
            birth_date=date(2015, 1, 1 + i),
            gender=Gender.GIRL,
            protected_identity=i % 5 == 0,
        )
        db.session.add(child)
        db.session.flush()
        db.session.add(
            Placement(child_id=child.id, household_id=home.id, start_date=date(2024, 3, 1))
        )
    db.session.commit()
    many, text = _count(client, "/decisions/foster-home-register?year=2025")
    assert text.count("Registrerad") == 12  # initials only for protected identities
    assert many == few


def test_the_foster_home_register_is_paged_and_its_csv_has_every_child(
    demo, other_app, monkeypatch
):
    from hubhome.decisions import reports

    monkeypatch.setattr(reports, "REGISTER_PER_PAGE", 3)
    client = _counting_client(other_app, "admin")
    csv = client.get("/decisions/foster-home-register.csv?year=2025").get_data(as_text=True)
    total = len(csv.strip().splitlines()) - 1
    assert total > 3
    path = "/decisions/foster-home-register?year=2025"
    first, text = _count(client, path)
    assert text.count('<tr><th scope="row">') == 3
    assert f'href="{path}&amp;page=2"' in text and 'rel="prev"' not in text
    assert "Barn 1–3" in text  # Swedish: "Children 1–3"
    pages = -(-total // 3)
    last, text = _count(client, f"{path}&page={pages}")
    assert text.count('<tr><th scope="row">') == total - 3 * (pages - 1)
    assert 'rel="prev"' in text and 'rel="next"' not in text
    past, text = _count(client, f"{path}&page={pages + 5}")
    assert '<tr><th scope="row">' not in text and "Första sidan" in text
    assert first == last and past <= first


@pytest.mark.parametrize("search", ["actor", "child", "action"])
def test_the_audit_search_costs_the_same_for_a_few_events_or_many(demo, other_app, search):
    from hubhome.audit.models import AuditEvent

    admin, worker = demo.user("admin"), demo.user("socialsekreterare")
    query = {
        "actor": f"actor_id={worker.id}",
        "child": "child_id=4242",
        "action": "action=children.view",
    }[search]
    client = _counting_client(other_app, "admin")

    def events(count: int) -> None:
        for _i in range(count):
            db.session.add(
                AuditEvent(
                    organisation_id=admin.organisation_id,
                    actor_id=worker.id,
                    actor_role="social_worker",
                    action="children.view",
                    object_type="children",
                    object_id=4242,
                    child_id=4242,
                )
            )
        db.session.commit()

    events(1)
    few, _ = _count(client, f"/admin/audit?{query}")
    events(30)
    many, text = _count(client, f"/admin/audit?{query}")
    assert text.count("<td>children.view</td>")  # a code without words shows as itself >= 31
    assert many == few


def test_the_audit_search_by_action_takes_underscores_literally(demo, client, login_as):
    from hubhome.audit.models import AuditEvent

    admin = demo.user("admin")
    for action in ("report.view_rare", "report.viewXrare"):
        db.session.add(AuditEvent(organisation_id=admin.organisation_id, action=action))
    db.session.commit()
    text = login_as("admin").get("/admin/audit?action=report.view_rare").get_data(as_text=True)
    assert "<td>report.view_rare</td>" in text and "report.viewXrare" not in text


def test_an_action_longer_than_any_is_refused_with_422(demo, client, login_as, api_headers):
    page = login_as("admin").get("/admin/audit?action=" + "a" * 65)
    assert page.status_code == 422 and "64" in page.get_data(as_text=True)
    api = client.get("/api/v1/audit?action=" + "a" * 65, headers=api_headers("admin"))
    assert api.status_code == 422
