"""The call log in pages of fifty, in a real browser: axe-core and the phone width on each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import demo_server, sign_in, twilio_webhook, visit

pytestmark = pytest.mark.browser

BJORNEN_LINE = "+46100000001"
FAMILJ1 = "+46700001111"


@pytest.fixture(scope="module")
def call_log_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo served for this module alone: the 51 calls each viewport leaves ringing would
    otherwise ring in every later test's live panel on the shared live server."""
    for _app, base in demo_server(tmp_path_factory, "call-log"):
        yield base


def test_on_call_staff_pages_through_the_call_log(call_log_server, page):
    live_server = call_log_server
    for i in range(51):  # with the demo's own calls, more than a page
        params = {
            "CallSid": f"CApages{page.viewport_name}{i:03d}",
            "From": FAMILJ1,
            "To": BJORNEN_LINE,
            "CallStatus": "ringing",
        }
        twilio_webhook(f"{live_server}/phone/voice", params)
    sign_in(page, live_server, "jour")
    visit(page, f"{live_server}/phone/calls")
    assert page.locator("main table tbody tr").count() == 50
    older = page.get_by_role("link", name="Äldre samtal")
    assert page.get_by_role("navigation", name="Samtalsloggens sidor").is_visible()
    older.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/phone/calls?page=2")
    visit(page, page.url)
    assert page.locator("main table tbody tr").count() >= 1
    assert page.get_by_role("link", name="Nyare samtal").is_visible()
