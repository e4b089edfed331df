"""Reading the record of job runs for the admins' job page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from hubhome.db import DbSession
from hubhome.ops.models import JobRun


def latest_runs(session: DbSession) -> Sequence[JobRun]:
    """The most recent run of each job, by job name."""
    latest = select(func.max(JobRun.id)).group_by(JobRun.job).scalar_subquery()
    return session.scalars(select(JobRun).where(JobRun.id.in_(latest)).order_by(JobRun.job)).all()


def recent_runs(
    session: DbSession, *, job: str | None = None, limit: int = 100
) -> Sequence[JobRun]:
    query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if job:
        query = query.where(JobRun.job == job)
    return session.scalars(query).all()
