"""API: organisation outcomes and constellation health over a period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort
from marshmallow import Schema, fields

from hubhome.accounts.models import Role
from hubhome.api.auth import api_user
from hubhome.api.core import Blueprint
from hubhome.decisions.rules import add_months
from hubhome.extensions import db
from hubhome.network.services import visible_constellations
from hubhome.outcomes import queries
from hubhome.permissions import can_see_monitoring_reports
from hubhome.timeutil import local_today

blp = Blueprint("api_outcomes", __name__, url_prefix="/api/v1", description="Outcomes")


class PeriodQuery(Schema):
    start = fields.Date(data_key="from", load_default=None)
    end = fields.Date(data_key="to", load_default=None)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@blp.route("/reports/outcomes")
@blp.arguments(PeriodQuery, location="query")
def outcomes(args: dict[str, Any]) -> Any:
    """Constellation health (for the caller's constellations) and, for admins, the organisation."""
    user = api_user()
    if not can_see_monitoring_reports(user):
        abort(403)
    last = args["end"] or local_today()
    first = args["start"] or add_months(last, -12) + timedelta(days=1)
    if first > last:
        abort(400)
    health = queries.constellation_health(
        db.session, visible_constellations(db.session, user), first, last
    )
    result: dict[str, Any] = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "constellations": [
            {
                "id": h.constellation_id,
                "name": h.name,
                "satellites_active": h.satellites_active,
                "satellites_left": h.satellites_left,
                "children_placed": h.children_placed,
                "hub_beds": h.hub_beds,
                "planned_nights": h.planned_nights,
                "emergency_nights": h.emergency_nights,
                "hub_bed_occupancy": _share(h.occupancy),
                "figures": [{"key": f.key, "label": f.label, "value": f.value} for f in h.figures],
            }
            for h in health
        ],
    }
    if user.role == Role.ADMIN:
        org = queries.organisation_outcomes(db.session, user.organisation_id, first, last, health)
        result["organisation"] = {
            "placement_years": round(org.placement_years, 3),
            "unplanned_endings": org.unplanned_endings,
            "planned_endings": org.planned_endings,
            "unplanned_per_placement_year": _share(org.unplanned_per_placement_year),
            "retention": [
                {
                    "months": r.months,
                    "cohort": r.cohort,
                    "still_fostering": r.still_fostering,
                    "share": _share(r.share),
                }
                for r in org.retention
            ],
            "carers_left": org.carers_left,
            "planned_nights": org.planned_nights,
            "emergency_nights": org.emergency_nights,
            "fidelity": [{"key": f.key, "label": f.label, "value": f.value} for f in org.fidelity],
        }
    return result
