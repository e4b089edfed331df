"""The staff's main paths in a real browser: social worker, on-call staff and administrator,
with axe-core and a phone-width check on every page they pass."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import format_date

from hubhome.timeutil import local_today
from tests.browser.conftest import (
    checked,
    fill_date,
    screenshot,
    sign_in,
    twilio_webhook,
    visit,
)

pytestmark = pytest.mark.browser

BJORNEN_LINE = "+46100000001"
FAMILJ1 = "+46700001111"
JONAS = "+46700000909"  # the on-call staff member (jour@)


def test_a_social_worker_reads_the_caseload_records_a_visit_and_exports_the_ivo_report(
    live_server, page
):
    visit_day = local_today() - timedelta(days=1 if page.viewport_name == "phone" else 2)
    sign_in(page, live_server, "socialsekreterare")
    visit(page, f"{live_server}/caseload/")
    screenshot(page, "caseload", full_page=False)  # a long table: the first screen says it
    first_row = page.locator("main table tbody tr").first
    child = first_row.locator("th a").inner_text()
    # Each row's "Visit" link names its child for screen readers (link purpose, 2.4.4).
    with page.expect_navigation():
        first_row.get_by_role("link", name=f"Besök {child}", exact=True).click()
    checked(page)

    with page.expect_navigation():  # no date: an error summary whose link reaches the field
        page.click("text=Spara besöket")
    assert page.locator(".error-summary").is_visible()
    checked(page)
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "visit_date"

    fill_date(page, "#visit_date", visit_day)
    page.get_by_label("Jag samtalade enskilt med barnet").check()
    page.fill("#note", "Trivs i skolan, vill börja på fotboll.")
    with page.expect_navigation():
        page.click("text=Spara besöket")
    checked(page)
    assert "Besöket är registrerat." in page.inner_text("main")
    last_visit = page.locator("main table tbody tr", has_text=child).locator("td").nth(2)
    assert format_date(visit_day, "medium", locale="sv_SE") in last_visit.inner_text()
    assert "Enskilt samtal med barnet" in last_visit.inner_text()

    visit(page, f"{live_server}/outcomes/")
    screenshot(page, "outcomes", full_page=False)

    visit(page, f"{live_server}/decisions/")
    with page.expect_navigation():
        page.click("text=Kvartalsrapport")
    checked(page)
    screenshot(page, "ivo-report")
    with page.expect_download() as download:
        page.click("text=Ladda ner som CSV")
    saved = Path(download.value.path())
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert download.value.suggested_filename.startswith("ej-verkstallda-")
    assert lines[0].startswith("Kvartal;"), lines[0]


def test_on_call_staff_sees_a_ringing_call_and_logs_it(live_server, page):
    sid = f"CAjourney{page.viewport_name}"
    sign_in(page, live_server, "jour")
    visit(page, f"{live_server}/phone/now")

    # Twilio: a foster carer calls Björnen's line; walk the frozen chain to Jonas (second by
    # day, first at night) with signed webhooks, as Twilio would.
    root = ET.fromstring(
        twilio_webhook(
            f"{live_server}/phone/voice",
            {"CallSid": sid, "From": FAMILJ1, "To": BJORNEN_LINE, "CallStatus": "ringing"},
        )
    )
    for step in range(3):
        dial = root.find("Dial")
        assert dial is not None, ET.tostring(root)
        number = dial.find("Number")
        assert number is not None
        if (number.text or "").strip() == JONAS:
            break
        root = ET.fromstring(
            twilio_webhook(
                dial.get("action", ""),
                {
                    "CallSid": sid,
                    "DialCallStatus": "no-answer",
                    "DialCallSid": f"{sid}-leg{step}",
                    "CallStatus": "in-progress",
                },
            )
        )
    else:
        pytest.fail("the chain never rang Jonas")

    # The open page shows the caller's family by itself while the phone rings.
    live = page.locator("#phone-live")
    live.get_by_text("Ringer nu").wait_for(timeout=15_000)
    assert "Familjen Andersson" in live.inner_text()
    checked(page)
    screenshot(page, "phone-ringing")

    # Jonas presses 1: the call is his.
    leg = {"CallSid": f"{sid}-jonas", "CallStatus": "in-progress"}
    twilio_webhook(number.get("url", ""), {**leg, "Digits": "1"})
    live.get_by_text("Pågående samtal").wait_for(timeout=15_000)
    with page.expect_navigation():
        live.get_by_text("Öppna samtalet").click()
    checked(page)
    call_url = page.url

    # The call ends.
    twilio_webhook(
        dial.get("action", ""),
        {
            "CallSid": sid,
            "DialCallStatus": "completed",
            "DialCallSid": f"{sid}-jonas",
            "CallStatus": "completed",
        },
    )
    twilio_webhook(
        f"{live_server}/phone/voice/status",
        {"CallSid": sid, "CallStatus": "completed", "CallDuration": "240"},
    )

    # A note on the call; an empty one is refused with an error summary.
    visit(page, call_url)
    with page.expect_navigation():
        page.click("text=Spara anteckning")
    assert page.locator(".error-summary").is_visible()
    checked(page)
    page.fill("#note", "Oro inför umgänge på lördag; pratade igenom upplägget.")
    with page.expect_navigation():
        page.click("text=Spara anteckning")
    checked(page)
    assert "Anteckningen har sparats." in page.inner_text("main")
    screenshot(page, "phone-call")

    # Advice from the call: the form comes prefilled with the family and the call.
    with page.expect_navigation():
        page.click("main a[href*='/advice/new']")
    checked(page)
    assert page.locator("#household_id option:checked").inner_text() == "Familjen Andersson"
    page.fill("#asked_by", "Fostermamma")
    page.select_option("#topic", "birth_family")  # no topic is chosen in advance
    page.fill("#summary", f"Umgänge på lördag, samtal {page.viewport_name}.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    checked(page)
    assert "Loggat." in page.inner_text("main")
    assert f"Umgänge på lördag, samtal {page.viewport_name}." in page.inner_text("main")


def test_an_admin_edits_the_rota(live_server, page):
    day = local_today() + timedelta(days=3 if page.viewport_name == "phone" else 5)
    sign_in(page, live_server, "admin")
    visit(page, f"{live_server}/rota/", "rota")
    with page.expect_navigation():
        page.click("text=Räven dagtid")
    checked(page)

    # A change that ends before it starts is refused, with an error summary.
    page.select_option("#override-user_id", label="Jonas Jour")
    fill_date(page, "#override-start_day", day)
    page.fill("#override-start_time", "08:00")
    fill_date(page, "#override-end_day", day)
    page.fill("#override-end_time", "07:00")
    with page.expect_navigation():
        page.click("text=Spara ändringen")
    assert page.locator(".error-summary").is_visible()
    checked(page)

    page.select_option("#override-user_id", label="Jonas Jour")
    fill_date(page, "#override-start_day", day)
    page.fill("#override-start_time", "08:00")
    fill_date(page, "#override-end_day", day)
    page.fill("#override-end_time", "20:00")
    page.fill("#override-note", f"Henrik på kurs ({page.viewport_name})")
    with page.expect_navigation():
        page.click("text=Spara ändringen")
    checked(page)
    assert "Henrik på kurs" in page.inner_text("main")
    screenshot(page, "rota-edited")
