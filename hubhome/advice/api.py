"""API: advice contacts, visible as on the pages."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hubhome.advice import services
from hubhome.advice.models import AdviceChannel, AdviceTopic, Urgency
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db

blp = Blueprint(
    "api_advice", __name__, url_prefix="/api/v1/advice-contacts", description="Advice log"
)


class AdviceIn(Schema):
    household_id = fields.Integer(required=True)
    asked_by = fields.String(required=True, validate=validate.Length(min=1, max=80))
    channel = fields.String(
        required=True, validate=validate.OneOf([c.value for c in AdviceChannel])
    )
    topic = fields.String(required=True, validate=validate.OneOf([t.value for t in AdviceTopic]))
    urgency = fields.String(
        load_default="normal", validate=validate.OneOf([u.value for u in Urgency])
    )
    summary = fields.String(required=True, validate=validate.Length(min=1, max=500))
    follow_up_on = fields.Date(load_default=None)
    call_id = fields.Integer(load_default=None)
    occurred_at = fields.AwareDateTime(load_default=None)  # when it happened; now if absent
    child_id = fields.Integer(load_default=None)  # the child placed in the family it concerned


class AdviceOut(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    constellation_id = fields.Integer(allow_none=True)
    logged_by_id = fields.Integer()
    asked_by = fields.String()
    channel = fields.String()
    topic = fields.String()
    urgency = fields.String()
    summary = fields.String()
    follow_up_on = fields.Date(allow_none=True)
    follow_up_done_at = fields.DateTime(allow_none=True)
    call_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    occurred_at = fields.DateTime(allow_none=True)
    child_id = fields.Integer(allow_none=True)


class AdviceQuery(Schema):
    household_id = fields.Integer(load_default=None)


def _out(contact: Any) -> dict[str, Any]:
    data = {name: getattr(contact, name) for name in AdviceOut._declared_fields}
    return data | {
        "channel": str(contact.channel),
        "topic": str(contact.topic),
        "urgency": str(contact.urgency),
    }


@blp.route("")
@blp.arguments(AdviceQuery, location="query")
@blp.response(200, AdviceOut(many=True))
def list_contacts(args: dict[str, Any]) -> Any:
    """The advice contacts the caller may read; a family only its own."""
    contacts = services.visible_contacts(db.session, api_user(), household_id=args["household_id"])
    return [_out(c) for c in contacts]


@blp.route("", methods=["POST"])
@blp.arguments(AdviceIn)
@blp.response(201, AdviceOut)
def create_contact(body: dict[str, Any]) -> Any:
    """Log an advice contact (hub carers, on-call staff, social workers)."""
    contact = services.log_contact(
        db.session,
        api_user(),
        services.AdviceEntry(
            household_id=body["household_id"],
            asked_by=body["asked_by"],
            channel=AdviceChannel(body["channel"]),
            topic=AdviceTopic(body["topic"]),
            urgency=Urgency(body["urgency"]),
            summary=body["summary"],
            follow_up_on=body["follow_up_on"],
            call_id=body["call_id"],
            occurred_at=body["occurred_at"],
            child_id=body["child_id"],
        ),
    )
    return _out(contact)
