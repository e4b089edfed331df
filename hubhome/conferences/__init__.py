"""Family group conferences (familjerådslag): the child, the family, a coordinator, the
child's network from outside Hubhome, the meetings and the resulting plan."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in conferences: pages, a menu entry, their meetings in the calendar and their
    plans to follow up on the caseload."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.accounts.models import Role
    from hubhome.calendar.services import event_sources
    from hubhome.caseload.sources import register_caseload_source
    from hubhome.conferences.contributions import caseload_notes
    from hubhome.conferences.extract import init_extract
    from hubhome.conferences.ical import conference_events
    from hubhome.conferences.views import bp

    app.register_blueprint(bp)
    nav.add(
        app,
        "conferences.index",
        _l("Family group conferences"),
        [Role.SOCIAL_WORKER, Role.ADMIN],
        order=28,
    )
    event_sources.add(app, conference_events)
    register_caseload_source(caseload_notes, app)
    init_extract(app)  # network members' and coordinators' part in a register extract
