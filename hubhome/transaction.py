"""The unit of work: a request, a CLI command or a job commits once, at its boundary.

A request commits after its view returns a response under 400 and rolls back on an error
status or on any exception, before an error handler renders anything (Indico's `RH.process`,
Warehouse's `pyramid_tm`): `UnitOfWorkFlask` does it around every view. CLI commands and
jobs run their work in `unit_of_work()`. Views, services and jobs never call `commit()` or
`rollback()`; messages that leave the process are written to the outbox in the same
transaction, so a rolled-back unit sends nothing.

The few writes that must not share the unit's fate have one named way each:

- `commit_regardless(write)`: a write that must outlive a rollback (a token's last use, a
  refused sign-in, the audit of a refused request). It rides in the unit's commit when there
  is one, or runs right after the rollback in a short transaction of its own.
- `after_commit(action)`: work that may only start once the unit is committed (sending an
  alert at once). A rolled-back unit drops it.
- The scheduler's lock (`jobs.lock`, `jobs.lease`) lives beside any unit of work, on a
  connection or in transactions of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Flask, Response, request
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from hubhome.db import DbSession
from hubhome.extensions import db

log = logging.getLogger(__name__)

Write = Callable[[DbSession], None]
_PENDING = "hubhome.unit_of_work"


@dataclass
class _Pending:
    """What a session's unit of work owes beside its own writes (kept in `session.info`)."""

    regardless: list[tuple[Write, bool]] = field(default_factory=list)  # (write, durable)
    after: list[Callable[[], object]] = field(default_factory=list)


def _pending(session: DbSession) -> _Pending:
    found = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = _Pending()
    return found


def commit_regardless(
    write: Write, *, durable: bool = True, session: DbSession | None = None
) -> None:
    """Have `write(session)` committed whether or not the unit of work commits.

    It runs in the unit's commit when the unit succeeds, and otherwise right after the
    rollback, alone. `durable=False` lets PostgreSQL skip waiting for the disk when it runs
    alone: for a write a crash may lose (a token's last use), never for a record.
    """
    _pending(session or db.session).regardless.append((write, durable))


def after_commit(action: Callable[[], object], *, session: DbSession | None = None) -> None:
    """Run `action` once the unit of work has committed; a rolled-back unit never runs it."""
    _pending(session or db.session).after.append(action)


def commit(session: DbSession) -> None:
    """Commit the unit of work: its regardless writes ride along, then its after-commit work.

    A failed commit is rolled back before the error goes on; the regardless writes then
    wait for `write_alone`.
    """
    pending = session.info.pop(_PENDING, None) or _Pending()
    try:
        for write, _durable in pending.regardless:
            write(session)
        session.commit()
    except BaseException:
        roll_back(session)
        _pending(session).regardless.extend(pending.regardless)
        raise
    for action in pending.after:
        action()


def roll_back(session: DbSession) -> None:
    """Roll the unit of work back and forget its after-commit work."""
    pending = session.info.get(_PENDING)
    if pending is not None:
        pending.after.clear()
    try:
        session.rollback()
    except SQLAlchemyError:  # the connection is gone; the pool discards it
        log.warning("rollback failed", exc_info=True)


def write_alone(session: DbSession) -> None:
    """After a rollback, commit the regardless writes in a transaction of their own."""
    pending = session.info.pop(_PENDING, None)
    if pending is None or not pending.regardless:
        return
    try:
        session.rollback()  # nothing of the failed unit rides along
        durable = any(durable for _write, durable in pending.regardless)
        if not durable and session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        for write, _durable in pending.regardless:
            write(session)
        session.commit()
    except SQLAlchemyError:
        roll_back(session)
        log.warning("could not write what must outlive a rollback", exc_info=True)


@contextmanager
def unit_of_work(session: DbSession | None = None) -> Iterator[DbSession]:
    """Run a CLI command's or a job's work as one transaction: commit when the block ends,
    roll back if it raises (then write what must outlive the rollback)."""
    active = session if session is not None else db.session
    try:
        yield active
    except BaseException:
        roll_back(active)
        write_alone(active)
        raise
    try:
        commit(active)
    except BaseException:
        write_alone(active)
        raise


def retried_once_on(
    *errors: type[Exception],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run a view again, in a fresh unit of work, when its first run fails with one of
    `errors` (a concurrent duplicate that the second run finds made); a second failure goes on.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except errors:
                roll_back(db.session)
            return view(*args, **kwargs)

        return run

    return decorator


UNIT_DEADLINE = "unit_deadline"


def bounded_unit(
    seconds: Callable[[], float], fallback: Callable[[], ResponseReturnValue]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view whose whole unit of work, the view and its commit, ends within
    `seconds()`: past it the unit's connections are thrown away (invalidated, never rolled
    back or returned to the pool: they may be stalled) and `fallback()` answers.

    What the view wrote is then either committed or not at all; `fallback()` must not use
    the database. Enforced where `hubhome.deadline` can arm a timer (gunicorn's sync workers).
    """

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, UNIT_DEADLINE, (seconds, fallback))
        return view

    return mark


def serve_machines(app: Flask, blueprint: str) -> None:
    """Mark a blueprint as called by machines only (Twilio): the application's
    before-request hooks for people are skipped for it (`UnitOfWorkFlask.preprocess_request`)."""
    if isinstance(app, UnitOfWorkFlask):
        app.machine_blueprints.add(blueprint)


def _request_session() -> Session | None:
    """The request's session, if it has used one (no session is made just to end it)."""
    return db.session() if db.session.registry.has() else None


class UnitOfWorkFlask(Flask):
    """Flask, with each request one unit of work on `db.session`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teardown_request(self._end_unit_of_work)
        self.machine_blueprints: set[str] = set()

    def preprocess_request(self) -> ResponseReturnValue | None:
        """For a blueprint only machines call (`serve_machines`), run its own before-request
        hooks, not the application's: those serve people (sign-in, CSRF, rate limits, the
        log reviewer's fence, API tokens) and cost Twilio's webhooks CPU for nothing."""
        if request.blueprint not in self.machine_blueprints:
            return super().preprocess_request()
        for name in reversed(request.blueprints):
            for before in self.before_request_funcs.get(name, ()):
                if (answer := self.ensure_sync(before)()) is not None:
                    return answer
        return None

    def dispatch_request(self) -> ResponseReturnValue:
        """Run the view; commit on a status under 400, roll back on an error status."""
        rule = request.url_rule
        view = self.view_functions.get(rule.endpoint) if rule is not None else None
        bound = getattr(view, UNIT_DEADLINE, None)
        if bound is None:
            return self._dispatch_unit()
        from hubhome.deadline import DeadlineExceeded, deadline

        seconds, fallback = bound
        limit = None
        try:
            with deadline(seconds()) as limit:
                return self._dispatch_unit()
        except DeadlineExceeded as exc:
            if exc.limit is not limit:
                raise
        log.warning("%s ran past its %g s deadline", request.path, limit.seconds)
        if (session := _request_session()) is not None:
            session.info.pop(_PENDING, None)  # nothing more may wait on a stalled database
            session.invalidate()
        return self.make_response(fallback())

    def _dispatch_unit(self) -> Response:
        response = self.make_response(super().dispatch_request())
        if (session := _request_session()) is not None:
            if response.status_code < 400:
                commit(session)
            else:
                roll_back(session)
        return response

    def handle_user_exception(self, e: Exception) -> HTTPException | ResponseReturnValue:
        """Roll back before an error handler renders the error."""
        if (session := _request_session()) is not None:
            roll_back(session)
        return super().handle_user_exception(e)

    def handle_exception(self, e: Exception) -> Response:
        if (session := _request_session()) is not None:
            roll_back(session)
        return super().handle_exception(e)

    @staticmethod
    def _end_unit_of_work(_error: BaseException | None) -> None:
        """A request that did not commit (an error, a refusal before the view) still writes
        what must outlive its rollback; its after-commit work is dropped."""
        session = _request_session()
        pending = session.info.get(_PENDING) if session is not None else None
        if session is None or pending is None:
            return
        pending.after.clear()
        write_alone(session)
