"""Helpers for the respite tests: the demo's children, beds and a frozen clock."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hubhome.children.models import Child, Placement
from hubhome.extensions import db
from hubhome.network.models import Household
from tests import clock

# Monday 23 November 2026, 10:00 in Stockholm.
NOW = clock.WRITTEN


def children_of(user) -> list[int]:  # type: ignore[no-untyped-def]
    """Ids of the children placed in a demo user's household."""
    return list(
        db.session.scalars(
            select(Child.id)
            .join(Placement)
            .where(Placement.household_id == user.household_id, Placement.end_date.is_(None))
            .order_by(Child.id)
        )
    )


def hub_of(demo, name: str = "Björnen") -> Household:  # type: ignore[no-untyped-def]
    return db.session.get_one(Household, demo.constellations[name].hub_household_id)


def set_beds(demo, beds: int, name: str = "Björnen") -> None:  # type: ignore[no-untyped-def]
    hub = hub_of(demo, name)
    hub.respite_beds = beds
    db.session.commit()


def booking_body(child_ids: list[int], check_in: date, check_out: date, **extra: object) -> dict:
    body: dict[str, object] = {
        "child_ids": child_ids,
        "check_in": check_in.isoformat(),
        "check_out": check_out.isoformat(),
        "kind": "planned",
    }
    body.update(extra)
    return body
