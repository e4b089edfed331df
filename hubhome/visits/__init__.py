"""Contact visits with the birth family, and decisions restricting contact."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in contact visits: pages, API, menu entry, home panel and caseload review notes."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.caseload.sources import register_caseload_source
    from hubhome.home import panels
    from hubhome.visits.api import blp
    from hubhome.visits.contributions import caseload_notes
    from hubhome.visits.views import VISIT_ROLES, bp, reviews_panel

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "visits.index", _l("Contact visits"), VISIT_ROLES, order=55)
    panels.register(
        app, "visits/_home_panel.html", [Role.SOCIAL_WORKER, Role.ADMIN], reviews_panel, order=30
    )
    register_caseload_source(caseload_notes, app)
