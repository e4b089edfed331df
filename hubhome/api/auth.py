"""Bearer-token authentication for the API; the session cookie is never used there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Response, g, request
from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from hubhome.accounts.models import ApiToken, User
from hubhome.accounts.services import user_for_token
from hubhome.db import DbSession, table_of
from hubhome.errors import problem
from hubhome.extensions import db
from hubhome.timeutil import utcnow
from hubhome.transaction import commit_regardless

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
        commit_regardless(_last_use(row.id, now), durable=False)
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


def _last_use(token_id: int, at: datetime) -> Callable[[DbSession], None]:
    """The write of a token's last use: in the request's commit when it commits anyway (a
    booking, a read), alone after a rollback (a refusal), never waiting for the disk then."""

    def write(session: DbSession) -> None:
        session.connection().execute(_TOUCH, {"token_id": token_id, "at": at})

    return write


def api_user() -> User:
    """Return the user authenticated by the bearer token of this request."""
    user: User = g.api_user
    return user
