"""The demo municipality: two constellations, their families and an account for each role.

Other issues' tests rely on these names, numbers and accounts; change them with care.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.children.models import Child, Gender, Placement
from hubhome.db import DbSession
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    HouseholdKind,
    Organisation,
)
from hubhome.timeutil import local_today

DEMO_PASSWORD = "demo-hubhome"  # noqa: S105  (published demo credential)
ORGANISATION = "Demo kommun"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    phone: str | None


ACCOUNTS = [
    DemoAccount("admin@demo.hubhome.test", "Alva Admin", Role.ADMIN, "+46700000001"),
    DemoAccount(
        "socialsekreterare@demo.hubhome.test",
        "Sara Socialsekreterare",
        Role.SOCIAL_WORKER,
        "+46700000202",
    ),
    DemoAccount("hubb.bjornen@demo.hubhome.test", "Hanna Ek", Role.HUB_CARER, "+46700000101"),
    DemoAccount("hubb.raven@demo.hubhome.test", "Henrik Lind", Role.HUB_CARER, "+46700000102"),
    DemoAccount("jour@demo.hubhome.test", "Jonas Jour", Role.ONCALL_STAFF, "+46700000909"),
    DemoAccount("familj1@demo.hubhome.test", "Fatima Andersson", Role.FOSTER_CARER, "+46700001111"),
    DemoAccount("familj2@demo.hubhome.test", "Fredrik Berg", Role.FOSTER_CARER, "+46700002222"),
    DemoAccount("familj9@demo.hubhome.test", "Frida Nyström", Role.FOSTER_CARER, "+46700009999"),
]

BJORNEN_SATELLITES = ["Andersson", "Berg", "Carlsson", "Dahl", "Eriksson", "Falk", "Gustafsson"]
RAVEN_SATELLITES = ["Nyström", "Olsson", "Persson", "Quist", "Rask", "Sjöberg"]
GIRL_NAMES = ["Alma", "Maja", "Saga", "Wilma", "Ella", "Stella", "Agnes", "Ebba", "Alva", "Nova"]
BOY_NAMES = ["Elis", "Noah", "Liam", "Hugo", "Otto", "Loke", "Vincent", "Sixten"]
FIRST_NAMES = [
    "Alma",
    "Elis",
    "Maja",
    "Noah",
    "Saga",
    "Liam",
    "Wilma",
    "Hugo",
    "Ella",
    "Otto",
    "Stella",
    "Loke",
    "Agnes",
    "Vincent",
    "Ebba",
    "Alva",
    "Sixten",
    "Nova",
]
LAST_NAMES = ["Holm", "Ström", "Lund", "Sandberg", "Wikström", "Ekholm", "Forsberg", "Hedlund"]


def _luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def fictional_personnummer(birth: date, serial: int) -> str:
    """A well-formed personnummer with a high serial, not meant to match anyone."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{_luhn_digit(body)}"


def first_name_for(gender: Gender, drawn: str, taken: set[str]) -> str:
    """Return `drawn` if it is a name for `gender` not `taken` in the family, else the next one.

    The seed keeps drawing from FIRST_NAMES so the random stream, and with it every
    household's children, ages and placements, stays as it was.
    """
    names = GIRL_NAMES if gender == Gender.GIRL else BOY_NAMES
    start = names.index(drawn) if drawn in names else FIRST_NAMES.index(drawn)
    for step in range(len(names)):
        name = names[(start + step) % len(names)]
        if name not in taken:
            return name
    return names[start % len(names)]


def is_seeded(session: DbSession) -> bool:
    return (
        session.scalar(select(Organisation.id).where(Organisation.name == ORGANISATION)) is not None
    )


def seed_demo(session: DbSession) -> bool:
    """Create the demo municipality once; return False when it already exists."""
    if is_seeded(session):
        return False
    rng = random.Random(20261123)  # noqa: S311  (repeatable fiction, not security)
    today = local_today()
    org = Organisation(name=ORGANISATION, duty_number="+46100000099")
    session.add(org)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)

    def household(name: str, kind: HouseholdKind, street: str) -> Household:
        item = Household(
            organisation_id=org.id,
            name=name,
            kind=kind,
            street=street,
            postcode="265 30",
            city="Demoköping",
            registered_on=today - timedelta(days=rng.randint(400, 3000)),
        )
        session.add(item)
        return item

    hub_bjornen = household("Navfamiljen Ek", HouseholdKind.HUB, "Björnstigen 1")
    hub_raven = household("Navfamiljen Lind", HouseholdKind.HUB, "Rävgången 1")
    sats_bjornen = [
        household(f"Familjen {n}", HouseholdKind.SATELLITE, f"Björnstigen {i + 2}")
        for i, n in enumerate(BJORNEN_SATELLITES)
    ]
    sats_raven = [
        household(f"Familjen {n}", HouseholdKind.SATELLITE, f"Rävgången {i + 2}")
        for i, n in enumerate(RAVEN_SATELLITES)
    ]
    session.flush()

    users: dict[str, User] = {}
    homes = {
        "hubb.bjornen@demo.hubhome.test": hub_bjornen,
        "hubb.raven@demo.hubhome.test": hub_raven,
        "familj1@demo.hubhome.test": sats_bjornen[0],
        "familj2@demo.hubhome.test": sats_bjornen[1],
        "familj9@demo.hubhome.test": sats_raven[0],
    }
    for account in ACCOUNTS:
        home = homes.get(account.email)
        user = User(
            organisation_id=org.id,
            email=account.email,
            name=account.name,
            role=account.role,
            phone=account.phone,
            password_hash=password_hash,
            locale="sv",
            household_id=home.id if home else None,
        )
        session.add(user)
        users[account.email] = user
    session.flush()
    social_worker = users["socialsekreterare@demo.hubhome.test"]

    bjornen = Constellation(
        organisation_id=org.id,
        name="Björnen",
        phone_number="+46100000001",
        hub_household_id=hub_bjornen.id,
        liaison_id=social_worker.id,
    )
    raven = Constellation(
        organisation_id=org.id,
        name="Räven",
        phone_number="+46100000002",
        hub_household_id=hub_raven.id,
        liaison_id=social_worker.id,
    )
    session.add_all([bjornen, raven])
    session.flush()

    serial = 900
    for constellation, satellites in ((bjornen, sats_bjornen), (raven, sats_raven)):
        for sat in satellites:
            session.add(
                ConstellationMembership(
                    constellation_id=constellation.id,
                    household_id=sat.id,
                    joined_on=today - timedelta(days=rng.randint(200, 900)),
                )
            )
            taken: set[str] = set()
            for _ in range(rng.randint(1, 3)):
                birth = today - timedelta(days=rng.randint(3 * 365, 16 * 365))
                serial += 2
                drawn, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                gender = rng.choice([Gender.GIRL, Gender.BOY])
                child = Child(
                    organisation_id=org.id,
                    first_name=first_name_for(gender, drawn, taken),
                    last_name=last_name,
                    birth_date=birth,
                    gender=gender,
                    personnummer=fictional_personnummer(birth, serial),
                    protected_identity=serial == 904,
                )
                taken.add(child.first_name)
                session.add(child)
                session.flush()
                session.add(
                    Placement(
                        child_id=child.id,
                        household_id=sat.id,
                        social_worker_id=social_worker.id,
                        start_date=today - timedelta(days=rng.randint(30, 1500)),
                    )
                )
    session.flush()
    seed_monitoring(session, org.id, social_worker, today)
    return True


def seed_monitoring(session: DbSession, organisation_id: int, worker: User, today: date) -> None:
    """Follow-up visits (some overdue), reviews, and decisions: one past three months."""
    from hubhome.caseload.models import FollowUpVisit, PlacementReview
    from hubhome.decisions.models import DecisionOffer, InterventionDecision, InterventionKind
    from hubhome.decisions.rules import add_months

    placements = list(
        session.scalars(
            select(Placement)
            .where(Placement.social_worker_id == worker.id, Placement.end_date.is_(None))
            .order_by(Placement.id)
        )
    )
    for i, placement in enumerate(placements):
        # Every fourth child's last visit was half a year ago: overdue against 4 a year.
        ago = 180 if i % 4 == 0 else 20 + 7 * (i % 5)
        visit_day = max(placement.start_date, today - timedelta(days=ago))
        session.add(
            FollowUpVisit(
                organisation_id=organisation_id,
                child_id=placement.child_id,
                placement_id=placement.id,
                visit_date=visit_day,
                private_talk=i % 4 != 1,
                note="Hembesök, barnet trivs." if i % 2 else "Besök i skolan.",
                recorded_by_id=worker.id,
            )
        )
        # Every fifth child has waited too long for a placement review.
        if i % 5 != 0 and placement.start_date < today - timedelta(days=60):
            session.add(
                PlacementReview(
                    organisation_id=organisation_id,
                    child_id=placement.child_id,
                    placement_id=placement.id,
                    review_date=max(placement.start_date, today - timedelta(days=35 * (i % 5))),
                    outcome="Placeringen fortsätter.",
                    recorded_by_id=worker.id,
                )
            )
    if len(placements) < 3:
        return

    def decision(index: int, kind: InterventionKind, decided: date, **extra: object) -> None:
        item = InterventionDecision(
            organisation_id=organisation_id,
            child_id=placements[index].child_id,
            kind=kind,
            decision_date=decided,
            responsible_id=worker.id,
            created_by_id=worker.id,
            **extra,
        )
        session.add(item)
        session.flush()
        if kind == InterventionKind.CONTACT_FAMILY:
            session.add(
                DecisionOffer(
                    decision_id=item.id, offered_on=decided + timedelta(days=30), declined=True
                )
            )

    # Past the three-month limit; an offer was declined, which does not close it.
    decision(
        0,
        InterventionKind.CONTACT_FAMILY,
        add_months(today, -4),
        delay_reason="Ingen lämplig kontaktfamilj ledig.",
    )
    # Reaches the limit within two weeks.
    decision(1, InterventionKind.RESPITE, add_months(today, -3) + timedelta(days=10))
    # Carried out in time.
    decided = add_months(today, -5)
    decision(
        2, InterventionKind.CONTACT_PERSON, decided, carried_out_on=decided + timedelta(days=40)
    )
    session.flush()
