"""Each user's private calendar feed, made of the events the areas add to it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the calendar page and feed (the areas add their events themselves)."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.accounts.models import Role
    from hubhome.calendar.views import bp

    app.register_blueprint(bp)
    nav.add(app, "calendar.manage", _l("Calendar"), list(Role), order=5)
