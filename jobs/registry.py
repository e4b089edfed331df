"""The jobs of an application, as its areas added them (`hubhome.ops.schedule`)."""

from __future__ import annotations

from flask import Flask

from hubhome.ops.schedule import JobSpec, scheduled_jobs

__all__ = ["JobSpec", "all_jobs"]


def all_jobs(app: Flask | None = None) -> list[JobSpec]:
    """Return every job of `app` (the current application by default); each is idempotent,
    so running one twice sends nothing twice."""
    return scheduled_jobs.items(app)
