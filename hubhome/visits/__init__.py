"""Contact visits with the birth family, and decisions restricting contact."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in contact visits and planned follow-up visits: pages, API, menu entries, home
    panel, caseload review notes, calendar events and the reminder the day before."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.calendar.services import event_sources
    from hubhome.caseload.sources import register_caseload_source
    from hubhome.home import panels
    from hubhome.ops.schedule import add_job
    from hubhome.visits import planned_views  # noqa: F401 (its routes are on the blueprint)
    from hubhome.visits.api import blp
    from hubhome.visits.contributions import caseload_notes, planned_visit_notes
    from hubhome.visits.ical import contact_visit_events, follow_up_events
    from hubhome.visits.jobs import send_follow_up_reminders
    from hubhome.visits.views import VISIT_ROLES, bp, reviews_panel

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "visits.index", _l("Contact visits"), VISIT_ROLES, order=55)
    panels.register(
        app, "visits/_home_panel.html", [Role.SOCIAL_WORKER, Role.ADMIN], reviews_panel, order=30
    )
    nav.add(
        app,
        "visits.follow_ups",
        _l("Follow-up visits"),
        [Role.SOCIAL_WORKER, Role.ADMIN],
        order=24,
    )
    register_caseload_source(caseload_notes, app)
    register_caseload_source(planned_visit_notes, app)
    event_sources.add(app, contact_visit_events)
    event_sources.add(app, follow_up_events)
    add_job(app, "follow_up_reminders", send_follow_up_reminders, "cron", minute="*/10")
