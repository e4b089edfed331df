"""Decisions not carried out: the register, the three-month flag, the quarterly report and CSV,
and the foster-home register for IVO."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from hubhome.children.models import Gender
from hubhome.decisions.models import InterventionDecision
from hubhome.extensions import db
from tests.conftest import login
from tests.monitoring_helpers import NOW, WORKER, make_worker, place_child

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def worker(app, demo, client):
    with time_machine.travel(NOW, tick=False):
        worker = make_worker()
        login(client, WORKER)
        yield worker


def add_decision(client, child, decided: str, kind: str = "contact_family", **extra) -> int:
    response = client.post(
        "/decisions/new",
        data={
            "child_id": child.id,
            "kind": kind,
            "decision_date": decided,
            "responsible_id": 0,
            **extra,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def update(client, decision_id: int, **fields) -> int:
    data = {"responsible_id": 0, **fields}
    return client.post(f"/decisions/{decision_id}", data=data).status_code


def report_csv(client, quarter: str) -> list[dict[str, str]]:
    response = client.get(f"/decisions/report.csv?quarter={quarter}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def test_flagged_from_the_first_day_past_three_months(app, demo, client):
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=UTC), tick=False):
        child = place_child(make_worker(), "Familjen Andersson", "Alma", date(2025, 6, 1))
        login(client, WORKER)
        decision = add_decision(client, child, "2025-11-30")
    with time_machine.travel(datetime(2026, 2, 28, 12, tzinfo=UTC), tick=False):
        login(client, WORKER)  # the session has timed out meanwhile
        text = client.get("/decisions/?show=late").get_data(as_text=True)
        assert "Alma" not in text
        text = client.get("/decisions/").get_data(as_text=True)
        assert "Must be carried out by" in text and "Feb 28, 2026" in text
    with time_machine.travel(datetime(2026, 3, 1, 8, tzinfo=UTC), tick=False):
        login(client, WORKER)
        text = client.get("/decisions/?show=late").get_data(as_text=True)
        assert "Alma" in text and "Past the limit for 1 day" in text
        text = client.get(f"/decisions/{decision}").get_data(as_text=True)
        assert "Past the limit since Mar 1, 2026" in text


def test_a_decision_stays_in_every_quarter_until_carried_out(worker, client):
    child = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    decision = add_decision(client, child, "2025-11-30", delay_reason="=Ingen familj ledig")
    # A declined offer does not close it.
    response = client.post(
        f"/decisions/{decision}/offers", data={"offered_on": "2026-01-15", "declined": "y"}
    )
    assert response.status_code == 302
    assert report_csv(client, "2025Q4") == []
    for quarter in ("2026Q1", "2026Q2", "2026Q3"):
        rows = report_csv(client, quarter)
        assert [r["Reference"] for r in rows] == [str(decision)], quarter
    row = report_csv(client, "2026Q1")[0]
    assert row["Rule"] == "Not carried out within three months of the decision"
    assert row["Dates offered"] == "2026-01-15 (declined)"
    assert row["Reason for delay"] == "'=Ingen familj ledig"  # never a spreadsheet formula
    assert row["Status at quarter end"] == "Not carried out"
    assert row["Days since decision"] == "121"  # 30 Nov 2025 -> 31 Mar 2026
    assert row["Intervention"] == "Contact family (kontaktfamilj)"
    assert row["Gender"] == "Girl" and row["Birth year"] == "2015"
    assert update(client, decision, carried_out_on="2026-08-10") == 302
    row = report_csv(client, "2026Q3")[0]
    assert row["Carried out"] == "2026-08-10"
    assert row["Status at quarter end"] == "Carried out"
    assert row["Days since decision"] == "253"  # to the day it was carried out
    assert report_csv(client, "2026Q4") == []


def test_closing_ends_the_reporting_and_needs_a_reason(worker, client):
    child = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    decision = add_decision(client, child, "2025-12-01", kind="foster_home")
    assert update(client, decision, closed_on="2026-04-10") == 422
    assert update(client, decision, closed_on="2026-04-10", closed_reason="Återkallat") == 302
    assert [r["Status at quarter end"] for r in report_csv(client, "2026Q2")] == [
        "Closed without being carried out"
    ]
    assert report_csv(client, "2026Q3") == []


def test_an_interruption_not_resumed_is_reported(worker, client):
    child = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    decision = add_decision(client, child, "2026-01-10", kind="contact_person")
    assert update(client, decision, interrupted_on="2026-05-31") == 422  # never carried out
    assert update(client, decision, carried_out_on="2026-02-01", interrupted_on="2026-05-31") == 302
    assert report_csv(client, "2026Q2") == []
    rows = report_csv(client, "2026Q3")
    assert [r["Rule"] for r in rows] == ["Interrupted and not resumed within three months"]
    assert rows[0]["Status at quarter end"] == "Interrupted"
    assert (
        update(
            client,
            decision,
            carried_out_on="2026-02-01",
            interrupted_on="2026-05-31",
            resumed_on="2026-10-05",
        )
        == 302
    )
    rows = report_csv(client, "2026Q4")
    assert rows[0]["Resumed"] == "2026-10-05"
    assert report_csv(client, "2027Q1") == []


def test_statistics_by_type_and_gender(worker, client):
    alma = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    bo = place_child(worker, "Familjen Berg", "Bo", date(2025, 6, 1), gender=Gender.BOY)
    add_decision(client, alma, "2026-06-01", kind="contact_family")
    add_decision(client, bo, "2026-07-15", kind="contact_family")
    add_decision(client, bo, "2026-08-01", kind="respite")
    add_decision(client, bo, "2026-10-01", kind="respite")  # not late yet
    text = client.get("/decisions/report?quarter=2026Q4").get_data(as_text=True)
    assert "Statistics for the municipal council" in text
    assert "ej verkställda beslut" in text and "§" not in text
    # The quarter is not over: days to today, 23 November: 175 and 131 -> mean 153; respite 114.
    assert "figures as of Nov 23, 2026" in text
    assert "<td>1</td><td>1</td><td>0</td><td>0</td><td>2</td><td>153</td><td>175</td>" in text
    assert "<td>0</td><td>1</td><td>0</td><td>0</td><td>1</td><td>114</td><td>114</td>" in text


def test_bad_dates_are_refused_with_nothing_written(worker, client):
    child = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    response = client.post(
        "/decisions/new",
        data={
            "child_id": child.id,
            "kind": "respite",
            "decision_date": "2026-12-24",
            "responsible_id": 0,
        },
    )
    assert response.status_code == 422
    assert "The date cannot be in the future." in response.get_data(as_text=True)
    written = select(InterventionDecision.id).where(InterventionDecision.child_id == child.id)
    assert db.session.scalar(written) is None
    decision = add_decision(client, child, "2026-06-01")
    assert update(client, decision, carried_out_on="2026-05-01") == 422
    assert db.session.get(InterventionDecision, decision).carried_out_on is None


def test_foster_home_register_hides_protected_identity(app, worker, client, demo):
    place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    place_child(
        worker, "Familjen Berg", "Sigrid", date(2025, 3, 1), birth=date(2014, 7, 9), protected=True
    )
    assert client.get("/decisions/foster-home-register?year=2025").status_code == 403
    client = app.test_client()
    login(client, "admin")
    text = client.get("/decisions/foster-home-register?year=2025").get_data(as_text=True)
    assert "Alma Testsson" in text and "Sigrid" not in text and "S.T." in text
    response = client.get("/decisions/foster-home-register.csv?year=2025")
    rows = list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    # The administrator reads Swedish: the CSV's headings are Swedish too.
    sigrid = next(r for r in rows if r["Barn"] == "S.T.")
    assert sigrid["Född"] == "2014" and sigrid["Familjehem"] == ""
    assert sigrid["Skyddad identitet"] == "ja"
    alma = next(r for r in rows if r["Barn"] == "Alma Testsson")
    assert alma["Född"] == "2015-03-04" and alma["Familjehem"] == "Familjen Andersson"


def test_a_second_interruption_is_kept_and_reported_on_its_own(worker, client):
    child = place_child(worker, "Familjen Andersson", "Alma", date(2025, 6, 1))
    decision = add_decision(client, child, "2025-12-01", kind="contact_family")
    dates = {"carried_out_on": "2026-01-15"}
    assert update(client, decision, **dates, interrupted_on="2026-02-01") == 302
    assert (
        update(client, decision, **dates, interrupted_on="2026-02-01", resumed_on="2026-03-01")
        == 302
    )
    # A new interruption after the resumption; the first stays in the register.
    assert update(client, decision, **dates, interrupted_on="2026-04-20", resumed_on="") == 302
    assert update(client, decision, **dates, interrupted_on="2026-03-15") == 302  # corrects it
    assert update(client, decision, **dates, interrupted_on="") == 422  # never erased
    text = client.get(f"/decisions/{decision}").get_data(as_text=True)
    assert "Feb 1, 2026 – Mar 1, 2026" in text and "Mar 15, 2026 – not resumed" in text
    assert report_csv(client, "2026Q1") == []  # carried out in time; resumed in time
    rows = report_csv(client, "2026Q2")  # 15 March + 3 months: late from 16 June
    assert [(r["Rule"], r["Interrupted"], r["Resumed"]) for r in rows] == [
        ("Interrupted and not resumed within three months", "2026-03-15", "")
    ]


def test_a_decision_about_a_family(worker, client, demo):
    from hubhome.children.models import Placement
    from tests.monitoring_helpers import household

    # The liaison (demo social worker) may see Björnen's families.
    liaison = client.application.test_client()
    login(liaison, "socialsekreterare")
    home = household("Familjen Berg").id
    child_id = db.session.scalar(select(Placement.child_id).where(Placement.household_id == home))
    both = {"child_id": child_id, "household_id": home}
    response = liaison.post(
        "/decisions/new",
        data={"kind": "respite", "decision_date": "2026-06-01", "responsible_id": 0, **both},
    )
    assert response.status_code == 422
    assert "Välj antingen ett barn eller en familj." in response.get_data(as_text=True)
    response = liaison.post(
        "/decisions/new",
        data={
            "child_id": 0,
            "household_id": home,
            "kind": "respite",
            "decision_date": "2026-06-01",
            "responsible_id": 0,
        },
    )
    assert response.status_code == 302
    rows = report_csv(liaison, "2026Q3")
    family = [r for r in rows if r["Födelseår"] == ""]
    assert [(r["Insats"], r["Kön"]) for r in family] == [("Avlastning", "Ej angivet")]
    # Our own social worker follows neither the family nor any of its children.
    assert all(r["Birth year"] for r in report_csv(client, "2026Q3"))
