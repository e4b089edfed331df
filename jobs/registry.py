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
    from hubhome.caseload.jobs import send_dues_digest
    from hubhome.decisions.jobs import notify_ivo_report_ready
    from hubhome.outcomes.jobs import take_snapshots
    from hubhome.respite.jobs import close_past_stays, send_reminders
    from jobs.outbox_job import send_outbox

    return [
        JobSpec("outbox", send_outbox, "interval", {"seconds": 5}),
        JobSpec("respite_reminders", send_reminders, "cron", {"minute": "*/10"}),
        JobSpec("respite_close_past_stays", close_past_stays, "cron", {"hour": 3, "minute": 15}),
        JobSpec(
            "caseload_dues_digest", send_dues_digest, "cron", {"day_of_week": "mon", "hour": 7}
        ),
        JobSpec("ivo_report_ready", notify_ivo_report_ready, "cron", {"hour": 8, "minute": 0}),
        JobSpec("outcome_snapshot", take_snapshots, "cron", {"hour": 0, "minute": 30}),
    ]
