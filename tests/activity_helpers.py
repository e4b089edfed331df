"""Helpers for the event, visit and advice tests: a frozen clock and planned events."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select

from hubhome.activities.models import Activity
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from tests import clock

# Monday 23 November 2026, 10:00 in Stockholm.
NOW = clock.WRITTEN


def event_form(constellation_id: int, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "constellation_id": constellation_id,
        "kind": "meeting",
        "title": "Konstellationsträff",
        "day": "2026-12-10",
        "start": "18:00",
        "end": "20:00",
        "place": "Navfamiljen Ek, Björnstigen 1",
        "description": "Fika och planering",
        "capacity": "",
        "invite": "all",
        "repeat": "none",
        "count": "",
    }
    form.update(overrides)
    return form


def plan(client: Any, constellation_id: int, **overrides: Any) -> list[Activity]:
    """Plan through the page as the signed-in user; return the created events by start."""
    before = set(db.session.scalars(select(Activity.id)))
    response = client.post("/activities/new", data=event_form(constellation_id, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    return [
        a
        for a in db.session.scalars(select(Activity).order_by(Activity.starts_at))
        if a.id not in before
    ]


def messages(purpose: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)
        )
    )


def answer_form(
    household_id: int, attending: bool = True, adults: int = 1, children: int = 0, **extra: Any
) -> dict[str, Any]:
    form: dict[str, Any] = {
        "household_id": household_id,
        "attending": "yes" if attending else "no",
        "adults": adults,
        "children": children,
        "needs": "",
    }
    form.update(extra)
    return form


def add_responsible_worker(demo: Any, child_id: int) -> int:
    """Add a social worker (ansvarig@) responsible for one child's placement, who is not a
    liaison: the demo's liaison is then no longer that child's responsible worker."""
    from hubhome.accounts.models import Role, User
    from hubhome.accounts.passwords import hash_password
    from hubhome.children.models import Placement
    from tests.conftest import DEMO_PASSWORD

    worker = User(
        organisation_id=demo.user("admin").organisation_id,
        email="ansvarig@demo.hubhome.test",
        name="Ansvarig Socialsekreterare",
        role=Role.SOCIAL_WORKER,
        phone="+46700000303",
        password_hash=hash_password(DEMO_PASSWORD),
    )
    db.session.add(worker)
    db.session.flush()
    placement = db.session.scalar(select(Placement).where(Placement.child_id == child_id))
    placement.social_worker_id = worker.id
    db.session.commit()
    return worker.id


@pytest.fixture
def without_demo_everyday(demo: Any) -> Any:
    """Remove the demo's seeded events, visits and advice, so tests count only their own.

    Use with `pytestmark = pytest.mark.usefixtures("without_demo_everyday")`.
    """
    from hubhome.activities.models import ActivityAnswer, ActivityInvitee, ActivitySeries
    from hubhome.advice.models import AdviceContact
    from hubhome.visits.models import ContactRestriction, ContactVisit

    for model in (
        ActivityAnswer,
        ActivityInvitee,
        Activity,
        ActivitySeries,
        AdviceContact,
        ContactVisit,
        ContactRestriction,
    ):
        db.session.execute(delete(model))
    db.session.commit()
    return demo
