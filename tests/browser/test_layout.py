"""Layout at a desktop's 1280 px and a small phone's 360 px: nothing cut off or too wide."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, open_page, sign_in

SMALL_PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture(params=["wide", "small-phone"])
def sized_page(request: pytest.FixtureRequest, browser: Any) -> Any:
    yield from open_page(browser, WIDE if request.param == "wide" else SMALL_PHONE, request.param)


def _overflow(page: Any, selector: str) -> dict[str, int]:
    return page.eval_on_selector(
        selector,
        "el => ({scroll: el.scrollWidth, client: el.clientWidth,"
        " page: document.documentElement.scrollWidth, viewport: window.innerWidth})",
    )


def test_the_caseload_table_fits_without_sideways_scrolling(sized_page, live_server):
    sign_in(sized_page, live_server, "socialsekreterare")
    sized_page.goto(f"{live_server}/caseload/")
    sizes = _overflow(sized_page, ".caseload")
    assert sizes["page"] <= sizes["viewport"], sizes
    wrapper = _overflow(sized_page, ".table-scroll")
    assert wrapper["scroll"] <= wrapper["client"] + 1, wrapper
    last_header = sized_page.locator("text=Registrera").first
    assert last_header.count() == 1
    assert not axe_violations(sized_page)


def test_the_header_menu_is_compact_on_a_phone(sized_page, live_server):
    sign_in(sized_page, live_server, "admin")
    height = sized_page.eval_on_selector(".site-header", "el => el.getBoundingClientRect().height")
    if sized_page.viewport_name == "small-phone":
        assert height <= 110, height  # was 175 px with the menu always open
    page_width = _overflow(sized_page, ".site-header")
    assert page_width["page"] <= page_width["viewport"], page_width
    # every menu entry is still there and reachable by keyboard
    links = sized_page.locator(".main-nav a")
    assert links.count() >= 5
    if sized_page.viewport_name == "small-phone":
        sized_page.keyboard.press("Tab")  # skip link
        sized_page.keyboard.press("Tab")  # brand
        sized_page.keyboard.press("Tab")
        sized_page.keyboard.press("Enter")
        assert links.first.is_visible()
    assert not axe_violations(sized_page)


def test_the_favicon_is_served(sized_page, live_server):
    answer = sized_page.request.get(f"{live_server}/favicon.ico")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("image/")


def test_the_outcome_charts_read_on_a_desktop_and_a_small_phone(sized_page, live_server):
    from pathlib import Path

    sign_in(sized_page, live_server, "admin")
    sized_page.goto(f"{live_server}/outcomes/")
    charts = sized_page.locator("svg.chart-svg")
    assert charts.count() >= 5  # people, nights, one map per hub, calls
    sizes = _overflow(sized_page, "main")
    assert sizes["page"] <= sizes["viewport"], sizes  # nothing cut off or sideways
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["width"] <= sized_page.viewport_size["width"]
        assert box["height"] >= 120  # scaled down, still tall enough to read
    sized_page.locator("#h-trend").scroll_into_view_if_needed()
    sized_page.evaluate("document.getElementById('h-trend').scrollIntoView()")
    name = "desktop" if sized_page.viewport_name == "wide" else "phone"
    docs = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    sized_page.screenshot(path=str(docs / f"charts-{name}.png"))
    assert not axe_violations(sized_page)
