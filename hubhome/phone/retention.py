"""Retention of the call log: calls older than the organisation's policy go, with their legs
and handled follow-ups (recording links included), unless a follow-up is still open or the
family is in the research sample. Advice logged from such a call keeps its text, not the link.
The recordings' copies in Hubhome follow (`hubhome.recordings.retention`)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from hubhome.advice.models import AdviceContact
from hubhome.db import DbSession
from hubhome.ops.retention import RetentionContext, research_sample_households
from hubhome.phone.models import Call, CallLeg, FollowUp


def remove_expired_calls(session: DbSession, ctx: RetentionContext) -> int:
    cutoff = ctx.case_cutoff_instant
    if cutoff is None:
        return 0
    expired = select(Call.id).where(
        Call.organisation_id == ctx.organisation.id,
        Call.started_at < cutoff,
        or_(Call.household_id.is_(None), Call.household_id.not_in(research_sample_households())),
        Call.id.not_in(select(FollowUp.call_id).where(FollowUp.handled_at.is_(None))),
    )
    ids = list(session.scalars(expired))
    if not ids:
        return 0
    session.execute(
        update(AdviceContact).where(AdviceContact.call_id.in_(ids)).values(call_id=None)
    )
    session.execute(delete(CallLeg).where(CallLeg.call_id.in_(ids)))
    session.execute(delete(FollowUp).where(FollowUp.call_id.in_(ids)))
    session.execute(delete(Call).where(Call.id.in_(ids)))
    return len(ids)
