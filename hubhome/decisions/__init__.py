"""Decisions not carried out in time: the register, the quarterly report to IVO and the
foster-home register."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the decisions register: pages, API, menu entry and the reminder that a report is
    due."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.decisions.api import blp
    from hubhome.decisions.jobs import notify_ivo_report_ready
    from hubhome.decisions.views import bp
    from hubhome.ops.schedule import add_job

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "decisions.index", _l("Decisions"), [Role.SOCIAL_WORKER, Role.ADMIN], order=26)
    add_job(app, "ivo_report_ready", notify_ivo_report_ready, "cron", hour=8, minute=0)
