"""Each user's main path in a real browser, with axe-core on every page it passes.

The journeys share one live demo; each uses its own dates or objects so they do not collide.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hubhome.timeutil import local_today
from tests.browser.conftest import axe_violations, screenshot, sign_in, tab_to

pytestmark = pytest.mark.browser


def visit(page: Any, url: str, shot: str | None = None) -> None:
    """Open a page, check it has no WCAG 2.1 A/AA violation, and maybe keep a screenshot."""
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    assert axe_violations(page) == [], url
    if shot:
        screenshot(page, shot)


def checked(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def type_date(page: Any, day: Any) -> None:
    """Type an ISO date into the focused date field the way a keyboard user does."""
    # Headless Chromium lays date fields out as mm/dd/yyyy whatever the page's locale;
    # typing the digits in that order fills the segments one after another.
    page.keyboard.type(f"{day.month:02d}{day.day:02d}{day.year:04d}")


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_a_family_books_respite_by_keyboard_and_the_hub_carer_approves(live_server, page):
    check_in = local_today() + timedelta(days=24)
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
    tab_to(page, "form[method=post] button[type=submit]:not(.button-secondary)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)
    assert "Väntar på beslut" in page.content(), page.inner_text("main")
    page.context.clear_cookies()

    sign_in(page, live_server, "hubb.bjornen")
    visit(page, f"{live_server}/respite/hub", "respite-hub")
    with page.expect_navigation():
        page.locator("form[action$='/approve'] button").first.click()
    checked(page)
    page.context.clear_cookies()

    sign_in(page, live_server, "familj1")
    visit(page, f"{live_server}/respite/")
    assert "Beviljad" in page.content()


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_an_admin_reviews_the_audit_log(live_server, page):
    sign_in(page, live_server, "admin")
    visit(page, f"{live_server}/admin/audit", "admin-audit")
    page.select_option("#actor_id", label="Hanna Ek (hubb.bjornen@demo.hubhome.test)")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    checked(page)
    assert "respite" in page.content()
    visit(page, f"{live_server}/admin/jobs", "admin-jobs")
