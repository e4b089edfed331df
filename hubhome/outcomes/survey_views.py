"""The carer survey: the public one-time answer page, and the administrator's rounds."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hubhome.accounts.models import Role
from hubhome.errors import Conflict
from hubhome.extensions import db
from hubhome.forms import submit
from hubhome.network.models import Constellation
from hubhome.outcomes import survey
from hubhome.outcomes.forms import OpenRoundForm, SurveyForm
from hubhome.outcomes.models import SurveyRound
from hubhome.outcomes.views import bp as outcomes_bp
from hubhome.timeutil import local_today

bp = Blueprint("survey", __name__, url_prefix="/survey")


@bp.route("/<token>", methods=["GET", "POST"])
def respond(token: str) -> Any:
    """Answer the yearly survey anonymously through a one-time link (no sign-in)."""
    invitation = survey.invitation_for(db.session, token)
    if invitation is None:
        abort(404)
    if invitation.used:
        return render_template("outcomes/survey_done.html", already=True), 410
    form = SurveyForm()
    done = submit(
        form,
        lambda: survey.answer(
            db.session,
            token,
            survey.Answer(
                support_hub=int(form.support_hub.data or 0),
                support_families=int(form.support_families.data or 0),
                support_social_services=int(form.support_social_services.data or 0),
                would_have_stopped=form.would_have_stopped.data or "",
                placement_would_have_broken=form.placement_would_have_broken.data or "",
                comment=form.comment.data or "",
            ),
        ),
    )
    if done.saved:
        return render_template("outcomes/survey_done.html", already=False)
    if isinstance(done.error, Conflict):  # answered meanwhile, through the same link
        return render_template("outcomes/survey_done.html", already=True), 410
    return render_template("outcomes/survey.html", form=form), done.status


def _admin() -> None:
    if current_user.role != Role.ADMIN:
        abort(403)


@outcomes_bp.route("/survey", methods=["GET", "POST"])
def survey_rounds() -> Any:
    """Open a survey round and list the rounds (administrators)."""
    _admin()
    form = OpenRoundForm()
    if not form.is_submitted():
        form.year.data = local_today().year
    base = current_app.config["HUBHOME"].public_url.rstrip("/")
    done = submit(
        form,
        lambda: survey.open_round(
            db.session,
            current_user,
            form.year.data or local_today().year,
            lambda token: f"{base}{url_for('survey.respond', token=token)}",
        ),
    )
    if done.saved:
        flash(_("The survey is open; each family gets its link by SMS."), "success")
        return redirect(url_for("outcomes.survey_results", round_id=done.value.id))
    rounds = db.session.scalars(
        select(SurveyRound)
        .where(SurveyRound.organisation_id == current_user.organisation_id)
        .order_by(SurveyRound.year.desc())
    ).all()
    return render_template("outcomes/survey_rounds.html", form=form, rounds=rounds), done.status


@outcomes_bp.route("/survey/<int:round_id>")
def survey_results(round_id: int) -> Any:
    """Results of a round; groups under five answers show only their count."""
    _admin()
    found = db.session.get(SurveyRound, round_id)
    if found is None or found.organisation_id != current_user.organisation_id:
        abort(404)
    names = dict(
        db.session.execute(
            select(Constellation.id, Constellation.name).where(
                Constellation.organisation_id == current_user.organisation_id
            )
        ).all()
    )
    invited, whole, groups, comments = survey.results(db.session, found, names)
    return render_template(
        "outcomes/survey_results.html",
        survey_round=found,
        invited=invited,
        whole=whole,
        groups=groups,
        comments=comments,
        minimum=survey.MIN_GROUP,
    )
