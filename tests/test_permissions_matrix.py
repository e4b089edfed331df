"""The permission matrix over every page and API endpoint of the foundation:
role × relationship (own, same constellation, other constellation, other organisation) × action.
"""

from __future__ import annotations

import pytest

from hubhome.extensions import db
from tests.permission_matrix import ANONYMOUS, Case, build_targets, run_cases

ACTORS = [
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
CHILDREN = ["familj1_child", "familj2_child", "familj9_child", "other_child"]
HOUSEHOLDS = [
    "familj1_home",
    "familj2_home",
    "hub_bjornen",
    "familj9_home",
    "hub_raven",
    "other_home",
    "other_hub",
]
CONSTELLATIONS = ["bjornen", "raven", "other_constellation"]
DEMO_CHILDREN = {"familj1_child", "familj2_child", "familj9_child"}
DEMO_HOUSEHOLDS = {"familj1_home", "familj2_home", "hub_bjornen", "familj9_home", "hub_raven"}

# What each actor may see. Familj1 and familj2 live in Björnen, familj9 in Räven.
CAN_SEE_CHILD = {
    "admin": DEMO_CHILDREN,  # the whole organisation
    "socialsekreterare": DEMO_CHILDREN,  # liaison of both, responsible for every demo child
    "hubb.bjornen": {"familj1_child", "familj2_child"},  # their constellation only
    "hubb.raven": {"familj9_child"},
    "jour": DEMO_CHILDREN,  # first name and age of every child, for calls
    "familj1": {"familj1_child"},  # own children; never a neighbour's
    "familj2": {"familj2_child"},
    "familj9": {"familj9_child"},
    "other_admin": {"other_child"},
    "other_familj": {"other_child"},
}
CAN_SEE_HOUSEHOLD = {
    "admin": DEMO_HOUSEHOLDS,
    "socialsekreterare": DEMO_HOUSEHOLDS,
    "hubb.bjornen": {"familj1_home", "familj2_home", "hub_bjornen"},
    "hubb.raven": {"familj9_home", "hub_raven"},
    "jour": DEMO_HOUSEHOLDS,
    "familj1": {"familj1_home"},
    "familj2": {"familj2_home"},
    "familj9": {"familj9_home"},
    "other_admin": {"other_home", "other_hub"},
    "other_familj": {"other_home"},
}
CAN_SEE_CONSTELLATION = {
    "admin": {"bjornen", "raven"},
    "socialsekreterare": {"bjornen", "raven"},
    "hubb.bjornen": {"bjornen"},
    "hubb.raven": {"raven"},
    "jour": {"bjornen", "raven"},
    "familj1": {"bjornen"},
    "familj2": {"bjornen"},
    "familj9": {"raven"},
    "other_admin": {"other_constellation"},
    "other_familj": {"other_constellation"},
}
# Full access to a child's record (edit, end a placement): admin and the responsible worker.
CAN_EDIT_CHILD = {
    "admin": DEMO_CHILDREN,
    "socialsekreterare": DEMO_CHILDREN,
    "other_admin": {"other_child"},
}
REGISTERS_CHILDREN = {"admin", "socialsekreterare", "other_admin"}
ADMINS = {"admin", "other_admin"}


def _seen(visible: set[str], target: str) -> int:
    return 200 if target in visible else 404


def _edit_status(who: str, child: str) -> int:
    if child not in CAN_SEE_CHILD[who]:
        return 404  # existence is not leaked
    return 200 if child in CAN_EDIT_CHILD.get(who, set()) else 403


def cases_for(who: str) -> list[Case]:
    """Every row of the matrix for one actor."""
    rows: list[Case] = []
    for page in ("/", "/login"):
        rows.append(Case(who, "GET", page, 302))
    for page in ("/home", "/children", "/constellations"):
        rows.append(Case(who, "GET", page, 200))
    for api in ("/api/v1/me", "/api/v1/children", "/api/v1/households", "/api/v1/constellations"):
        rows.append(Case(who, "GET", api, 200))
    for child in CHILDREN:
        status = _seen(CAN_SEE_CHILD[who], child)
        rows.append(Case(who, "GET", f"/children/{{{child}}}", status))
        rows.append(Case(who, "GET", f"/api/v1/children/{{{child}}}", status))
        end = f"/children/{{{child}}}/placement/end"
        rows.append(Case(who, "GET", end, _edit_status(who, child)))
    for household in HOUSEHOLDS:
        status = _seen(CAN_SEE_HOUSEHOLD[who], household)
        rows.append(Case(who, "GET", f"/households/{{{household}}}", status))
        rows.append(Case(who, "GET", f"/api/v1/households/{{{household}}}", status))
    for constellation in CONSTELLATIONS:
        status = _seen(CAN_SEE_CONSTELLATION[who], constellation)
        rows.append(Case(who, "GET", f"/constellations/{{{constellation}}}", status))
    rows.append(Case(who, "GET", "/children/new", 200 if who in REGISTERS_CHILDREN else 403))
    admin_status = 200 if who in ADMINS else 403
    for page in (
        "/admin/audit",
        "/admin/outbox",
        "/admin/users",
        "/admin/jobs",
        "/admin/organisation",
    ):
        rows.append(Case(who, "GET", page, admin_status))
    for api in ("/api/v1/audit", "/api/v1/outbox"):
        rows.append(Case(who, "GET", api, admin_status))
    return rows


def anonymous_cases() -> list[Case]:
    """Without signing in, every page sends you to sign in and every API call answers 401."""
    rows = [Case(ANONYMOUS, "GET", "/login", 200), Case(ANONYMOUS, "GET", "/", 302)]
    pages = [
        "/home",
        "/children",
        "/children/new",
        "/children/{familj1_child}",
        "/children/{familj1_child}/placement/end",
        "/households/{familj1_home}",
        "/constellations",
        "/constellations/{bjornen}",
        "/admin/audit",
        "/admin/outbox",
        "/admin/users",
        "/admin/jobs",
        "/admin/organisation",
    ]
    rows += [Case(ANONYMOUS, "GET", page, 302) for page in pages]
    apis = [
        "/api/v1/me",
        "/api/v1/children",
        "/api/v1/children/{familj1_child}",
        "/api/v1/households",
        "/api/v1/households/{familj1_home}",
        "/api/v1/constellations",
        "/api/v1/audit",
        "/api/v1/outbox",
    ]
    rows += [Case(ANONYMOUS, "GET", api, 401) for api in apis]
    rows.append(Case(ANONYMOUS, "DELETE", "/api/v1/auth/token", 401))
    rows.append(Case(ANONYMOUS, "POST", "/logout", 302))
    return rows


@pytest.fixture
def targets(app, demo):
    return build_targets(demo)


@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix(app, targets, who):
    failures = run_cases(app, targets, cases_for(who))
    assert not failures, "\n".join(failures)


def test_permission_matrix_without_signing_in(app, targets):
    failures = run_cases(app, targets, anonymous_cases())
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", ACTORS)
def test_api_lists_agree_with_single_object_checks(app, client, targets, who):
    from tests.permission_matrix import Actors

    actors = Actors(app)
    headers = actors.headers(who)

    def named(kinds: list[str]) -> dict[int, str]:
        return {targets.ids[name]: name for name in kinds}

    children = client.get("/api/v1/children", headers=headers).get_json()
    by_id = named(CHILDREN)
    named_children = {by_id[c["id"]] for c in children if c["id"] in by_id}
    assert named_children == CAN_SEE_CHILD[who]
    for child in children:  # every listed child opens; nothing else in scope is hidden
        assert client.get(f"/api/v1/children/{child['id']}", headers=headers).status_code == 200
    households = client.get("/api/v1/households", headers=headers).get_json()
    by_id = named(HOUSEHOLDS)
    assert {by_id[h["id"]] for h in households if h["id"] in by_id} == CAN_SEE_HOUSEHOLD[who]
    for household in households:
        one = client.get(f"/api/v1/households/{household['id']}", headers=headers)
        assert one.status_code == 200
    constellations = client.get("/api/v1/constellations", headers=headers).get_json()
    by_id = named(CONSTELLATIONS)
    assert {by_id[c["id"]] for c in constellations} == CAN_SEE_CONSTELLATION[who]


@pytest.mark.parametrize(
    ("who", "child", "expected"),
    [
        ("familj1", "familj1_child", 403),  # own child, but carers do not end placements
        ("hubb.bjornen", "familj1_child", 403),
        ("jour", "familj1_child", 403),
        ("familj2", "familj1_child", 404),  # same constellation
        ("familj9", "familj1_child", 404),  # other constellation
        ("other_admin", "familj1_child", 404),  # other organisation
        ("admin", "other_child", 404),
    ],
)
def test_refused_placement_ending_writes_nothing(app, targets, who, child, expected):
    from sqlalchemy import func, select

    from hubhome.audit.models import AuditEvent
    from hubhome.children.models import Placement

    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    form = {"end_date": "2026-01-10", "planned": "yes", "reason": "x"}
    failures = run_cases(
        app, targets, [Case(who, "POST", f"/children/{{{child}}}/placement/end", expected, form)]
    )
    assert not failures, failures
    db.session.expire_all()
    placement = db.session.scalar(select(Placement).where(Placement.child_id == targets.ids[child]))
    assert placement.end_date is None
    writes = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action.in_(["placement.end", "child.create"]))
    )
    assert writes == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) >= before


@pytest.mark.parametrize("who", ["familj1", "hubb.bjornen", "jour"])
def test_only_social_workers_and_admins_register_children(app, targets, who):
    form = {
        "first_name": "Ny",
        "last_name": "Barnsson",
        "birth_date": "2018-03-14",
        "gender": "girl",
        "household_id": str(targets.ids["familj1_home"]),
        "placement_start": "2025-01-01",
    }
    failures = run_cases(app, targets, [Case(who, "POST", "/children/new", 403, form)])
    assert not failures, failures
