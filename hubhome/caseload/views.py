"""The social worker's caseload: placed children, what is due, and recording follow-up."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role, User
from hubhome.api.bounds import db_int
from hubhome.caseload import queries, services
from hubhome.caseload.forms import ReviewForm, SettingsForm, VisitForm
from hubhome.caseload.sources import has_sources
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.permissions import can_follow_up, can_see_caseloads, get_child_or_404
from hubhome.timeutil import local_today

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


def _worker() -> User:
    """The social worker whose caseload is shown: oneself, or for an admin the one chosen."""
    wanted = request.args.get("worker", type=db_int)
    if current_user.role == Role.ADMIN and wanted:
        worker = db.session.get(User, wanted)
        if worker is None or worker.organisation_id != current_user.organisation_id:
            abort(404)
        return worker
    return current_user


@bp.route("/")
@login_required
def index() -> Any:
    """List the children the social worker is responsible for, with what is due."""
    if not can_see_caseloads(current_user):
        abort(403)
    worker = _worker()
    filters = queries.CaseloadFilter(
        constellation=request.args.get("constellation") or None,
        due=request.args.get("due") or None,
        sort=request.args.get("sort", "visit"),
    )
    today = local_today()
    everyone = queries.caseload(db.session, worker, today, viewer=current_user)
    rows = queries.sort_rows(queries.filter_rows(everyone, filters), filters.sort)
    return render_template(
        "caseload/index.html",
        rows=rows,
        total=len(everyone),
        constellations=sorted({r.constellation for r in everyone if r.constellation}),
        filters=filters,
        worker=worker,
        workers=queries.social_workers(db.session, current_user.organisation_id)
        if current_user.role == Role.ADMIN
        else [],
        per_year=queries.visits_per_year(db.session, worker.organisation_id),
        has_sources=has_sources(),
        today=today,
    )


def _followed_child(child_id: int) -> Any:
    child = get_child_or_404(current_user, child_id)
    if not can_follow_up(current_user, child):
        abort(403)
    return child


@bp.route("/children/<int:child_id>/visit", methods=["GET", "POST"])
@login_required
def visit(child_id: int) -> Any:
    """Record a follow-up visit: date, private talk with the child, short note."""
    child = _followed_child(child_id)
    form = VisitForm()
    done = submit(
        form,
        lambda: services.record_visit(
            db.session,
            current_user,
            child,
            visit_date=form.visit_date.data,
            private_talk=bool(form.private_talk.data),
            note=form.note.data or "",
            today=local_today(),
        ),
    )
    if done.saved:
        flash(_("The visit has been recorded."), "success")
        return redirect(url_for("caseload.index"))
    return render_template("caseload/visit.html", form=form, child=child), done.status


@bp.route("/children/<int:child_id>/review", methods=["GET", "POST"])
@login_required
def review(child_id: int) -> Any:
    """Record a placement review and its outcome."""
    child = _followed_child(child_id)
    form = ReviewForm()
    done = submit(
        form,
        lambda: services.record_review(
            db.session,
            current_user,
            child,
            review_date=form.review_date.data,
            outcome=form.outcome.data or "",
            today=local_today(),
        ),
    )
    if done.saved:
        flash(_("The review has been recorded."), "success")
        return redirect(url_for("caseload.index"))
    return render_template("caseload/review.html", form=form, child=child), done.status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    """Set the organisation's follow-up target (administrators)."""
    if current_user.role != Role.ADMIN:
        abort(403)
    form = SettingsForm()
    if request.method == "GET":
        form.visits_per_year.data = queries.visits_per_year(
            db.session, current_user.organisation_id
        )
    done = submit(
        form,
        lambda: services.set_visits_per_year(
            db.session, current_user, current_user.organisation_id, form.visits_per_year.data or 4
        ),
    )
    if done.saved:
        flash(_("The follow-up target has been saved."), "success")
        return redirect(url_for("caseload.index"))
    return render_template("caseload/settings.html", form=form), done.status
