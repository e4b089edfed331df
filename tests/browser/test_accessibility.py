"""Every page a role reaches from its home page has no WCAG 2.1 A/AA violation (axe-core),
at desktop size and at 390×844, and the sign-in form works with the keyboard alone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in, tab_to

ROLES = ["admin", "socialsekreterare", "hubb.bjornen", "jour", "familj1"]


def test_sign_in_page_and_its_error_summary_are_accessible(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server}/login")
    assert axe_violations(page) == []
    page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # waits for the answer's deferred script to move focus
    assert axe_violations(page) == []
    screenshot(page, "login-errors")


def test_sign_in_works_with_the_keyboard_alone(live_server, page):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    tab_to(page, "#email")
    page.keyboard.type("familj1@demo.hubhome.test")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("demo-hubhome")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    assert "Familjen Andersson" in page.content()


def test_accessibility_statement_is_published(live_server, page):
    page.goto(f"{live_server}/tillganglighet")
    assert page.locator("h1").inner_text() == "Tillgänglighetsredogörelse"
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reached_from_home_is_accessible(live_server, page, role):
    sign_in(page, live_server, role)
    screenshot(page, f"home-{role}")
    links = page.eval_on_selector_all(
        "main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    paths = ["/home"] + sorted(
        {href for href in links if href.startswith("/") and not href.startswith("/static")}
    )
    problems = {}
    for path in paths[:25]:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status < 400, (
            f"{role}: {path} answered {response.status}"
        )
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}, urlsplit(live_server).netloc + f" {role}: {problems}"
