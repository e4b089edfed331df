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
    # The demo's contact visit (in five days) and the social worker's visit (in four) are
    # this month's or next; the page shows each in the month it falls in.
    seen = page.inner_text("main")
    if "Umgänge" not in seen or "Uppföljningsbesök" not in seen:
        visit(page, page.locator("a", has_text="Nästa månad").get_attribute("href"))
        seen += page.inner_text("main")
    assert "Umgänge:" in seen and "Socialsekreterarens besök:" in seen
    region = page.locator("main .table-scroll")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the month scrolls sideways"
    screenshot(page, "family-calendar", full_page=False)

    # Keyboard only: tab to the agenda view and open it.
    tab_to(page, ".cal-nav li:nth-child(5) a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    assert page.locator(".agenda .agenda-day").count() >= 1
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


def test_a_social_worker_plans_a_visit_and_keeps_a_conference(live_server, page):
    """The follow-up and conference pages pass axe and fit a phone; the plan is made by
    keyboard and lands in the worker's calendar."""
    from datetime import timedelta

    from hubhome.timeutil import local_today
    from tests.browser.conftest import fill_date

    day = local_today() + timedelta(days=9 if page.viewport_name == "phone" else 10)
    sign_in(page, live_server, "socialsekreterare")
    visit(page, f"{live_server}/visits/follow-ups/")
    visit(page, f"{live_server}/visits/follow-ups/new")
    page.select_option("#child_id", index=1)
    fill_date(page, "#day", day)
    page.fill("#start", "09:30")
    page.fill("#end", "10:30")
    tab_to(page, "button[type=submit].button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    assert "Besöket är planerat." in page.inner_text("main")
    visit(page, f"{live_server}/calendar?month={day:%Y-%m}&view=agenda")
    assert "09:30–10:30" in page.inner_text("main")
    visit(page, f"{live_server}/conferences/")
    with page.expect_navigation():
        page.locator("li.card a").first.click()
    checked(page)
    assert "Barnets nätverk" in page.inner_text("main")
    page.locator("summary", has_text="Lägg till en person").click()
    checked(page)
    visit(page, f"{live_server}/conferences/new")
