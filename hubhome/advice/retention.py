"""Retention of the advice log: a family's advice contacts go when its last one is older than
the organisation's policy, unless the family is in the research sample."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from hubhome.advice.models import AdviceContact
from hubhome.db import DbSession
from hubhome.ops.retention import RetentionContext, research_sample_households


def remove_expired_advice(session: DbSession, ctx: RetentionContext) -> int:
    cutoff = ctx.case_cutoff_instant
    if cutoff is None:
        return 0
    last = (
        select(AdviceContact.household_id, func.max(AdviceContact.created_at).label("last_at"))
        .where(AdviceContact.organisation_id == ctx.organisation.id)
        .group_by(AdviceContact.household_id)
        .subquery()
    )
    expired = select(last.c.household_id).where(last.c.last_at < cutoff)
    result = session.execute(
        delete(AdviceContact).where(
            AdviceContact.organisation_id == ctx.organisation.id,
            AdviceContact.household_id.in_(expired),
            AdviceContact.household_id.not_in(research_sample_households()),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
