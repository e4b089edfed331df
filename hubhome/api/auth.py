"""Bearer-token authentication for the API; the session cookie is never used there."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, request
from sqlalchemy import text, update
from sqlalchemy.orm.attributes import set_committed_value

from hubhome.accounts.models import ApiToken, User
from hubhome.accounts.services import user_for_token
from hubhome.errors import problem
from hubhome.extensions import db
from hubhome.timeutil import utcnow

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
    if row.last_used_at is None or utcnow() - row.last_used_at >= LAST_USED_PRECISION:
        _record_use(row)
    g.api_user = row.user
    g.api_token = row
    return None


def _record_use(row: ApiToken) -> None:
    """Write the token's last use and commit it now, keeping the loaded token and user.

    Committed here, so read-only requests (which never commit) record it too; at most once
    a minute per token, so other requests neither write nor wait for a commit. The token and
    its user are set aside during the commit, which would otherwise expire them and cost
    the request two more queries to load them again. On PostgreSQL the commit does not
    wait for the disk (`synchronous_commit off`, this transaction only): a crash may lose
    a last-use time, never anything else, and the request does not wait for a WAL flush.
    """
    now = utcnow()
    user = row.user
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    set_committed_value(row, "last_used_at", now)
    db.session.expunge(user)
    db.session.expunge(row)
    db.session.commit()
    db.session.add(row)  # back in the session as loaded (its user comes along)


def api_user() -> User:
    """Return the user authenticated by the bearer token of this request."""
    user: User = g.api_user
    return user
