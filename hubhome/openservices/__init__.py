"""Open services without an individual decision (insatser utan föregående behovsprövning):
open advice and activities, participation counted without identifying anyone, and a report
for the council."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the open services: pages and a menu entry."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.openservices.views import bp
    from hubhome.permissions import OPEN_SERVICE_STAFF

    app.register_blueprint(bp)
    nav.add(app, "openservices.index", _l("Open services"), OPEN_SERVICE_STAFF, order=27)
