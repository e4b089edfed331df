"""The hub's monthly report: a printable page and the same numbers as CSV."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_login import current_user, login_required

from hubhome.activities.labels import KIND_LABELS
from hubhome.activities.report import monthly_report, report_table
from hubhome.activities.views import LABELS, _constellation, _month_arg, bp
from hubhome.advice.labels import CHANNEL_LABELS, TOPIC_LABELS
from hubhome.audit.services import record
from hubhome.display.sheets import csv_response, xlsx_response
from hubhome.extensions import db
from hubhome.permissions import can_see_monthly_report, monthly_reports_among


def _report() -> Any:
    constellation, all_visible = _constellation()
    if constellation is None or not can_see_monthly_report(current_user, constellation):
        abort(403)
    report = monthly_report(db.session, constellation, _month_arg())
    record(
        db.session,
        current_user,
        "report.monthly",
        constellation,
        detail={"month": f"{report.month:%Y-%m}"},
    )
    return report, monthly_reports_among(current_user, all_visible)


@bp.route("/report")
@login_required
def report() -> Any:
    """The month's numbers for one constellation, ready to print."""
    result, constellations = _report()
    return render_template(
        "activities/report.html",
        report=result,
        constellations=constellations,
        labels=LABELS,
        kinds=KIND_LABELS,
        topics=TOPIC_LABELS,
        channels=CHANNEL_LABELS,
    )


@bp.route("/report.csv")
@login_required
def report_download() -> Any:
    """The same numbers as CSV (semicolons and a BOM, as Swedish Excel reads them)."""
    result, _ = _report()
    header, rows = report_table(result)
    return csv_response(header, rows, f"{_filename(result)}.csv")


@bp.route("/report.xlsx")
@login_required
def report_excel() -> Any:
    """The same numbers as an Excel sheet."""
    result, _ = _report()
    header, rows = report_table(result)
    title = f"{result.constellation.name} {result.month:%Y-%m}"
    return xlsx_response(title, header, rows, f"{_filename(result)}.xlsx")


def _filename(result: Any) -> str:
    return f"manadsrapport-{result.constellation.id}-{result.month:%Y-%m}"
