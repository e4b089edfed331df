"""A voicemail nobody handles gets louder: after 30 minutes, again after two hours; once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from hubhome.extensions import db
from hubhome.outbox.models import OutboxMessage
from hubhome.phone.jobs import escalate_follow_ups
from hubhome.phone.models import Call
from jobs.registry import all_jobs
from tests.phone_helpers import (
    DUTY,
    HANNA,
    JONAS,
    day_and_night_rota,
    dial_result,
    dialled,
    twilio_post,
    voice,
)

# Sunday 25 October 2026, 02:40 summer time; at 03:00 the clocks go back to 02:00.
BEFORE_CHANGE = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)


def _leave_voicemail(client) -> Call:  # type: ignore[no-untyped-def]
    dial, _ = dialled(voice(client, call_sid="CA50"))
    dial, _ = dialled(dial_result(client, dial, "no-answer", call_sid="CA50"))
    root = dial_result(client, dial, "no-answer", call_sid="CA50")
    callback = root.find("Record").get("recordingStatusCallback", "")
    params = {
        "CallSid": "CA50",
        "RecordingSid": "RE50",
        "RecordingUrl": "https://x/RE50",
        "RecordingDuration": "20",
    }
    twilio_post(client, callback.split("hubhome.example.test", 1)[1], params)
    return db.session.scalar(select(Call).where(Call.call_sid == "CA50"))


def _messages(purpose: str = "phone.follow_up") -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)
        )
    )


def test_unhandled_voicemail_escalates_twice_across_the_dst_change(client, demo):
    liaison = demo.user("socialsekreterare")
    with time_machine.travel(BEFORE_CHANGE - timedelta(days=1), tick=False):
        day_and_night_rota(demo, BEFORE_CHANGE - timedelta(days=1))
    with time_machine.travel(BEFORE_CHANGE, tick=False) as clock:
        call = _leave_voicemail(client)
        first = _messages()
        assert sorted(m.to for m in first) == sorted([JONAS, DUTY])  # the night chain, frozen
        clock.move_to(BEFORE_CHANGE + timedelta(minutes=29))
        assert escalate_follow_ups(db.session) == 0
        clock.move_to(BEFORE_CHANGE + timedelta(minutes=31))  # 02:11 winter time
        assert escalate_follow_ups(db.session) > 0
        db.session.commit()
        assert escalate_follow_ups(db.session) == 0  # run twice: nothing twice
        db.session.commit()
        level1 = _messages()[len(first) :]
        assert sorted(m.to for m in level1) == sorted([JONAS, liaison.phone])
        assert all(m.body.startswith("Fortfarande inte hanterat") for m in level1)
        clock.move_to(BEFORE_CHANGE + timedelta(hours=2, minutes=1))
        escalate_follow_ups(db.session)
        escalate_follow_ups(db.session)
        db.session.commit()
        level2 = _messages()[len(first) + len(level1) :]
        assert sorted(m.to for m in level2) == sorted([JONAS, liaison.phone, DUTY])
        clock.move_to(BEFORE_CHANGE + timedelta(hours=9))
        assert escalate_follow_ups(db.session) == 0  # two reminders, then the list stays loud
    assert call.follow_up.escalation_level == 2


def test_a_handled_voicemail_is_not_escalated(client, demo, login_as):
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        day_and_night_rota(demo, start)
        call = _leave_voicemail(client)
        assert sorted(m.to for m in _messages()) == sorted([HANNA, DUTY])
        page = login_as("hubb.bjornen").post(
            f"/phone/follow-ups/{call.follow_up.id}", data={"note": "Ringt upp, allt lugnt."}
        )
        assert page.status_code == 303
        clock.move_to(start + timedelta(hours=3))
        assert escalate_follow_ups(db.session) == 0
    db.session.expire_all()
    assert call.follow_up.handled_by_id == demo.user("hubb.bjornen").id


def test_phone_and_rota_jobs_are_registered(app):  # the jobs are those its areas add
    names = {job.name for job in all_jobs()}
    assert {"phone_follow_up_escalation", "rota_gaps", "rota_materialise"} <= names
