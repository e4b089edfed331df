"""Respite: the hub home's beds, booking them, the waiting list and the liaison's overview."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in respite: pages, API, menu entry, home panel, calendar events and jobs."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.calendar.services import event_sources
    from hubhome.home import panels
    from hubhome.network.services import bed_changes
    from hubhome.ops.schedule import add_job
    from hubhome.respite.api import blp
    from hubhome.respite.capacity import change_base_beds
    from hubhome.respite.ical import respite_events
    from hubhome.respite.jobs import close_past_stays, send_reminders
    from hubhome.respite.panels import home_panel
    from hubhome.respite.views import bp

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "respite.index", _l("Respite"), list(Role), order=40)
    panels.register(
        app, "respite/_home_panel.html", [Role.HUB_CARER, Role.FOSTER_CARER], home_panel, order=10
    )
    event_sources.add(app, respite_events)
    bed_changes.add(app, change_base_beds)
    add_job(app, "respite_reminders", send_reminders, "cron", minute="*/10")
    add_job(app, "respite_close_past_stays", close_past_stays, "cron", hour=3, minute=15)
