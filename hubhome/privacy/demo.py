"""The demo's last month of reads, so the first access review has something to show."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import insert, select

from hubhome.accounts.models import User
from hubhome.audit.models import AuditEvent
from hubhome.children.models import Child, Placement
from hubhome.db import DbSession, table_of
from hubhome.network.models import Constellation, ConstellationMembership, Organisation
from hubhome.timeutil import local_to_utc, local_today

DEMO_SEED = 20261201


def _read(user: User, child_id: int, day: date, wall: time) -> dict[str, object]:
    return {
        "at": local_to_utc(day, wall),
        "organisation_id": user.organisation_id,
        "actor_id": user.id,
        "actor_role": str(user.role),
        "action": "child.view",
        "object_type": "children",
        "object_id": child_id,
        "child_id": child_id,
        "channel": "web",
    }


def seed_reads(session: DbSession) -> None:
    """Write the demo municipality's history of reads last month and open its review.

    `hubhome demo` calls it after `seed_demo`; the tests' demo has no history of reads, so
    their audit log starts empty.

    Office-hours reads by the social worker and the hub carers of their own children, and
    what the review should find: the night worker reading children at night, a child with
    protected identity read at 23:00 by someone without relation, a hub carer reading a child
    of the other constellation, and the social worker reading far more than the others.
    These rows are history made up for the demo, written as the audit service writes them.
    """
    from hubhome.demo.seed import ORGANISATION
    from hubhome.privacy.services import open_review, previous_month

    org = session.scalars(select(Organisation).where(Organisation.name == ORGANISATION)).one()
    users = {
        u.email: u for u in session.scalars(select(User).where(User.organisation_id == org.id))
    }
    rng = random.Random(DEMO_SEED)  # noqa: S311  (repeatable fiction)
    first = previous_month(local_today())
    days = [
        first + timedelta(days=n)
        for n in range(31)
        if (first + timedelta(days=n)).month == first.month
    ]
    placed = dict(
        session.execute(
            select(Child.id, Placement.household_id)
            .join(Placement, Placement.child_id == Child.id)
            .where(Child.organisation_id == org.id, Placement.end_date.is_(None))
        ).all()
    )
    members: dict[str, list[int]] = {}
    for name, household_id in session.execute(
        select(Constellation.name, ConstellationMembership.household_id).join(
            ConstellationMembership, ConstellationMembership.constellation_id == Constellation.id
        )
    ):
        members.setdefault(name, []).append(household_id)
    of = {
        name: [c for c, h in placed.items() if h in households]
        for name, households in members.items()
    }
    protected = session.scalar(
        select(Child.id).where(Child.organisation_id == org.id, Child.protected_identity.is_(True))
    )
    worker = users["socialsekreterare@demo.hubhome.test"]
    bjornen_hub = users["hubb.bjornen@demo.hubhome.test"]
    raven_hub = users["hubb.raven@demo.hubhome.test"]
    jour = users["jour@demo.hubhome.test"]
    everyone = sorted(placed)
    rows = []
    for day in days:
        if day.weekday() < 5:
            for _ in range(12):  # the heavy reader: record after record, all her own cases
                wall = time(rng.randint(8, 16), rng.randint(0, 59))
                rows.append(_read(worker, rng.choice(everyone), day, wall))
            rows.append(_read(bjornen_hub, rng.choice(of["Björnen"]), day, time(10, 5)))
            rows.append(_read(raven_hub, rng.choice(of["Räven"]), day, time(13, 20)))
    rows.append(_read(jour, rng.choice(everyone), days[3], time(23, 40)))
    rows.append(_read(jour, rng.choice(everyone), days[9], time(2, 15)))
    rows.append(_read(worker, rng.choice(everyone), days[12], time(22, 35)))
    if protected is not None:
        rows.append(_read(worker, protected, days[5], time(9, 30)))
        rows.append(_read(jour, protected, days[14], time(23, 0)))
    rows.append(_read(raven_hub, of["Björnen"][0], days[20], time(15, 45)))
    session.connection().execute(insert(table_of(AuditEvent)), rows)
    open_review(session, None, org.id, first, seed=DEMO_SEED)
