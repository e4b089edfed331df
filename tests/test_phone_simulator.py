"""The phone simulator walks a call end to end through the real, signed webhooks."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call, CallStatus
from tests.phone_helpers import BJORNEN_LINE, DAYTIME, FAMILJ1

pytestmark = pytest.mark.clock(DAYTIME)


def test_an_admin_walks_a_call_to_voicemail_in_the_simulator(login_as, demo):
    with time_machine.travel(DAYTIME, tick=False):
        admin = login_as("admin")
        page = admin.post(
            "/phone/simulator", data={"action": "start", "to": BJORNEN_LINE, "from": FAMILJ1}
        )
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "POST /phone/voice" in html and "&lt;Dial" in html
        for _ in range(3):
            html = admin.post("/phone/simulator", data={"action": "no-answer"}).get_data(
                as_text=True
            )
        assert "&lt;Record" in html
        html = admin.post("/phone/simulator", data={"action": "message"}).get_data(as_text=True)
        assert "/phone/voice/recording" in html
    db.session.expire_all()
    call = db.session.scalars(
        select(Call).where(Call.call_sid.like("CA%"), Call.started_at >= DAYTIME)
    ).one()
    assert call.status == CallStatus.VOICEMAIL and call.follow_up is not None
    assert db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "phone.follow_up")
    ).all()


def test_an_accepted_call_in_the_simulator(login_as, demo):
    with time_machine.travel(DAYTIME, tick=False):
        admin = login_as("admin")
        admin.post(
            "/phone/simulator", data={"action": "start", "to": BJORNEN_LINE, "from": FAMILJ1}
        )
        admin.post("/phone/simulator", data={"action": "accept"})
    call = db.session.scalars(select(Call).where(Call.started_at >= DAYTIME)).one()
    assert (
        call.status == CallStatus.COMPLETED and call.accepted_by_id == demo.user("hubb.bjornen").id
    )


def test_only_admins_use_the_simulator_and_never_when_it_is_off(login_as, demo, other_app):
    assert login_as("jour").get("/phone/simulator").status_code == 403
    off = other_app(phone_simulator=False)
    client = off.test_client()
    from tests.conftest import login

    login(client, "admin")
    assert client.get("/phone/simulator").status_code == 404
