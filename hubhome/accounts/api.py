"""API: tokens and the caller's own account."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from marshmallow import Schema, fields

from hubhome.accounts import services
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.audit.services import record
from hubhome.calendar.services import feed_for as calendar_feed_for
from hubhome.calendar.services import feed_url as calendar_feed_url
from hubhome.errors import problem
from hubhome.extensions import db, limiter
from hubhome.permissions import constellation_ids_visible_to

blp = Blueprint("api_accounts", __name__, url_prefix="/api/v1", description="Authentication")


class TokenRequestSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True)
    otp = fields.String(load_default=None)


class TokenSchema(Schema):
    token = fields.String()
    expires_at = fields.DateTime()


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    locale = fields.String()
    household_id = fields.Integer(allow_none=True)
    constellation_ids = fields.List(fields.Integer())
    ical_url = fields.String()


def _limit() -> str:
    return str(current_app.config["HUBHOME"].login_rate_limit)


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(_limit, deduct_when=lambda response: response.status_code >= 400)
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
def create_token(body: dict[str, Any]) -> Any:
    """Exchange e-mail, password (and a TOTP code where required) for a bearer token."""
    try:
        user = services.authenticate(db.session, body["email"], body["password"])
    except services.LockedOut:
        return problem(429, "Too Many Requests", "Too many failed attempts; try again later.")
    except services.SignInRefused:
        return problem(401, "Unauthorized", "The e-mail address or password is wrong.")
    if services.mfa_required(user):
        code = body.get("otp") or ""
        if not user.totp_secret or not services.verify_totp(user, code):
            if user.totp_secret and code:
                try:
                    services.second_factor_failed(db.session, user)
                except services.LockedOut:
                    return problem(429, "Too Many Requests", "Too many failed attempts.")
            return problem(401, "Unauthorized", "A valid one-time code (otp) is required.")
    issued = services.issue_api_token(db.session, user)
    record(db.session, user, "auth.token_issued")
    return {"token": issued.token, "expires_at": issued.expires_at}


@blp.route("/auth/token", methods=["DELETE"])
@blp.response(204)
def revoke_token() -> None:
    """Revoke the token used for this request."""
    services.revoke_api_token(g.api_token)
    record(db.session, api_user(), "auth.token_revoked")


@blp.route("/me")
@blp.response(200, MeSchema)
def me() -> Any:
    """Return the caller's account and the constellations they may see."""
    user = api_user()
    ids = list(db.session.scalars(constellation_ids_visible_to(user)))
    feed = calendar_feed_for(db.session, user)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": str(user.role),
        "locale": user.locale,
        "household_id": user.household_id,
        "constellation_ids": sorted(ids),
        "ical_url": calendar_feed_url(feed),
    }
