"""Helpers for the recording tests: a voicemail whose recording waits at the fake Twilio."""

from __future__ import annotations

from datetime import timedelta

from hubhome.extensions import db
from hubhome.phone.models import Call, CallStatus, FollowUp, FollowUpKind
from hubhome.timeutil import utcnow
from tests.faults.fake_twilio import FakeTwilio
from tests.phone_helpers import BJORNEN_LINE, FAMILJ1

AUDIO = b"ID3\x04\x00" + bytes(range(256)) * 40  # not text: every byte value, as MP3 is


def voicemail(
    demo, fake: FakeTwilio, *, started_days_ago: int = 0, known_caller: bool = True
) -> FollowUp:
    """A voicemail left on Björnen's line (by familj1, or an unknown number), its recording
    at Twilio."""
    recording = fake.add_recording(audio=AUDIO, duration="12")
    bjornen = demo.constellations["Björnen"]
    familj1 = demo.users["familj1"]
    started = utcnow() - timedelta(days=started_days_ago)
    call = Call(
        call_sid="CA" + recording["sid"][2:],
        organisation_id=bjornen.organisation_id,
        constellation_id=bjornen.id,
        household_id=familj1.household_id if known_caller else None,
        caller_id=familj1.id if known_caller else None,
        from_number=FAMILJ1,
        to_number=BJORNEN_LINE,
        chain=[],
        status=CallStatus.VOICEMAIL,
        started_at=started,
        ended_at=started + timedelta(minutes=1),
    )
    db.session.add(call)
    db.session.flush()
    item = FollowUp(
        call_id=call.id,
        organisation_id=bjornen.organisation_id,
        constellation_id=bjornen.id,
        kind=FollowUpKind.VOICEMAIL,
        recording_sid=recording["sid"],
        recording_url="https://api.twilio.com" + recording["uri"][:-5],
        recording_seconds=12,
        created_at=started,
        handled_at=started + timedelta(hours=1) if started_days_ago else None,
    )
    db.session.add(item)
    db.session.commit()
    return item
