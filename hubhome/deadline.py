"""Deadlines: a view answers within N seconds whatever the database or Twilio does.

Nothing else bounds a request stuck on a stalled connection: the server never sees a query
that a dead network path holds, so PostgreSQL's `statement_timeout` cannot end it, and libpq
has no read timeout. `deadline(seconds)` arms a one-shot real-time timer (SIGALRM); when it
fires, `DeadlineExceeded` is raised in the main thread wherever the block then is. psycopg
waits for the server in slices of 0.1 s and returns to Python between them, so a query on a
held connection is interrupted too, within about 0.1 s of the deadline.

Signals reach only the main thread: the deadline is enforced in gunicorn's sync workers (the
ones `hubhome serve` runs), the scheduler and the CLI; in a threaded server (the demo's)
the block simply runs unbounded. Deadlines do not nest: inside an armed one, `deadline()`
arms nothing and the outer one governs.

`answer_within(seconds, fallback)` is the view decorator: past the deadline it throws away
the request's database connections (they may be mid-query on a dead path: invalidated, never
rolled back or returned to the pool) and answers `fallback()` instead.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec

from flask import request
from flask.typing import ResponseReturnValue

from hubhome.extensions import db

log = logging.getLogger(__name__)

P = ParamSpec("P")

# After the deadline the timer fires again at this interval until the block ends: code that
# catches what the interruption turned into (psycopg raises its own error from the cleanup
# of an interrupted pre-ping, say) cannot go on to wait for ever.
REPEAT_SECONDS = 0.25


class DeadlineExceeded(BaseException):  # noqa: N818  (named for what happened, like TimeoutError)
    """The block ran past its deadline.

    A BaseException, like KeyboardInterrupt: ``except Exception`` does not swallow it, and
    SQLAlchemy treats it as an exit exception, invalidating the connection it interrupted
    instead of rolling back over a connection that may never answer.
    """

    def __init__(self, limit: Deadline) -> None:
        super().__init__(f"no answer within {limit.seconds:g} s")
        self.limit = limit


@dataclass(eq=False)
class Deadline:
    """One `deadline()` block: armed when it has the timer, expired once the timer fired."""

    seconds: float
    armed: bool = False
    expired: bool = False
    exiting: bool = False


_current: Deadline | None = None


def can_arm() -> bool:
    """Whether a deadline can be enforced here (a main thread on a system with SIGALRM)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Raise `DeadlineExceeded` in the block if it runs longer than `seconds`.

    Yields the `Deadline`; an exception whose ``limit`` is another deadline belongs to an
    outer block and must be let through.
    """
    global _current
    limit = Deadline(seconds)
    if _current is not None or not can_arm():
        yield limit
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    _current, limit.armed = limit, True
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    try:
        yield limit
    finally:
        # First statement, with no call before it: from here the handler raises no more.
        limit.exiting = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        _current, limit.armed = None, False
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def _expire(signum: int, frame: Any) -> None:
    limit = _current
    if limit is None or limit.exiting:
        return
    limit.expired = True
    raise DeadlineExceeded(limit)


def answer_within(
    seconds: float, fallback: Callable[[], ResponseReturnValue]
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, ResponseReturnValue]]:
    """Decorate a view: past `seconds`, drop its database connections and answer `fallback()`.

    Bounds the view only, not the request's before/after hooks. Any statement of the view
    may be cut off, a commit included: what the view writes must be safe to find half done
    (one transaction) or done without the answer saying so.
    """

    def decorate(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
        @wraps(view)
        def bounded(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            limit: Deadline | None = None
            try:
                with deadline(seconds) as limit:
                    return view(*args, **kwargs)
            except DeadlineExceeded as exc:
                if exc.limit is not limit:
                    raise
            log.warning("%s ran past its %g s deadline", request.path, seconds)
            db.session().invalidate()  # the scoped proxy does not forward invalidate()
            return fallback()

        return bounded

    return decorate
