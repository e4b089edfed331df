"""The on-call rota: weekly patterns, overrides, the shifts they make and the gaps."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the rota pages, the menu entry and the jobs that make shifts and warn of gaps."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.ops.schedule import add_job
    from hubhome.permissions import ROTA_VIEWERS
    from hubhome.rota.cover_views import bp as cover_bp
    from hubhome.rota.jobs import materialise_shifts, warn_of_gaps
    from hubhome.rota.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(cover_bp)
    nav.add(app, "rota.index", _l("On-call rota"), ROTA_VIEWERS, order=60)
    nav.add(app, "cover.index", _l("Cover"), ROTA_VIEWERS, order=61)
    add_job(app, "rota_materialise", materialise_shifts, "cron", hour=2, minute=30)
    add_job(app, "rota_gaps", warn_of_gaps, "cron", hour=9, minute=0)
