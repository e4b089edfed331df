"""Moving a recording from Twilio into Hubhome's storage, step by step, and reading it back.

Each recording goes through three steps, each recorded in a unit of work of its own, so a run
killed anywhere leaves a state the next run finishes from:

1. **Download** the audio through the Twilio SDK's transport (credentials, deadline), from a
   URL built from the configured account and the recording's sid (never from a URL a webhook
   gave), bounded in size.
2. **Keep** it encrypted with the field key under a key derived from the sid (a re-run
   overwrites the same blob), read it back, decrypt it and compare size and SHA-256; only
   then is it recorded as stored.
3. **Delete** it at Twilio, after verifying the stored copy once more; Twilio answering 404
   (a delete whose answer was lost) counts as deleted.

Nothing is ever deleted at Twilio without a verified copy in Hubhome.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from hubhome import crypto
from hubhome.db import DbSession
from hubhome.deadline import DeadlineExceeded, deadline
from hubhome.phone.models import FollowUp
from hubhome.recordings.models import StoredRecording
from hubhome.recordings.storage import RecordingStore
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)

CONTENT_TYPE = "audio/mpeg"
EXTENSION = "mp3"


class RecordingGone(Exception):
    """Twilio has no such recording (any more)."""


class CopyNotVerified(Exception):
    """The stored copy is missing or does not match the audio downloaded."""


@dataclass(frozen=True)
class Pending:
    """What a run needs of a recording still to move (read before Twilio is called)."""

    id: int
    recording_sid: str
    storage_key: str
    stored_at: datetime | None
    size_bytes: int | None
    sha256: str | None


def storage_key(organisation_id: int | None, recording_sid: str) -> str:
    return f"{organisation_id or 0}/{recording_sid}.{EXTENSION}.enc"


def discover(session: DbSession) -> int:
    """Start a copy for each follow-up with a recording that has none yet."""
    new = session.execute(
        select(FollowUp.id, FollowUp.organisation_id, FollowUp.recording_sid).where(
            FollowUp.recording_sid.is_not(None),
            FollowUp.recording_sid.not_in(select(StoredRecording.recording_sid)),
        )
    ).all()
    for follow_up_id, organisation_id, sid in new:
        session.add(
            StoredRecording(
                organisation_id=organisation_id,
                follow_up_id=follow_up_id,
                recording_sid=str(sid),
                storage_key=storage_key(organisation_id, str(sid)),
                content_type=CONTENT_TYPE,
            )
        )
    session.flush()
    return len(new)


def pending(session: DbSession, limit: int) -> list[Pending]:
    """Recordings not yet deleted at Twilio (and not lost there), fewest attempts first."""
    rows = session.scalars(
        select(StoredRecording)
        .where(
            StoredRecording.deleted_at_twilio.is_(None),
            StoredRecording.gone_at_twilio.is_(False),
        )
        .order_by(StoredRecording.attempts, StoredRecording.id)
        .limit(limit)
    )
    return [
        Pending(r.id, r.recording_sid, r.storage_key, r.stored_at, r.size_bytes, r.sha256)
        for r in rows
    ]


def move_one(session: DbSession, client: Any, store: RecordingStore, item: Pending) -> bool:
    """Take one recording as far as it goes (download, keep, delete at Twilio); record
    each step, or the failure, in a unit of work of its own. True when it is done."""
    try:
        size, digest = item.size_bytes, item.sha256
        if item.stored_at is None or size is None or digest is None:
            audio = download(client, item.recording_sid)
            size, digest = len(audio), hashlib.sha256(audio).hexdigest()
            store.put(item.storage_key, crypto.encrypt_bytes(audio))
            verify(store, item.storage_key, size, digest)
            with unit_of_work(session):
                _update(
                    session, item, stored_at=utcnow(), size_bytes=size, sha256=digest,
                    last_error=None,
                )  # fmt: skip
        verify(store, item.storage_key, size, digest)  # again, just before Twilio's goes
        delete_at_twilio(client, item.recording_sid)
        with unit_of_work(session):
            _update(session, item, deleted_at_twilio=utcnow(), last_error=None)
        return True
    except RecordingGone:
        log.error("recording %s is not at Twilio and was never copied", item.recording_sid)
        with unit_of_work(session):
            _failed(session, item, "not found at Twilio before a copy was made", gone=True)
    except (Exception, DeadlineExceeded) as exc:
        log.warning("recording %s: %s; trying again next run", item.recording_sid, _short(exc))
        with unit_of_work(session):
            _failed(session, item, _short(exc))
    return False


def _update(session: DbSession, item: Pending, **values: Any) -> None:
    session.execute(
        update(StoredRecording)
        .where(StoredRecording.id == item.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _failed(session: DbSession, item: Pending, error: str, *, gone: bool = False) -> None:
    _update(
        session,
        item,
        attempts=StoredRecording.attempts + 1,
        last_error=error[:500],
        gone_at_twilio=gone,
    )


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _seconds() -> float:
    """Each Twilio call's deadline: the transport's timeout bounds each wait on the socket,
    this the whole call (a trickle of bytes), where a deadline can be armed."""
    return float(current_app.config["HUBHOME"].twilio_timeout) * 3


def media_url(client: Any, recording_sid: str) -> str:
    """Twilio's media URL of a recording of the configured account, as MP3."""
    return (
        f"{client.api.base_url}/2010-04-01/Accounts/{client.account_sid}"
        f"/Recordings/{recording_sid}.{EXTENSION}"
    )


def download(client: Any, recording_sid: str) -> bytes:
    """The recording's audio, through the SDK's HTTP transport with the account's
    credentials. Raises RecordingGone on 404, RuntimeError on any other refusal."""
    limit = current_app.config["HUBHOME"].recordings_max_bytes
    with deadline(_seconds()):
        answer = client.request("GET", media_url(client, recording_sid), allow_redirects=True)
    if answer.status_code == 404:
        raise RecordingGone(recording_sid)
    if answer.status_code >= 400:
        raise RuntimeError(f"Twilio answered {answer.status_code} to the media download")
    body = getattr(answer, "body", None)
    if not isinstance(body, bytes) or not body:
        raise RuntimeError("Twilio's answer to the media download had no audio")
    if len(body) > limit:
        raise RuntimeError(f"the recording is larger than {limit} bytes")
    return body


def verify(store: RecordingStore, key: str, size: int, digest: str) -> bytes:
    """Read the stored copy back, decrypt it and check it is the audio downloaded."""
    blob = store.get(key)
    if blob is None:
        raise CopyNotVerified("the stored copy is missing")
    audio = crypto.decrypt_bytes(blob)
    if len(audio) != size or hashlib.sha256(audio).hexdigest() != digest:
        raise CopyNotVerified("the stored copy does not match the recording")
    return audio


def delete_at_twilio(client: Any, recording_sid: str) -> None:
    """Delete the recording at Twilio; one already gone (404) is deleted."""
    from twilio.base.exceptions import TwilioRestException

    try:
        with deadline(_seconds()):
            client.recordings(recording_sid).delete()
    except TwilioRestException as exc:
        if exc.status != 404:
            raise


def read_copy(store: RecordingStore, recording: StoredRecording) -> bytes | None:
    """The plain audio of a stored recording, verified; None when there is no good copy."""
    if recording.stored_at is None or recording.size_bytes is None or not recording.sha256:
        return None
    try:
        return verify(store, recording.storage_key, recording.size_bytes, recording.sha256)
    except (CopyNotVerified, RuntimeError):
        log.error("recording %s: the stored copy cannot be read", recording.id)
        return None
