"""API: the register of decisions and the quarterly IVO report (JSON and CSV)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort
from marshmallow import Schema, fields, validate

from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.decisions import reports, services
from hubhome.decisions.models import InterventionDecision, InterventionKind
from hubhome.decisions.rules import Quarter, limit_for
from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.permissions import (
    can_see_monitoring_reports,
    get_child_or_404,
    get_decision_or_404,
    get_household_or_404,
)
from hubhome.timeutil import local_today

blp = Blueprint("api_decisions", __name__, url_prefix="/api/v1", description="Decisions")


class DecisionIn(Schema):
    child_id = fields.Integer(load_default=None)
    household_id = fields.Integer(load_default=None)
    kind = fields.String(
        required=True, validate=validate.OneOf([k.value for k in InterventionKind])
    )
    decision_date = fields.Date(required=True)
    responsible_id = fields.Integer(load_default=None)
    delay_reason = fields.String(load_default="", validate=validate.Length(max=1000))


class OfferIn(Schema):
    offered_on = fields.Date(required=True)
    declined = fields.Boolean(load_default=False)


class DecisionPatch(Schema):
    carried_out_on = fields.Date(allow_none=True)
    interrupted_on = fields.Date(allow_none=True)
    resumed_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    closed_reason = fields.String(allow_none=True, validate=validate.Length(max=300))
    delay_reason = fields.String(allow_none=True, validate=validate.Length(max=1000))
    responsible_id = fields.Integer(allow_none=True)
    offers = fields.List(fields.Nested(OfferIn), load_default=list)


class QuarterQuery(Schema):
    quarter = fields.String(required=True)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _out(d: InterventionDecision) -> dict[str, Any]:
    today = local_today()
    late = services.late_since(d, today)
    return {
        "id": d.id,
        "child_id": d.child_id,
        "household_id": d.household_id,
        "kind": str(d.kind),
        "decision_date": d.decision_date.isoformat(),
        "limit": limit_for(d.decision_date).isoformat(),
        "offers": [
            {"offered_on": o.offered_on.isoformat(), "declined": o.declined} for o in d.offers
        ],
        "carried_out_on": _iso(d.carried_out_on),
        "interrupted_on": _iso(d.interrupted_on),
        "resumed_on": _iso(d.resumed_on),
        "interruptions": [
            {"interrupted_on": _iso(i.interrupted_on), "resumed_on": _iso(i.resumed_on)}
            for i in d.interruptions
        ],
        "closed_on": _iso(d.closed_on),
        "closed_reason": d.closed_reason,
        "status": services.status_on(d, today),
        "late_since": _iso(late),
        "responsible_id": d.responsible_id,
        "delay_reason": d.delay_reason,
    }


def _user() -> Any:
    user = api_user()
    if not can_see_monitoring_reports(user):
        abort(403)
    return user


@blp.route("/decisions")
def list_decisions() -> Any:
    """The decisions the caller may see."""
    return {"decisions": [_out(d) for d in reports.visible_decisions(db.session, _user())]}


@blp.route("/decisions", methods=["POST"])
@blp.arguments(DecisionIn)
def create(body: dict[str, Any]) -> Any:
    """Add a decision on an intervention to the register."""
    user = _user()
    if bool(body["child_id"]) == bool(body["household_id"]):
        raise ValidationFailed(
            "give either child_id or household_id",
            errors={"child_id": ["Give either child_id or household_id."]},
        )
    subject = (
        get_child_or_404(user, body["child_id"])
        if body["child_id"]
        else get_household_or_404(user, body["household_id"])
    )
    decision = services.create_decision(
        db.session,
        user,
        subject,
        services.DecisionInput(
            kind=InterventionKind(body["kind"]),
            decision_date=body["decision_date"],
            responsible_id=body["responsible_id"],
            delay_reason=body["delay_reason"],
        ),
        local_today(),
    )
    return _out(decision), 201


@blp.route("/decisions/<int:decision_id>", methods=["PATCH"])
@blp.arguments(DecisionPatch)
def patch(body: dict[str, Any], decision_id: int) -> Any:
    """Record that a decision was carried out, interrupted, resumed or closed; add offers."""
    user = _user()
    decision = get_decision_or_404(user, decision_id)
    today = local_today()
    offers = body.pop("offers", [])
    if body:
        services.update_decision(db.session, user, decision, body, today)
    for offer in offers:
        services.add_offer(
            db.session, user, decision, offer["offered_on"], offer["declined"], today
        )
    db.session.refresh(decision)
    return _out(decision)


def _report(args: dict[str, Any]) -> tuple[Quarter, list[reports.ReportRow]]:
    user = _user()
    try:
        quarter = Quarter.parse(args["quarter"])
    except ValueError:
        abort(400)
    rows = reports.quarter_rows(
        reports.decisions_late_in(db.session, user, quarter), quarter, local_today()
    )
    return quarter, rows


@blp.route("/reports/ivo")
@blp.arguments(QuarterQuery, location="query")
def ivo_report(args: dict[str, Any]) -> Any:
    """The quarterly report on decisions not carried out: rows and statistics."""
    quarter, rows = _report(args)
    return {
        "quarter": str(quarter),
        "rule": "Decisions not carried out within three months (ej verkställda beslut)",
        "rows": [
            {
                "reference": r.decision_id,
                "rule": r.rule,
                "kind": r.kind,
                "decision_date": r.decision_date.isoformat(),
                "gender": r.gender,
                "birth_year": r.birth_year,
                "offers": [{"offered_on": d.isoformat(), "declined": x} for d, x in r.offers],
                "delay_reason": r.delay_reason,
                "carried_out_on": _iso(r.carried_out_on),
                "interrupted_on": _iso(r.interrupted_on),
                "resumed_on": _iso(r.resumed_on),
                "closed_on": _iso(r.closed_on),
                "status": r.status,
                "late_since": r.late_since.isoformat(),
                "days_since_decision": r.days_since_decision,
            }
            for r in rows
        ],
        "statistics": [
            {
                "kind": s.kind,
                "by_gender": s.by_gender,
                "total": s.total,
                "mean_days": s.mean_days,
                "longest_days": s.longest_days,
            }
            for s in reports.statistics(rows)
        ],
    }


@blp.route("/reports/ivo.csv")
@blp.arguments(QuarterQuery, location="query")
def ivo_report_csv(args: dict[str, Any]) -> Response:
    """The quarterly report's rows as CSV."""
    quarter, rows = _report(args)
    return Response("\ufeff" + reports.quarter_csv(quarter, rows), mimetype="text/csv")
