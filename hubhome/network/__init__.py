"""The network: constellations, households and their memberships."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the network pages (and their administration), the API and menu entries."""
    from flask_babel import lazy_gettext as _l

    from hubhome import api, nav
    from hubhome.accounts.models import Role
    from hubhome.network.api import blp
    from hubhome.network.views import bp

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(app, "network.constellations", _l("Constellations"), list(Role), order=20)
    nav.add(
        app,
        "network.households",
        _l("Households"),
        [Role.ADMIN, Role.SOCIAL_WORKER, Role.HUB_CARER, Role.ONCALL_STAFF],
        order=25,
    )
