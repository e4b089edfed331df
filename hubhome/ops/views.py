"""Operations: health checks for load balancers and monitors, and the status every admin
page shows.

- `/healthz/live`: the process answers (nothing else is touched).
- `/healthz/ready`: the database, Redis when configured, the scheduler's heartbeat, the
  outbox's backlog and its oldest urgent message; 200 only when all are ok, else 503.
- `/healthz`: the database (200 or 503), with the scheduler's heartbeat reported.

Each answers within 2 s whatever the database does, and none sends anything: the stopped
scheduler's alert is sent by `hubhome watchdog` and by a standby scheduler.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_login import current_user

from hubhome.accounts.models import Role
from hubhome.deadline import answer_within
from hubhome.extensions import db, limiter
from hubhome.ops.health import (
    database_reachable,
    heartbeat,
    ops_status,
    outbox_health,
    redis_status,
    scheduler_stale,
)

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
    """200 when the web process reaches the database, 503 when it does not, within 2 s."""
    if not database_reachable(db.session):
        return jsonify(status="unavailable", database="unreachable"), 503
    beat = heartbeat(db.session)
    return jsonify(
        status="ok",
        database="ok",
        scheduler_heartbeat=beat.isoformat() if beat else None,
    )


@bp.route("/healthz/live")
@limiter.exempt
def live() -> Any:
    """200 while the process answers requests; touches nothing else."""
    return jsonify(status="ok")


@bp.route("/healthz/ready")
@limiter.exempt
@answer_within(HEALTHZ_SECONDS, _no_answer_in_time)
def ready() -> Any:
    """200 when everything Hubhome needs is ok, 503 naming what is not, within 2 s."""
    redis = redis_status(current_app.config["HUBHOME"].redis_url)
    if not database_reachable(db.session):
        return jsonify(status="unavailable", database="unreachable", redis=redis), 503
    beat = heartbeat(db.session)
    stale = scheduler_stale(db.session)
    outbox = outbox_health(db.session)
    ok = redis != "unreachable" and not stale and outbox.ok
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok",
        "redis": redis,
        "scheduler": "stale" if stale else "ok",
        "scheduler_heartbeat": beat.isoformat() if beat else None,
        "outbox": "ok" if outbox.ok else "behind",
        "outbox_backlog": outbox.backlog,
        "oldest_urgent_seconds": outbox.oldest_urgent_seconds,
        "oldest_bulk_seconds": outbox.oldest_bulk_seconds,
    }
    return jsonify(body), 200 if ok else 503


@bp.app_context_processor
def inject_ops_status() -> dict[str, Any]:
    """Admins see, on every page, when the machinery needs them."""
    if not getattr(current_user, "is_authenticated", False) or current_user.role != Role.ADMIN:
        return {}
    return {"ops_status": ops_status(db.session, current_user.organisation_id)}
