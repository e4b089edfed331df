"""Open services pages: recording participation, the services offered, the council's report."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.api.bounds import db_int
from hubhome.display.sheets import csv_response
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.openservices import services
from hubhome.openservices.forms import OpenServiceForm, ParticipationForm
from hubhome.openservices.labels import AGE_BAND_LABELS, GENDER_LABELS, KIND_LABELS
from hubhome.openservices.models import AgeBand, OpenGender, OpenServiceKind
from hubhome.permissions import (
    can_manage_open_services,
    can_record_open_participation,
    get_open_participation_or_404,
    get_open_service_or_404,
)
from hubhome.timeutil import local_today

bp = Blueprint("openservices", __name__, url_prefix="/open-services")

FIRST_YEAR, LAST_YEAR = 2000, 2100


@bp.before_request
@login_required
def _only_staff() -> None:
    if not can_record_open_participation(current_user):
        abort(403)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "open_kind_labels": KIND_LABELS,
        "open_age_labels": AGE_BAND_LABELS,
        "open_gender_labels": GENDER_LABELS,
    }


def _participation_form() -> ParticipationForm:
    form = ParticipationForm()
    offered = [
        s for s in services.services_of(db.session, current_user.organisation_id) if s.active
    ]
    form.service_id.choices = choices(
        [(s.id, f"{s.name} ({KIND_LABELS[s.kind]})") for s in offered]
    )
    if request.method == "GET" and form.month.data is None:
        form.month.data = services.first_of_month(local_today())
    return form


@bp.route("/", methods=["GET", "POST"])
def index() -> Any:
    """Record participation in an open service, anonymously or by first name only."""
    form = _participation_form()

    def save() -> Any:
        service = get_open_service_or_404(current_user, form.service_id.data or 0)
        return services.record_participation(
            db.session,
            current_user,
            service,
            month=form.month.data,
            age_band=AgeBand(form.age_band.data),
            gender=OpenGender(form.gender.data),
            participants=form.participants.data or 0,
            first_name=form.first_name.data,
        )

    done = submit(form, save)
    if done.saved:
        flash(_("The participation has been recorded."), "success")
        return redirect(url_for("openservices.index"), 303)
    organisation_id = current_user.organisation_id
    return render_template(
        "openservices/index.html",
        form=form,
        services_offered=services.services_of(db.session, organisation_id),
        recent=services.recent_participation(db.session, organisation_id),
        can_manage=can_manage_open_services(current_user),
    ), done.status


@bp.route("/participation/<int:participation_id>/remove", methods=["POST"])
def remove(participation_id: int) -> Any:
    """Take back a participation recorded by mistake."""
    entry = get_open_participation_or_404(current_user, participation_id)
    attempt(lambda: services.remove_participation(db.session, current_user, entry)).flash(
        _("The participation has been removed.")
    )
    return redirect(url_for("openservices.index"), 303)


@bp.route("/services/new", methods=["GET", "POST"])
def new_service() -> Any:
    """Offer an advice service or an activity openly (administrators)."""
    if not can_manage_open_services(current_user):
        abort(403)
    form = OpenServiceForm()
    done = submit(
        form,
        lambda: services.create_service(
            db.session,
            current_user,
            OpenServiceKind(form.kind.data),
            form.name.data or "",
            form.description.data,
        ),
    )
    if done.saved:
        flash(_("The service is now offered openly."), "success")
        return redirect(url_for("openservices.index"), 303)
    return render_template("openservices/new_service.html", form=form), done.status


@bp.route("/services/<int:service_id>/active", methods=["POST"])
def set_active(service_id: int) -> Any:
    """Stop offering a service openly, or offer it again (administrators)."""
    service = get_open_service_or_404(current_user, service_id)
    active = request.form.get("active") == "1"
    attempt(lambda: services.set_active(db.session, current_user, service, active)).flash(
        _("The service is offered openly again.") if active else _("The service is closed.")
    )
    return redirect(url_for("openservices.index"), 303)


def _year() -> int:
    year = request.args.get("year", type=db_int)
    if year is None:
        return local_today().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


@bp.route("/report")
def report() -> Any:
    """The year's participation for the council: per month and kind, per age band and
    gender. No individual is in it."""
    year = _year()
    rows = services.counts(db.session, current_user.organisation_id, year)
    return render_template(
        "openservices/report.html",
        year=year,
        summary=services.summarise(rows, year),
        kinds=list(OpenServiceKind),
        bands=list(AgeBand),
        genders=list(OpenGender),
    )


@bp.route("/report.csv")
def report_csv() -> Response:
    """The year's counts per month, kind, service, age band and gender, for a spreadsheet
    (UTF-8 with BOM, semicolons, headers in the user's language)."""
    year = _year()
    rows = services.counts(db.session, current_user.organisation_id, year)
    response = csv_response(
        [_("Month"), _("Kind"), _("Service"), _("Age band"), _("Gender"), _("Participants")],
        (
            [
                row.month.strftime("%Y-%m"),
                str(KIND_LABELS[row.kind]),
                row.service,
                str(AGE_BAND_LABELS[row.age_band]),
                str(GENDER_LABELS[row.gender]),
                row.participants,
            ]
            for row in rows
        ),
        f"open-services-{year}.csv",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
