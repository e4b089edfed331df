"""The jobs the scheduler runs, defined in code: each area adds its own in its init_app.

`hubhome jobs` (see `jobs/`) runs them in the order the areas added them; the outbox comes
first, so `hubhome jobs --once` sends what earlier runs queued before it queues more.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from hubhome.db import DbSession
from hubhome.registry import Registry


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[DbSession], int]  # returns the number of rows it handled
    trigger: str  # "interval" or "cron"
    trigger_args: dict[str, Any] = field(default_factory=dict)


# Set when the scheduler process is asked to stop (SIGTERM): a long job stops taking new
# work at its next safe point (between messages, between organisations) and returns.
stop_requested = threading.Event()

scheduled_jobs: Registry[JobSpec] = Registry("jobs", key=lambda job: job.name)


def add_job(
    app: Flask, name: str, func: Callable[[DbSession], int], trigger: str, **trigger_args: Any
) -> None:
    """Schedule `func` (idempotent: running it twice sends nothing twice) as `name`."""
    scheduled_jobs.add(app, JobSpec(name, func, trigger, trigger_args))
