"""Constellation health and organisation outcomes for managers and liaisons, with CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role
from hubhome.api.bounds import db_int
from hubhome.decisions.rules import add_months
from hubhome.display.charts import shade_scale
from hubhome.display.sheets import csv_response, xlsx_response
from hubhome.extensions import db
from hubhome.network.models import Constellation
from hubhome.network.services import visible_constellations
from hubhome.outcomes import charts as outcome_charts
from hubhome.outcomes import queries
from hubhome.outcomes.sources import has_sources
from hubhome.permissions import can_see_monitoring_reports
from hubhome.timeutil import local_today

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


@bp.before_request
@login_required
def _only_managers_and_liaisons() -> None:
    if not can_see_monitoring_reports(current_user):
        abort(403)


def _period() -> tuple[date, date]:
    today = local_today()
    try:
        last = date.fromisoformat(request.args["to"]) if request.args.get("to") else today
        first = (
            date.fromisoformat(request.args["from"])
            if request.args.get("from")
            else add_months(last, -12) + timedelta(days=1)
        )
    except ValueError:
        abort(400)
    if first > last or (last - first).days > 366 * 10:
        abort(400)
    return first, last


def _figures(constellations: Sequence[Constellation] | None = None) -> dict[str, Any]:
    first, last = _period()
    if constellations is None:
        constellations = visible_constellations(db.session, current_user)
    health = queries.constellation_health(db.session, constellations, first, last)
    organisation = None
    if current_user.role == Role.ADMIN:
        organisation = queries.organisation_outcomes(
            db.session, current_user.organisation_id, first, last, health
        )
    trend = queries.monthly_trend(db.session, [c.id for c in constellations], first, last)
    return {
        "first": first,
        "last": last,
        "health": health,
        "organisation": organisation,
        "trend": trend,
    }


CONSTELLATIONS_PER_PAGE = 20  # the page's per-hub sections; the CSV and Excel have all


@bp.route("/")
def index() -> Any:
    """How each constellation is doing, and the organisation's outcomes over a period.

    The organisation, the month-by-month trend and the calls count every constellation; the
    sections about each one (its figures and its occupancy map) show a page of them, so the
    largest organisation's 200 hubs do not make a page of megabytes."""
    # Loaded once for the figures and the page's sections (200 hubs with their homes).
    constellations = visible_constellations(db.session, current_user)
    figures = _figures(constellations)
    ids = [c.id for c in constellations]
    per_page = CONSTELLATIONS_PER_PAGE
    pages = max(1, -(-len(constellations) // per_page))
    page = min(max(request.args.get("page", 1, type=db_int) or 1, 1), pages)
    shown = slice((page - 1) * per_page, page * per_page)
    return render_template(
        "outcomes/index.html",
        has_sources=has_sources(),
        charts=outcome_charts.trend_charts(figures["trend"]),
        month_label=outcome_charts.month_label,
        pct=outcome_charts.percents(),
        occupancy=outcome_charts.occupancy_maps(db.session, constellations[shown], figures["last"]),
        occupancy_key=shade_scale(),
        calls=outcome_charts.calls_by_hour(db.session, ids, figures["first"], figures["last"]),
        page=page,
        pages=pages,
        page_health=figures["health"][shown],
        shown_from=shown.start + 1,
        shown_to=min(shown.stop, len(constellations)),
        constellation_count=len(constellations),
        **figures,
    )


def _percent(share: float | None) -> float | str:
    return "" if share is None else round(share * 100, 1)


def _csv_rows(figures: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for h in figures["health"]:
        rows += [
            [h.name, _("Satellites active"), h.satellites_active],
            [h.name, _("Satellites that left"), h.satellites_left],
            [h.name, _("Children placed"), h.children_placed],
            [h.name, _("Hub beds"), h.hub_beds],
            [h.name, _("Planned respite nights"), h.planned_nights],
            [h.name, _("Emergency respite nights"), h.emergency_nights],
            [h.name, _("Hub bed occupancy (%)"), _percent(h.occupancy)],
        ]
        rows += [[h.name, f.label, f.value] for f in h.figures]
    org = figures["organisation"]
    if org is not None:
        scope = _("Organisation")
        rows += [
            [scope, _("Placement-years"), round(org.placement_years, 2)],
            [scope, _("Unplanned placement endings"), org.unplanned_endings],
            [scope, _("Planned placement endings"), org.planned_endings],
            [
                scope,
                _("Unplanned endings per placement-year"),
                ""
                if org.unplanned_per_placement_year is None
                else round(org.unplanned_per_placement_year, 3),
            ],
            [scope, _("Carer households that stopped fostering"), org.carers_left],
            [scope, _("Planned respite nights"), org.planned_nights],
            [scope, _("Emergency respite nights"), org.emergency_nights],
        ]
        for r in org.retention:
            rows.append(
                [
                    scope,
                    _("Still fostering after %(months)s months (%%)", months=r.months),
                    _percent(r.share),
                ]
            )
        rows += [[scope, f.label, f.value] for f in org.fidelity]
    return rows


def _table(figures: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [_("From"), _("To"), _("Scope"), _("Figure"), _("Value")]
    period = [figures["first"], figures["last"]]
    return header, [[*period, scope, label, value] for scope, label, value in _csv_rows(figures)]


@bp.route("/outcomes.csv")
def export() -> Response:
    """The same figures as the page, one per row, as CSV."""
    figures = _figures()
    header, rows = _table(figures)
    return csv_response(header, rows, f"utfall-{figures['first']}-{figures['last']}.csv")


@bp.route("/outcomes.xlsx")
def export_excel() -> Response:
    """The same figures as the page, one per row, as an Excel sheet."""
    figures = _figures()
    header, rows = _table(figures)
    filename = f"utfall-{figures['first']}-{figures['last']}.xlsx"
    return xlsx_response(_("Outcomes"), header, rows, filename)
