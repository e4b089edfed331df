"""Bearer-token authentication for the API; the session cookie is never used there."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import bindparam, event, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from hubhome.accounts.models import ApiToken, User
from hubhome.accounts.services import user_for_token
from hubhome.db import DbSession, table_of
from hubhome.errors import problem
from hubhome.extensions import db
from hubhome.timeutil import utcnow

log = logging.getLogger(__name__)

PUBLIC_API_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/openapi.json"})
LAST_USED_PRECISION = timedelta(minutes=1)
SIGNED_IN_METHODS = {"/api/v1/auth/token": frozenset({"DELETE"})}  # revoking needs the token


def authenticate_api_request() -> Response | None:
    """Set g.api_user from the Authorization header, or answer 401 for /api/v1 paths."""
    if not request.path.startswith("/api/"):
        return None
    g.audit_channel = "api"
    if request.path in PUBLIC_API_PATHS and request.method not in SIGNED_IN_METHODS.get(
        request.path, ()
    ):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    row = user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        response = problem(401, "Unauthorized", "A valid bearer token is required.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="hubhome"'
        return response
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        g.token_use_due = (row.id, now)  # written when the request commits, or at its end
        set_committed_value(row, "last_used_at", now)
    g.api_user = row.user
    g.api_token = row
    return None


_TOKENS = table_of(ApiToken)
_TOUCH = (  # built once; a Core statement, since the loaded row already holds the new time
    update(_TOKENS)
    .where(_TOKENS.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("at"))
)


def _write_use(session: DbSession, token_id: int, at: datetime) -> None:
    session.connection().execute(_TOUCH, {"token_id": token_id, "at": at})


def _ride_along(session: Session) -> None:
    """Write a due last-use in the transaction the request commits anyway (no extra commit)."""
    if has_request_context() and (due := g.pop("token_use_due", None)):
        _write_use(session, *due)


def _write_if_not_committed(_error: BaseException | None) -> None:
    """At the end of a request that committed nothing (a read, a refusal), write it alone.

    On PostgreSQL this commit does not wait for the disk (`synchronous_commit off`, this
    transaction only): a crash may lose a last-use time, never anything else.
    """
    due = g.pop("token_use_due", None)
    if due is None:
        return
    try:
        db.session.rollback()
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        _write_use(db.session, *due)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not record an API token's last use", exc_info=True)


def init_token_use(app: Flask) -> None:
    """Record each token's last use at most once a minute, without a commit of its own
    when the request commits anyway (a booking, say)."""
    if not event.contains(Session, "before_commit", _ride_along):
        event.listen(Session, "before_commit", _ride_along)
    app.teardown_request(_write_if_not_committed)


def api_user() -> User:
    """Return the user authenticated by the bearer token of this request."""
    user: User = g.api_user
    return user
