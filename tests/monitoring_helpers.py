"""Helpers for the monitoring tests: a social worker of our own, children placed on known dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.accounts.passwords import hash_password
from hubhome.children.models import Child, Gender, Placement
from hubhome.extensions import db
from hubhome.network.models import Household
from tests import clock
from tests.conftest import DEMO_PASSWORD

# Monday 23 November 2026, 10:00 in Stockholm.
NOW = clock.WRITTEN
TODAY = date(2026, 11, 23)
WORKER = "handlaggare@demo.hubhome.test"


def make_worker(email: str = WORKER, locale: str = "en") -> User:
    """A social worker in the demo organisation with no caseload yet."""
    org_id = db.session.scalar(select(User.organisation_id).where(User.email.like("%@demo.%")))
    worker = User(
        organisation_id=org_id,
        email=email,
        name="Hedda Handläggare",
        role=Role.SOCIAL_WORKER,
        phone="+46700003333",
        password_hash=hash_password(DEMO_PASSWORD),
        locale=locale,
    )
    db.session.add(worker)
    db.session.commit()
    return worker


def household(name: str) -> Household:
    found = db.session.scalar(select(Household).where(Household.name == name))
    assert found is not None, name
    return found


def place_child(
    worker: User | None,
    household_name: str,
    first_name: str,
    start: date,
    *,
    gender: Gender = Gender.GIRL,
    birth: date = date(2015, 3, 4),
    protected: bool = False,
) -> Child:
    """Register a child placed in a demo household from `start`, followed by `worker`."""
    home = household(household_name)
    child = Child(
        organisation_id=home.organisation_id,
        first_name=first_name,
        last_name="Testsson",
        birth_date=birth,
        gender=gender,
        protected_identity=protected,
    )
    db.session.add(child)
    db.session.flush()
    db.session.add(
        Placement(
            child_id=child.id,
            household_id=home.id,
            social_worker_id=worker.id if worker else None,
            start_date=start,
        )
    )
    db.session.commit()
    return child
