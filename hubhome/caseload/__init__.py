"""The social worker's caseload: placed children, what is due, and recording follow-up."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the caseload: pages, API, menu entry, home panel and the weekly digest."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.caseload.api import blp
    from hubhome.caseload.jobs import send_dues_digest
    from hubhome.caseload.panels import home_panel
    from hubhome.caseload.views import bp
    from hubhome.home import panels
    from hubhome.ops.schedule import add_job

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "caseload.index", _l("Caseload"), [Role.SOCIAL_WORKER, Role.ADMIN], order=25)
    panels.register(app, "caseload/_home_panel.html", [Role.SOCIAL_WORKER], home_panel, order=5)
    add_job(app, "caseload_dues_digest", send_dues_digest, "cron", day_of_week="mon", hour=7)
