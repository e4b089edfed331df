"""The accounts area's job: forget sessions that can no longer open anything."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from hubhome.accounts.sessions import purge_expired
from hubhome.db import DbSession


def purge_sessions(session: DbSession) -> int:
    """Delete sessions past their idle or absolute limit; return how many."""
    settings = current_app.config["HUBHOME"]
    return purge_expired(
        session,
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_max_hours),
    )
