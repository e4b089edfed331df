"""The person's calendar: one page (month or agenda) and one private iCalendar feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from hubhome.calendar import page, services
from hubhome.calendar.labels import KIND_LABELS
from hubhome.errors import ValidationFailed
from hubhome.extensions import db, limiter
from hubhome.forms import submit
from hubhome.timeutil import local_today

bp = Blueprint("calendar", __name__)

VIEWS = ("month", "agenda")


def _month() -> date:
    """The month asked for (?month=YYYY-MM), this month by default; 422 for anything else."""
    raw = request.args.get("month", "")
    if not raw:
        return local_today().replace(day=1)
    message = _("Give the month as year and month, for example 2026-12.")
    try:
        month = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(message, errors={"month": [message]}) from None
    if not 2000 <= month.year <= 2100:
        raise ValidationFailed(message, errors={"month": [message]})
    return month


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def manage() -> Any:
    """The user's calendar: respite, activities and visits in a month grid or an agenda, and
    the private feed to subscribe to. POST makes a new feed address (the old one stops)."""
    form = FlaskForm()
    if submit(form, lambda: services.renew(db.session, current_user)).saved:
        flash(_("You have a new calendar address. The old one no longer works."), "success")
        return redirect(url_for("calendar.manage"))
    view = request.args.get("view", "month")
    if view not in VIEWS:
        view = "month"
    month = _month()
    first, last = page.month_bounds(month)
    days = page.by_day(page.entries(db.session, current_user), first, last)
    feed = services.feed_for(db.session, current_user)
    return render_template(
        "calendar/manage.html",
        view=view,
        month=first,
        weeks=page.month_grid(first, days),
        agenda=sorted(days.items()),
        previous=(first - timedelta(days=1)).replace(day=1),
        following=last + timedelta(days=1),
        today=local_today(),
        links=page.subscribe_links(services.feed_url(feed)),
        form=form,
        kinds=KIND_LABELS,
    )


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
