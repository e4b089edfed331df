"""The jobs page's overview: each scheduled job with its last run and when it runs next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from hubhome.ops.models import JobRun
from hubhome.ops.schedule import JobSpec, scheduled_jobs
from hubhome.timeutil import STOCKHOLM


@dataclass(frozen=True)
class JobLine:
    name: str
    every: timedelta | None  # an interval job's period; None for a job at set times
    last: JobRun | None
    next_run: datetime | None


def next_run(spec: JobSpec, last_started: datetime | None, now: datetime) -> datetime | None:
    """When the scheduler will next start `spec`, by its trigger (as the scheduler reads it)."""
    if spec.trigger == "cron":
        return CronTrigger(timezone=STOCKHOLM, **spec.trigger_args).get_next_fire_time(None, now)
    if spec.trigger == "interval":
        period = IntervalTrigger(timezone=STOCKHOLM, **spec.trigger_args).interval
        if last_started is None or last_started + period < now:
            return now + period if last_started is None else now
        return last_started + period
    return None


def job_lines(app: Flask, latest: Sequence[JobRun], now: datetime) -> list[JobLine]:
    """Every job the application schedules, in the order the areas add them."""
    last_of = {run.job: run for run in latest}
    lines = []
    for spec in scheduled_jobs.items(app):
        last = last_of.get(spec.name)
        every = (
            IntervalTrigger(timezone=STOCKHOLM, **spec.trigger_args).interval
            if spec.trigger == "interval"
            else None
        )
        when = next_run(spec, last.started_at if last else None, now)
        lines.append(JobLine(spec.name, every, last, when))
    return lines
