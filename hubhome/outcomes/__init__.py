"""Outcomes: placement stability, carer retention, respite mix, constellation health and the
yearly survey."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in outcomes and the survey: pages, API, menu entry and the nightly snapshot."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.ops.schedule import add_job
    from hubhome.outcomes.api import blp
    from hubhome.outcomes.jobs import take_snapshots
    from hubhome.outcomes.survey_views import bp as survey
    from hubhome.outcomes.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(survey)
    api.register(blp)
    nav.add(app, "outcomes.index", _l("Outcomes"), [Role.ADMIN, Role.SOCIAL_WORKER], order=27)
    add_job(app, "outcome_snapshot", take_snapshots, "cron", hour=0, minute=30)
