"""Operations: /healthz, the scheduler's health, the jobs' runs and retention."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in /healthz, the admins' status on every page, the nightly retention job and the
    purge of ended sessions (housekeeping jobs run after the outbox, which comes first)."""
    from hubhome.accounts.jobs import purge_sessions
    from hubhome.ops.retention import apply_retention
    from hubhome.ops.schedule import add_job
    from hubhome.ops.views import bp

    app.register_blueprint(bp)
    add_job(app, "retention", apply_retention, "cron", hour=2, minute=30)
    add_job(app, "purge_sessions", purge_sessions, "cron", minute="*/15")
