"""A data-driven permission matrix: (who, method, url, expected status) rows run over HTTP.

Other areas extend it: build rows with `Case(...)` (URLs may name targets in braces, see
`Targets`) and call `run_cases(app, targets, cases)`, which returns the rows that failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.children.models import Child, Gender, Placement
from hubhome.extensions import db
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    HouseholdKind,
    Organisation,
)
from tests.conftest import DEMO_PASSWORD, login

OTHER_ORG = "Annan kommun"
OTHER_DOMAIN = "annan.hubhome.test"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Case:
    """One row: `who` (a demo short name, other_admin, other_familj or anonymous) asks
    `method url` and must get `expected`."""

    who: str
    method: str
    url: str
    expected: int
    data: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.who:18} {self.method:6} {self.url} -> {self.expected}"


@dataclass
class Targets:
    """Ids of the objects the matrix talks about, by relationship-telling names."""

    ids: dict[str, int] = field(default_factory=dict)

    def url(self, template: str) -> str:
        return template.format(**self.ids)


def make_other_organisation() -> dict[str, int]:
    """Create a second municipality with a constellation, a family, a child and two accounts."""
    org = Organisation(name=OTHER_ORG)
    db.session.add(org)
    db.session.flush()
    hub = Household(organisation_id=org.id, name="Navfamiljen Annan", kind=HouseholdKind.HUB)
    home = Household(organisation_id=org.id, name="Familjen Annan", kind=HouseholdKind.SATELLITE)
    db.session.add_all([hub, home])
    db.session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    admin = User(
        organisation_id=org.id,
        email=f"other_admin@{OTHER_DOMAIN}",
        name="Annan Admin",
        role=Role.ADMIN,
        password_hash=password_hash,
    )
    carer = User(
        organisation_id=org.id,
        email=f"other_familj@{OTHER_DOMAIN}",
        name="Annan Familj",
        role=Role.FOSTER_CARER,
        password_hash=password_hash,
        household_id=home.id,
    )
    db.session.add_all([admin, carer])
    db.session.flush()
    constellation = Constellation(
        organisation_id=org.id, name="Vargen", hub_household_id=hub.id, liaison_id=None
    )
    db.session.add(constellation)
    db.session.flush()
    from datetime import date

    db.session.add(
        ConstellationMembership(
            constellation_id=constellation.id, household_id=home.id, joined_on=date(2024, 1, 1)
        )
    )
    child = Child(
        organisation_id=org.id,
        first_name="Annan",
        last_name="Barnsson",
        birth_date=date(2016, 5, 1),
        gender=Gender.GIRL,
    )
    db.session.add(child)
    db.session.flush()
    db.session.add(Placement(child_id=child.id, household_id=home.id, start_date=date(2024, 2, 1)))
    db.session.commit()
    return {
        "other_child": child.id,
        "other_home": home.id,
        "other_hub": hub.id,
        "other_constellation": constellation.id,
    }


def _first_child_in(household_name: str) -> int:
    child_id = db.session.scalar(
        select(Placement.child_id)
        .join(Household, Household.id == Placement.household_id)
        .where(Household.name == household_name, Placement.end_date.is_(None))
        .order_by(Placement.child_id)
    )
    assert child_id is not None, household_name
    return child_id


def _household(name: str) -> int:
    household_id = db.session.scalar(select(Household.id).where(Household.name == name))
    assert household_id is not None, name
    return household_id


def build_targets(demo: Any) -> Targets:
    """Name the demo's objects by their relationship to the demo accounts, plus another org."""
    ids = {
        "familj1_child": _first_child_in("Familjen Andersson"),
        "familj2_child": _first_child_in("Familjen Berg"),
        "familj9_child": _first_child_in("Familjen Nyström"),
        "familj1_home": _household("Familjen Andersson"),
        "familj2_home": _household("Familjen Berg"),
        "familj9_home": _household("Familjen Nyström"),
        "hub_bjornen": _household("Navfamiljen Ek"),
        "hub_raven": _household("Navfamiljen Lind"),
        "bjornen": demo.constellations["Björnen"].id,
        "raven": demo.constellations["Räven"].id,
    }
    ids.update(make_other_organisation())
    return Targets(ids)


class Actors:
    """A signed-in test client and a bearer token per actor, made on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self.clients: dict[str, FlaskClient] = {}
        self.tokens: dict[str, dict[str, str]] = {}

    @staticmethod
    def email(who: str) -> str:
        domain = OTHER_DOMAIN if who.startswith("other_") else "demo.hubhome.test"
        return f"{who}@{domain}"

    def client(self, who: str) -> FlaskClient:
        if who not in self.clients:
            client = self.app.test_client()
            if who != ANONYMOUS:
                response = login(client, self.email(who))
                assert response.status_code == 302, f"{who} could not sign in"
            self.clients[who] = client
        return self.clients[who]

    def headers(self, who: str) -> dict[str, str]:
        if who == ANONYMOUS:
            return {}
        if who not in self.tokens:
            response = self.app.test_client().post(
                "/api/v1/auth/token", json={"email": self.email(who), "password": DEMO_PASSWORD}
            )
            assert response.status_code == 201, f"{who} got no token"
            self.tokens[who] = {"Authorization": f"Bearer {response.get_json()['token']}"}
        return self.tokens[who]

    def request(self, who: str, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        if url.startswith("/api/"):
            client = self.app.test_client()
            return client.open(url, method=method, headers=self.headers(who), json=data)
        return self.client(who).open(url, method=method, data=data)


def run_cases(app: Flask, targets: Targets, cases: Iterable[Case]) -> list[str]:
    """Run each row and return a description of every row whose status differed."""
    actors = Actors(app)
    failures = []
    for case in cases:
        url = targets.url(case.url)
        response = actors.request(case.who, case.method, url, case.data)
        if response.status_code != case.expected:
            failures.append(f"{case} (got {response.status_code}) [{url}]")
    return failures


# --- rota and telephone support -----------------------------------------------------------

ROTA_STAFF = ["admin", "socialsekreterare", "hubb.bjornen", "hubb.raven", "jour"]
FAMILIES = ["familj1", "familj2", "familj9", "other_familj"]


def add_phone_targets(targets: Targets) -> Targets:
    """Name the demo's rotas, a call and its follow-up, and give the other organisation a rota."""
    from hubhome.phone.models import Call
    from hubhome.rota.models import Rota

    def rota(name: str) -> int:
        rota_id = db.session.scalar(select(Rota.id).where(Rota.name == name))
        assert rota_id is not None, name
        return rota_id

    other = Rota(
        organisation_id=db.session.get_one(Household, targets.ids["other_hub"]).organisation_id,
        constellation_id=targets.ids["other_constellation"],
        name="Vargen dagtid",
    )
    db.session.add(other)
    db.session.commit()
    call = db.session.scalars(
        select(Call).where(Call.follow_up.has()).order_by(Call.id).limit(1)
    ).one()
    targets.ids.update(
        bjornen_rota=rota("Björnen dagtid"),
        raven_rota=rota("Räven dagtid"),
        shared_rota=rota("Nattjouren"),
        other_rota=other.id,
        bjornen_call=call.id,
        bjornen_follow_up=call.follow_up.id,
    )
    return targets


def phone_rota_cases() -> list[Case]:
    """Who sees and edits rotas, calls and follow-ups: staff in scope; families never."""
    rows: list[Case] = []
    seen_bjornen = {"admin": 200, "socialsekreterare": 200, "hubb.bjornen": 200, "jour": 200}
    for who in [*ROTA_STAFF, *FAMILIES, "other_admin"]:
        staff = who in ROTA_STAFF or who == "other_admin"
        for page in ("/rota/", "/phone/now", "/phone/calls", "/phone/follow-ups"):
            rows.append(Case(who, "GET", page, 200 if staff else 403))
        rows.append(
            Case(
                who,
                "GET",
                "/rota/new",
                200 if who in ("admin", "hubb.bjornen", "hubb.raven", "other_admin") else 403,
            )
        )
        rows.append(Case(who, "GET", "/rota/{bjornen_rota}", seen_bjornen.get(who, 404)))
        rows.append(Case(who, "GET", "/rota/{shared_rota}", 200 if who in ROTA_STAFF else 404))
        rows.append(Case(who, "GET", "/rota/{other_rota}", 200 if who == "other_admin" else 404))
        for page in ("/phone/calls/{bjornen_call}", "/phone/follow-ups/{bjornen_follow_up}"):
            status = seen_bjornen.get(who, 404) if staff else 403
            rows.append(Case(who, "GET", page, status))
        rows.append(Case(who, "GET", "/api/v1/calls", 200 if staff else 403))
        on_call = "/api/v1/constellations/{bjornen}/on-call"
        rows.append(Case(who, "GET", on_call, seen_bjornen.get(who, 404) if staff else 403))
    # Editing: admins everywhere in their organisation, hub carers their constellation only.
    edits = {
        "admin": (422, 422),
        "hubb.bjornen": (422, 403),
        "hubb.raven": (404, 403),
        "socialsekreterare": (403, 403),
        "jour": (403, 403),
        "familj1": (404, 404),
        "other_admin": (404, 404),
    }
    for who, (own, shared) in edits.items():
        rows.append(Case(who, "POST", "/rota/{bjornen_rota}/slots", own, {}))
        rows.append(Case(who, "POST", "/rota/{shared_rota}/overrides", shared, {}))
    rows += [
        Case(ANONYMOUS, "GET", "/rota/", 302),
        Case(ANONYMOUS, "GET", "/phone/now", 302),
        Case(ANONYMOUS, "GET", "/phone/calls/{bjornen_call}", 302),
        Case(ANONYMOUS, "GET", "/api/v1/calls", 401),
    ]
    return rows
