"""API: who is on call and the gaps ahead, and the call log, with the same rules as the pages."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.extensions import db
from hubhome.permissions import ROTA_VIEWERS, get_constellation_or_404
from hubhome.phone.services import call_log
from hubhome.rota.chain import chain_at, coverage_gaps
from hubhome.rota.queries import LOOK_AHEAD
from hubhome.timeutil import utcnow

API_CALLS = 500  # the API's list is not paged: the last 30 days, at most this many

blp = Blueprint("api_phone", __name__, url_prefix="/api/v1", description="On-call and calls")


class StepSchema(Schema):
    user_id = fields.Integer(allow_none=True)
    label = fields.String()
    level = fields.Integer(allow_none=True)


class GapSchema(Schema):
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()


class CoverageSchema(Schema):
    constellation_id = fields.Integer()
    on_call_now = fields.List(fields.Nested(StepSchema))
    gaps = fields.List(fields.Nested(GapSchema))


class CallSchema(Schema):
    id = fields.Integer()
    constellation_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
    status = fields.String()
    coverage_gap = fields.Boolean()
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    accepted_by_id = fields.Integer(allow_none=True)
    follow_up_open = fields.Function(
        lambda call: call.follow_up is not None and call.follow_up.handled_at is None
    )


def _staff() -> Any:
    user = api_user()
    if user.role not in ROTA_VIEWERS:
        abort(403)
    return user


@blp.route("/constellations/<int:constellation_id>/on-call")
@blp.response(200, CoverageSchema)
def coverage(constellation_id: int) -> Any:
    """The chain a call would ring now, and the gaps in the coming 28 days."""
    user = _staff()
    constellation = get_constellation_or_404(user, constellation_id)
    now = utcnow()
    result = {
        "constellation_id": constellation.id,
        "on_call_now": chain_at(db.session, constellation, now),
        "gaps": coverage_gaps(db.session, constellation, now, now + LOOK_AHEAD),
    }
    return result


@blp.route("/calls")
@blp.response(200, CallSchema(many=True))
def calls() -> Any:
    """The calls of the last 30 days the caller may see, newest first."""
    return call_log(db.session, _staff(), per_page=API_CALLS)[:API_CALLS]
