"""Twilio's callbacks in every order, through gunicorn and the PostgreSQL proxy: one follow-up
per call and one SMS per person, counted where it lands, at the fake Twilio.

`tests/test_phone_order.py` proves the same in-process; here each permutation is a call of
its own on one real server, each callback sent twice, and the scheduler then sends the
outbox through the real Twilio SDK.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage, OutboxStatus
from hubhome.phone.models import Call, CallStatus, FollowUp, FollowUpKind
from tests.faults.processes import Answer, HubhomeServer
from tests.phone_helpers import (
    BJORNEN_LINE,
    DAYTIME,
    DUTY,
    FAMILJ1,
    HANNA,
    JONAS,
    path_of,
    query,
)

pytestmark = pytest.mark.clock(DAYTIME)  # the demo's day rota: Hanna, Jonas, then the duty number

MISSED = ("dial-result", "status", "late ringing")
VOICEMAIL = ("dial-result", "recording", "status")
CHAIN = {HANNA: 1, JONAS: 1, DUTY: 1}  # every number on the chain, texted once per call


def _twiml(answer: Answer) -> ET.Element:
    assert answer.status == 200, answer.body[:500]
    return ET.fromstring(answer.body)


def _dial_action(answer: Answer) -> str:
    dial = _twiml(answer).find("Dial")
    assert dial is not None, answer.body
    return path_of(dial.get("action", ""))


def _ring_through(server: HubhomeServer, sid: str, people: int) -> tuple[int, str]:
    """Ring `people` steps of the chain unanswered; the call's id and the last step's action."""
    form = {"CallSid": sid, "From": FAMILJ1, "To": BJORNEN_LINE, "CallStatus": "ringing"}
    action = _dial_action(server.webhook("/phone/voice", form))
    call_id = int(query(action)["call"])
    for _step in range(people - 1):
        result = {"CallSid": sid, "DialCallStatus": "no-answer", "CallStatus": "in-progress"}
        action = _dial_action(server.webhook(action, result | {"DialCallSid": f"{sid}-leg"}))
    return call_id, action


Event = Callable[[], Answer]


def _status(server: HubhomeServer, sid: str, status: str) -> Event:
    form = {"CallSid": sid, "CallStatus": status, "CallDuration": "30"}
    return lambda: server.webhook("/phone/voice/status", form)


def _missed_call(server: HubhomeServer, sid: str) -> dict[str, Event]:
    _call_id, action = _ring_through(server, sid, 1)
    hung_up = {  # the caller hung up while Hanna's phone rang
        "CallSid": sid,
        "DialCallStatus": "no-answer",
        "DialCallSid": f"{sid}-last",
        "CallStatus": "completed",
    }
    return {
        "dial-result": lambda: server.webhook(action, hung_up),
        "status": _status(server, sid, "completed"),
        "late ringing": _status(server, sid, "ringing"),
    }


def _voicemail(server: HubhomeServer, sid: str) -> dict[str, Event]:
    call_id, action = _ring_through(server, sid, 3)  # Hanna, Jonas, then the duty number
    last = {
        "CallSid": sid,
        "DialCallStatus": "no-answer",
        "DialCallSid": f"{sid}-last",
        "CallStatus": "in-progress",
    }
    recording = {
        "CallSid": sid,
        "RecordingSid": f"RE{sid}",
        "RecordingUrl": f"https://api.twilio.com/recordings/RE{sid}",
        "RecordingDuration": "20",
    }
    return {
        "dial-result": lambda: server.webhook(action, last),
        "recording": lambda: server.webhook(f"/phone/voice/recording?call={call_id}", recording),
        "status": _status(server, sid, "completed"),
    }


def _texted_per_call(sent: list[dict[str, Any]], sids: list[str]) -> dict[str, Counter[str]]:
    """The SMS Twilio created for each call's follow-up, by number, joined to the outbox."""
    db.session.expire_all()
    follow_ups = dict(
        db.session.execute(
            select(FollowUp.id, Call.call_sid)
            .join(Call, Call.id == FollowUp.call_id)
            .where(Call.call_sid.in_(sids))
        ).all()
    )
    by_sid = {m.provider_sid: m for m in db.session.scalars(select(OutboxMessage))}
    texted: dict[str, Counter[str]] = {sid: Counter() for sid in sids}
    for created in sent:
        message = by_sid.get(created["sid"])
        # A message Twilio created twice leaves one of the two owned by no outbox row.
        assert message is not None, f"Twilio created a message no outbox row owns: {created}"
        key = (message.dedupe_key or "").split(":")
        if key[0] == "phone.followup" and int(key[1]) in follow_ups:
            texted[follow_ups[int(key[1])]][created["to"]] += 1
    return texted


def test_every_order_of_the_callbacks_gives_one_follow_up_and_one_sms_per_person(
    demo, fake_twilio, start_server, run_hubhome
):
    server = start_server()
    calls: dict[str, tuple[str, FollowUpKind]] = {}
    for n, order in enumerate(itertools.permutations(MISSED)):
        sid = f"CAmissed{n}"
        events = _missed_call(server, sid)
        for name in order:
            for _copy in range(2):  # each callback twice
                assert events[name]().status in (200, 204)
        calls[sid] = ("→".join(order), FollowUpKind.MISSED_CALL)
    for n, order in enumerate(itertools.permutations(VOICEMAIL)):
        sid = f"CAvoicemail{n}"
        events = _voicemail(server, sid)
        for name in order:
            for _copy in range(2):
                assert events[name]().status in (200, 204)
        calls[sid] = ("→".join(order), FollowUpKind.VOICEMAIL)

    sent = run_hubhome("jobs", "--once")  # the outbox goes first: everything queued is sent
    assert sent.returncode == 0, sent.output

    db.session.expire_all()
    for sid, (order, kind) in calls.items():
        call = db.session.scalars(select(Call).where(Call.call_sid == sid)).one()
        assert call.follow_up is not None and call.follow_up.kind == kind, order
        assert call.status == (
            CallStatus.MISSED if kind == FollowUpKind.MISSED_CALL else CallStatus.VOICEMAIL
        ), order
        assert call.twilio_status == "completed", order
    follow_ups = db.session.scalars(
        select(FollowUp.call_id).join(Call).where(Call.call_sid.in_(calls))
    ).all()
    assert len(follow_ups) == len(set(follow_ups)) == len(calls)  # one per call
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose.startswith("phone."))
    ).all()
    assert all(m.status == OutboxStatus.SENT for m in queued), [m.status for m in queued]
    texted = _texted_per_call(fake_twilio.messages, list(calls))
    wrong = {f"{sid} ({calls[sid][0]})": dict(n) for sid, n in texted.items() if n != CHAIN}
    assert wrong == {}, f"not one SMS per person: {wrong}"
    assert len(fake_twilio.sent_sms) == len(fake_twilio.messages)  # each POST created one
    total = sum(sum(n.values()) for n in texted.values())
    assert total == len(CHAIN) * len(calls)
    print(f"{len(calls)} calls: {total} follow-up SMS created at Twilio, one per person per call")
