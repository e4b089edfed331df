"""API: children, at the caller's access level; every read is audited."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.audit.services import record
from hubhome.children import services
from hubhome.children.models import Gender
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


class ChildCreateSchema(Schema):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    birth_date = fields.Date(required=True)
    gender = fields.String(
        load_default=Gender.UNKNOWN.value, validate=validate.OneOf([g.value for g in Gender])
    )
    personnummer = fields.String(load_default=None, allow_none=True)
    protected_identity = fields.Boolean(load_default=False)
    household_id = fields.Integer(required=True)
    placement_start = fields.Date(required=True)


@blp.route("/children", methods=["POST"])
@blp.arguments(ChildCreateSchema)
@blp.response(201, ChildSchema)
def create_child(body: dict[str, Any]) -> Any:
    """Register a child and their placement (social workers and administrators)."""
    user = api_user()
    child = services.register_child(
        db.session,
        user,
        first_name=body["first_name"],
        last_name=body["last_name"],
        birth_date=body["birth_date"],
        gender=Gender(body["gender"]),
        personnummer=body["personnummer"],
        protected_identity=body["protected_identity"],
        household_id=body["household_id"],
        placement_start=body["placement_start"],
        social_worker_id=None,
    )
    placement = services.current_placement(db.session, child)
    return child_view(child, child_access(user, child), placement, local_today())


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
    return child_view(child, access, placement, local_today())
