"""A call walked through its TwiML, as Twilio would: greeting, screen, escalation, voicemail."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call, CallLeg, CallStatus, FollowUpKind, LegOutcome
from tests.phone_helpers import (
    DAYTIME,
    DUTY,
    FAMILJ1,
    HANNA,
    JONAS,
    dial_result,
    dialled,
    path_of,
    screen,
    twilio_post,
    twiml,
    verbs,
    voice,
)

pytestmark = pytest.mark.clock(DAYTIME)


def _call(sid: str = "CA01") -> Call:
    db.session.expire_all()
    return db.session.scalars(select(Call).where(Call.call_sid == sid)).one()


def test_a_call_is_greeted_in_swedish_and_rings_the_primary_with_a_screen(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        root = voice(client)
    say = root.find("Say")
    assert say is not None and say.get("language") == "sv-SE"
    assert "Björnen" in (say.text or "")
    dial, number = dialled(root)
    assert dial.get("answerOnBridge") == "true"
    assert dial.get("timeout") == "20"
    assert "/phone/voice/dial-result?" in dial.get("action", "")
    assert number.text == HANNA  # the hub carer is primary by day
    assert "/phone/voice/screen?" in number.get("url", "")
    call = _call()
    assert [step["number"] for step in call.chain] == [HANNA, JONAS, DUTY]
    assert call.household.name == "Familjen Andersson"


def test_the_screen_names_the_family_and_asks_for_1(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        _dial, number = dialled(voice(client))
        root = screen(client, number)
    gather = root.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    prompt = gather.find("Say")
    assert prompt is not None and "Familjen Andersson" in (prompt.text or "")
    assert "Tryck 1" in (prompt.text or "")
    assert verbs(root)[-1] == "Hangup"  # no key pressed: the leg ends, never counts as answered


def test_an_unknown_caller_is_still_routed_and_announced_as_unknown(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        root = voice(client, frm="+46709999999")
        _dial, number = dialled(root)
        assert number.text == HANNA
        prompt = screen(client, number).find("Gather/Say")
    assert prompt is not None and "okänt nummer" in (prompt.text or "")
    assert _call().household_id is None


def test_whole_chain_voicemail_picks_up_then_secondary_accepts(client, demo, twilio_http):
    with time_machine.travel(DAYTIME, tick=False):
        dial, number = dialled(voice(client))
        # Hanna's own voicemail answers: it hears the screen, presses nothing, and hangs up.
        assert verbs(screen(client, number))[-1] == "Hangup"
        root = dial_result(client, dial, "completed")
        dial, number = dialled(root)
        assert number.text == JONAS
        connected = screen(client, number, digits="1")
        assert verbs(connected) == ["Say"]  # nothing else: the leg is bridged
        assert verbs(dial_result(client, dial, "completed")) == ["Hangup"]
        twilio_post(
            client,
            "/phone/voice/status",
            {"CallSid": "CA01", "CallStatus": "completed", "CallDuration": "95"},
        )
    call = _call()
    assert call.status == CallStatus.COMPLETED
    assert call.accepted_by_id == demo.user("jour").id
    assert call.duration_seconds == 95
    assert [leg.outcome for leg in call.legs] == [LegOutcome.REFUSED, LegOutcome.ACCEPTED]
    assert call.follow_up is None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    accepted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "phone.call_accepted")
    ).one()
    assert accepted.actor_id == demo.user("jour").id and accepted.channel == "phone"


def test_pressing_another_key_refuses_and_the_next_is_rung(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        dial, number = dialled(voice(client))
        gather = screen(client, number).find("Gather")
        assert gather is not None
        refused = twiml(twilio_post(client, path_of(gather.get("action", "")), {"Digits": "2"}))
        assert verbs(refused)[-1] == "Hangup"
        _dial, number = dialled(dial_result(client, dial, "completed"))
    assert number.text == JONAS
    assert _call().legs[0].outcome == LegOutcome.REFUSED


def test_nobody_answers_voicemail_is_recorded_sms_sent_and_follow_up_opened(
    client, demo, twilio_http
):
    with time_machine.travel(DAYTIME, tick=False):
        dial, _number = dialled(voice(client))
        dial, _number = dialled(dial_result(client, dial, "no-answer"))
        dial, number = dialled(dial_result(client, dial, "busy"))
        assert number.text == DUTY
        root = dial_result(client, dial, "no-answer")
        assert verbs(root)[:2] == ["Say", "Record"]
        record = root.find("Record")
        assert record is not None
        assert record.get("maxLength") == "180" and record.get("playBeep") == "true"
        callback = record.get("recordingStatusCallback", "")
        recording = {
            "CallSid": "CA01",
            "RecordingSid": "RE01",
            "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE01",
            "RecordingDuration": "42",
            "RecordingStatus": "completed",
        }
        assert twilio_post(client, path_of(callback), recording).status_code == 204
        assert twilio_post(client, path_of(callback), recording).status_code == 204  # twice
        twilio_post(client, "/phone/voice/status", {"CallSid": "CA01", "CallStatus": "completed"})
    call = _call()
    assert call.status == CallStatus.VOICEMAIL
    assert [leg.outcome for leg in call.legs] == [
        LegOutcome.NO_ANSWER,
        LegOutcome.BUSY,
        LegOutcome.NO_ANSWER,
    ]
    follow_up = _call().follow_up
    assert follow_up.kind == FollowUpKind.VOICEMAIL
    assert follow_up.recording_seconds == 42 and follow_up.recording_url.endswith("/RE01")
    assert follow_up.handled_at is None
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert sorted(m.to for m in messages) == sorted([HANNA, JONAS, DUTY])  # once each
    assert all(
        "Familjen Andersson" in m.body and f"/phone/follow-ups/{follow_up.id}" in m.body
        for m in messages
    )


def test_the_record_action_stores_the_message_and_hangs_up(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        dial, _ = dialled(voice(client))
        for status in ("no-answer", "no-answer"):
            dial, _ = dialled(dial_result(client, dial, status))
        record = dial_result(client, dial, "failed").find("Record")
        assert record is not None
        params = {
            "CallSid": "CA01",
            "RecordingSid": "RE02",
            "RecordingUrl": "https://x/RE02",
            "RecordingDuration": "7",
        }
        root = twiml(twilio_post(client, path_of(record.get("action", "")), params))
    assert verbs(root) == ["Say", "Hangup"]
    assert _call().follow_up.recording_sid == "RE02"


def test_a_caller_hanging_up_unanswered_opens_a_missed_call_follow_up(client, demo, twilio_http):
    with time_machine.travel(DAYTIME, tick=False):
        dial, _ = dialled(voice(client))
        root = dial_result(client, dial, "canceled", call_status="completed")
        assert verbs(root) == ["Hangup"]  # the caller has gone: nobody else is rung
        for _ in range(2):
            twilio_post(
                client, "/phone/voice/status", {"CallSid": "CA01", "CallStatus": "completed"}
            )
    call = _call()
    assert call.status == CallStatus.MISSED
    assert len(call.legs) == 1
    assert call.follow_up.kind == FollowUpKind.MISSED_CALL
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_a_duplicated_webhook_changes_nothing_twice(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        first = voice(client)
        again = voice(client)
        assert dialled(first)[1].get("url") == dialled(again)[1].get("url")
        dial, _ = dialled(first)
        one = dial_result(client, dial, "no-answer")
        two = dial_result(client, dial, "no-answer")
    assert dialled(one)[1].text == dialled(two)[1].text == JONAS
    assert db.session.scalar(select(func.count()).where(Call.call_sid == "CA01")) == 1
    assert db.session.scalar(select(func.count()).where(CallLeg.call_id == _call().id)) == 2


def test_a_rota_edit_during_a_call_does_not_change_its_chain(client, demo, login_as):
    from hubhome.rota.models import Rota

    with time_machine.travel(DAYTIME, tick=False):
        dial, _ = dialled(voice(client))
        rota = db.session.scalar(select(Rota).where(Rota.name == "Dagreserv"))
        admin = login_as("admin")
        form = {
            "override-kind": "swap",
            "override-user_id": str(demo.user("socialsekreterare").id),
            "override-start_day": "2026-11-23",
            "override-start_time": "09:00",
            "override-end_day": "2026-11-23",
            "override-end_time": "12:00",
        }
        assert admin.post(f"/rota/{rota.id}/overrides", data=form).status_code == 303
        _dial, number = dialled(dial_result(client, dial, "no-answer"))
        assert number.text == JONAS  # frozen: not the social worker now on the rota
        voice(client, call_sid="CA02")
    later = db.session.scalar(select(Call).where(Call.call_sid == "CA02"))
    assert later.chain[1]["number"] == "+46700000202"  # a new call sees the swap


def test_known_carer_gives_the_household(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        voice(client, frm=FAMILJ1)
    assert _call().caller_id == demo.user("familj1").id
