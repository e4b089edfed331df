"""API: events and answers, with the same rules as the pages."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hubhome.activities import answers, queries, services
from hubhome.activities.models import ActivityKind
from hubhome.activities.recurrence import MAX_OCCURRENCES, Repeat
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.permissions import get_activity_or_404, get_constellation_or_404
from hubhome.timeutil import local_to_utc

blp = Blueprint(
    "api_activities", __name__, url_prefix="/api/v1/activities", description="Activities"
)


class ActivityQuery(Schema):
    constellation_id = fields.Integer(required=True)
    start = fields.Date(data_key="from", load_default=None)
    end = fields.Date(data_key="to", load_default=None)

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("must not be before 'from'", "to")


class ActivityIn(Schema):
    constellation_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActivityKind]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=120))
    date = fields.Date(required=True)
    start = fields.Time(required=True)
    end = fields.Time(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    capacity = fields.Integer(load_default=None, validate=validate.Range(min=1, max=500))
    household_ids = fields.List(fields.Integer(), load_default=list)
    repeat = fields.String(load_default="none", validate=validate.OneOf([r.value for r in Repeat]))
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_OCCURRENCES))


class AnswerOut(Schema):
    household_id = fields.Integer()
    status = fields.String()
    adults = fields.Integer()
    children = fields.Integer()
    needs = fields.String(allow_none=True)
    attended = fields.Boolean(allow_none=True)


class ActivityOut(Schema):
    id = fields.Integer()
    constellation_id = fields.Integer()
    series_id = fields.Integer(allow_none=True)
    kind = fields.String()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    free_places = fields.Integer(allow_none=True)
    status = fields.String()
    invite_all = fields.Boolean()
    household_ids = fields.List(fields.Integer())
    answers = fields.List(fields.Nested(AnswerOut))


class RsvpIn(Schema):
    household_id = fields.Integer(load_default=None)
    attending = fields.Boolean(required=True)
    adults = fields.Integer(load_default=0, validate=validate.Range(min=0, max=answers.MAX_PEOPLE))
    children = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=answers.MAX_PEOPLE)
    )
    note = fields.String(load_default="", validate=validate.Length(max=500))
    waiting = fields.Boolean(load_default=False)  # accept a waiting place when full


def _out(activity: Any, user: Any) -> dict[str, Any]:
    from hubhome.permissions import can_plan_activities

    planner = can_plan_activities(user, activity.constellation)
    shown = [a for a in activity.answers if planner or a.household_id == user.household_id]
    return {
        "id": activity.id,
        "constellation_id": activity.constellation_id,
        "series_id": activity.series_id,
        "kind": str(activity.kind),
        "title": activity.title,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place": activity.place,
        "description": activity.description,
        "capacity": activity.capacity,
        "free_places": answers.free_places(activity),
        "status": str(activity.status),
        "invite_all": activity.invite_all,
        "household_ids": [i.household_id for i in activity.invitees],
        "answers": [
            {
                "household_id": a.household_id,
                "status": str(a.status),
                "adults": a.adults,
                "children": a.children,
                "needs": a.needs,
                "attended": a.attended,
            }
            for a in shown
        ],
    }


@blp.route("")
@blp.arguments(ActivityQuery, location="query")
@blp.response(200, ActivityOut(many=True))
def list_activities(args: dict[str, Any]) -> Any:
    """A constellation's events the caller may see, within [from, to] (Stockholm dates)."""
    user = api_user()
    constellation = get_constellation_or_404(user, args["constellation_id"])
    start = local_to_utc(args["start"], time(0)) if args["start"] else None
    end = local_to_utc(args["end"] + timedelta(days=1), time(0)) if args["end"] else None
    items = queries.visible_activities(
        db.session, user, constellation_id=constellation.id, start=start, end=end
    )
    return [_out(a, user) for a in items]


@blp.route("", methods=["POST"])
@blp.arguments(ActivityIn)
@blp.response(201, ActivityOut(many=True))
def create_activity(body: dict[str, Any]) -> Any:
    """Plan an event or a repeating series (hub carer, liaison); returns every occurrence."""
    user = api_user()
    get_constellation_or_404(user, body["constellation_id"])
    created = services.create_activities(
        db.session,
        user,
        services.ActivityPlan(
            constellation_id=body["constellation_id"],
            kind=ActivityKind(body["kind"]),
            title=body["title"],
            day=body["date"],
            start=body["start"],
            end=body["end"],
            place=body["place"],
            description=body["description"],
            capacity=body["capacity"],
            household_ids=body["household_ids"],
            repeat=Repeat(body["repeat"]),
            count=body["count"],
        ),
    )
    return [_out(a, user) for a in created]


@blp.route("/<int:activity_id>/rsvp", methods=["POST"])
@blp.arguments(RsvpIn)
@blp.response(200, AnswerOut)
def rsvp(body: dict[str, Any], activity_id: int) -> Any:
    """Answer for the caller's family (or, for planners, a named one); 409 when full."""
    user = api_user()
    activity = get_activity_or_404(user, activity_id)
    household_id = body["household_id"] or user.household_id
    if household_id is None:
        raise ValidationFailed(
            "household_id is required",
            errors={"household_id": ["Missing data for required field."]},
        )
    saved = services.answer(
        db.session,
        user,
        activity,
        services.Answer(
            household_id=household_id,
            attending=body["attending"],
            adults=body["adults"],
            children=body["children"],
            needs=body["note"],
            accept_waiting=body["waiting"],
        ),
    )
    return {
        "household_id": saved.household_id,
        "status": str(saved.status),
        "adults": saved.adults,
        "children": saved.children,
        "needs": saved.needs,
        "attended": saved.attended,
    }
