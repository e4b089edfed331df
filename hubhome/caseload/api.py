"""API: the caseload, and recording follow-up visits and placement reviews."""

from __future__ import annotations

from typing import Any

from flask import abort
from marshmallow import Schema, fields, validate

from hubhome.accounts.models import Role, User
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.caseload import queries, services
from hubhome.extensions import db
from hubhome.permissions import can_follow_up, can_see_caseloads, get_child_or_404
from hubhome.timeutil import local_today

blp = Blueprint("api_caseload", __name__, url_prefix="/api/v1", description="Caseload")


class CaseloadQuery(Schema):
    worker = fields.Integer(load_default=None)
    constellation = fields.String(load_default=None)
    due = fields.String(
        load_default=None, validate=validate.OneOf(["overdue", "soon", "private_talk"])
    )
    sort = fields.String(load_default="visit", validate=validate.OneOf(queries.SORTS))


class VisitIn(Schema):
    child_id = fields.Integer(required=True)
    visit_date = fields.Date(required=True)
    private_talk = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class ReviewIn(Schema):
    child_id = fields.Integer(required=True)
    review_date = fields.Date(required=True)
    outcome = fields.String(required=True, validate=validate.Length(min=1, max=500))


def _row(r: queries.CaseloadRow) -> dict[str, Any]:
    return {
        "child_id": r.child_id,
        "first_name": r.first_name,
        "household_id": r.household_id,
        "household": r.household,
        "constellation": r.constellation,
        "placement_start": r.placement_start.isoformat(),
        "last_visit": r.last_visit.isoformat() if r.last_visit else None,
        "last_visit_private_talk": r.last_visit_private_talk,
        "last_private_talk": r.last_private_talk.isoformat() if r.last_private_talk else None,
        "next_visit_due": r.next_visit_due.isoformat(),
        "visit_overdue": r.visit_overdue,
        "last_review": r.last_review.isoformat() if r.last_review else None,
        "next_review_due": r.next_review_due.isoformat(),
        "review_overdue": r.review_overdue,
        "respite_nights": {"planned": r.respite_planned, "emergency": r.respite_emergency},
        "notes": [
            {
                "text": n.text,
                "concern": n.concern,
                "overdue": n.overdue,
                "due": n.due.isoformat() if n.due else None,
            }
            for n in r.notes
        ],
    }


@blp.route("/caseload")
@blp.arguments(CaseloadQuery, location="query")
def get_caseload(args: dict[str, Any]) -> Any:
    """The placed children the caller (or, for an admin, `worker`) is responsible for."""
    user = api_user()
    if not can_see_caseloads(user):
        abort(403)
    worker = user
    if args["worker"] and user.role == Role.ADMIN:
        found = db.session.get(User, args["worker"])
        if found is None or found.organisation_id != user.organisation_id:
            abort(404)
        worker = found
    filters = queries.CaseloadFilter(args["constellation"], args["due"], args["sort"])
    rows = queries.caseload(db.session, worker, local_today(), viewer=user)
    return {
        "children": [
            _row(r) for r in queries.sort_rows(queries.filter_rows(rows, filters), filters.sort)
        ]
    }


def _followed(user: User, child_id: int) -> Any:
    child = get_child_or_404(user, child_id)
    if not can_follow_up(user, child):
        abort(403)
    return child


@blp.route("/visits", methods=["POST"])
@blp.arguments(VisitIn)
def post_visit(body: dict[str, Any]) -> Any:
    """Record a follow-up visit; the next visit due moves."""
    user = api_user()
    child = _followed(user, body["child_id"])
    visit = services.record_visit(
        db.session,
        user,
        child,
        visit_date=body["visit_date"],
        private_talk=body["private_talk"],
        note=body["note"],
        today=local_today(),
    )
    return {"id": visit.id, "child_id": child.id, "visit_date": visit.visit_date.isoformat()}, 201


@blp.route("/reviews", methods=["POST"])
@blp.arguments(ReviewIn)
def post_review(body: dict[str, Any]) -> Any:
    """Record a placement review; the next review due moves."""
    user = api_user()
    child = _followed(user, body["child_id"])
    review = services.record_review(
        db.session,
        user,
        child,
        review_date=body["review_date"],
        outcome=body["outcome"],
        today=local_today(),
    )
    return {
        "id": review.id,
        "child_id": child.id,
        "review_date": review.review_date.isoformat(),
    }, 201
