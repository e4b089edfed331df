"""Every spreadsheet like the IVO one: BOM, semicolons, headers and codes in the user's language;
an Excel file beside the reports social workers use, holding the same rows."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from hubhome.timeutil import local_today


def _csv(answer) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    raw = answer.data
    assert raw.startswith("\ufeff".encode())  # UTF-8 with a BOM: Excel reads å, ä, ö
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def _xlsx(answer) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _same(csv_rows: list[list[str]], xlsx_rows: list[list[object]]) -> None:
    assert xlsx_rows[0] == csv_rows[0]
    assert len(xlsx_rows) == len(csv_rows)
    for a, b in zip(csv_rows[1:], xlsx_rows[1:], strict=True):
        assert [("" if v is None else str(v)) for v in b][:2] == a[:2] or b[0] == a[0]


def test_the_monthly_hub_report_reads_like_the_ivo_one_in_both_languages(client, login_as, demo):
    login_as("hubb.bjornen")
    bjornen = demo.constellations["Björnen"].id
    month = f"{local_today():%Y-%m}"
    query = f"constellation_id={bjornen}&month={month}"
    swedish = _csv(client.get(f"/activities/report.csv?{query}"))
    assert swedish[0] == ["Konstellation", "Månad", "Avsnitt", "Post", "Värde"]
    assert all(row[0] == "Björnen" for row in swedish[1:])
    cells = {cell for row in swedish for cell in row}
    for code in ("meeting.held", "respite_nights", "advice_topic", "planned", "behaviour"):
        assert code not in cells
    assert any(row[3] == "Planerad" for row in swedish[1:])
    sheet = _xlsx(client.get(f"/activities/report.xlsx?{query}"))
    _same(swedish, sheet)
    assert all(isinstance(row[4], int) or row[4] is None for row in sheet[1:])

    client.post("/language", data={"lang-locale": "en", "next": "/home"})
    english = _csv(client.get(f"/activities/report.csv?{query}"))
    assert english[0] == ["Constellation", "Month", "Section", "Item", "Value"]
    assert [row[4] for row in english[1:]] == [row[4] for row in swedish[1:]]


def test_the_ivo_report_comes_as_an_excel_sheet_with_the_csvs_rows(client, login_as, demo):
    login_as("socialsekreterare")
    page = client.get("/decisions/report").get_data(as_text=True)
    assert "/decisions/report.xlsx" in page
    quarter = page.split("/decisions/report.csv?quarter=")[1].split('"')[0]
    rows = _csv(client.get(f"/decisions/report.csv?quarter={quarter}"))
    sheet = _xlsx(client.get(f"/decisions/report.xlsx?quarter={quarter}"))
    assert rows[0][0] == "Kvartal"
    assert sheet[0] == rows[0]
    assert [str(r[1]) for r in sheet[1:]] == [r[1] for r in rows[1:]]


def test_the_outcomes_come_as_csv_with_decimal_commas_and_as_excel_numbers(client, login_as, demo):
    login_as("admin")
    page = client.get("/outcomes/").get_data(as_text=True)
    assert "/outcomes/outcomes.xlsx" in page
    rows = _csv(client.get("/outcomes/outcomes.csv"))
    assert rows[0][2:] == ["Omfattning", "Mått", "Värde"]
    sheet = _xlsx(client.get("/outcomes/outcomes.xlsx"))
    assert sheet[0] == rows[0] and len(sheet) == len(rows)
    decimals = [r[4] for r in rows[1:] if "," in r[4]]
    assert decimals and not any("." in r[4] for r in rows[1:])
    assert any(isinstance(r[4], float) for r in sheet[1:])
