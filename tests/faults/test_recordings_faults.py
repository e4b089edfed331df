"""Recordings moved from Twilio by `hubhome jobs --once`, the real process, while Twilio
hangs or the process is killed: nothing is deleted at Twilio without a verified copy, and
the next run finishes the move."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from hubhome import crypto
from hubhome.extensions import db
from hubhome.recordings.models import StoredRecording
from tests.faults.fake_twilio import HANG, FakeTwilio
from tests.recording_helpers import AUDIO, voicemail


def _kept(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "recordings").glob("*/RE*.enc"))


def _row(sid: str) -> StoredRecording:
    db.session.expire_all()
    return db.session.scalars(
        select(StoredRecording).where(StoredRecording.recording_sid == sid)
    ).one()


def _media(fake: FakeTwilio, sid: str) -> int:
    return len(fake.matching("GET", f"/Recordings/{sid}.mp3"))


def _deletes(fake: FakeTwilio, sid: str) -> int:
    return len(fake.matching("DELETE", f"/Recordings/{sid}.json"))


def test_a_hanging_download_ends_at_the_deadline_deletes_nothing_and_the_next_run_moves_it(
    demo, fake_twilio, start_jobs, tmp_path
):
    sid = voicemail(demo, fake_twilio).recording_sid or ""
    fake_twilio.script(HANG, method="GET", path=f"/Recordings/{sid}.mp3")
    first = start_jobs("--once")
    assert first.wait(60) == 0, first.output()
    assert _media(fake_twilio, sid) == 1 and _deletes(fake_twilio, sid) == 0
    assert len(fake_twilio.recordings) == 1 and _kept(tmp_path) == []
    assert _row(sid).attempts == 1 and _row(sid).stored_at is None

    again = start_jobs("--once")
    assert again.wait(60) == 0, again.output()
    assert _deletes(fake_twilio, sid) == 1 and fake_twilio.recordings == []
    (path,) = _kept(tmp_path)
    assert crypto.decrypt_bytes(path.read_bytes()) == AUDIO
    assert _row(sid).deleted_at_twilio is not None


def test_killed_while_twilio_holds_the_delete_the_next_run_deletes_without_downloading_again(
    demo, fake_twilio, start_jobs, tmp_path
):
    sid = voicemail(demo, fake_twilio).recording_sid or ""
    fake_twilio.script(HANG, method="DELETE", path=f"/Recordings/{sid}.json")
    first = start_jobs("--once")
    fake_twilio.wait_for(1, method="DELETE", path=f"/Recordings/{sid}.json", timeout=90)
    first.kill()  # kill -9 with the delete in flight
    first.wait(10)

    # The copy was verified before the delete was asked for; Twilio still has its own.
    assert len(fake_twilio.recordings) == 1
    (path,) = _kept(tmp_path)
    assert crypto.decrypt_bytes(path.read_bytes()) == AUDIO
    assert _row(sid).stored_at is not None

    again = start_jobs("--once")
    assert again.wait(60) == 0, again.output()
    assert _media(fake_twilio, sid) == 1  # not downloaded again
    assert _deletes(fake_twilio, sid) == 2 and fake_twilio.recordings == []
    assert _row(sid).deleted_at_twilio is not None
