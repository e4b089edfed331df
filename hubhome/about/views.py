"""Public pages: the accessibility statement (tillgänglighetsredogörelse)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template

bp = Blueprint("about", __name__)


@bp.route("/tillganglighet")
def accessibility() -> Any:
    """Show the accessibility statement that Swedish public services must publish."""
    return render_template("about/accessibility.html")


@bp.route("/favicon.ico")
def favicon() -> Any:
    """Serve the icon browsers ask for at the site's root."""
    return Response(
        _favicon(),
        mimetype="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=604800"},
    )


@functools.cache
def _favicon() -> bytes:
    return (Path(current_app.static_folder or "static") / "favicon.ico").read_bytes()
