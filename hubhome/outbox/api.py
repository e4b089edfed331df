"""API: outgoing messages, for administrators."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields

from hubhome.accounts.models import Role
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db
from hubhome.outbox.services import list_outbox

blp = Blueprint("api_outbox", __name__, url_prefix="/api/v1", description="Outbox")


class OutboxMessageSchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    purpose = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    created_at = fields.DateTime()
    due_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    provider_status = fields.String(allow_none=True)
    last_error = fields.String(allow_none=True)


@blp.route("/outbox")
@blp.response(200, OutboxMessageSchema(many=True))
def list_messages() -> Any:
    """List the organisation's outgoing messages (administrators only)."""
    user = api_user()
    if user.role != Role.ADMIN:
        abort(403)
    return list_outbox(db.session, user.organisation_id)
