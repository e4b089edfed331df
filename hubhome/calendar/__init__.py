"""Each user's private calendar feed, made of the events the areas add to it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the calendar feed pages (the areas add their events themselves)."""
    from hubhome.calendar.views import bp

    app.register_blueprint(bp)
