"""The monitoring API: same rules as the pages, JSON and CSV."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.monitoring_helpers import NOW, WORKER, make_worker, place_child

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def api(app, demo, client, api_headers):
    with time_machine.travel(NOW, tick=False):
        worker = make_worker()
        alma = place_child(worker, "Familjen Andersson", "Alma", date(2026, 1, 10))
        yield {"headers": api_headers(WORKER), "alma": alma, "worker": worker}


def test_caseload_visits_and_reviews_over_the_api(client, api):
    h, alma = api["headers"], api["alma"].id
    rows = client.get("/api/v1/caseload?due=overdue", headers=h).get_json()["children"]
    assert [(r["child_id"], r["visit_overdue"], r["review_overdue"]) for r in rows] == [
        (alma, True, True)
    ]
    response = client.post(
        "/api/v1/visits",
        json={"child_id": alma, "visit_date": "2026-11-20", "private_talk": True},
        headers=h,
    )
    assert response.status_code == 201
    response = client.post(
        "/api/v1/reviews",
        json={"child_id": alma, "review_date": "2026-11-30", "outcome": "Fortsätter"},
        headers=h,
    )
    assert response.status_code == 422  # in the future
    row = client.get("/api/v1/caseload", headers=h).get_json()["children"][0]
    assert row["next_visit_due"] == "2027-02-19" and row["last_visit_private_talk"] is True
    assert client.get("/api/v1/caseload", headers=h).status_code == 200


def test_decisions_and_the_ivo_report_over_the_api(client, api, api_headers):
    h, alma = api["headers"], api["alma"].id
    response = client.post(
        "/api/v1/decisions",
        json={"child_id": alma, "kind": "respite", "decision_date": "2026-05-31"},
        headers=h,
    )
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["limit"] == "2026-08-31" and decision["late_since"] == "2026-09-01"
    response = client.patch(
        f"/api/v1/decisions/{decision['id']}",
        json={"offers": [{"offered_on": "2026-07-01", "declined": True}]},
        headers=h,
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "waiting"  # a declined offer does not close it
    report = client.get("/api/v1/reports/ivo?quarter=2026Q3", headers=h).get_json()
    assert [r["reference"] for r in report["rows"]] == [decision["id"]]
    assert report["statistics"][0]["by_gender"]["girl"] == 1
    assert report["rows"][0]["days_since_decision"] == 122  # 31 May -> 30 September
    csv_text = client.get("/api/v1/reports/ivo.csv?quarter=2026Q3", headers=h).get_data(
        as_text=True
    )
    assert "2026-07-01 (declined)" in csv_text
    response = client.patch(
        f"/api/v1/decisions/{decision['id']}", json={"carried_out_on": "2026-10-02"}, headers=h
    )
    assert response.get_json()["status"] == "carried_out"
    assert client.get("/api/v1/reports/ivo?quarter=2027Q1", headers=h).get_json()["rows"] == []
    # The same rules as the pages: carers and other organisations see nothing.
    assert client.get("/api/v1/decisions", headers=api_headers("familj1")).status_code == 403
    other = client.patch(
        f"/api/v1/decisions/{decision['id']}",
        json={"closed_on": "2026-10-01", "closed_reason": "x"},
        headers=api_headers("hubb.bjornen"),
    )
    assert other.status_code == 403


def test_outcomes_over_the_api(client, api, api_headers):
    body = client.get(
        "/api/v1/reports/outcomes?from=2026-01-01&to=2026-10-31", headers=api_headers("admin")
    ).get_json()
    assert {c["name"] for c in body["constellations"]} == {"Björnen", "Räven"}
    assert "organisation" in body and len(body["organisation"]["retention"]) == 2
    body = client.get("/api/v1/reports/outcomes", headers=api["headers"]).get_json()
    assert body["constellations"] == [] and "organisation" not in body
    assert client.get("/api/v1/reports/outcomes", headers=api_headers("familj1")).status_code == 403
