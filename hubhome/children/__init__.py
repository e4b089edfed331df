"""Children and their placements."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the children's pages, the API and the menu entry."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.children.api import blp
    from hubhome.children.views import bp

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(
        app,
        "children.index",
        _l("Children"),
        [Role.ADMIN, Role.SOCIAL_WORKER, Role.HUB_CARER, Role.FOSTER_CARER],
        order=30,
    )
