"""A single-runner lease in the database: a second scheduler stays idle until the first dies."""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import update

from hubhome.db import DbSession
from hubhome.ops.models import SchedulerLease
from hubhome.timeutil import utcnow

LEASE_NAME = "scheduler"
LEASE_SECONDS = 60


def holder_id() -> str:
    """Who holds the lease: host and process, plus a token so two runners never look alike."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def try_acquire(session: DbSession, holder: str) -> bool:
    """Take or renew the lease; return whether `holder` holds it now. Commits."""
    now = utcnow()
    expires = now + timedelta(seconds=LEASE_SECONDS)
    result = session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == LEASE_NAME,
            (SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now),
        )
        .values(holder=holder, expires_at=expires, heartbeat_at=now)
    )
    if getattr(result, "rowcount", 0):
        session.commit()
        return True
    if session.get(SchedulerLease, LEASE_NAME) is None:
        session.add(
            SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=expires, heartbeat_at=now)
        )
        try:
            session.commit()
        except Exception:  # another scheduler inserted it first
            session.rollback()
            return False
        return True
    session.rollback()
    return False


def release(session: DbSession, holder: str) -> None:
    session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=utcnow())
    )
    session.commit()


def beat(session: DbSession, holder: str) -> None:
    """Record that `holder` is alive (used where another mechanism holds the lock). Commits."""
    now = utcnow()
    expires = now + timedelta(seconds=LEASE_SECONDS)
    row = session.get(SchedulerLease, LEASE_NAME)
    if row is None:
        session.add(
            SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=expires, heartbeat_at=now)
        )
    else:
        row.holder, row.expires_at, row.heartbeat_at = holder, expires, now
    session.commit()
