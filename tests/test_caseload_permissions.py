"""Caseload, decisions and outcomes in the permission matrix: every role, own, same
constellation, other constellation and other organisation."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from hubhome.decisions.models import InterventionDecision, InterventionKind
from hubhome.extensions import db
from hubhome.outcomes.models import SurveyRound
from tests.monitoring_helpers import NOW
from tests.permission_matrix import Case, build_targets, run_cases

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    worker = demo.user("socialsekreterare")
    decision = InterventionDecision(
        organisation_id=worker.organisation_id,
        child_id=targets.ids["familj1_child"],
        kind=InterventionKind.RESPITE,
        decision_date=date(2026, 6, 1),
        responsible_id=worker.id,
        created_by_id=worker.id,
    )
    db.session.add(decision)
    db.session.commit()
    survey_round = SurveyRound(
        organisation_id=worker.organisation_id, year=2026, opened_by_id=demo.user("admin").id
    )
    db.session.add(survey_round)
    db.session.commit()
    targets.ids["decision"] = decision.id
    targets.ids["worker"] = worker.id
    targets.ids["survey"] = survey_round.id
    return targets


VISIT = "/caseload/children/{%s}/visit"
REVIEW = "/caseload/children/{%s}/review"
DECISION = "/decisions/{decision}"
VISIT_BODY = {"child_id": 0, "visit_date": "2026-11-20", "private_talk": True}
EVERYONE_ELSE = ["hubb.bjornen", "hubb.raven", "jour", "familj1", "familj9", "other_familj"]

CASES = [
    # The caseload: social workers their own, administrators anyone's in their organisation.
    Case("socialsekreterare", "GET", "/caseload/", 200),
    Case("admin", "GET", "/caseload/?worker={worker}", 200),
    Case("other_admin", "GET", "/caseload/", 200),
    Case("other_admin", "GET", "/caseload/?worker={worker}", 404),
    Case("anonymous", "GET", "/caseload/", 302),
    *[Case(who, "GET", "/caseload/", 403) for who in EVERYONE_ELSE],
    # Recording follow-up: the responsible social worker and administrators only.
    Case("socialsekreterare", "GET", VISIT % "familj1_child", 200),
    Case("admin", "GET", REVIEW % "familj9_child", 200),
    Case("hubb.bjornen", "GET", VISIT % "familj1_child", 403),  # sees the child, no follow-up
    Case("familj1", "GET", VISIT % "familj1_child", 403),
    Case("jour", "POST", REVIEW % "familj1_child", 403, {"review_date": "2026-11-01"}),
    Case("hubb.raven", "GET", VISIT % "familj1_child", 404),
    Case("familj9", "GET", VISIT % "familj1_child", 404),
    Case("other_admin", "GET", VISIT % "familj1_child", 404),
    Case("admin", "GET", VISIT % "other_child", 404),
    Case("socialsekreterare", "GET", VISIT % "other_child", 404),
    Case("admin", "GET", "/caseload/settings", 200),
    Case("socialsekreterare", "GET", "/caseload/settings", 403),
    # Decisions and the reports to IVO.
    Case("socialsekreterare", "GET", "/decisions/", 200),
    Case("socialsekreterare", "GET", DECISION, 200),
    Case("admin", "GET", DECISION, 200),
    Case("other_admin", "GET", DECISION, 404),
    Case("other_admin", "POST", DECISION + "/offers", 404, {"offered_on": "2026-07-01"}),
    Case("socialsekreterare", "GET", "/decisions/report?quarter=2026Q3", 200),
    Case("socialsekreterare", "GET", "/decisions/report.csv?quarter=2026Q3", 200),
    Case("admin", "GET", "/decisions/report?quarter=2026Q9", 400),
    Case("admin", "GET", "/decisions/foster-home-register?year=2025", 200),
    Case("admin", "GET", "/decisions/foster-home-register.csv?year=2025", 200),
    Case("socialsekreterare", "GET", "/decisions/foster-home-register", 403),
    Case("anonymous", "GET", "/decisions/", 302),
    *[Case(who, "GET", "/decisions/", 403) for who in EVERYONE_ELSE],
    *[Case(who, "GET", DECISION, 403) for who in EVERYONE_ELSE],
    *[Case(who, "GET", "/decisions/report.csv?quarter=2026Q3", 403) for who in EVERYONE_ELSE],
    # Outcomes: administrators and liaisons.
    Case("admin", "GET", "/outcomes/", 200),
    Case("socialsekreterare", "GET", "/outcomes/", 200),
    Case("socialsekreterare", "GET", "/outcomes/outcomes.csv", 200),
    Case("other_admin", "GET", "/outcomes/?from=2026-01-01&to=2025-01-01", 400),
    Case("anonymous", "GET", "/outcomes/", 302),
    *[Case(who, "GET", "/outcomes/", 403) for who in EVERYONE_ELSE],
    *[Case(who, "GET", "/outcomes/outcomes.csv", 403) for who in EVERYONE_ELSE],
    # The carer survey: administrators of the organisation only.
    Case("admin", "GET", "/outcomes/survey", 200),
    Case("admin", "GET", "/outcomes/survey/{survey}", 200),
    Case("other_admin", "GET", "/outcomes/survey/{survey}", 404),
    Case("socialsekreterare", "GET", "/outcomes/survey/{survey}", 403),
    *[Case(who, "GET", "/outcomes/survey/{survey}", 403) for who in EVERYONE_ELSE],
    Case("anonymous", "GET", "/survey/no-such-link", 404),
    # The API follows the same rules.
    Case("socialsekreterare", "GET", "/api/v1/caseload", 200),
    Case("familj1", "GET", "/api/v1/caseload", 403),
    Case("anonymous", "GET", "/api/v1/caseload", 401),
    Case("jour", "POST", "/api/v1/visits", 403, VISIT_BODY),
    Case("hubb.bjornen", "POST", "/api/v1/visits", 403, VISIT_BODY),
    Case("other_admin", "POST", "/api/v1/visits", 404, VISIT_BODY),
    Case("socialsekreterare", "POST", "/api/v1/visits", 201, VISIT_BODY),
    Case("other_admin", "PATCH", "/api/v1/decisions/{decision}", 404, {}),
    Case("hubb.bjornen", "PATCH", "/api/v1/decisions/{decision}", 403, {}),
    Case("admin", "GET", "/api/v1/reports/ivo?quarter=2026Q3", 200),
    Case("familj9", "GET", "/api/v1/reports/ivo?quarter=2026Q3", 403),
    Case("jour", "GET", "/api/v1/reports/outcomes", 403),
]


def test_monitoring_permission_matrix(app, targets):
    child = targets.ids["familj1_child"]
    cases = [
        Case(c.who, c.method, c.url, c.expected, {**c.data, "child_id": child})
        if c.data and c.data.get("child_id") == 0
        else c
        for c in CASES
    ]
    with time_machine.travel(NOW, tick=False):
        failures = run_cases(app, targets, cases)
    assert not failures, "\n".join(failures)


def test_other_organisation_sees_none_of_our_decisions(app, targets, client):
    from tests.conftest import login

    with time_machine.travel(NOW, tick=False):
        login(client, "other_admin@annan.hubhome.test")
        text = client.get("/decisions/?show=all").get_data(as_text=True)
        csv_text = client.get("/decisions/report.csv?quarter=2026Q4").get_data(as_text=True)
    assert f'/decisions/{targets.ids["decision"]}"' not in text
    assert len(csv_text.strip().splitlines()) == 1  # the header only
