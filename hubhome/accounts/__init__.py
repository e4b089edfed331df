"""Accounts: signing in, the second factor, API tokens and the caller's own account."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in sign-in and the accounts API."""
    from hubhome import api
    from hubhome.accounts.api import blp
    from hubhome.accounts.link_views import bp as links
    from hubhome.accounts.oidc import init_oidc
    from hubhome.accounts.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(links)
    init_oidc(app)
    api.register(blp)
