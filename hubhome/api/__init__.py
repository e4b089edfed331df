"""The JSON API under /api/v1: OpenAPI from flask-smorest, bearer tokens, problem+json.

`init_api(app)` sets up the API itself; each area adds its blueprint with `register(blp)`
in its own init_app.
"""

from __future__ import annotations

from flask import Flask

from hubhome.api.auth import authenticate_api_request
from hubhome.api.core import Blueprint, api


def init_api(app: Flask) -> None:
    """Bind the API to `app` and authenticate its requests with bearer tokens."""
    api.init_app(app)
    app.before_request(authenticate_api_request)


def register(blp: Blueprint) -> None:
    """Add an area's API blueprint (after `init_api`)."""
    from hubhome.extensions import csrf

    api.register_blueprint(blp)
    csrf.exempt(blp)  # bearer tokens, never cookies: no cross-site request can carry one
