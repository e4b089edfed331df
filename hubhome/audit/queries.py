"""Searching the audit log: the monthly access review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from sqlalchemy import and_, select, union_all

from hubhome.audit.models import AuditEvent
from hubhome.db import DbSession
from hubhome.timeutil import local_to_utc


def search_audit(
    session: DbSession,
    organisation_id: int,
    *,
    actor_id: int | None = None,
    child_id: int | None = None,
    household_id: int | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[AuditEvent]:
    """Return audit events of one organisation, newest first; dates are Stockholm days.

    Refused sign-ins of identities no account matches (an unknown e-mail, an unknown
    e-legitimation) belong to no organisation; every administrator sees those too.
    """
    filters = []
    if actor_id is not None:
        filters.append(AuditEvent.actor_id == actor_id)
    if child_id is not None:
        filters.append(AuditEvent.child_id == child_id)
    if household_id is not None:
        filters.append(AuditEvent.household_id == household_id)
    if action:
        filters.append(AuditEvent.action.startswith(action, autoescape=True))
    if date_from is not None:
        filters.append(AuditEvent.at >= local_to_utc(date_from, time(0)))
    if date_to is not None:
        filters.append(AuditEvent.at < local_to_utc(date_to + timedelta(days=1), time(0)))
    newest_first = (AuditEvent.at.desc(), AuditEvent.id.desc())
    # The organisation's events and the unowned refused sign-ins, each newest first in its
    # own branch: with the two as one OR, PostgreSQL cannot walk (organisation_id, at)
    # backwards and sorted every match instead (375,000 events for a common action among
    # 3 million: 590 ms; 6 ms this way).
    branches = [
        select(AuditEvent.id)
        .where(where, *filters)
        .order_by(*newest_first)
        .limit(limit + offset)
        .subquery()
        for where in (
            AuditEvent.organisation_id == organisation_id,
            and_(AuditEvent.organisation_id.is_(None), AuditEvent.action.startswith("auth.")),
        )
    ]
    ids = union_all(*(select(branch.c.id) for branch in branches)).subquery()
    query = (
        select(AuditEvent)
        .where(AuditEvent.id.in_(select(ids.c.id)))
        .order_by(*newest_first)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all()
