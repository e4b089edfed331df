"""Each user's main path in a real browser, with axe-core on every page it passes.

The journeys share one live demo; each uses its own dates or objects so they do not collide.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hubhome.timeutil import local_today
from tests.browser.conftest import (
    checked,
    fill_date,
    screenshot,
    sign_in,
    sign_out,
    tab_to,
    type_date,
    visit,
)

pytestmark = pytest.mark.browser


def test_a_family_books_respite_by_keyboard_and_the_hub_carer_approves(live_server, page):
    check_in = local_today() + timedelta(days=24 if page.viewport_name == "phone" else 31)
    check_out = check_in + timedelta(days=2)
    sign_in(page, live_server, "familj1")
    visit(page, f"{live_server}/respite/", "respite-family")
    visit(page, f"{live_server}/respite/book", "respite-book")

    # Keyboard only: tab to each control, space to tick, type the dates, Enter to send.
    tab_to(page, "input[name=child_ids]")
    page.keyboard.press("Space")
    tab_to(page, "#check_in")
    type_date(page, check_in)
    assert page.input_value("#check_in") == check_in.isoformat()
    tab_to(page, "#check_out")
    type_date(page, check_out)
    tab_to(page, "#note")
    page.keyboard.type("Sover med nattlampa.")
    screenshot(page, "respite-book-filled")
    tab_to(page, "form[method=post] button[type=submit]:not(.button-secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    assert "Väntar på beslut" in page.content(), page.inner_text("main")
    sign_out(page)

    sign_in(page, live_server, "hubb.bjornen")
    visit(page, f"{live_server}/respite/hub")
    screenshot(page, "respite-hub", full_page=False)
    with page.expect_navigation():
        page.locator("form[action$='/approve'] button").first.click()
    checked(page)
    sign_out(page)

    sign_in(page, live_server, "familj1")
    visit(page, f"{live_server}/respite/")
    assert "Beviljad" in page.content()


def test_an_admin_reviews_the_audit_log(live_server, page):
    sign_in(page, live_server, "admin")
    visit(page, f"{live_server}/admin/audit", "admin-audit")
    page.select_option("#actor_id", label="Hanna Ek (hubb.bjornen@demo.hubhome.test)")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    checked(page)
    assert "respite" in page.content()
    visit(page, f"{live_server}/admin/jobs", "admin-jobs")


def test_a_foster_carer_answers_an_invitation_and_reads_the_calendar(live_server, page):
    from playwright.sync_api import expect

    sign_in(page, live_server, "familj1")
    visit(page, f"{live_server}/activities/", "activities-family")
    # The first coming event the family has not answered yet (each run takes the next one).
    card = page.locator("li.card").filter(has_not=page.locator(".status")).first
    title = card.locator("a").inner_text()
    with page.expect_navigation():
        card.locator("a").click()
    checked(page)

    # Sent without an answer: the error summary gets focus and its link reaches the radios.
    with page.expect_navigation():
        page.click("text=Skicka svaret")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    checked(page)
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "attending-0"

    page.get_by_label("Ja, vi kommer").check()
    page.fill("#adults", "2")
    page.fill("#children", "1")
    page.fill("#needs", "Glutenfri kost")
    with page.expect_navigation():
        page.click("text=Skicka svaret")
    checked(page)
    assert "Tack, ert svar är sparat." in page.inner_text("main")
    assert "Kommer" in page.locator("#h-answer + p").inner_text()
    screenshot(page, "activity-answered")

    visit(page, f"{live_server}/activities/")
    answered = page.locator("li.card", has_text=title).filter(has=page.locator(".status-ok"))
    assert answered.count() >= 1
    with page.expect_navigation():
        page.click("text=Månadsvy")
    checked(page)
    screenshot(page, "calendar-family")
    assert "Konstellationsträff" in page.inner_text("main")
    # The whole month is readable without sideways scrolling, weekends too: on a phone the
    # grid becomes a list of the days that have events, each with its weekday and date.
    region = page.locator("main .table-scroll")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the month scrolls sideways"
    event = page.locator("main .month a").first
    box = event.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    if page.viewport_name == "phone":
        day = page.locator("main .month td.has-events .day-name").first
        assert day.is_visible() and day.inner_text().split()[0].endswith("dag")


def test_the_hub_carer_plans_the_monthly_meeting_and_logs_an_advice_contact(live_server, page):
    first = local_today() + timedelta(days=45 if page.viewport_name == "phone" else 52)
    title = f"Höstträff ({page.viewport_name})"
    sign_in(page, live_server, "hubb.bjornen")
    visit(page, f"{live_server}/home", "home-hub")
    visit(page, f"{live_server}/activities/")
    with page.expect_navigation():
        page.click("text=Planera en aktivitet")
    checked(page)

    page.select_option("#kind", "meeting")
    page.fill("#title", title)
    page.fill("#day", first.isoformat())
    page.fill("#start", "18:00")
    page.fill("#end", "20:00")
    page.fill("#place", "Navfamiljen Ek, Björnstigen 1")
    page.select_option("#repeat", "monthly_weekday")
    page.fill("#count", "6")
    with page.expect_navigation():
        page.click("text=Planera och bjud in")
    checked(page)
    assert "6 aktiviteter planerade och familjerna inbjudna." in page.inner_text("main")
    assert page.locator("h1").inner_text() == title
    screenshot(page, "meeting-planned")

    visit(page, f"{live_server}/advice/new", "advice-new")
    with page.expect_navigation():  # nothing filled in: an error summary, nothing saved
        page.click("main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    checked(page)
    page.select_option("#household_id", label="Familjen Andersson")
    page.fill("#asked_by", "Fostermamma")
    page.select_option("#topic", index=1)
    page.fill("#summary", f"Frågade om läxhjälp och skolstart ({page.viewport_name}).")
    fill_date(page, "#follow_up_on", first)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    checked(page)
    assert f"Frågade om läxhjälp och skolstart ({page.viewport_name})." in page.inner_text("main")
    screenshot(page, "advice-log")
