"""Searching the audit log: the monthly access review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from sqlalchemy import and_, or_, select

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
    query = select(AuditEvent).where(
        or_(
            AuditEvent.organisation_id == organisation_id,
            and_(AuditEvent.organisation_id.is_(None), AuditEvent.action.startswith("auth.")),
        )
    )
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if child_id is not None:
        query = query.where(AuditEvent.child_id == child_id)
    if household_id is not None:
        query = query.where(AuditEvent.household_id == household_id)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if date_from is not None:
        query = query.where(AuditEvent.at >= local_to_utc(date_from, time(0)))
    if date_to is not None:
        query = query.where(AuditEvent.at < local_to_utc(date_to + timedelta(days=1), time(0)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit).offset(offset)
    return session.scalars(query).all()
