"""API: the audit log, for administrators."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields, validate

from hubhome.accounts.models import Role
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.audit.queries import search_audit
from hubhome.extensions import db

ACTION_LENGTH = 64  # audit_events.action's column

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1", description="Audit")


class AuditQuerySchema(Schema):
    actor_id = fields.Integer(load_default=None)
    child_id = fields.Integer(load_default=None)
    household_id = fields.Integer(load_default=None)
    action = fields.String(load_default=None, validate=validate.Length(max=ACTION_LENGTH))
    date_from = fields.Date(data_key="from", load_default=None)
    date_to = fields.Date(data_key="to", load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String(allow_none=True)
    action = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.Integer(allow_none=True)
    child_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
    ip = fields.String(allow_none=True)
    channel = fields.String()


@blp.route("/audit")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditEventSchema(many=True))
def list_audit(args: dict[str, Any]) -> Any:
    """Search the organisation's audit log (administrators only)."""
    user = api_user()
    if user.role != Role.ADMIN:
        abort(403)
    return search_audit(db.session, user.organisation_id, **args)
