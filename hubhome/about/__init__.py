"""About Hubhome and its accessibility statement."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the about pages."""
    from hubhome.about.views import bp

    app.register_blueprint(bp)
