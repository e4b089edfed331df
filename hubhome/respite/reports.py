"""Respite figures for the liaison and for reports: planned versus emergency nights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.network.services import satellites
from hubhome.respite.rules import nights_by_kind


@dataclass(frozen=True)
class MixRow:
    constellation: str
    household_id: int
    household: str
    planned: int
    emergency: int


def household_mix(
    session: DbSession, user: User, constellations: Sequence[Constellation], year: int
) -> list[MixRow]:
    """Planned and emergency child-nights per satellite household in a year."""
    rows = []
    for constellation in constellations:
        members = satellites(session, constellation)
        totals = nights_by_kind(session, [h.id for h in members], year)
        for household in members:
            rows.append(
                MixRow(
                    constellation=constellation.name,
                    household_id=household.id,
                    household=household.name,
                    planned=totals.get((household.id, "planned"), 0),
                    emergency=totals.get((household.id, "emergency"), 0),
                )
            )
    return rows
