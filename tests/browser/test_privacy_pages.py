"""The access review and the register extract in a browser: axe-clean, on a phone too."""

from __future__ import annotations

import pytest

from tests import clock
from tests.browser.conftest import checked, screenshot, sign_in, sign_out, visit


# A month of its own, read in the daytime: at night in a run's own month, every read the other
# tests made on this live server is a night read to review (hundreds of items, each with a form).
@pytest.mark.clock(clock.WRITTEN)
def test_the_log_reviewer_marks_an_item_with_an_accessible_form(live_server, page):
    from playwright.sync_api import expect

    from hubhome.timeutil import local_today

    sign_in(page, live_server, "admin")  # reads three children's records: this month's reads
    page.goto(f"{live_server}/children")
    links = page.eval_on_selector_all(
        "main a[href^='/children/']", "els => els.map(e => e.getAttribute('href'))"
    )
    for href in [h for h in links if h.rstrip("/").split("/")[-1].isdigit()][:3]:
        page.goto(f"{live_server}{href}")
    sign_out(page)
    page.goto(f"{live_server}/login")
    page.fill("#email", "granskare@demo.hubhome.test")
    page.fill("#password", "demo-hubhome")
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(f"{live_server}/admin/log-review")  # the reviewer's home
    checked(page)
    page.fill("#month", local_today().strftime("%Y-%m"))
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/log-review/*")
    checked(page)
    screenshot(page, "log-review", full_page=False)  # every read of a night run is an item
    open_item = page.locator(".review-items > li:not(.decided)").last
    item = page.locator(f"#{open_item.get_attribute('id')}")
    item.locator("button[type=submit]").click()  # no verdict, no comment
    expect(item.locator(".error-summary")).to_be_visible()
    checked(page)
    item.locator("input[value=justified]").check()
    item.locator("textarea").fill("Läst i tjänsten.")
    item.locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Bedömningen är sparad.")
    checked(page)


def test_the_register_extract_pages_are_accessible(live_server, page):
    sign_in(page, live_server, "admin")
    visit(page, f"{live_server}/admin/register-extract", "register-extract-form")
    page.select_option("#user_id", label="Fatima Andersson")
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/register-extract/view*")
    checked(page)
    screenshot(page, "register-extract")
    assert "Vem som läst personens uppgifter" in page.content()
