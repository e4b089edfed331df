"""Decisions not carried out: the register, the quarterly report and the foster-home register."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.models import Role, User
from hubhome.api.bounds import db_int
from hubhome.audit.services import record
from hubhome.children.models import Child
from hubhome.decisions import reports, services
from hubhome.decisions.forms import DecisionForm, DecisionUpdateForm, OfferForm
from hubhome.decisions.models import InterventionDecision, InterventionKind
from hubhome.decisions.rules import Quarter, limit_for
from hubhome.display.people import child_choices
from hubhome.display.sheets import xlsx_response
from hubhome.errors import ValidationFailed
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.network.models import HouseholdKind
from hubhome.network.services import visible_households
from hubhome.permissions import (
    can_see_monitoring_reports,
    child_ids_visible_to,
    get_child_or_404,
    get_decision_or_404,
    get_household_or_404,
)
from hubhome.timeutil import local_today

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


@bp.before_request
@login_required
def _only_social_services() -> None:
    if not can_see_monitoring_reports(current_user):
        abort(403)


def _worker_choices() -> list[Any]:
    workers = db.session.scalars(
        select(User)
        .where(
            User.organisation_id == current_user.organisation_id,
            User.role == Role.SOCIAL_WORKER,
        )
        .order_by(User.name)
    )
    return choices([(0, _("Nobody yet"))] + [(w.id, w.name) for w in workers])


@bp.route("/")
def index() -> Any:
    """The register: every decision, what state it is in and whether it is past the limit."""
    today = local_today()
    show = request.args.get("show", "open")
    rows = []
    for decision in reports.visible_decisions(db.session, current_user):
        status = services.status_on(decision, today)
        late = services.late_since(decision, today)
        if show == "open" and status in (services.Status.CARRIED_OUT, services.Status.CLOSED):
            continue
        if show == "late" and late is None:
            continue
        rows.append((decision, status, late, limit_for(decision.decision_date)))
    return render_template(
        "decisions/index.html",
        rows=rows,
        show=show,
        today=today,
        quarter=Quarter.containing(today),
        kind_label=reports.kind_label,
        status_label=reports.status_label,
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    """Add a decision on an intervention to the register."""
    form = DecisionForm()
    kids = db.session.scalars(
        select(Child)
        .where(Child.id.in_(child_ids_visible_to(current_user)))
        .order_by(Child.first_name, Child.last_name, Child.birth_date)
    ).all()
    form.child_id.choices = choices([(0, _("Choose a child"))] + child_choices(db.session, kids))
    form.household_id.choices = choices(
        [(0, _("No family: the decision is about the child"))]
        + [
            (h.id, h.name)
            for h in visible_households(db.session, current_user)
            if h.kind == HouseholdKind.SATELLITE
        ]
    )
    form.responsible_id.choices = _worker_choices()
    if request.method == "GET" and current_user.role == Role.SOCIAL_WORKER:
        form.responsible_id.data = current_user.id
    done = submit(form, lambda: _create(form))
    if done.saved:
        flash(_("The decision has been added to the register."), "success")
        return redirect(url_for("decisions.show", decision_id=done.value.id))
    return render_template("decisions/new.html", form=form), done.status


def _create(form: DecisionForm) -> InterventionDecision:
    if bool(form.child_id.data) == bool(form.household_id.data):
        raise ValidationFailed(_("Choose either a child or a family."))
    subject = (
        get_child_or_404(current_user, form.child_id.data)
        if form.child_id.data
        else get_household_or_404(current_user, form.household_id.data or 0)
    )
    return services.create_decision(
        db.session,
        current_user,
        subject,
        services.DecisionInput(
            kind=InterventionKind(form.kind.data),
            decision_date=form.decision_date.data,
            responsible_id=form.responsible_id.data or None,
            delay_reason=form.delay_reason.data or "",
        ),
        local_today(),
    )


def _render_show(decision: Any, form: Any, offer_form: Any, status: int = 200) -> Any:
    today = local_today()
    return render_template(
        "decisions/show.html",
        decision=decision,
        form=form,
        offer_form=offer_form,
        status=services.status_on(decision, today),
        late=services.late_since(decision, today),
        limit=limit_for(decision.decision_date),
        today=today,
        kind_label=reports.kind_label,
        status_label=reports.status_label,
    ), status


@bp.route("/<int:decision_id>", methods=["GET", "POST"])
def show(decision_id: int) -> Any:
    """Show a decision; record that it was carried out, interrupted, resumed or closed."""
    decision = get_decision_or_404(current_user, decision_id)
    form = DecisionUpdateForm(obj=decision if request.method == "GET" else None)
    form.responsible_id.choices = _worker_choices()
    if request.method == "GET":
        form.responsible_id.data = decision.responsible_id or 0
    done = submit(
        form,
        lambda: services.update_decision(
            db.session, current_user, decision, _changes(form), local_today()
        ),
    )
    if done.saved:
        flash(_("The decision has been updated."), "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))
    if request.method == "GET":
        record(
            db.session,
            current_user,
            "decision.view",
            decision,
            child_id=decision.child_id,
            household_id=decision.household_id,
        )
    return _render_show(decision, form, OfferForm(formdata=None), done.status)


def _changes(form: DecisionUpdateForm) -> dict[str, Any]:
    changes = {name: getattr(form, name).data for name in services.EDITABLE}
    changes["responsible_id"] = changes["responsible_id"] or None
    return changes


@bp.route("/<int:decision_id>/offers", methods=["POST"])
def offer(decision_id: int) -> Any:
    """Record a date support was offered (and whether it was declined)."""
    decision = get_decision_or_404(current_user, decision_id)
    offer_form = OfferForm()
    done = submit(
        offer_form,
        lambda: services.add_offer(
            db.session,
            current_user,
            decision,
            offer_form.offered_on.data,
            bool(offer_form.declined.data),
            local_today(),
        ),
    )
    if done.saved:
        flash(_("The offer has been recorded."), "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))
    form = DecisionUpdateForm(formdata=None, obj=decision)
    form.responsible_id.choices = _worker_choices()
    form.responsible_id.data = decision.responsible_id or 0
    return _render_show(decision, form, offer_form, done.status)


def _quarter() -> Quarter:
    text = request.args.get("quarter")
    if not text:
        return Quarter.containing(local_today()).previous()
    try:
        return Quarter.parse(text)
    except ValueError:
        abort(400)


def _csv_response(body: str, filename: str) -> Response:
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/report")
def report() -> Any:
    """The quarterly report to IVO and the statistics for the council, printable."""
    quarter = _quarter()
    rows = _quarter_rows(quarter)
    return render_template(
        "decisions/report.html",
        quarter=quarter,
        rows=rows,
        stats=reports.statistics(rows),
        kind_label=reports.kind_label,
        gender_label=reports.gender_label,
        status_label=reports.status_label,
        rule_label=reports.rule_label,
        genders=["girl", "boy", "other", "unknown"],
        today=local_today(),
    )


@bp.route("/report.csv")
def report_csv() -> Response:
    """The quarterly report's individual rows as CSV."""
    quarter = _quarter()
    rows = _quarter_rows(quarter)
    return _csv_response(reports.quarter_csv(quarter, rows), f"ej-verkstallda-{quarter}.csv")


def _quarter_rows(quarter: Any) -> Any:
    return reports.quarter_rows(
        reports.decisions_late_in(db.session, current_user, quarter),
        quarter,
        local_today(),
    )


@bp.route("/report.xlsx")
def report_excel() -> Response:
    """The quarterly report's individual rows as an Excel sheet."""
    quarter = _quarter()
    header, table = reports.quarter_table(quarter, _quarter_rows(quarter))
    return xlsx_response(str(quarter), header, table, f"ej-verkstallda-{quarter}.xlsx")


def _register_year() -> int:
    if current_user.role != Role.ADMIN:
        abort(403)
    return request.args.get("year", type=db_int) or local_today().year - 1


def _audit_register(year: int, count: int, form: str) -> None:
    record(
        db.session,
        current_user,
        "decisions.foster_register_read",
        detail={"year": year, "children": count, "form": form},
    )


@bp.route("/foster-home-register")
def foster_register() -> Any:
    """The register of children in foster homes that goes to IVO each January (admins)."""
    year = _register_year()
    page = request.args.get("page", 1, type=db_int) or 1
    per_page = reports.REGISTER_PER_PAGE
    found = reports.foster_home_register(
        db.session,
        current_user.organisation_id,
        year,
        limit=per_page + 1,  # one more: is there a next page?
        offset=(max(page, 1) - 1) * per_page,
    )
    rows = found[:per_page]
    _audit_register(year, len(rows), "page")
    return render_template(
        "decisions/register.html",
        rows=rows,
        year=year,
        page=page,
        more=len(found) > per_page,
        first_number=(max(page, 1) - 1) * per_page + 1,
        genders=reports.gender_labels(),
    )


@bp.route("/foster-home-register.csv")
def foster_register_csv() -> Response:
    """The foster-home register as CSV."""
    year = _register_year()
    rows = reports.foster_home_register(db.session, current_user.organisation_id, year)
    _audit_register(year, len(rows), "csv")
    return _csv_response(reports.register_csv(year, rows), f"familjehemsregister-{year}.csv")
