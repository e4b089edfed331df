"""The jobs the scheduler runs, defined in code: each area adds its own in its init_app.

`hubhome jobs` (see `jobs/`) runs them in the order the areas added them; the outbox comes
first, so `hubhome jobs --once` sends what earlier runs queued before it queues more.
"""

from __future__ import annotations

import logging
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


log = logging.getLogger(__name__)

# Set when the scheduler process is asked to stop (SIGTERM): a long job stops taking new
# work at its next safe point (between messages, between organisations) and returns.
stop_requested = threading.Event()

scheduled_jobs: Registry[JobSpec] = Registry("jobs", key=lambda job: job.name)


def add_job(
    app: Flask, name: str, func: Callable[[DbSession], int], trigger: str, **trigger_args: Any
) -> None:
    """Schedule `func` (idempotent: running it twice sends nothing twice) as `name`."""
    scheduled_jobs.add(app, JobSpec(name, func, trigger, trigger_args))


class OrganisationsFailed(RuntimeError):
    """Some organisations' part of a job failed; the others' work is committed."""


def for_each_organisation(session: DbSession, work: Callable[[DbSession, int], int]) -> int:
    """Run `work(session, organisation_id)` for each organisation, each in a unit of work of
    its own: a failure in one municipality never undoes another's, and memory and the
    transaction are bounded by the largest organisation, not the country.

    Stops between organisations when the scheduler is asked to stop (the next run goes on;
    jobs are idempotent). Raises `OrganisationsFailed` after the rest are done if any failed,
    so the run is recorded as failed and the admins are told.
    """
    from sqlalchemy import select

    from hubhome.network.models import Organisation
    from hubhome.transaction import unit_of_work

    rows = 0
    failed: list[int] = []
    for organisation_id in list(session.scalars(select(Organisation.id).order_by(Organisation.id))):
        if stop_requested.is_set():
            break
        try:
            with unit_of_work(session):
                rows += work(session, organisation_id)
        except Exception:
            logging.getLogger(__name__).exception(
                "organisation %s: the job failed", organisation_id
            )
            failed.append(organisation_id)
    if failed:
        raise OrganisationsFailed(f"failed for organisations {failed}; the others are done")
    return rows
