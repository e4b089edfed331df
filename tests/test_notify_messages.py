"""A new message tells the thread's other participants by their preference, at most once per
thread per quarter-hour each, naming the author and never the body."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.messages.models import MessageThread
from hubhome.notify.models import Kind
from hubhome.outbox.models import OutboxMessage
from hubhome.timeutil import utcnow
from tests.conftest import bearer, login
from tests.push_helpers import Browser

BODY = "Kan någon låna ut en barnvagn till Elsa på lördag?"


def _signed_in(app, who: str):
    client = app.test_client()
    assert login(client, who).status_code == 302
    return client


def _choose(app, who: str, **choices: str) -> None:
    form = {kind.value: "sms" for kind in Kind} | choices
    assert _signed_in(app, who).post("/settings/notifications", data=form).status_code == 302


def _told() -> list[tuple[int, int | None, str, str]]:
    db.session.expire_all()
    return sorted(
        (m.id, m.recipient_id, str(m.channel), m.body)
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == "messages.new")
        )
    )


def test_a_new_message_tells_the_others_by_preference_once_a_quarter_hour(app, client, demo):
    thread = db.session.scalar(
        select(MessageThread).where(
            MessageThread.constellation_id == demo.constellations["Björnen"].id
        )
    )
    assert thread is not None
    hanna, familj2, liaison = (
        demo.user(u) for u in ("hubb.bjornen", "familj2", "socialsekreterare")
    )
    _choose(app, "hubb.bjornen", new_message="sms")
    _choose(app, "familj2", new_message="email")
    subscribed = client.post(
        "/api/v1/push-subscriptions",
        json=Browser().subscription("https://push.example.test/liaison"),
        headers=bearer(client, "socialsekreterare"),
    )
    assert subscribed.status_code == 201  # the liaison keeps the default: push
    family = _signed_in(app, "familj1")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        assert family.post(f"/messages/{thread.id}", data={"body": BODY}).status_code == 303
    first = _told()
    by_person = {(who, channel) for _id, who, channel, _body in first}
    assert (hanna.id, "sms") in by_person
    assert (familj2.id, "email") in by_person
    assert (liaison.id, "push") in by_person
    assert demo.user("familj1").id not in {who for _id, who, _c, _b in first}  # not the author
    assert all(BODY not in body for _id, _who, _c, body in first)  # never the message itself
    assert any(
        "Nytt meddelande från Fatima Andersson" in body for _id, _w, c, body in first if c != "push"
    )

    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert (
            family.post(f"/messages/{thread.id}", data={"body": "Eller vagga?"}).status_code == 303
        )
    assert _told() == first  # within the quarter-hour: nobody is told again

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert family.post(f"/messages/{thread.id}", data={"body": "Tack!"}).status_code == 303
    again = [row for row in _told() if row not in first]
    assert sorted((who, channel) for _id, who, channel, _b in again) == sorted(by_person)
