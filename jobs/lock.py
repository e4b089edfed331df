"""The single-runner lock of the scheduler process.

On PostgreSQL the lock is a session-level advisory lock held on a connection of its own:
when the holding process dies its connection closes and the lock is free at once, so a
standby scheduler (which retries every `RENEW_SECONDS`) takes over within a minute.
On SQLite, which has no advisory locks, the lock is the lease row in `scheduler_leases`
(see `jobs.lease`). Either way the holder writes a heartbeat into that row, which the web
process reads to warn admins when the scheduler has stopped.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from hubhome.extensions import db
from jobs import lease

log = logging.getLogger(__name__)

RENEW_SECONDS = 20
# An arbitrary, fixed 64-bit key: "hubhome" in ASCII.
ADVISORY_KEY = 0x6875_6268_6F6D_65


class SchedulerLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock or confirm it is still held, and beat the heartbeat; True if held."""

    def release(self) -> None: ...


class LeaseLock:
    """SQLite: a lease row that the holder renews and others may take when it expires."""

    def __init__(self, app: Flask):
        self.app = app
        self.holder = lease.holder_id()

    def acquire(self) -> bool:
        with self.app.app_context():
            return lease.try_acquire(db.session, self.holder)

    def release(self) -> None:
        with self.app.app_context():
            lease.release(db.session, self.holder)


class AdvisoryLock:
    """PostgreSQL: `pg_try_advisory_lock` on a connection kept open while the lock is held."""

    def __init__(self, app: Flask):
        self.app = app
        self.holder = lease.holder_id()
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        with self.app.app_context():
            if not self._hold():
                return False
            lease.beat(db.session, self.holder)
            return True

    def _hold(self) -> bool:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT 1"))
                return True
            except DBAPIError:
                log.warning("scheduler lock connection lost; trying to take the lock again")
                self._close()
        connection = db.engine.connect()
        held = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar_one()
        connection.commit()
        if held:
            self.connection = connection
            return True
        connection.close()
        return False

    def _close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(DBAPIError):
                self.connection.close()
            self.connection = None

    def release(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            self.connection.commit()
        except DBAPIError:
            pass
        self._close()
        with contextlib.suppress(DBAPIError), self.app.app_context():
            lease.release(db.session, self.holder)  # the lease row shows the runner left


def lock_for(app: Flask) -> SchedulerLock:
    with app.app_context():
        dialect = db.engine.dialect.name
    return AdvisoryLock(app) if dialect == "postgresql" else LeaseLock(app)
