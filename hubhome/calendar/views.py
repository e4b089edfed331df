"""The personal calendar feed: its page (copy or revoke the URL) and the .ics itself."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from hubhome.calendar import services
from hubhome.extensions import db, limiter
from hubhome.forms import submit

bp = Blueprint("calendar", __name__)


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def manage() -> Any:
    """Show the user's private calendar address; POST makes a new one (the old one stops)."""
    form = FlaskForm()
    if submit(form, lambda: services.renew(db.session, current_user)).saved:
        flash(_("You have a new calendar address. The old one no longer works."), "success")
        return redirect(url_for("calendar.manage"))
    feed = services.feed_for(db.session, current_user)
    return render_template("calendar/manage.html", url=services.feed_url(feed), form=form)


@bp.route("/calendar/<token>.ics")
@limiter.limit("60 per minute")
def feed(token: str) -> Any:
    """Serve a user's events to calendar apps (the secret token is the credential)."""
    user = services.user_for_feed(db.session, token)
    if user is None:
        abort(404)
    body = services.build_calendar(db.session, user)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
