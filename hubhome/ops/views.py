"""Operations: `/healthz` for load balancers, and the status every admin page shows."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import current_user

from hubhome.accounts.models import Role
from hubhome.deadline import answer_within
from hubhome.extensions import db, limiter
from hubhome.ops.health import alert_if_scheduler_stale, database_reachable, heartbeat, ops_status

bp = Blueprint("ops", __name__)

# A load balancer gives up on a health check after a few seconds; answer before it does,
# even when the database's connection hangs rather than fails.
HEALTHZ_SECONDS = 2.0


def _no_answer_in_time() -> Any:
    detail = f"no answer within {HEALTHZ_SECONDS:g} s"
    return jsonify(status="unavailable", database="unreachable", detail=detail), 503


@bp.route("/healthz")
@limiter.exempt
@answer_within(HEALTHZ_SECONDS, _no_answer_in_time)
def healthz() -> Any:
    """200 when the web process reaches the database, 503 when it does not, within 2 s.

    The scheduler's heartbeat is reported too; a stale one texts the admins (once per stop).
    """
    if not database_reachable(db.session):
        return jsonify(status="unavailable", database="unreachable"), 503
    alert_if_scheduler_stale(db.session)
    beat = heartbeat(db.session)
    return jsonify(
        status="ok",
        database="ok",
        scheduler_heartbeat=beat.isoformat() if beat else None,
    )


@bp.app_context_processor
def inject_ops_status() -> dict[str, Any]:
    """Admins see, on every page, when the machinery needs them."""
    if not getattr(current_user, "is_authenticated", False) or current_user.role != Role.ADMIN:
        return {}
    return {"ops_status": ops_status(db.session, current_user.organisation_id)}
