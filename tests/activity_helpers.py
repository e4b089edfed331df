"""Helpers for the event, visit and advice tests: a frozen clock and planned events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from hubhome.activities.models import Activity
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage

# Monday 23 November 2026, 10:00 in Stockholm.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


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


def answer_form(household_id: int, attending: bool = True, adults: int = 1, children: int = 0, **extra: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "household_id": household_id,
        "attending": "yes" if attending else "no",
        "adults": adults,
        "children": children,
        "needs": "",
    }
    form.update(extra)
    return form
