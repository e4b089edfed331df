"""Public pages: the accessibility statement (tillgänglighetsredogörelse)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, send_from_directory

bp = Blueprint("about", __name__)


@bp.route("/tillganglighet")
def accessibility() -> Any:
    """Show the accessibility statement that Swedish public services must publish."""
    return render_template("about/accessibility.html")


@bp.route("/favicon.ico")
def favicon() -> Any:
    """Serve the icon browsers ask for at the site's root."""
    return send_from_directory(
        current_app.static_folder or "static",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=7 * 24 * 3600,
    )
