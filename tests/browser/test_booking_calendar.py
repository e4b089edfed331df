"""Choosing respite nights on the booking page's month of free nights, in a real browser: by
touch on a phone (360×740), by click and by keyboard on a desktop, and without JavaScript.

Each test books in a month of its own two months ahead, apart from the journeys' nights.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hubhome.timeutil import local_today
from tests.browser.conftest import checked, sign_in, tab_to

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _month_ahead(months: int) -> date:
    first = local_today().replace(day=1)
    for _ in range(months):
        first = (first + timedelta(days=32)).replace(day=1)
    return first


@pytest.fixture(params=["phone", "desktop"])
def screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    phone = request.param == "phone"
    context = browser.new_context(
        viewport=SIZES[request.param], locale="sv-SE", has_touch=phone, is_mobile=phone
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def _open_month(page: Any, base: str, first: date, *, scripts: bool = True) -> None:
    """Open the booking page and step to the month by its 'next' links, as a user does."""
    page.goto(f"{base}/respite/book")
    if scripts:  # axe-core runs in the page
        checked(page)
    title = page.locator("#cal-title")
    while (
        first.strftime("%Y") not in title.inner_text()
        or page.locator(f"a[data-date='{first.isoformat()}']").count() == 0
    ):
        with page.expect_navigation():
            page.locator(".cal a[rel=next]").click()


def _free_night(page: Any, after: date) -> date:
    """The first night from `after` with a free bed and two more after it."""
    days = page.eval_on_selector_all(
        "td.cal-free > a[data-date]", "links => links.map(l => l.dataset.date)"
    )
    free = {date.fromisoformat(d) for d in days}
    return next(
        d for d in sorted(free) if d >= after and {d + timedelta(days=i) for i in (1, 2)} <= free
    )


def _chosen(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "td[aria-selected=true] > a", "links => links.map(l => l.dataset.date)"
    )


def test_choosing_nights_by_touch_or_click_fills_the_form(live_server, screen):
    page = screen
    first = _month_ahead(2)
    sign_in(page, live_server, "familj1")
    _open_month(page, live_server, first)
    check_in = _free_night(page, first + timedelta(days=9 if page.viewport_name == "phone" else 3))
    check_out = check_in + timedelta(days=2)
    for day in (check_in, check_out):
        cell = page.locator(f"a[data-date='{day.isoformat()}']")
        cell.tap() if page.viewport_name == "phone" else cell.click()
    assert "check_in" not in page.url  # chosen in the page, not by following links
    assert page.input_value("#check_in") == check_in.isoformat()
    assert page.input_value("#check_out") == check_out.isoformat()
    assert _chosen(page) == [check_in.isoformat(), (check_in + timedelta(days=1)).isoformat()]
    assert "2 nätter" in page.inner_text("[data-calendar-status]")
    checked(page)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-calendar]").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / f"respite-calendar-{page.viewport_name}.png"))

    page.locator("input[name=child_ids]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka förfrågan").click()
    assert "Din förfrågan har skickats" in page.inner_text("main")


def test_choosing_nights_by_keyboard_fills_the_form(live_server, screen):
    page = screen
    first = _month_ahead(3)
    sign_in(page, live_server, "familj2")
    _open_month(page, live_server, first)
    target = _free_night(page, first + timedelta(days=12 if page.viewport_name == "phone" else 5))
    tab_to(page, "a[data-date]")
    assert page.locator("a[data-date][tabindex='0']").count() == 1  # the grid is one tab stop
    focused = date.fromisoformat(page.evaluate("document.activeElement.dataset.date"))
    weeks, days = divmod((target - focused).days, 7)
    for _ in range(weeks):
        page.keyboard.press("ArrowDown")
    for _ in range(days):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.date") == target.isoformat()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    assert "check_in" not in page.url
    assert page.input_value("#check_in") == target.isoformat()
    assert page.input_value("#check_out") == (target + timedelta(days=1)).isoformat()
    assert _chosen(page) == [target.isoformat()]
    assert "1 natt" in page.inner_text("[data-calendar-status]")
    checked(page)
    # Tab leaves the grid for the date fields, which hold what was chosen
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "check_in"


def test_without_javascript_the_nights_are_links_that_fill_the_form(live_server, browser):
    context = browser.new_context(
        viewport=SIZES["phone"], locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    page.viewport_name = "phone"
    try:
        first = _month_ahead(2)
        sign_in(page, live_server, "familj1")
        _open_month(page, live_server, first, scripts=False)
        check_in = _free_night(page, first + timedelta(days=18))
        with page.expect_navigation():
            page.locator(f"a[data-date='{check_in.isoformat()}']").click()
        assert page.input_value("#check_in") == check_in.isoformat()
        check_out = check_in + timedelta(days=2)
        with page.expect_navigation():
            page.locator(f"a[data-date='{check_out.isoformat()}']").click()
        assert page.input_value("#check_in") == check_in.isoformat()
        assert page.input_value("#check_out") == check_out.isoformat()
        assert page.locator("td[aria-selected=true]").count() == 2
    finally:
        context.close()
