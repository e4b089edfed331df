"""Each role's home page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the home page and its menu entry; the panels come from the other areas."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.accounts.models import Role
    from hubhome.home.views import bp

    app.register_blueprint(bp)
    nav.add(app, "home.index", _l("Home"), list(Role), order=0)
