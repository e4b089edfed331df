"""Twilio's callbacks in any order: one follow-up and one SMS per person, state only forward.

Twilio sends the dial result, the recording and the call's status callbacks independently:
any may come first, any may come twice, and a late "ringing" may follow "completed".
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.models import Call, CallStatus, FollowUp, FollowUpKind
from hubhome.phone.spool import pending
from tests.phone_helpers import (
    BJORNEN_LINE,
    DAYTIME,
    DUTY,
    FAMILJ1,
    HANNA,
    JONAS,
    dial_result,
    dialled,
    path_of,
    twilio_post,
    voice,
)

pytestmark = pytest.mark.clock(DAYTIME)

LINE_QUERY = quote(BJORNEN_LINE)  # as Twilio requests the URL in the TwiML
Event = Callable[[FlaskClient], object]


def _status(status: str) -> Event:
    def send(client: FlaskClient) -> object:
        form = {"CallSid": "CA01", "CallStatus": status, "CallDuration": "30"}
        return twilio_post(client, "/phone/voice/status", form)

    return send


def _recording(client: FlaskClient) -> object:
    form = {
        "CallSid": "CA01",
        "RecordingSid": "RE01",
        "RecordingUrl": "https://api.twilio.com/recordings/RE01",
        "RecordingDuration": "20",
    }
    call = db.session.scalars(select(Call.id).where(Call.call_sid == "CA01")).one()
    return twilio_post(client, f"/phone/voice/recording?call={call}", form)


def _ring_through(client: FlaskClient, people: int) -> Event:
    """Ring `people` steps of the chain unanswered; return the last step's dial result."""
    dial, _ = dialled(voice(client))
    for _step in range(people - 1):
        dial, _ = dialled(dial_result(client, dial, "no-answer"))
    action = path_of(dial.get("action", ""))

    def last(client: FlaskClient, call_status: str = "in-progress") -> object:
        form = {
            "CallSid": "CA01",
            "DialCallStatus": "no-answer",
            "DialCallSid": "CA01-last",
            "CallStatus": call_status,
        }
        return twilio_post(client, action, form)

    return last


def _texts(sid: str = "CA01") -> Counter[str]:
    """The SMS about the call's follow-up, by number."""
    db.session.expire_all()
    ids = db.session.scalars(
        select(FollowUp.id).join(Call, Call.id == FollowUp.call_id).where(Call.call_sid == sid)
    ).all()
    messages = db.session.execute(select(OutboxMessage.to, OutboxMessage.dedupe_key)).all()
    prefixes = tuple(f"phone.followup:{id_}:" for id_ in ids)
    return Counter(to for to, key in messages if prefixes and (key or "").startswith(prefixes))


def _the_call(sid: str = "CA01") -> Call:
    db.session.expire_all()
    return db.session.scalars(select(Call).where(Call.call_sid == sid)).one()


def _follow_ups(call: Call) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(FollowUp).where(FollowUp.call_id == call.id)
        )
        or 0
    )


MISSED = ("dial-result", "status", "late ringing")


@pytest.mark.parametrize("order", list(itertools.permutations(MISSED)), ids="→".join)
def test_a_missed_call_gives_one_follow_up_and_one_sms_each_in_any_order(
    client, demo, twilio_http, order
):
    with time_machine.travel(DAYTIME, tick=False):
        last = _ring_through(client, 1)
        events: dict[str, Event] = {
            "dial-result": lambda c: last(c, "completed"),  # the caller hung up while it rang
            "status": _status("completed"),
            "late ringing": _status("ringing"),
        }
        for name in order:
            events[name](client)
            events[name](client)  # and each one twice
    call = _the_call()
    assert call.status == CallStatus.MISSED
    assert call.twilio_status == "completed" and call.ended_at is not None
    assert _follow_ups(call) == 1
    assert call.follow_up.kind == FollowUpKind.MISSED_CALL
    assert _texts() == {HANNA: 1, JONAS: 1, DUTY: 1}


VOICEMAIL = ("dial-result", "recording", "status")


@pytest.mark.parametrize("order", list(itertools.permutations(VOICEMAIL)), ids="→".join)
def test_a_voicemail_gives_one_follow_up_and_one_sms_each_in_any_order(
    client, demo, twilio_http, order
):
    with time_machine.travel(DAYTIME, tick=False):
        last = _ring_through(client, 3)  # Hanna, Jonas, then the duty number
        events: dict[str, Event] = {
            "dial-result": last,
            "recording": _recording,
            "status": _status("completed"),
        }
        for name in order:
            events[name](client)
            events[name](client)
    call = _the_call()
    assert call.status == CallStatus.VOICEMAIL
    assert _follow_ups(call) == 1
    assert call.follow_up.kind == FollowUpKind.VOICEMAIL
    assert call.follow_up.recording_sid == "RE01"
    assert _texts() == {HANNA: 1, JONAS: 1, DUTY: 1}


def test_a_late_ringing_never_undoes_completed(client, demo):
    with time_machine.travel(DAYTIME, tick=False):
        voice(client)
        for status in ("in-progress", "completed", "ringing", "in-progress"):
            _status(status)(client)
    assert _the_call().twilio_status == "completed"


def test_a_recording_for_a_call_hubhome_never_saw_makes_the_call_and_its_voicemail(
    client, demo, twilio_http
):
    """The fallback answered while the database was down: its recording still lands."""
    form = {
        "CallSid": "CAgone",
        "RecordingSid": "REgone",
        "RecordingUrl": "https://api.twilio.com/recordings/REgone",
        "RecordingDuration": "25",
    }
    with time_machine.travel(DAYTIME, tick=False):
        response = twilio_post(client, f"/phone/voice/recording?line={LINE_QUERY}", form)
        assert response.status_code == 204
        # The fallback's own <Record> action comes with the caller's number.
        action = form | {"From": FAMILJ1, "To": BJORNEN_LINE}
        twilio_post(client, f"/phone/voice/fallback/recorded?line={LINE_QUERY}", action)
    db.session.expire_all()
    call = db.session.scalars(select(Call).where(Call.call_sid == "CAgone")).one()
    assert call.constellation_id == demo.constellations["Björnen"].id
    assert call.from_number == FAMILJ1 and call.household is not None
    assert call.status == CallStatus.VOICEMAIL
    assert call.follow_up.kind == FollowUpKind.VOICEMAIL
    assert call.follow_up.recording_sid == "REgone"
    assert _texts("CAgone") == {HANNA: 1, JONAS: 1, DUTY: 1}


def test_a_callback_is_kept_while_the_database_is_down_and_replayed_once_it_is_back(
    app, client, demo, twilio_http, other_app, tmp_path
):
    """`/phone/voice/status` with the database unreachable answers 204 and keeps it."""
    from hubhome.phone.spool import replay
    from tests.conftest import make_test_app

    with time_machine.travel(DAYTIME, tick=False):
        voice(client)
    db.session.commit()
    down = make_test_app(
        f"sqlite:///{tmp_path}/missing/dir/hubhome.sqlite",
        phone_spool_dir=str(tmp_path / "spool"),
    )
    with down.app_context():
        form = {"CallSid": "CA01", "CallStatus": "completed", "CallDuration": "12"}
        response = twilio_post(down.test_client(), "/phone/voice/status", form)
        assert response.status_code == 204
        db.session.remove()
    assert len(pending(down)) == 1
    back = other_app(phone_spool_dir=str(tmp_path / "spool"))
    with time_machine.travel(DAYTIME, tick=False):
        first = replay(back)
        again = replay(back)
    assert (first.done, again.done) == (1, 0)
    call = _the_call()
    assert call.status == CallStatus.MISSED and call.follow_up is not None
    assert _texts() == {HANNA: 1, JONAS: 1, DUTY: 1}


def test_a_spooled_webhook_twilio_did_not_sign_is_set_aside_not_replayed(app, demo, tmp_path):
    import json

    from hubhome.phone.spool import replay

    folder = tmp_path / "spool"
    folder.mkdir()
    forged = {"path": "/phone/voice/status", "query": "", "form": {}, "signature": "forged"}
    (folder / "1-forged.json").write_text(json.dumps(forged))
    (folder / "2-broken.json").write_text("{not json")
    app.config["HUBHOME"] = dataclasses.replace(app.config["HUBHOME"], phone_spool_dir=str(folder))
    result = replay(app)
    assert (result.done, result.failed, result.waiting) == (0, 2, 0)
    assert sorted(p.name for p in (folder / "failed").iterdir()) == [
        "1-forged.json",
        "2-broken.json",
    ]
    assert pending(app) == []
