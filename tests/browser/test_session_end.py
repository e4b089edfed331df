"""When a session ends while a page is open: the scripts running in the background (the
on-call panel's poll, the service worker's offline week) neither show a sign-in page inside
the page nor disturb the next sign-in."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_on_call_page_goes_to_sign_in_when_the_session_ends(live_server, page):
    sign_in(page, live_server, "jour")
    page.goto(f"{live_server}/phone/now")
    page.context.clear_cookies()  # the session has ended (idle, or signed out elsewhere)
    # The next poll is refused (401): the page reloads and the sign-in page says why,
    # instead of the sign-in form appearing inside the live panel.
    page.wait_for_url(f"{live_server}/login?next=*", timeout=15_000)
    assert page.locator("#phone-live").count() == 0
    assert "Logga in för att fortsätta." in page.inner_text("main")


def test_signing_out_and_in_again_at_once_is_not_refused(live_server, page):
    """Each page a signed-in person opens has the service worker refresh the offline week;
    the refresh still running after a sign-out must not replace the sign-in page's session."""
    sign_in(page, live_server, "admin")
    for path in ("/home", "/children", "/home", "/children"):
        page.goto(f"{live_server}{path}")
    with page.expect_navigation():
        page.locator("form[action='/logout'] button").first.click()
    page.goto(f"{live_server}/login")
    page.fill("#email", "granskare@demo.hubhome.test")
    page.fill("#password", "demo-hubhome")
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(f"{live_server}/admin/log-review")
