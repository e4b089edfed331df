"""Call recordings kept in Hubhome: copied from Twilio (encrypted with the field key),
deleted at Twilio only after a verified copy, played through an audited link, and removed
by retention with the call log.

Twilio is the fake Twilio REST API over HTTP, reached by the real SDK and transport.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hubhome import crypto
from hubhome.audit.models import AuditEvent
from hubhome.extensions import db
from hubhome.ops.retention import apply_retention
from hubhome.phone.models import FollowUp
from hubhome.recordings.jobs import keep_recordings
from hubhome.transaction import unit_of_work
from tests.conftest import TWILIO_TOKEN, login
from tests.faults.fake_twilio import DROP, HANG, FakeTwilio, error
from tests.recording_helpers import AUDIO
from tests.recording_helpers import voicemail as _voicemail


@pytest.fixture
def twilio(app: Flask) -> Iterator[FakeTwilio]:
    settings = app.config["HUBHOME"]
    fake = FakeTwilio(settings.twilio_account_sid, TWILIO_TOKEN).start()
    app.config["HUBHOME"] = dataclasses.replace(
        settings, twilio_api_base=fake.url, twilio_timeout=0.5
    )
    yield fake
    fake.close()


@pytest.fixture
def store(app: Flask) -> Path:
    return Path(app.config["HUBHOME"].recordings_dir)


def _run() -> int:
    with unit_of_work() as session:
        moved = keep_recordings(session)
    db.session.expire_all()
    return moved


def _files(store: Path) -> list[Path]:
    return sorted(p for p in store.glob("*/RE*.enc") if "d" * 32 not in p.name)


def _deletes(fake: FakeTwilio, sid: str) -> list[object]:
    return [r for r in fake.matching("DELETE", f"/Recordings/{sid}.json")]


def test_a_recording_is_copied_encrypted_verified_and_only_then_deleted_at_twilio(
    app, demo, twilio, store, login_as
):
    item = _voicemail(demo, twilio)
    sid = item.recording_sid
    assert _run() == 1

    # Downloaded with the account's credentials from Twilio's media URL, deleted after.
    media = twilio.matching("GET", f"/Recordings/{sid}.mp3")
    deletes = _deletes(twilio, sid)
    assert len(media) == 1 and len(deletes) == 1
    assert media[0].auth == (app.config["HUBHOME"].twilio_account_sid, TWILIO_TOKEN)
    assert media[0].at < deletes[0].at
    assert twilio.recordings == [] and twilio.state.media == {}

    # Kept encrypted at rest: the file is not the audio, and the field key opens it.
    (path,) = _files(store)
    blob = path.read_bytes()
    assert AUDIO[:64] not in blob
    assert crypto.decrypt_bytes(blob) == AUDIO

    # The page links to Hubhome's copy, not to Twilio.
    page = login_as("jour").get(f"/phone/follow-ups/{item.id}").get_data(as_text=True)
    assert f"/phone/follow-ups/{item.id}/recording" in page
    assert "api.twilio.com" not in page

    # A second run has nothing left to do and asks Twilio nothing more.
    before = len(twilio.requests)
    assert _run() == 0
    assert len(twilio.requests) == before


@pytest.mark.parametrize("failure", [error(500), HANG, DROP], ids=["500", "hang", "drop"])
def test_a_failed_download_deletes_nothing_at_twilio_and_the_next_run_finishes(
    app, demo, twilio, store, failure
):
    item = _voicemail(demo, twilio)
    sid = item.recording_sid
    twilio.script(failure, method="GET", path=f"/Recordings/{sid}.mp3")
    assert _run() == 0
    assert _deletes(twilio, sid) == [] and twilio.recordings != []
    assert _files(store) == []

    assert _run() == 1
    assert len(_deletes(twilio, sid)) == 1 and twilio.recordings == []
    assert crypto.decrypt_bytes(_files(store)[0].read_bytes()) == AUDIO


def test_a_lost_answer_to_the_delete_is_finished_by_the_next_run_without_a_new_download(
    app, demo, twilio, store
):
    item = _voicemail(demo, twilio)
    sid = item.recording_sid
    twilio.script(HANG, method="DELETE", path=f"/Recordings/{sid}.json")
    assert _run() == 0  # copied and verified; Twilio's answer to the delete never came
    assert len(_files(store)) == 1
    twilio.release()

    assert _run() == 1
    assert len(twilio.matching("GET", f"/Recordings/{sid}.mp3")) == 1  # not downloaded again
    assert len(_deletes(twilio, sid)) == 2
    assert twilio.recordings == []


def test_a_delete_twilio_took_but_never_answered_counts_as_done_on_404(app, demo, twilio):
    item = _voicemail(demo, twilio)
    sid = item.recording_sid
    twilio.script(error(503), method="DELETE", path=f"/Recordings/{sid}.json")
    assert _run() == 0
    twilio.recordings.clear()  # Twilio did delete it after all
    assert _run() == 1
    assert len(_deletes(twilio, sid)) == 2


def test_a_copy_that_cannot_be_kept_deletes_nothing_at_twilio(app, demo, twilio, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the storage directory should be")
    app.config["HUBHOME"] = dataclasses.replace(
        app.config["HUBHOME"], recordings_dir=str(blocked / "recordings")
    )
    item = _voicemail(demo, twilio)
    assert _run() == 0
    assert _deletes(twilio, item.recording_sid) == [] and len(twilio.recordings) == 1


def test_a_copy_damaged_before_the_delete_is_made_again_before_twilio_loses_its_own(
    app, demo, twilio, store
):
    item = _voicemail(demo, twilio)
    sid = item.recording_sid
    twilio.script(error(500), method="DELETE", path=f"/Recordings/{sid}.json")
    assert _run() == 0
    (path,) = _files(store)
    path.write_bytes(crypto.encrypt_bytes(b"something else"))  # the disk lost the copy
    assert _run() == 0
    assert len(_deletes(twilio, sid)) == 1  # only the first, refused, attempt
    assert len(twilio.recordings) == 1


def test_a_recording_twilio_no_longer_has_is_not_asked_for_again(app, demo, twilio, store):
    item = _voicemail(demo, twilio)
    twilio.recordings.clear()
    assert _run() == 0
    assert _run() == 0
    assert len(twilio.matching("GET", f"/Recordings/{item.recording_sid}.mp3")) == 1
    page = app.test_client().get(f"/phone/follow-ups/{item.id}/recording").status_code
    assert page in (302, 401, 404)


def _signed_in(app: Flask, short: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, short).status_code == 302
    return client


def test_playback_is_audited_uncached_and_only_for_those_who_may_see_the_call(app, demo, twilio):
    item = _voicemail(demo, twilio)
    _run()
    url = f"/phone/follow-ups/{item.id}/recording"

    answer = _signed_in(app, "jour").get(url)
    assert answer.status_code == 200
    assert answer.data == AUDIO and answer.mimetype == "audio/mpeg"
    assert answer.headers["Cache-Control"] == "no-store"
    played = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recording.played")
    ).all()
    assert [(e.actor_id, e.household_id) for e in played] == [
        (demo.users["jour"].id, demo.users["familj1"].household_id)
    ]
    for outsider in ("familj1", "hubb.raven"):
        assert _signed_in(app, outsider).get(url).status_code == 404
    played = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recording.played")
    ).all()
    assert len(played) == 1


def test_the_demo_voicemail_plays_from_hubhome(demo, login_as):
    follow_up = db.session.scalars(select(FollowUp).where(FollowUp.recording_sid.is_not(None)))
    item = follow_up.first()
    assert item is not None
    answer = login_as("admin").get(f"/phone/follow-ups/{item.id}/recording")
    assert answer.status_code == 200 and answer.data[:4] == b"RIFF"


def test_retention_removes_the_recording_from_hubhomes_storage(app, demo, twilio, store):
    organisation = demo.constellations["Björnen"].organisation
    organisation.retention_years = 1
    # An unknown caller: no family in the research sample keeps it.
    old = _voicemail(demo, twilio, started_days_ago=800, known_caller=False)
    recent = _voicemail(demo, twilio, started_days_ago=1)
    old_id, recent_sid = old.id, recent.recording_sid
    assert _run() == 2
    assert len(_files(store)) == 2

    with unit_of_work() as session:
        apply_retention(session)
    db.session.expire_all()

    assert db.session.get(FollowUp, old_id) is None
    (kept,) = _files(store)
    assert recent_sid in kept.name
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention.removed")
    ).all()
    assert any(e.detail and e.detail.get("rule") == "recordings" for e in events)


def test_storage_keeps_no_partial_file_and_lists_only_recordings(tmp_path):
    from hubhome.recordings.storage import DirectoryStore

    store = DirectoryStore(tmp_path)
    key = "7/RE" + "a" * 32 + ".mp3.enc"
    store.put(key, b"one")
    store.put(key, b"two")
    (tmp_path / "7" / "notes.txt").write_text("not a recording")
    assert list(store.stored_keys()) == [key] and store.get(key) == b"two"
    assert [p.name for p in (tmp_path / "7").iterdir() if p.name.startswith(".")] == []
    with pytest.raises(ValueError):
        store.put("../../etc/passwd", b"x")
    store.delete(key)
    store.delete(key)
    assert store.get(key) is None


def test_a_file_no_recording_refers_to_is_removed(app, demo, twilio, store):
    stray = store / "1" / ("RE" + "b" * 32 + ".mp3.enc")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by a retention run that stopped after its commit")
    _voicemail(demo, twilio)
    _run()
    assert not stray.exists()
