"""The demo's voicemail, kept in Hubhome as if the copying job had moved it already."""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave

from sqlalchemy import select

from hubhome import crypto
from hubhome.db import DbSession
from hubhome.phone.models import FollowUp
from hubhome.recordings.models import StoredRecording
from hubhome.recordings.storage import recording_store
from hubhome.timeutil import utcnow


def _tone(seconds: float = 2.0, rate: int = 8000) -> bytes:
    """A short two-note chime as WAV: a recording that needs no Twilio."""
    frames = bytearray()
    for n in range(int(seconds * rate)):
        pitch = 660.0 if n < rate * seconds / 2 else 880.0
        frames += struct.pack("<h", int(8000 * math.sin(2 * math.pi * pitch * n / rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(bytes(frames))
    return out.getvalue()


def seed_recordings(session: DbSession, organisation_id: int) -> int:
    """Keep a copy of each demo voicemail in the configured storage."""
    store = recording_store()
    now = utcnow()
    kept = 0
    for item in session.scalars(
        select(FollowUp).where(
            FollowUp.organisation_id == organisation_id, FollowUp.recording_sid.is_not(None)
        )
    ):
        audio = _tone()
        key = f"{organisation_id}/{item.recording_sid}.wav.enc"
        store.put(key, crypto.encrypt_bytes(audio))
        session.add(
            StoredRecording(
                organisation_id=organisation_id,
                follow_up_id=item.id,
                recording_sid=item.recording_sid or "",
                storage_key=key,
                content_type="audio/wav",
                size_bytes=len(audio),
                sha256=hashlib.sha256(audio).hexdigest(),
                stored_at=now,
                deleted_at_twilio=now,
            )
        )
        kept += 1
    session.flush()
    return kept
