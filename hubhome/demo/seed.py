"""The demo municipality: two constellations, their families and an account for each role.

Other issues' tests rely on these names, numbers and accounts; change them with care.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.accounts.services import assign_personnummer
from hubhome.children.models import Child, Gender, Placement
from hubhome.db import DbSession
from hubhome.demo.everyday import seed_everyday
from hubhome.demo.monitoring import seed_monitoring
from hubhome.demo.names import (
    BJORNEN_SATELLITES,
    BOY_NAMES,
    FIRST_NAMES,
    GIRL_NAMES,
    LAST_NAMES,
    RAVEN_SATELLITES,
    fictional_personnummer,
    first_name_for,
)
from hubhome.demo.phone import seed_phone
from hubhome.messages.demo import seed_messages
from hubhome.network.models import (
    Constellation,
    ConstellationMembership,
    Household,
    HouseholdKind,
    Organisation,
)
from hubhome.timeutil import local_today

__all__ = [
    "ACCOUNTS",
    "BOY_NAMES",
    "DEMO_PASSWORD",
    "GIRL_NAMES",
    "ORGANISATION",
    "DemoAccount",
    "is_seeded",
    "seed_demo",
]

DEMO_PASSWORD = "demo-hubhome"  # noqa: S105  (published demo credential)
ORGANISATION = "Demo kommun"


DEMO_PERSONNUMMER = "19121212-1212"


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
    # the Swedish Tax Agency's test personnummer, for e-legitimation in the demo
    assign_personnummer(session, users["familj1@demo.hubhome.test"], DEMO_PERSONNUMMER)
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
    seed_everyday(session, users, bjornen, raven)
    seed_phone(session, org, users, bjornen, raven)
    seed_monitoring(session, org.id, social_worker, today)
    seed_messages(session, users, bjornen, raven)
    return True
