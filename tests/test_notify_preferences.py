"""Notification preferences: the settings page stores a channel per kind, and `notify`
routes each kind to push, SMS, e-mail or nothing (urgent on-call alerts by SMS as well)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.notify.models import DEFAULTS, Kind, Via
from hubhome.notify.services import notify
from hubhome.outbox.models import Channel, OutboxMessage
from hubhome.outbox.sender import send_due
from tests.push_helpers import Browser, push_service, vapid
from tests.smtp_helpers import smtp_server

__all__ = ["push_service", "smtp_server", "vapid"]


def _choose(client, **choices: str) -> None:
    form = {kind.value: "sms" for kind in Kind} | choices
    response = client.post("/settings/notifications", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def _queued(user_id: int) -> list[tuple[str, str]]:
    db.session.commit()
    return sorted(
        (str(m.channel), m.to)
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient_id == user_id)
        )
    )


def test_the_settings_page_shows_and_keeps_the_choices(client, login_as):
    login_as("familj1")
    page = client.get("/settings/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aktivera notiser" in html  # the push control, in Swedish by default
    assert 'id="push-controls"' in html
    assert _checked(html) == {k.value: DEFAULTS[k].value for k in Kind}
    _choose(client, new_message="email", on_call="none")
    html = client.get("/settings/notifications").get_data(as_text=True)
    assert _checked(html) == {
        "new_message": "email",
        "booking_decided": "sms",
        "activity_changed": "sms",
        "reminder": "sms",
        "on_call": "none",
    }


def _checked(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<input checked id="[a-z_]+-\d" name="([a-z_]+)" type="radio" '
            r'value="([a-z]+)"',
            html,
        )
    )


def test_an_unknown_channel_is_refused_with_422_and_nothing_stored(client, login_as, demo):
    login_as("familj1")
    form = {kind.value: "sms" for kind in Kind} | {"reminder": "pigeon"}
    response = client.post("/settings/notifications", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#reminder-0"' in html
    from hubhome.notify.models import NotificationPreference

    assert db.session.scalar(select(NotificationPreference.id)) is None


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("via", list(Via))
def test_each_kind_goes_by_the_chosen_channel(
    app, client, login_as, demo, api_headers, push_service, vapid, kind, via
):
    familj1 = demo.user("familj1")
    subscribed = client.post(
        "/api/v1/push-subscriptions",
        json=Browser().subscription(push_service.endpoint("p")),
        headers=api_headers("familj1"),
    )
    assert subscribed.status_code == 201
    login_as("familj1")
    _choose(client, **{kind.value: via.value})
    used = notify(db.session, familj1, kind, lambda: "Hej", dedupe_key=f"t:{kind}:{via}")
    assert used == ([] if via == Via.NONE else [via])
    expected = {
        Via.PUSH: [("push", f"push:{_subscription_id()}")],
        Via.SMS: [("sms", familj1.phone)],
        Via.EMAIL: [("email", familj1.email)],
        Via.NONE: [],
    }[via]
    assert _queued(familj1.id) == expected


def _subscription_id() -> int:
    from hubhome.notify.models import PushSubscription

    return int(db.session.scalar(select(PushSubscription.id)) or 0)


@pytest.mark.parametrize("via", [Via.NONE, Via.PUSH, Via.EMAIL])
def test_an_urgent_on_call_alert_goes_by_sms_whatever_the_choice(app, client, login_as, demo, via):
    jonas = demo.user("jour")
    login_as("jour")
    _choose(client, on_call=via.value)
    used = notify(
        db.session, jonas, Kind.ON_CALL, lambda: "Röstmeddelande", dedupe_key="t:u", urgent=True
    )
    assert Via.SMS in used
    assert ("sms", jonas.phone) in _queued(jonas.id)


def test_an_email_is_sent_by_the_outbox_through_smtp(app, client, login_as, demo, smtp_server):
    import dataclasses

    app.config["HUBHOME"] = dataclasses.replace(app.config["HUBHOME"], smtp_url=smtp_server.url)
    familj1 = demo.user("familj1")
    login_as("familj1")
    _choose(client, booking_decided="email")
    notify(
        db.session,
        familj1,
        Kind.BOOKING_DECIDED,
        lambda: "Din bokning är godkänd.",
        dedupe_key="t:mail",
        title=lambda: "Avlastning",
    )
    db.session.commit()
    assert send_due(db.session).sent == 1
    [mail] = smtp_server.to(familj1.email)
    assert mail["Subject"] == "Avlastning"
    assert "Din bokning är godkänd." in mail.get_payload(decode=True).decode()
    message = db.session.scalar(select(OutboxMessage))
    assert message is not None and message.channel == Channel.EMAIL
