"""Is Hubhome healthy? The database, Redis, the scheduler's heartbeat, the outbox's backlog,
failing jobs and messages.

A dead scheduler, like a missed call, is never silent: admin pages warn, and the admins of
every organisation get an SMS sent at once by `hubhome watchdog` (cron) or by a standby
scheduler (the scheduler that would normally send it is the thing that has stopped). Web
requests, `/healthz` included, never send anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from hubhome.accounts.models import Role, User
from hubhome.db import DbSession
from hubhome.ops.models import JobRun, SchedulerLease
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.outbox.services import enqueue_sms
from hubhome.timeutil import local_today, utcnow
from hubhome.transaction import after_commit

HEARTBEAT_LIMIT = timedelta(minutes=5)
LEASE_NAME = "scheduler"
STALE_PURPOSE = "ops.scheduler_stale"


def database_reachable(session: DbSession) -> bool:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False  # the unit of work rolls back: the answer is an error
    return True


def heartbeat(session: DbSession) -> datetime | None:
    """When the scheduler last showed it was alive, or None if it has never run."""
    row = session.get(SchedulerLease, LEASE_NAME)
    return row.heartbeat_at if row is not None else None


def scheduler_stale(session: DbSession, now: datetime | None = None) -> bool:
    beat = heartbeat(session)
    return beat is None or (now or utcnow()) - beat > HEARTBEAT_LIMIT


@dataclass
class OpsStatus:
    """What an admin must know about the machinery, shown on every admin page."""

    heartbeat: datetime | None
    scheduler_stale: bool
    failing_jobs: list[str] = field(default_factory=list)
    failed_messages: int = 0

    @property
    def ok(self) -> bool:
        return not (self.scheduler_stale or self.failing_jobs or self.failed_messages)


def ops_status(session: DbSession, organisation_id: int) -> OpsStatus:
    beat = heartbeat(session)
    latest = (
        select(JobRun.job, func.max(JobRun.id).label("last_id"))
        .where(JobRun.outcome != "running")
        .group_by(JobRun.job)
        .subquery()
    )
    failing = session.scalars(
        select(JobRun.job)
        .join(latest, JobRun.id == latest.c.last_id)
        .where(JobRun.outcome == "failed")
        .order_by(JobRun.job)
    ).all()
    failed_messages = session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.organisation_id == organisation_id,
            OutboxMessage.status == OutboxStatus.FAILED,
            OutboxMessage.created_at > utcnow() - timedelta(days=7),
        )
    )
    return OpsStatus(
        heartbeat=beat,
        scheduler_stale=beat is None or utcnow() - beat > HEARTBEAT_LIMIT,
        failing_jobs=list(failing),
        failed_messages=failed_messages or 0,
    )


def _admins(session: DbSession, organisation_id: int | None = None) -> list[User]:
    query = select(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.phone.is_not(None)
    )
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return list(session.scalars(query.order_by(User.id)))


def _dedupe_key(purpose: str, key: str, admin: User) -> str:
    return f"{purpose}:{key}:{admin.id}"


def tell_admins(
    session: DbSession,
    *,
    purpose: str,
    key: str,
    render: Callable[[], str],
    organisation_id: int | None = None,
) -> list[int]:
    """Queue one SMS per admin (of one organisation, or all), once per `key`; return their ids."""
    return _text(session, _admins(session, organisation_id), purpose, key, render)


def _text(
    session: DbSession, admins: list[User], purpose: str, key: str, render: Callable[[], str]
) -> list[int]:
    queued = []
    for admin in admins:
        message = enqueue_sms(
            session, admin, purpose, render, dedupe_key=_dedupe_key(purpose, key, admin)
        )
        if message is not None:
            queued.append(message.id)
    return queued


def alert_if_scheduler_stale(session: DbSession) -> int:
    """If the heartbeat is too old, text every admin once for this stop, sent as soon as the
    unit of work commits (the scheduler that would send it is the thing that stopped).

    Called by `hubhome watchdog` (cron) and by a standby scheduler, never by a web request.
    Returns the number of messages queued.
    """
    if not scheduler_stale(session):
        return 0
    from hubhome.outbox.sender import send_now

    beat = heartbeat(session)
    episode = beat.isoformat() if beat else "never"
    admins = _admins(session)
    if not admins or _stale_alert_queued(session, episode, admins[0]):
        return 0  # every later poll of this stop: two cheap queries, whatever the admins
    queued = _text(
        session,
        admins,
        STALE_PURPOSE,
        episode,
        lambda: _("Hubhome: the scheduler has stopped. Reminders and messages are not being sent."),
    )
    after_commit(lambda: send_now(session, queued), session=session)
    return len(queued)


def _stale_alert_queued(session: DbSession, episode: str, first_admin: User) -> bool:
    """Were the admins texted about this stop already? The first admin's key tells (unique
    index); a new admin since then is texted when the scheduler next stops."""
    key = _dedupe_key(STALE_PURPOSE, episode, first_admin)
    found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key))
    return found is not None


URGENT_WAIT_LIMIT = timedelta(minutes=5)  # an urgent SMS due longer than this: not ready
BULK_WAIT_LIMIT = timedelta(hours=2)
REDIS_SECONDS = 0.5


def redis_status(url: str) -> str:
    """ "ok", "unreachable", or "not configured" (rate limits then live in each process)."""
    if not url:
        return "not configured"
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_SECONDS, socket_timeout=REDIS_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    finally:
        client.close()
    return "ok"


@dataclass
class OutboxHealth:
    backlog: int  # messages due and not yet sent
    oldest_urgent_seconds: float | None  # how long the oldest due urgent message has waited
    oldest_bulk_seconds: float | None

    @property
    def ok(self) -> bool:
        urgent, bulk = self.oldest_urgent_seconds, self.oldest_bulk_seconds
        return (urgent is None or urgent <= URGENT_WAIT_LIMIT.total_seconds()) and (
            bulk is None or bulk <= BULK_WAIT_LIMIT.total_seconds()
        )


def outbox_health(session: DbSession) -> OutboxHealth:
    """The backlog and the oldest waiting messages, in one grouped query.

    Waiting are the messages due and never tried (waiting since they fell due) and those
    tried and not yet sent, in backoff or being looked up (waiting since they were queued).
    """
    from hubhome.outbox.models import URGENT

    now = utcnow()
    tried = OutboxMessage.attempts > 0
    since = case((tried, OutboxMessage.created_at), else_=OutboxMessage.due_at)
    rows = session.execute(
        select(OutboxMessage.priority, func.count(), func.min(since))
        .where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            tried | (OutboxMessage.due_at <= now),
        )
        .group_by(OutboxMessage.priority)
    ).all()
    backlog = sum(count for _priority, count, _oldest in rows)
    oldest = {priority: (now - due).total_seconds() for priority, _count, due in rows}
    urgent = oldest.pop(URGENT, None)
    return OutboxHealth(backlog, urgent, max(oldest.values(), default=None))


def report_failed_job(session: DbSession, job: str) -> None:
    """Tell the admins that a job failed; at most once per job and day."""
    tell_admins(
        session,
        purpose="ops.job_failed",
        key=f"{job}:{local_today().isoformat()}",
        render=lambda: _("Hubhome: the job %(job)s failed. See the job page.", job=job),
    )
