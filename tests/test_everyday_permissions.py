"""Activities, contact visits and the advice log in the permission matrix: own, same
constellation, other constellation, other organisation, for pages and API alike."""

import pytest
import time_machine

from hubhome.extensions import db
from tests.activity_helpers import (
    NOW,
    plan,
    without_demo_everyday,  # noqa: F401
)
from tests.conftest import login
from tests.permission_matrix import Case, build_targets, run_cases

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("without_demo_everyday")]

EVERYONE = [
    "admin",
    "socialsekreterare",
    "hubb.bjornen",
    "hubb.raven",
    "jour",
    "familj1",
    "familj2",
    "familj9",
    "other_admin",
    "other_familj",
]


@pytest.fixture
def targets(app, demo):
    targets = build_targets(demo)
    with time_machine.travel(NOW, tick=False):
        client = app.test_client()
        login(client, "hubb.bjornen")
        [event] = plan(client, targets.ids["bjornen"])
        [conference] = plan(
            client,
            targets.ids["bjornen"],
            kind="family_conference",
            title="Familjerådslag",
            invite="chosen",
            household_ids=[str(targets.ids["familj1_home"])],
        )
    targets.ids.update(event=event.id, conference=conference.id)
    db.session.commit()
    return targets


def _rows(url, statuses, default=None, method="GET", data=None):
    return [
        Case(who, method, url, statuses.get(who, default), data)
        for who in EVERYONE
        if statuses.get(who, default) is not None
    ]


CALENDAR = "/activities/calendar?constellation_id={bjornen}"
SAME_CONSTELLATION = {  # Björnen's events: its members, its liaison, org-wide staff
    "admin": 200,
    "socialsekreterare": 200,
    "hubb.bjornen": 200,
    "jour": 200,
    "familj1": 200,
    "familj2": 200,
    "hubb.raven": 404,
    "familj9": 404,
    "other_admin": 404,
    "other_familj": 404,
}
CONFERENCE = {  # a family group conference for familj1 only
    **SAME_CONSTELLATION,
    "familj2": 404,
    "jour": 404,
}
PLANNERS = {"admin": 200, "socialsekreterare": 200, "hubb.bjornen": 200}

CASES = (
    _rows("/activities/", {}, default=200)
    + _rows(CALENDAR, SAME_CONSTELLATION)
    + _rows("/activities/{event}", SAME_CONSTELLATION)
    + _rows("/activities/{conference}", CONFERENCE)
    + _rows("/api/v1/activities?constellation_id={bjornen}", SAME_CONSTELLATION)
    + _rows("/activities/new", {**PLANNERS, "hubb.raven": 200, "other_admin": 200}, default=403)
    + _rows(
        "/activities/{event}/edit",
        {**PLANNERS, "hubb.raven": 404, "familj9": 404, "other_admin": 404, "other_familj": 404},
        default=403,
    )
    + _rows(
        "/activities/{event}/cancel",
        {"hubb.raven": 404, "familj9": 404, "other_familj": 404, "familj1": 403, "jour": 403},
        method="POST",
        data={},
    )
    + _rows(
        "/api/v1/activities/{conference}/rsvp",
        {"familj2": 404, "familj9": 404, "other_familj": 404, "hubb.raven": 404},
        method="POST",
        data={"attending": True, "adults": 1},
    )
    + _rows("/visits/", {"jour": 403}, default=200)
    + _rows(
        "/visits/new",
        {
            "admin": 200,
            "socialsekreterare": 200,
            "hubb.bjornen": 200,
            "hubb.raven": 200,
            "other_admin": 200,
        },
        default=403,
    )
    + _rows(
        "/visits/reviews", {"admin": 200, "socialsekreterare": 200, "other_admin": 200}, default=403
    )
    + _rows(
        "/visits/restrictions/new",
        {"admin": 200, "socialsekreterare": 200, "other_admin": 200},
        default=403,
    )
    + _rows("/api/v1/contact-visits", {}, default=200)
    + _rows(
        "/api/v1/contact-visits?child_id={familj1_child}",
        {"admin": 200, "socialsekreterare": 200, "hubb.bjornen": 200, "familj1": 200},
        default=404,
    )
    + _rows("/advice/", {"admin": 403, "other_admin": 403}, default=200)
    + _rows(
        "/advice/new",
        {"socialsekreterare": 200, "hubb.bjornen": 200, "hubb.raven": 200, "jour": 200},
        default=403,
    )
    + _rows(
        "/advice/follow-ups",
        {"socialsekreterare": 200, "hubb.bjornen": 200, "hubb.raven": 200, "jour": 200},
        default=403,
    )
    + _rows("/api/v1/advice-contacts", {}, default=200)
    + [
        Case("anonymous", "GET", url, 302)
        for url in (
            "/activities/",
            CALENDAR,
            "/activities/{event}",
            "/visits/",
            "/advice/new",
            "/activities/report",
        )
    ]
    + [
        Case("anonymous", "GET", url, 401)
        for url in (
            "/api/v1/activities?constellation_id={bjornen}",
            "/api/v1/contact-visits",
            "/api/v1/advice-contacts",
        )
    ]
)


def test_everyday_permission_matrix(app, targets):
    with time_machine.travel(NOW, tick=False):
        failures = run_cases(app, targets, CASES)
    assert not failures, "\n".join(failures)
