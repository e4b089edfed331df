"""The advice log: advice given to families, its follow-ups and who is told."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the advice log: pages, API, menu entry, home panel, caseload notes, health figures
    and its retention rule."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.advice.api import blp
    from hubhome.advice.contributions import caseload_notes, health_figures
    from hubhome.advice.retention import remove_expired_advice
    from hubhome.advice.views import ADVICE_ROLES, bp, follow_up_panel
    from hubhome.caseload.sources import register_caseload_source
    from hubhome.home import panels
    from hubhome.ops.retention import add_rule
    from hubhome.outcomes.sources import register_health_source

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "advice.index", _l("Advice"), ADVICE_ROLES, order=50)
    panels.register(
        app,
        "advice/_home_panel.html",
        [Role.HUB_CARER, Role.ONCALL_STAFF, Role.SOCIAL_WORKER],
        follow_up_panel,
        order=20,
    )
    register_caseload_source(caseload_notes, app)
    register_health_source(health_figures, app)
    add_rule(app, "advice_contacts", remove_expired_advice)
