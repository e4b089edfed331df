"""Real-browser tests: Debian's Chromium driven by Playwright against a live Hubhome.

They skip, saying why, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine

from hubhome.extensions import db
from tests import clock
from tests.conftest import make_test_app

CHROMIUM = os.environ.get("HUBHOME_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _skip_reason() -> str | None:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def serve_demo(folder: Path, **overrides: Any) -> tuple[Any, str, Callable[[], None]]:
    """Serve a freshly seeded demo on 127.0.0.1 with CSRF on, in a background thread, with
    these settings; return the app, its base URL and a function that stops it."""
    from werkzeug.serving import make_server

    from hubhome.demo.seed import seed_demo

    # Its own recordings directory: the other tests' teardown empties theirs.
    overrides.setdefault("recordings_dir", str(folder / "recordings"))
    app = make_test_app(f"sqlite:///{folder}/browser.sqlite", WTF_CSRF_ENABLED=True, **overrides)
    # Seeded at the run's instant, where each test starts (tests/clock.py), not minutes later.
    with app.app_context(), time_machine.travel(clock.run_instant(), tick=True):
        db.create_all()
        seed_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["HUBHOME"] = dataclasses.replace(app.config["HUBHOME"], public_url=base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return app, base, stop


def demo_server(
    tmp_path_factory: pytest.TempPathFactory, name: str, **overrides: Any
) -> Iterator[tuple[Any, str]]:
    """For a fixture: skip where there is no browser, else serve a demo of its own (app, base
    URL) until the fixture ends."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    app, base, stop = serve_demo(tmp_path_factory.mktemp(name), **overrides)
    yield app, base
    stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a freshly seeded demo on 127.0.0.1 with CSRF on, in a background thread.

    Its public URL is its own address, so the TwiML it answers names URLs a test can post
    to, and a test signs webhooks over exactly the URL it posts to, as Twilio does.
    """
    for _app, base in demo_server(tmp_path_factory, "browser"):
        yield base


@pytest.fixture(scope="session")
def browser(live_server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=sv-SE",
            ],
        )
        yield chromium
        chromium.close()


def open_page(browser: Any, viewport: dict[str, int], name: str) -> Iterator[Any]:
    """A page in a Swedish browser context of `viewport`'s size, closed after the test."""
    context = browser.new_context(viewport=viewport, locale="sv-SE")
    context.set_default_timeout(10_000)
    # A navigation waits for the server: a page behind a sign-in (password hash, session row,
    # the first render of a template) can take more than 10 s on CI's two cores shared with
    # the other xdist workers; a missing element still fails after 10 s.
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    page.viewport_name = name
    yield page
    context.close()


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    yield from open_page(browser, DESKTOP if request.param == "desktop" else PHONE, request.param)


def sign_in(page: Any, base: str, short: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", f"{short}@demo.hubhome.test")
    page.fill("#password", "demo-hubhome")
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url(f"{base}/home")


def axe_violations(page: Any) -> list[str]:
    """Run axe-core for WCAG 2.1 A and AA; return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return lines


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Keep a picture of the page under artifacts/screenshots/ (the best go into docs/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=full_page)


def twilio_webhook(url: str, params: dict[str, str]) -> str:
    """POST a webhook to the live server as Twilio does (form data, signed URL); return TwiML."""
    from twilio.request_validator import RequestValidator

    from tests.conftest import TWILIO_TOKEN

    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        url,
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status < 300, (url, response.status)
        return str(response.read().decode())


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def fits_the_screen(page: Any) -> bool:
    """Nothing makes the whole page scroll sideways (wide tables scroll in their own region)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def checked(page: Any) -> None:
    """The page in view has no WCAG 2.1 A/AA violation and fits a phone's width."""
    assert axe_violations(page) == [], page.url
    assert fits_the_screen(page), f"{page.url} scrolls sideways at {page.viewport_size}"


def visit(page: Any, url: str, shot: str | None = None) -> None:
    """Open a page, check it (axe-core, width), and maybe keep a screenshot."""
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    checked(page)
    if shot:
        screenshot(page, shot)


def type_date(page: Any, day: Any) -> None:
    """Type an ISO date into the focused date field the way a keyboard user does."""
    # Headless Chromium lays date fields out as mm/dd/yyyy whatever the page's locale;
    # typing the digits in that order fills the segments one after another.
    page.keyboard.type(f"{day.month:02d}{day.day:02d}{day.year:04d}")


def fill_date(page: Any, selector: str, day: Any) -> None:
    page.focus(selector)
    type_date(page, day)
    assert page.input_value(selector) == day.isoformat()


def sign_out(page: Any) -> None:
    page.context.clear_cookies()
