"""Messages at phone size: a family writes in the constellation's thread, the hub carer,
who has the thread open, sees it arrive without reloading and replies; axe-core on each page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, checked, screenshot, sign_in, tab_to, visit

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARRIVES_WITHIN_MS = 15_000  # the page polls every 4 s; room for a busy machine


def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=SMALL_PHONE, locale="sv-SE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = "phone"
    return page


def open_group_thread(page: Any, base: str) -> None:
    visit(page, f"{base}/messages/")
    with page.expect_navigation():
        page.get_by_role("link", name="Björnen").click()
    checked(page)


def test_a_family_writes_in_the_group_thread_and_the_hub_carer_replies(live_server, browser):
    family, hub = phone(browser), phone(browser)
    try:
        sign_in(hub, live_server, "hubb.bjornen")
        open_group_thread(hub, live_server)

        sign_in(family, live_server, "familj1")
        visit(family, f"{live_server}/messages/", "messages-list")
        assert "oläst" in family.inner_text("main")  # the seeded messages are unread
        with family.expect_navigation():
            family.get_by_role("link", name="Björnen").click()
        checked(family)
        # keyboard only: tab to the reply box, write, tab to Send, Enter
        tab_to(family, "#body")
        family.keyboard.type("Någon som vill fika på torsdag eftermiddag?")
        tab_to(family, "#reply button[type=submit]")
        with family.expect_navigation():
            family.keyboard.press("Enter")
        checked(family)
        assert "Någon som vill fika på torsdag eftermiddag?" in family.inner_text("#messages")

        # the hub carer's open page shows it without reloading
        hub.locator("#messages li", has_text="fika på torsdag").wait_for(timeout=ARRIVES_WITHIN_MS)
        hub.fill("#body", "Gärna! Välkomna hit kl. 15.")
        with hub.expect_navigation():
            hub.get_by_role("button", name="Skicka").click()
        checked(hub)

        family.locator("#messages li", has_text="Välkomna hit kl. 15").wait_for(
            timeout=ARRIVES_WITHIN_MS
        )
        checked(family)
        screenshot(family, "messages")
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / "messages-phone.png", DOCS / "messages-phone.png")
    finally:
        family.context.close()
        hub.context.close()


def test_an_empty_reply_shows_the_error_summary_and_axe_is_clean(live_server, browser):
    page = phone(browser)
    try:
        sign_in(page, live_server, "familj2")
        open_group_thread(page, live_server)
        with page.expect_navigation():
            page.get_by_role("button", name="Skicka").click()
        assert "Skriv ett meddelande." in page.inner_text(".error-summary")
        checked(page)
    finally:
        page.context.close()


def test_an_administrator_breaks_the_glass_with_a_reason(live_server, browser):
    page = phone(browser)
    try:
        sign_in(page, live_server, "admin")
        visit(page, f"{live_server}/messages/")
        with page.expect_navigation():
            page.get_by_role("link", name="Alla konversationer i organisationen").click()
        checked(page)
        with page.expect_navigation():
            page.locator("a[href$='/break-glass']", has_text="Räven").click()
        checked(page)
        assert "pysselkväll" not in page.inner_text("main")
        with page.expect_navigation():
            page.get_by_role("button", name="Öppna med detta skäl").click()
        assert "Ange ett skäl" in page.inner_text(".error-summary")
        checked(page)
        page.fill("#reason", "Klagomål från en familj, utredning dnr 2026-77")
        with page.expect_navigation():
            page.get_by_role("button", name="Öppna med detta skäl").click()
        assert "pysselkväll" in page.inner_text("main")
        checked(page)
    finally:
        page.context.close()
