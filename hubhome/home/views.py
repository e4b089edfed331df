"""Each role's home page: what they need today."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from hubhome.home.panels import panels_for
from hubhome.home.services import home_summary

bp = Blueprint("home", __name__)


@bp.route("/")
def root() -> Any:
    """Send visitors to their home page or to sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.route("/home")
@login_required
def index() -> Any:
    """Show the signed-in user's home page."""
    return render_template(
        "home/index.html",
        summary=home_summary(current_user),
        panels=panels_for(current_user),
    )
