"""Reading the record of job runs for the admins' job page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from hubhome.db import DbSession
from hubhome.ops.models import JobRun


def latest_runs(session: DbSession) -> Sequence[JobRun]:
    """The most recent run of each job, by job name."""
    latest = select(func.max(JobRun.id)).group_by(JobRun.job).scalar_subquery()
    return session.scalars(select(JobRun).where(JobRun.id.in_(latest)).order_by(JobRun.job)).all()


def recent_runs(
    session: DbSession, *, job: str | None = None, limit: int = 100, idle: bool = True
) -> Sequence[JobRun]:
    """The latest runs; without `idle`, only those that did something, failed or still run."""
    query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if job:
        query = query.where(JobRun.job == job)
    if not idle:
        query = query.where(or_(JobRun.rows > 0, JobRun.outcome != "ok"))
    return session.scalars(query).all()
