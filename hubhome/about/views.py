"""Public pages: the accessibility statement (tillgänglighetsredogörelse)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

bp = Blueprint("about", __name__)


@bp.route("/tillganglighet")
def accessibility() -> Any:
    """Show the accessibility statement that Swedish public services must publish."""
    return render_template("about/accessibility.html")
