"""API: a browser's Web Push subscription for the signed-in person."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields, validate

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db
from hubhome.notify import services

blp = Blueprint(
    "api_push", __name__, url_prefix="/api/v1/push-subscriptions", description="Web Push"
)


class KeysIn(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(min=1, max=200))
    auth = fields.String(required=True, validate=validate.Length(min=1, max=100))


class SubscriptionIn(Schema):
    """`PushSubscription.toJSON()` as the browser gives it."""

    endpoint = fields.String(
        required=True, validate=validate.Length(min=1, max=services.MAX_ENDPOINT)
    )
    keys = fields.Nested(KeysIn, required=True)
    expirationTime = fields.Raw(load_default=None, allow_none=True)  # noqa: N815


class EndpointIn(Schema):
    endpoint = fields.String(
        required=True, validate=validate.Length(min=1, max=services.MAX_ENDPOINT)
    )


class SubscriptionOut(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    created_at = fields.DateTime()


@blp.route("", methods=["POST"])
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscriptionOut)
def subscribe(body: dict[str, Any]) -> Any:
    """Store this browser's push subscription for the caller."""
    return services.subscribe(
        db.session,
        api_user(),
        endpoint=body["endpoint"],
        p256dh=body["keys"]["p256dh"],
        auth=body["keys"]["auth"],
    )


@blp.route("", methods=["DELETE"])
@blp.arguments(EndpointIn)
@blp.response(204)
def unsubscribe(body: dict[str, Any]) -> Any:
    """Remove the caller's subscription for this endpoint (404 when they have none)."""
    if not services.unsubscribe(db.session, api_user(), body["endpoint"]):
        abort(404)
    return None
