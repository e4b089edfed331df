"""A year of nightly constellation snapshots, so every chart shows something on first start.

The nightly job (`outcome_snapshot`) writes one row per constellation and night from then
on; these rows stand for the year before the demo existed, drawn around today's figures.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert

from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.outcomes.models import ConstellationSnapshot

DAYS = 365


def seed_snapshots(
    session: DbSession, constellations: list[Constellation], today: date, hub_beds: int = 2
) -> int:
    """Write a snapshot for each constellation and each of the year's nights before today."""
    rows = []
    for number, constellation in enumerate(constellations):
        pick = random.Random(f"snapshots-{constellation.name}")  # noqa: S311 (demo data)
        satellites = 7 + number
        children = 12 + 3 * number
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            if pick.random() < 0.01:  # a family joins or leaves now and then
                satellites = max(5, min(10, satellites + pick.choice((-1, 1))))
            if pick.random() < 0.02:
                children = max(8, min(20, children + pick.choice((-1, 1))))
            weekend = day.weekday() in (4, 5)
            planned = min(hub_beds, sum(pick.random() < (0.45 if weekend else 0.15) for _ in "ab"))
            emergency = int(planned < hub_beds and pick.random() < 0.04)
            rows.append(
                {
                    "organisation_id": constellation.organisation_id,
                    "constellation_id": constellation.id,
                    "day": day,
                    "satellites_active": satellites,
                    "children_placed": children,
                    "hub_beds": hub_beds,
                    "planned_nights": planned,
                    "emergency_nights": emergency,
                }
            )
    if rows:
        session.execute(insert(ConstellationSnapshot), rows)
    return len(rows)
