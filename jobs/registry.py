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
    from jobs.outbox_job import send_outbox

    return [
        JobSpec("outbox", send_outbox, "interval", {"seconds": 5}),
    ]
