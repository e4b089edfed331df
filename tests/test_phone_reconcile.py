"""Reconciliation with Twilio: calls and recordings Hubhome missed are made, once.

Twilio's REST API is the fault tier's fake Twilio over HTTP, reached by the real SDK.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call, CallStatus, FollowUpKind
from hubhome.phone.reconcile import reconcile_with_twilio
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work
from tests.conftest import TWILIO_TOKEN
from tests.faults.fake_twilio import FakeTwilio
from tests.faults.twilio_state import twilio_date
from tests.phone_helpers import BJORNEN_LINE, DAYTIME, DUTY, FAMILJ1, HANNA, JONAS, voice

pytestmark = pytest.mark.clock(DAYTIME)


@pytest.fixture
def twilio(app: Flask) -> Iterator[FakeTwilio]:
    settings = app.config["HUBHOME"]
    fake = FakeTwilio(settings.twilio_account_sid, TWILIO_TOKEN).start()
    app.config["HUBHOME"] = dataclasses.replace(settings, twilio_api_base=fake.url)
    yield fake
    fake.close()


def _reconcile() -> int:
    with time_machine.travel(DAYTIME + timedelta(minutes=5), tick=False), unit_of_work() as s:
        return reconcile_with_twilio(s)


def _inbound(fake: FakeTwilio, sid: str, status: str, minutes_ago: int = 3) -> None:
    started = twilio_date(utcnow() - timedelta(minutes=minutes_ago))
    fake.add_call(
        sid=sid,
        to=BJORNEN_LINE,
        status=status,
        start_time=started,
        end_time=started,
        duration="40",
        direction="inbound",
        **{"from": FAMILJ1},
    )


def _texts(sid: str) -> Counter[str]:
    call = db.session.scalars(select(Call).where(Call.call_sid == sid)).one()
    key = f"phone.followup:{call.follow_up.id}:"
    return Counter(
        to
        for to, dedupe in db.session.execute(select(OutboxMessage.to, OutboxMessage.dedupe_key))
        if (dedupe or "").startswith(key)
    )


def _call(sid: str) -> Call:
    db.session.expire_all()
    return db.session.scalars(select(Call).where(Call.call_sid == sid)).one()


def test_a_voicemail_hubhome_never_saw_is_made_with_its_follow_up_once(app, demo, twilio):
    with time_machine.travel(DAYTIME, tick=False):
        _inbound(twilio, "CAmissed1", "completed")
        twilio.add_recording(call_sid="CAmissed1", sid="REmissed1", duration="33")
    assert _reconcile() == 1
    assert _reconcile() == 0  # idempotent
    call = _call("CAmissed1")
    assert call.status == CallStatus.VOICEMAIL and call.from_number == FAMILJ1
    assert call.constellation_id == demo.constellations["Björnen"].id
    assert call.follow_up.kind == FollowUpKind.VOICEMAIL
    assert call.follow_up.recording_sid == "REmissed1"
    assert call.follow_up.recording_seconds == 33
    assert _texts("CAmissed1") == {HANNA: 1, JONAS: 1, DUTY: 1}
    asked = [r.query for r in twilio.matching("GET", "/Calls.json")]
    assert {"To": BJORNEN_LINE}.items() <= asked[0].items()
    assert "StartTime>" in asked[0]


def test_a_call_the_duty_number_took_during_the_outage_opens_no_follow_up(app, demo, twilio):
    with time_machine.travel(DAYTIME, tick=False):
        _inbound(twilio, "CAtaken", "completed")
        twilio.add_call(
            sid="CAtakenleg", to=DUTY, parent_call_sid="CAtaken", status="completed", duration="90"
        )
    _reconcile()
    call = _call("CAtaken")
    assert call.status == CallStatus.COMPLETED and call.follow_up is None


def test_an_unanswered_call_becomes_a_missed_call_and_a_known_one_gets_its_recording(
    app, client, demo, twilio
):
    with time_machine.travel(DAYTIME, tick=False):
        voice(client, call_sid="CAknown")  # Hubhome saw it start, then lost its callbacks
        _inbound(twilio, "CAknown", "completed", minutes_ago=1)
        twilio.add_recording(call_sid="CAknown", sid="REknown", duration="12")
        _inbound(twilio, "CAnobody", "no-answer")
        _inbound(twilio, "CAstill", "in-progress")  # still going: the next run takes it
    db.session.commit()
    assert _reconcile() == 2
    known = _call("CAknown")
    assert known.status == CallStatus.VOICEMAIL and known.follow_up.recording_sid == "REknown"
    assert known.twilio_status == "completed"
    nobody = _call("CAnobody")
    assert nobody.status == CallStatus.MISSED
    assert nobody.follow_up.kind == FollowUpKind.MISSED_CALL
    assert db.session.scalars(select(Call).where(Call.call_sid == "CAstill")).first() is None
