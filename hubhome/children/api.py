"""API: children, at the caller's access level; every read is audited."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hubhome.api.auth import api_user
from hubhome.audit.services import record
from hubhome.children import services
from hubhome.children.presenters import child_view
from hubhome.extensions import db
from hubhome.permissions import child_access, get_child_or_404
from hubhome.timeutil import local_today

blp = Blueprint("api_children", __name__, url_prefix="/api/v1", description="Children")


class PlacementSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    start_date = fields.String()
    social_worker_id = fields.Integer(allow_none=True)


class ChildSchema(Schema):
    id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    age = fields.Integer()
    birth_date = fields.String()
    birth_year = fields.Integer()
    gender = fields.String()
    protected_identity = fields.Boolean()
    personnummer_masked = fields.String(allow_none=True)
    access = fields.String()
    placement = fields.Nested(PlacementSchema)


@blp.route("/children")
@blp.response(200, ChildSchema(many=True))
def list_children() -> Any:
    """List the children the caller may see, each at the caller's access level."""
    user = api_user()
    today = local_today()
    out = []
    for child, placement, access in services.visible_children_with_access(db.session, user):
        out.append(child_view(child, access, placement, today))
        record(db.session, user, "child.list_view", child)
    db.session.commit()
    return out


@blp.route("/children/<int:child_id>")
@blp.response(200, ChildSchema)
def get_child(child_id: int) -> Any:
    """Return one child (404 outside the caller's scope: existence is not leaked)."""
    user = api_user()
    child = get_child_or_404(user, child_id)
    access = child_access(user, child)
    placement = services.current_placement(db.session, child)
    record(db.session, user, "child.view", child, detail={"access": access.name})
    db.session.commit()
    return child_view(child, access, placement, local_today())
