"""The installable app in Chromium: turning on push notifications on the settings page
(notifications permission granted to the context), a push delivered through the outbox,
and the coming week read offline from the service worker's copy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from tests.browser.conftest import PHONE, checked, demo_server, screenshot, sign_in
from tests.push_helpers import Browser, FakePushService, make_vapid, unb64url, verify_vapid

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def push_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo served with VAPID keys and CSRF on, and a fake push service beside it."""
    vapid = make_vapid()
    service = FakePushService()
    served = demo_server(
        tmp_path_factory,
        "push",
        vapid_public_key=vapid.public_key,
        vapid_private_key=vapid.private_key,
        vapid_subject="mailto:jour@example.se",
    )
    try:
        for app, base in served:
            yield app, base, vapid, service
    finally:
        service.close()


# This Chromium has no push service to register with (no Firebase Cloud Messaging in the
# sandbox: `subscribe()` is refused whatever the permission), so the browser's own
# subscribe step is replaced by one that hands out an endpoint at the fake push service with
# keys the test holds; everything around it (permission, service worker, the page's control,
# the POST with its CSRF token, storage, delivery) is the real thing.
STUB = """
(() => {
  const fake = %s;
  let current = null;
  const subscription = {
    endpoint: fake.endpoint,
    toJSON: () => fake,
    unsubscribe: () => { current = null; return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function (options) {
    window.__pushOptions = options;
    current = subscription;
    return Promise.resolve(subscription);
  };
  PushManager.prototype.getSubscription = () => Promise.resolve(current);
})();
"""


@pytest.fixture
def push_page(browser: Any, push_server: Any) -> Iterator[Any]:
    _app, base, _vapid, _service = push_server
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    context.grant_permissions(["notifications"], origin=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_name = "phone"
    yield page
    context.close()


def test_a_family_turns_on_push_and_gets_a_notification(push_page, push_server):
    from hubhome.notify.models import Kind, PushSubscription
    from hubhome.notify.services import notify
    from hubhome.outbox.sender import send_due

    app, base, vapid, service = push_server
    page = push_page
    browser_keys = Browser()
    page.add_init_script(STUB % json.dumps(browser_keys.subscription(service.endpoint("fam"))))
    sign_in(page, base, "familj1")
    page.goto(f"{base}/settings/notifications")
    checked(page)
    page.get_by_role("button", name="Aktivera notiser").click()
    status = page.locator("#push-status")
    status.filter(has_text="Notiser är påslagna på den här enheten.").wait_for()
    assert page.get_by_role("button", name="Stäng av notiser på den här enheten").is_visible()
    assert not page.get_by_role("button", name="Aktivera notiser").is_visible()
    checked(page)
    screenshot(page, "notification-settings")
    key = page.evaluate("Array.from(new Uint8Array(window.__pushOptions.applicationServerKey))")
    assert bytes(key) == unb64url(vapid.public_key)  # the page subscribed with our VAPID key

    with app.app_context():
        familj1 = db.session.scalar(
            select(PushSubscription.user_id).where(
                PushSubscription.endpoint == service.endpoint("fam")
            )
        )
        assert familj1 is not None
        from hubhome.accounts.models import User

        user = db.session.get(User, familj1)
        assert user is not None and user.email.startswith("familj1@")
        notify(db.session, user, Kind.NEW_MESSAGE, lambda: "Hej från hubben", dedupe_key="b:1")
        db.session.commit()
        assert send_due(db.session).sent == 1
    [received] = service.received
    verify_vapid(received.headers["authorization"], vapid.public_key, service.origin)
    assert browser_keys.decrypt(received.body)["body"] == "Hej från hubben"

    page.get_by_role("button", name="Stäng av notiser på den här enheten").click()
    status.filter(has_text="Notiser är avstängda på den här enheten.").wait_for()
    assert page.get_by_role("button", name="Aktivera notiser").is_visible()
    with app.app_context():
        assert db.session.scalar(select(PushSubscription.id)) is None


def test_the_coming_week_is_readable_offline(push_page, push_server):
    _app, base, _vapid, _service = push_server
    page = push_page
    sign_in(page, base, "familj1")
    page.goto(f"{base}/home")
    page.wait_for_function(
        "caches.open('hubhome-week-v1').then(c => c.match('/respite/')).then(r => !!r)",
        polling=200,
    )
    online = page.goto(f"{base}/respite/")
    assert online is not None and online.status == 200
    heading = page.locator("main h1").inner_text()
    page.context.set_offline(True)
    page.goto(f"{base}/respite/")
    assert page.locator("main h1").inner_text() == heading
    page.goto(f"{base}/rota/")  # not kept: the offline page says so, in Swedish
    assert "Du är offline" in page.locator("h1").inner_text()
    page.context.set_offline(False)
    page.context.clear_cookies()  # the session ends: the sign-in page drops the copies
    page.goto(f"{base}/login")
    page.wait_for_function(
        "caches.open('hubhome-week-v1').then(c => c.keys()).then(k => k.length === 0)",
        polling=200,
    )


def test_the_cover_page_works_at_phone_size(push_page, push_server):
    _app, base, _vapid, _service = push_server
    page = push_page
    sign_in(page, base, "hubb.bjornen")
    page.goto(f"{base}/rota/cover/")
    checked(page)
    ask = page.get_by_role("button", name="Be om byte")
    assert ask.count() > 0  # the demo's rota puts Hanna on call in the coming weeks
    page.locator("textarea").first.fill("Tandläkaren")
    ask.first.click()
    page.get_by_text("Din förfrågan om byte är skickad.").wait_for()
    checked(page)
    screenshot(page, "shift-cover")
    assert page.get_by_role("button", name="Återkalla förfrågan").count() == 1
