"""Read-side of the rota: who is on call now, and the gaps ahead, per constellation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from hubhome.accounts.models import User
from hubhome.db import DbSession
from hubhome.network.models import Constellation
from hubhome.permissions import constellation_ids_visible_to, rota_ids_visible_to
from hubhome.rota.chain import ChainStep, Gap, chain_at, coverage_gaps
from hubhome.rota.models import Rota
from hubhome.timeutil import utcnow

LOOK_AHEAD = timedelta(days=28)


@dataclass
class Coverage:
    constellation: Constellation
    now: list[ChainStep] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def coverage_for(session: DbSession, user: User) -> list[Coverage]:
    """For each constellation the user may see: the chain now and gaps in the coming 28 days."""
    now = utcnow()
    constellations = session.scalars(
        select(Constellation)
        .where(Constellation.id.in_(constellation_ids_visible_to(user)))
        .order_by(Constellation.name)
    ).all()
    return [
        Coverage(c, chain_at(session, c, now), coverage_gaps(session, c, now, now + LOOK_AHEAD))
        for c in constellations
    ]


def visible_rotas(session: DbSession, user: User) -> list[Rota]:
    return list(
        session.scalars(
            select(Rota)
            .where(Rota.id.in_(rota_ids_visible_to(user)))
            .order_by(Rota.constellation_id.is_(None), Rota.level, Rota.name)
        )
    )
