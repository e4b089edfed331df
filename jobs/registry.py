"""The jobs Hubhome runs, defined in code: name, schedule and the function that does the work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hubhome.db import DbSession


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[DbSession], int]  # returns the number of rows it handled
    trigger: str  # "interval" or "cron"
    trigger_args: dict[str, Any] = field(default_factory=dict)


def all_jobs() -> list[JobSpec]:
    """Return every job; each is idempotent, so running one twice sends nothing twice."""
    from hubhome.activities.jobs import send_activity_reminders
    from hubhome.caseload.jobs import send_dues_digest
    from hubhome.decisions.jobs import notify_ivo_report_ready
    from hubhome.ops.retention import apply_retention
    from hubhome.outcomes.jobs import take_snapshots
    from hubhome.phone.jobs import audit_call_handling, escalate_follow_ups
    from hubhome.respite.jobs import close_past_stays, send_reminders
    from hubhome.rota.jobs import materialise_shifts, warn_of_gaps
    from jobs.outbox_job import send_outbox

    return [
        JobSpec("outbox", send_outbox, "interval", {"seconds": 5}),
        JobSpec("respite_reminders", send_reminders, "cron", {"minute": "*/10"}),
        JobSpec("respite_close_past_stays", close_past_stays, "cron", {"hour": 3, "minute": 15}),
        JobSpec("retention", apply_retention, "cron", {"hour": 2, "minute": 30}),
        JobSpec("activity_reminders", send_activity_reminders, "cron", {"minute": "*/10"}),
        JobSpec("rota_materialise", materialise_shifts, "cron", {"hour": 2, "minute": 30}),
        JobSpec("rota_gaps", warn_of_gaps, "cron", {"hour": 9, "minute": 0}),
        JobSpec("phone_follow_up_escalation", escalate_follow_ups, "interval", {"minutes": 5}),
        JobSpec("phone_call_audit", audit_call_handling, "interval", {"minutes": 5}),
        JobSpec(
            "caseload_dues_digest", send_dues_digest, "cron", {"day_of_week": "mon", "hour": 7}
        ),
        JobSpec("ivo_report_ready", notify_ivo_report_ready, "cron", {"hour": 8, "minute": 0}),
        JobSpec("outcome_snapshot", take_snapshots, "cron", {"hour": 0, "minute": 30}),
    ]
