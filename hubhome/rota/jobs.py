"""Scheduled rota work: keep shifts materialised, and warn of gaps in coverage ahead."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import time

from flask_babel import ngettext
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.db import DbSession
from hubhome.display.dates import format_instant
from hubhome.network.models import Constellation
from hubhome.ops.schedule import for_each_organisation
from hubhome.outbox.services import enqueue_sms
from hubhome.phone.signature import public_url
from hubhome.rota.chain import Gap, organisation_coverage_gaps
from hubhome.rota.patterns import materialise_all
from hubhome.rota.queries import LOOK_AHEAD
from hubhome.timeutil import local_to_utc, local_today, utcnow


def materialise_shifts(session: DbSession) -> int:
    return materialise_all(session)


def _owns_rota(user: User, constellation: Constellation) -> bool:
    """Who answers for a constellation's rota: its hub carers and the organisation's admins."""
    return user.role == Role.ADMIN or (
        user.role == Role.HUB_CARER and user.household_id == constellation.hub_household_id
    )


def _text(constellation: Constellation, gaps: Sequence[Gap]) -> str:
    first = gaps[0]
    return ngettext(
        "On-call gap for %(name)s: nobody is on call %(start)s – %(end)s. Fill it in the "
        "rota: %(link)s",
        "%(num)d on-call gaps for %(name)s in the coming 28 days, the first %(start)s – "
        "%(end)s. Fill them in the rota: %(link)s",
        len(gaps),
        name=constellation.name,
        start=format_instant(first.starts_at),
        end=format_instant(first.ends_at),
        link=public_url("/rota/"),
    )


def warn_of_gaps(session: DbSession) -> int:
    """Tell each rota owner about the gaps in a constellation's coming 28 days.

    The message is keyed by the gaps themselves, so the same gaps are told once; a gap
    that changes, or a new one, is told again. A gap running at midnight is keyed by the
    day, so it is repeated daily until someone fills it. One organisation at a time, each
    committed on its own.
    """
    return for_each_organisation(session, _warn_of_gaps_in)


def _warn_of_gaps_in(session: DbSession, organisation_id: int) -> int:
    """One organisation's gaps: a constant number of queries however many constellations
    it has (constellations, rotas, shifts, owners), then one insert per message."""
    now = utcnow()
    start = local_to_utc(local_today(), time(0))
    constellations = session.scalars(
        select(Constellation)
        .where(Constellation.organisation_id == organisation_id)
        .order_by(Constellation.id)
    ).all()
    gaps_of = organisation_coverage_gaps(session, constellations, start, now + LOOK_AHEAD)
    owners = session.scalars(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            User.role.in_((Role.ADMIN, Role.HUB_CARER)),
        )
        .order_by(User.id)
    ).all()
    sent = 0
    for constellation in constellations:
        gaps = [g for g in gaps_of[constellation.id] if g.ends_at > now]
        if not gaps:
            continue
        digest = hashlib.sha256(
            "|".join(f"{g.starts_at.isoformat()}/{g.ends_at.isoformat()}" for g in gaps).encode()
        ).hexdigest()[:20]
        for owner in [u for u in owners if _owns_rota(u, constellation)]:
            key = f"rota.gaps:{constellation.id}:{digest}:u{owner.id}"
            message = enqueue_sms(
                session,
                owner,
                "rota.gap",
                lambda c=constellation, g=gaps: _text(c, g),  # type: ignore[misc]
                dedupe_key=key,
            )
            if message is not None and message.new:
                sent += 1
    return sent
