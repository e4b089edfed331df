"""The areas tell people through their preferences: a booking decision by e-mail when the
family chose e-mail, by push when they chose push (to their browser), never twice."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.notify.models import Kind
from hubhome.outbox.models import Channel, OutboxMessage
from tests.push_helpers import Browser
from tests.respite_helpers import NOW, booking_body, children_of

pytestmark = [pytest.mark.clock(NOW), pytest.mark.usefixtures("frozen")]


def _choose(client, login_as, short: str, **choices: str) -> None:
    login_as(short)
    form = {kind.value: "sms" for kind in Kind} | choices
    assert client.post("/settings/notifications", data=form).status_code == 302
    client.post("/logout")


def _approve(client, demo, api_headers) -> None:
    kid = children_of(demo.user("familj1"))[0]
    created = client.post(
        "/api/v1/respite/bookings",
        json=booking_body([kid], date(2026, 12, 4), date(2026, 12, 6)),
        headers=api_headers("familj1"),
    )
    assert created.status_code == 201, created.get_json()
    approved = client.post(
        f"/api/v1/respite/bookings/{created.get_json()['id']}/approve",
        json={},
        headers=api_headers("hubb.bjornen"),
    )
    assert approved.status_code == 200


def _told() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        (str(m.channel), m.to)
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "respite.approved")
        )
    ]


def test_a_booking_decision_goes_by_e_mail_when_chosen(client, login_as, demo, api_headers):
    _choose(client, login_as, "familj1", booking_decided="email")
    _approve(client, demo, api_headers)
    assert _told() == [("email", demo.user("familj1").email)]


def test_a_booking_decision_goes_by_push_when_chosen(client, login_as, demo, api_headers):
    subscribed = client.post(
        "/api/v1/push-subscriptions",
        json=Browser().subscription("https://push.example.test/f1"),
        headers=api_headers("familj1"),
    )
    assert subscribed.status_code == 201
    _choose(client, login_as, "familj1", booking_decided="push")
    _approve(client, demo, api_headers)
    [(channel, to)] = _told()
    assert channel == Channel.PUSH and to == f"push:{subscribed.get_json()['id']}"
