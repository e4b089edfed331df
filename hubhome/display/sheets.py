"""Spreadsheets as Swedish Excel opens them: CSV with a BOM and semicolons, or a real .xlsx.

Every export goes through here, so they all read alike: headers in the user's language,
codes in words, and free text that can never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from flask import Response
from flask_babel import get_locale

from hubhome.timeutil import to_local

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Keep spreadsheets from running free text as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Semicolon-separated rows with CRLF, as Swedish Excel expects (without the BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in header])
    writer.writerows([safe_cell(_plain(cell)) for cell in row] for row in rows)
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, float):  # "12,5" in Swedish: Excel reads the language's decimal sign
        return format_decimal(value, format="0.0##", locale=get_locale() or "sv")
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _download(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """A CSV download: UTF-8 with a BOM (so Excel reads å, ä, ö), semicolons, CRLF."""
    return _download("\ufeff" + csv_text(header, rows), CSV_TYPE, filename)


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold header row that stays in view, numbers and dates as themselves."""
    # openpyxl is 5 MB in every worker; only an .xlsx download needs it
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = [_cell(value) for value in row]
        sheet.append(values)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = max(widths[i], min(60, len(str(value))))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):  # Excel has no time zones: Stockholm's wall clock
        return to_local(value).replace(tzinfo=None)
    if isinstance(value, str):
        return safe_cell(value)
    return value


def xlsx_response(
    title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> Response:
    """An Excel download of the same rows as the CSV."""
    return _download(xlsx_bytes(title, header, rows), XLSX_TYPE, filename)
