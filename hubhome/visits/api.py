"""API: contact visits, visible only to those the pages show them to."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db
from hubhome.permissions import visit_child_ids_visible_to
from hubhome.visits import services

blp = Blueprint(
    "api_visits", __name__, url_prefix="/api/v1/contact-visits", description="Contact visits"
)


class VisitQuery(Schema):
    child_id = fields.Integer(load_default=None)


class VisitOut(Schema):
    id = fields.Integer()
    child_id = fields.Integer()
    relatives = fields.String()
    place = fields.String()
    supervisor = fields.String()
    supervisor_name = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String()
    note_after = fields.String(allow_none=True)


@blp.route("")
@blp.arguments(VisitQuery, location="query")
@blp.response(200, VisitOut(many=True))
def list_visits(args: dict[str, Any]) -> Any:
    """Contact visits of the children the caller may see them for (reads are audited)."""
    user = api_user()
    if args["child_id"] is not None:
        ids = visit_child_ids_visible_to(user).subquery()
        if db.session.scalar(ids.select().where(ids.c[0] == args["child_id"])) is None:
            abort(404)
    visits = services.visible_visits(db.session, user, child_id=args["child_id"])
    services.audit_reads(db.session, user, [v.child_id for v in visits])
    return [
        {name: getattr(visit, name) for name in VisitOut._declared_fields}
        | {"supervisor": str(visit.supervisor), "status": str(visit.status)}
        for visit in visits
    ]
