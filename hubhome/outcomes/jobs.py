"""The nightly snapshot of every constellation (idempotent: one row per constellation and day)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.outcomes.models import ConstellationSnapshot
from hubhome.outcomes.queries import constellation_health
from hubhome.timeutil import local_today


def take_snapshots(session: DbSession) -> int:
    """Record how each constellation stands today; running again the same day updates it."""
    today = local_today()
    constellations = list(
        session.scalars(select(Constellation).options(selectinload(Constellation.hub_household)))
    )
    existing = {
        s.constellation_id: s
        for s in session.scalars(
            select(ConstellationSnapshot).where(ConstellationSnapshot.day == today)
        )
    }
    health = constellation_health(session, constellations, today, today, with_sources=False)
    by_id = {c.id: c for c in constellations}
    for h in health:
        snapshot = existing.get(h.constellation_id)
        if snapshot is None:
            snapshot = ConstellationSnapshot(
                organisation_id=by_id[h.constellation_id].organisation_id,
                constellation_id=h.constellation_id,
                day=today,
            )
            session.add(snapshot)
        snapshot.satellites_active = h.satellites_active
        snapshot.children_placed = h.children_placed
        snapshot.hub_beds = h.bed_nights  # beds open tonight: none while the hub is closed
        snapshot.planned_nights = h.planned_nights
        snapshot.emergency_nights = h.emergency_nights
    session.flush()
    return len(health)
