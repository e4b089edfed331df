"""Open services and a voicemail's player in a real browser: accessible (axe-core, WCAG 2.1
A/AA) at desktop size and on a phone, and the participation form usable with its errors."""

from __future__ import annotations

from tests.browser.conftest import axe_violations, sign_in, visit


def test_recording_participation_and_the_report_are_accessible(live_server, page):
    from playwright.sync_api import expect

    sign_in(page, live_server, "socialsekreterare")
    visit(page, f"{live_server}/open-services/", shot=f"open-services-{page.viewport_name}")
    page.fill("#participants", "0")
    page.fill("#first_name", "Anna Svensson")
    page.click("main form button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert axe_violations(page) == []

    page.fill("#participants", "1")
    page.fill("#first_name", "Anna")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/open-services/")
    expect(page.locator("main")).to_contain_text("Deltagandet har registrerats.")
    visit(page, f"{live_server}/open-services/report", shot=f"open-report-{page.viewport_name}")


def test_the_voicemail_plays_from_hubhome_on_an_accessible_page(live_server, page):
    sign_in(page, live_server, "jour")
    visit(page, f"{live_server}/phone/follow-ups")
    link = page.locator("a[href$='/recording']").first
    href = link.get_attribute("href")
    assert href and "api.twilio.com" not in page.content()
    answer = page.request.get(f"{live_server}{href}")
    assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
    assert answer.body()[:4] == b"RIFF"
