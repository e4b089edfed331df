"""The family calendar in a real browser, at phone and desktop size: month and agenda views,
keyboard only, axe-clean, no sideways scrolling, and the subscribe buttons."""

from __future__ import annotations

import pytest

from tests.browser.conftest import checked, screenshot, sign_in, tab_to, visit

pytestmark = pytest.mark.browser


def test_a_family_reads_its_calendar_by_keyboard_and_subscribes(live_server, page):
    from playwright.sync_api import expect

    if page.viewport_name == "phone":
        page.set_viewport_size({"width": 360, "height": 780})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_in(page, live_server, "familj1")
    visit(page, f"{live_server}/calendar")
    main = page.inner_text("main")
    # The demo's contact visit (in five days) and the social worker's visit (in four) are
    # this month's or next; the page shows them in the month they fall in.
    if "Umgänge" not in main:
        visit(page, page.locator("a", has_text="Nästa månad").get_attribute("href"))
        main = page.inner_text("main")
    assert "Umgänge" in main and "Uppföljningsbesök" in main
    region = page.locator("main .table-scroll")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the month scrolls sideways"
    screenshot(page, "family-calendar", full_page=False)

    # Keyboard only: tab to the agenda view and open it.
    tab_to(page, ".cal-nav li:nth-child(5) a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    assert page.locator(".agenda .agenda-day").count() >= 2
    expect(page.locator(".cal-nav a[aria-current=page]")).to_have_text("Lista")
    # An event's link is reachable by Tab and opens the event.
    tab_to(page, ".agenda a[href*='/visits/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    page.go_back()

    # Back to the month, then to the subscribe buttons.
    tab_to(page, ".cal-nav li:nth-child(4) a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table.family-month").is_visible()
    tab_to(page, ".subscribe-buttons a")
    apple = page.evaluate("document.activeElement.getAttribute('href')")
    assert apple.startswith("webcal://") and apple.endswith(".ics")
    google = page.locator("a", has_text="Google").get_attribute("href")
    assert google.startswith("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F")
    outlook = page.locator("a", has_text="Outlook").get_attribute("href")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?url=http")
    tab_to(page, "button[data-copy]")
    page.keyboard.press("Enter")
    expect(page.locator(".copy-status")).to_have_text("Adressen är kopierad.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#feed-url") and copied.endswith(".ics")
    checked(page)
