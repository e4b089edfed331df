"""Pooled connections checked without a round trip, instead of a `SELECT 1` per checkout.

A PostgreSQL server that restarts, or an administrator's `pg_terminate_backend`, closes the
connections idle in each worker's pool: the server sends a last message and the socket's end.
So a connection that is idle and yet readable has been closed by the server (or was told
something it did not wait for, which no Hubhome connection does: none LISTENs). On checkout,
`poll()` on its socket with no wait says which; such a connection is discarded and the pool
hands out another (`DisconnectionError`, SQLAlchemy's documented way). A connection lost
without a word (a network path that drops packets) is not seen here: `pool_recycle` retires
connections before idle limits cut them, and the phone's deadlines bound what a stall costs.
"""

from __future__ import annotations

import select
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool

_installed = False


def closed_by_server(dbapi_connection: Any) -> bool:
    """True when an idle connection's socket has something to read: the server's goodbye."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:  # SQLite: nothing to lose
        return False
    try:
        descriptor = fileno()
    except Exception:  # noqa: BLE001  (psycopg raises when the connection is already closed)
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if closed_by_server(dbapi_connection):
        raise DisconnectionError("the server closed this pooled connection")


def install_pool_checks() -> None:
    """Check every pool's connections on checkout (once per process)."""
    global _installed
    if not _installed:
        event.listen(Pool, "checkout", _on_checkout)
        _installed = True
