"""Activities: the constellation's meetings and events, answers, attendance and the monthly
report."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in activities: pages, API, menu entry, home panel, calendar events, health figures and
    reminders."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.activities.api import blp
    from hubhome.activities.contributions import health_figures
    from hubhome.activities.ical import activity_events
    from hubhome.activities.jobs import send_activity_reminders
    from hubhome.activities.panels import home_panel
    from hubhome.activities.views import bp
    from hubhome.calendar.services import event_sources
    from hubhome.home import panels
    from hubhome.ops.schedule import add_job
    from hubhome.outcomes.sources import register_health_source

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "activities.index", _l("Activities"), list(Role), order=45)
    panels.register(
        app,
        "activities/_home_panel.html",
        [Role.HUB_CARER, Role.FOSTER_CARER],
        home_panel,
        order=15,
    )
    event_sources.add(app, activity_events)
    register_health_source(health_figures, app)
    add_job(app, "activity_reminders", send_activity_reminders, "cron", minute="*/10")
