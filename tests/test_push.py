"""The installable app and Web Push: manifest and service worker, subscriptions stored and
removed, pushes sent through the outbox to a fake push service (VAPID checked, body
decrypted), an expired subscription removed."""

from __future__ import annotations

from sqlalchemy import select

from hubhome.extensions import db
from hubhome.notify.models import Kind, PushSubscription
from hubhome.notify.services import notify
from hubhome.outbox.models import Channel, OutboxMessage, OutboxStatus
from hubhome.outbox.sender import send_due
from tests.push_helpers import Browser, push_service, vapid, verify_vapid

__all__ = ["push_service", "vapid"]


def test_the_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/home"
    assert manifest["lang"] == "sv" and manifest["short_name"] == "Familjestöd"
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        data = image.get_data()
        image.close()
        assert image.status_code == 200 and image.mimetype == "image/png"
        size = int.from_bytes(data[16:20], "big")  # the PNG's IHDR width
        assert icon["sizes"] == f"{size}x{size}"


def test_the_service_worker_is_served_as_javascript_from_the_root(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert 'addEventListener("push"' in body and "showNotification" in body
    assert "/respite/" in body and "/rota/cover/" in body  # the week kept offline


def test_pages_link_the_manifest(client, login_as):
    login_as("familj1")
    page = client.get("/home").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "js/app-shell.js" in page


def _subscriptions(user_id: int) -> list[str]:
    db.session.commit()
    return list(
        db.session.scalars(
            select(PushSubscription.endpoint).where(PushSubscription.user_id == user_id)
        )
    )


def test_the_api_stores_and_removes_a_subscription(client, demo, api_headers, push_service):
    headers = api_headers("familj1")
    endpoint = push_service.endpoint("familj1")
    body = Browser().subscription(endpoint)
    stored = client.post("/api/v1/push-subscriptions", json=body, headers=headers)
    assert stored.status_code == 201, stored.get_json()
    assert stored.get_json()["endpoint"] == endpoint
    again = client.post("/api/v1/push-subscriptions", json=body, headers=headers)
    assert again.status_code == 201  # the same browser again: still one subscription
    assert _subscriptions(demo.user("familj1").id) == [endpoint]
    gone = client.delete("/api/v1/push-subscriptions", json={"endpoint": endpoint}, headers=headers)
    assert gone.status_code == 204
    assert _subscriptions(demo.user("familj1").id) == []
    missing = client.delete(
        "/api/v1/push-subscriptions", json={"endpoint": endpoint}, headers=headers
    )
    assert missing.status_code == 404


def test_bad_subscriptions_are_refused_with_422(client, demo, api_headers):
    headers = api_headers("familj1")
    for body in (
        {"endpoint": "https://push.example/x"},  # no keys
        {"endpoint": "x" * 1001, "keys": {"p256dh": "a", "auth": "b"}},
        {"endpoint": "ftp://push.example/x", "keys": {"p256dh": "a", "auth": "b"}},
        {"endpoint": "https://push.example/x", "keys": {"p256dh": "a" * 201, "auth": "b"}},
    ):
        response = client.post("/api/v1/push-subscriptions", json=body, headers=headers)
        assert response.status_code == 422, body
    assert _subscriptions(demo.user("familj1").id) == []


def test_the_page_stores_the_browsers_subscription(client, login_as, demo, push_service):
    login_as("familj1")
    endpoint = push_service.endpoint("page")
    response = client.post("/settings/notifications/push", json=Browser().subscription(endpoint))
    assert response.status_code == 201
    assert _subscriptions(demo.user("familj1").id) == [endpoint]
    assert client.post("/settings/notifications/push", json=[1]).status_code == 422
    response = client.delete("/settings/notifications/push", json={"endpoint": endpoint})
    assert response.status_code == 204
    assert _subscriptions(demo.user("familj1").id) == []


def _subscribe(client, api_headers, short, endpoint, browser):
    response = client.post(
        "/api/v1/push-subscriptions",
        json=browser.subscription(endpoint),
        headers=api_headers(short),
    )
    assert response.status_code == 201


def test_a_push_goes_through_the_outbox_signed_with_vapid(
    app, client, demo, api_headers, push_service, vapid
):
    browser = Browser()
    _subscribe(client, api_headers, "familj1", push_service.endpoint("f1"), browser)
    familj1 = demo.user("familj1")
    used = notify(
        db.session,
        familj1,
        Kind.NEW_MESSAGE,  # push by default
        lambda: "Hanna har skrivit i Björnen",
        dedupe_key="test:push:1",
        title=lambda: "Nytt meddelande",
        url="/messages",
    )
    assert [v.value for v in used] == ["push"]
    notify(db.session, familj1, Kind.NEW_MESSAGE, lambda: "igen", dedupe_key="test:push:1")
    db.session.commit()
    report = send_due(db.session)
    assert report.sent == 1  # the repeated key queued nothing more
    [received] = push_service.received
    assert received.path == "/push/f1"
    claims = verify_vapid(received.headers["authorization"], vapid.public_key, push_service.origin)
    assert claims["sub"] == "mailto:jour@example.se"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert int(received.headers["ttl"]) > 0
    assert browser.decrypt(received.body) == {
        "title": "Nytt meddelande",
        "body": "Hanna har skrivit i Björnen",
        "url": "/messages",
        "tag": "test:push:1",
    }
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == Channel.PUSH))
    assert message is not None and message.status == OutboxStatus.SENT


def test_an_expired_subscription_is_removed(app, client, demo, api_headers, push_service, vapid):
    _subscribe(client, api_headers, "familj1", push_service.endpoint("old"), Browser())
    familj1 = demo.user("familj1")
    push_service.status = 410
    notify(db.session, familj1, Kind.NEW_MESSAGE, lambda: "Hej", dedupe_key="test:push:gone")
    db.session.commit()
    report = send_due(db.session)
    assert report.failed == 1 and report.retried == 0
    assert len(push_service.received) == 1
    assert _subscriptions(familj1.id) == []
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == Channel.PUSH))
    assert message is not None and message.status == OutboxStatus.FAILED
    assert "410" in (message.last_error or "")


def test_a_push_service_error_is_retried_like_an_sms(
    app, client, demo, api_headers, push_service, vapid
):
    _subscribe(client, api_headers, "familj1", push_service.endpoint("busy"), Browser())
    familj1 = demo.user("familj1")
    push_service.status = 503
    notify(db.session, familj1, Kind.NEW_MESSAGE, lambda: "Hej", dedupe_key="test:push:503")
    db.session.commit()
    report = send_due(db.session)
    assert report.retried == 1
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == Channel.PUSH))
    assert message is not None and message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert _subscriptions(familj1.id) == [push_service.endpoint("busy")]  # kept


def test_vapid_keys_are_made_by_the_cli_and_sign_a_push(app, runner, client, demo, api_headers):
    import dataclasses

    from tests.push_helpers import FakePushService

    result = runner.invoke(args=["notify", "vapid-keys"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.split())
    public, private = lines["HUBHOME_VAPID_PUBLIC_KEY"], lines["HUBHOME_VAPID_PRIVATE_KEY"]
    app.config["HUBHOME"] = dataclasses.replace(
        app.config["HUBHOME"], vapid_public_key=public, vapid_private_key=private
    )
    service = FakePushService()
    try:
        _subscribe(client, api_headers, "familj1", service.endpoint("cli"), Browser())
        notify(db.session, demo.user("familj1"), Kind.NEW_MESSAGE, lambda: "x", dedupe_key="c")
        db.session.commit()
        assert send_due(db.session).sent == 1
        [received] = service.received
        verify_vapid(received.headers["authorization"], public, service.origin)
    finally:
        service.close()
