"""Server-side sessions: the cookie is an opaque random id, the session lives in the database.

Ending a session deletes its row, so a copied cookie opens nothing afterwards. A session
ends after `HUBHOME_SESSION_IDLE_MINUTES` without a request and in any case
`HUBHOME_SESSION_MAX_HOURS` after it began. The row is read when the request starts, in the
request's own transaction, and written after the request's unit of work has ended, in a
short one of its own, so a refused request (a 401 page with a fresh CSRF token) still keeps
its session. Only sessions that hold something are stored, and the last request's time is
kept to the minute, so a signed-in page view writes at most once a minute.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import Flask, Request, Response
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import Delete, Select, String, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import CallbackDict

from hubhome.accounts.models import UserSession
from hubhome.db import DbSession, table_of
from hubhome.extensions import db
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)
TOUCH_PRECISION = timedelta(minutes=1)
USER_KEY = "_user_id"  # where Flask-Login keeps the signed-in user's id
_serializer = TaggedJSONSerializer()


def session_key(token: str) -> str:
    """The stored key of a cookie's id: a database dump holds no usable cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """The session of one request; `key` is None until it is first stored."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        created_at: datetime | None = None,
        last_seen_at: datetime | None = None,
    ) -> None:
        def on_update(_self: Any) -> None:
            self.modified = True

        super().__init__(initial, on_update)
        self.token = token
        self.created_at = created_at
        self.last_seen_at = last_seen_at
        self.modified = False
        self.replaced: str | None = None  # the old token after `renew()`

    @property
    def new(self) -> bool:  # type: ignore[override]  # SessionMixin declares a plain attribute
        return self.token is None

    def renew(self) -> None:
        """Give the session a new id (at sign-in: an id planted before it is worth nothing)."""
        if self.token is not None:
            self.replaced = self.token
        self.token = None
        self.created_at = None
        self.modified = True


@cache
def _by_key() -> Select[Any]:
    return select(UserSession).where(UserSession.id == bindparam("key", type_=String))


@cache
def _drop() -> Delete:
    table = table_of(UserSession)
    return delete(table).where(table.c.id == bindparam("key", type_=String))


def _limits(app: Flask) -> tuple[timedelta, timedelta]:
    settings = app.config["HUBHOME"]
    return (
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_max_hours),
    )


def _live(row: UserSession, now: datetime, idle: timedelta, lifetime: timedelta) -> bool:
    return now - row.last_seen_at < idle and now - row.created_at < lifetime


class ServerSessionInterface(SessionInterface):
    """Flask's session, kept in the `user_sessions` table under an opaque cookie."""

    def open_session(self, app: Flask, request: Request) -> ServerSession | None:
        if _stateless(request.path):
            return ServerSession()
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > 100:
            return ServerSession()
        try:
            row = db.session.scalar(_by_key(), {"key": session_key(token)})
        except SQLAlchemyError:  # the database is away: answer as to a visitor
            log.warning("could not read a session", exc_info=True)
            return ServerSession()
        idle, lifetime = _limits(app)
        if row is None or not _live(row, utcnow(), idle, lifetime):
            return ServerSession()
        return ServerSession(
            _serializer.loads(row.data),
            token=token,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
        )

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, ServerSession) or _stateless_response(response):
            return
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        now = utcnow()
        if not session:
            if session.token is not None or session.replaced is not None:
                _write(lambda s: _forget(s, session))
                response.delete_cookie(name, domain=domain, path=path)
            return
        if session.new:
            session.token = secrets.token_urlsafe(32)
            session.created_at = now
            _write(lambda s: _create(s, session, now, _user_agent()))
        elif session.modified:
            _write(lambda s: _update(s, session, now))
        elif session.last_seen_at is None or now - session.last_seen_at >= TOUCH_PRECISION:
            _write(lambda s: _touch(s, session, now))
        else:
            return
        _idle, lifetime = _limits(app)
        assert session.created_at is not None  # noqa: S101  (set above for a new session)
        assert session.token is not None  # noqa: S101
        response.set_cookie(
            name,
            session.token,
            expires=session.created_at + lifetime,
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")


def _stateless(path: str) -> bool:
    """The API takes bearer tokens, never cookies; static files need no session."""
    return path.startswith(("/api/", "/static/"))


def _stateless_response(response: Response) -> bool:
    from flask import request

    return _stateless(request.path)


def _user_agent() -> str | None:
    from flask import request

    agent = request.user_agent.string
    return agent[:200] if agent else None


def _user_id(session: ServerSession) -> int | None:
    value = session.get(USER_KEY)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _write(work: Any) -> None:
    """Store the session after the request's unit of work, in a short one of its own."""
    try:
        with unit_of_work(db.session) as session:
            work(session)
    except SQLAlchemyError:
        log.warning("could not store a session", exc_info=True)


def _forget(session: DbSession, state: ServerSession) -> None:
    for token in (state.token, state.replaced):
        if token is not None:
            session.connection().execute(_drop(), {"key": session_key(token)})


def _create(session: DbSession, state: ServerSession, now: datetime, agent: str | None) -> None:
    if state.replaced is not None:
        session.connection().execute(_drop(), {"key": session_key(state.replaced)})
    assert state.token is not None  # noqa: S101
    session.connection().execute(
        insert(table_of(UserSession)),
        {
            "id": session_key(state.token),
            "user_id": _user_id(state),
            "data": _serializer.dumps(dict(state)),
            "created_at": now,
            "last_seen_at": now,
            "user_agent": agent,
        },
    )


def _update(session: DbSession, state: ServerSession, now: datetime) -> None:
    """Keep what the request put in the session; a row ended meanwhile stays ended."""
    assert state.token is not None  # noqa: S101
    table = table_of(UserSession)
    session.connection().execute(
        update(table)
        .where(table.c.id == session_key(state.token))
        .values(data=_serializer.dumps(dict(state)), last_seen_at=now, user_id=_user_id(state))
    )


def _touch(session: DbSession, state: ServerSession, now: datetime) -> None:
    assert state.token is not None  # noqa: S101
    table = table_of(UserSession)
    session.connection().execute(
        update(table).where(table.c.id == session_key(state.token)).values(last_seen_at=now)
    )


def renew_session() -> None:
    """Give this request's session a new id, ending the old one (at sign-in and sign-out)."""
    from flask import session

    if isinstance(session, ServerSession):
        session.renew()


def current_session_key() -> str | None:
    """The stored key of this request's session, to mark it in the list."""
    from flask import session

    token = getattr(session, "token", None)
    return session_key(token) if token else None


# --- what the account page and administrators do with sessions -------------------------------


def active_sessions(
    session: DbSession, user_id: int, idle: timedelta, lifetime: timedelta
) -> list[UserSession]:
    """A user's sessions that still open pages, the most recent first."""
    now = utcnow()
    rows = session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.last_seen_at > now - idle,
            UserSession.created_at > now - lifetime,
        )
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(rows)


def end_sessions(session: DbSession, user_ids: Iterable[int]) -> int:
    """End every session of these users at once; return how many there were."""
    ids = list(user_ids)
    if not ids:
        return 0
    table = table_of(UserSession)
    result = session.connection().execute(delete(table).where(table.c.user_id.in_(ids)))
    return int(result.rowcount or 0)


def end_session(session: DbSession, user_id: int, key: str) -> bool:
    """End one of a user's sessions by its stored key; False when it is not theirs."""
    table = table_of(UserSession)
    result = session.connection().execute(
        delete(table).where(table.c.id == key, table.c.user_id == user_id)
    )
    return bool(result.rowcount)


def purge_expired(session: DbSession, idle: timedelta, lifetime: timedelta) -> int:
    """Delete sessions that can no longer open anything (the job keeps the table small)."""
    now = utcnow()
    table = table_of(UserSession)
    result = session.connection().execute(
        delete(table).where(
            or_(table.c.last_seen_at <= now - idle, table.c.created_at <= now - lifetime)
        )
    )
    return int(result.rowcount or 0)
