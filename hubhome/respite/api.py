"""API: respite availability and bookings, with the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast, get_args

from flask import abort
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.network.models import Household
from hubhome.permissions import get_booking_or_404, get_constellation_or_404
from hubhome.respite import queries, services
from hubhome.respite.capacity import availability
from hubhome.respite.models import BookingKind

blp = Blueprint("api_respite", __name__, url_prefix="/api/v1/respite", description="Respite")


class AvailabilityQuery(Schema):
    constellation_id = fields.Integer(required=True)
    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("must be after 'from'", "to")
        if data["end"] - data["start"] > timedelta(days=400):
            raise ValidationError("at most 400 nights at a time", "to")


class NightSchema(Schema):
    date = fields.Date()
    beds = fields.Integer()
    free = fields.Integer()


class BookingIn(Schema):
    household_id = fields.Integer(load_default=None)
    child_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1))
    check_in = fields.Date(required=True)
    check_out = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["planned", "emergency"]))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    idempotency_key = fields.String(load_default=None, validate=validate.Length(max=80))


class BookingOut(Schema):
    id = fields.Integer()
    status = fields.String()
    household_id = fields.Integer()
    constellation_id = fields.Integer()
    check_in = fields.Date()
    check_out = fields.Date()
    kind = fields.String()
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    child_ids = fields.List(fields.Integer())


class ReasonIn(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


def _out(booking: Any) -> dict[str, Any]:
    return {
        "id": booking.id,
        "status": str(booking.status),
        "household_id": booking.household_id,
        "constellation_id": booking.constellation_id,
        "check_in": booking.check_in,
        "check_out": booking.check_out,
        "kind": str(booking.kind),
        "note": booking.note,
        "reason": booking.reason,
        "child_ids": [c.child_id for c in booking.children],
    }


@blp.route("/availability")
@blp.arguments(AvailabilityQuery, location="query")
@blp.response(200, NightSchema(many=True))
def get_availability(args: dict[str, Any]) -> Any:
    """Beds and free beds per night at a constellation's hub home (no families named)."""
    constellation = get_constellation_or_404(api_user(), args["constellation_id"])
    if constellation.hub_household_id is None:
        return []
    hub = db.session.get_one(Household, constellation.hub_household_id)
    return [
        {"date": n.day, "beds": n.beds, "free": n.free}
        for n in availability(db.session, hub, args["start"], args["end"])
    ]


@blp.route("/bookings")
@blp.response(200, BookingOut(many=True))
def list_bookings() -> Any:
    """The bookings the caller may see."""
    return [_out(b) for b in queries.visible_bookings(db.session, api_user())]


@blp.route("/bookings", methods=["POST"])
@blp.arguments(BookingIn)
@blp.response(201, BookingOut)
def create_booking(body: dict[str, Any]) -> Any:
    """Ask for respite nights; 409 names the full nights."""
    user = api_user()
    household_id = body["household_id"] or user.household_id
    if household_id is None:
        raise ValidationFailed(
            "household_id is required",
            errors={"household_id": ["Missing data for required field."]},
        )
    created = services.request_booking(
        db.session,
        user,
        services.BookingRequest(
            household_id=household_id,
            child_ids=body["child_ids"],
            check_in=body["check_in"],
            check_out=body["check_out"],
            kind=BookingKind(body["kind"]),
            note=body["note"],
            idempotency_key=body["idempotency_key"],
        ),
    )
    return _out(created)


@blp.route("/bookings/<int:booking_id>/<string:action>", methods=["POST"])
@blp.arguments(ReasonIn)
@blp.response(200, BookingOut)
def change_booking(body: dict[str, Any], booking_id: int, action: str) -> Any:
    """Approve, decline or cancel a booking; 409 when its status changed meanwhile."""
    if action not in get_args(services.Decision):
        abort(404)
    user = api_user()
    booking = get_booking_or_404(user, booking_id)
    services.decide(db.session, user, booking, cast(services.Decision, action), body["reason"])
    return _out(booking)
