"""The `recordings_keep` job: copy new recordings into Hubhome and delete them at Twilio."""

from __future__ import annotations

import logging
import time

from flask import current_app
from sqlalchemy import select

from hubhome.db import DbSession
from hubhome.ops.schedule import stop_requested
from hubhome.recordings import services
from hubhome.recordings.models import StoredRecording
from hubhome.recordings.storage import RecordingStore, recording_store
from hubhome.transaction import unit_of_work

log = logging.getLogger(__name__)

JOB = "recordings_keep"
BATCH = 50  # recordings taken per run at most
RUN_SECONDS = 120.0  # a run takes no new recording after this long


def keep_recordings(session: DbSession) -> int:
    """Move each recording to Hubhome's storage, one at a time; return how many were
    moved completely. Without a Twilio account (the demo) there is nothing to move."""
    settings = current_app.config["HUBHOME"]
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        return 0
    from hubhome.telephony.client import twilio_client

    with unit_of_work(session):
        services.discover(session)
        items = services.pending(session, BATCH)
    store = recording_store()
    remove_orphans(session, store)
    if not items:
        return 0
    client = twilio_client()
    started = time.monotonic()
    moved = 0
    for item in items:
        if stop_requested.is_set() or time.monotonic() - started > RUN_SECONDS:
            break
        moved += services.move_one(session, client, store, item)
    return moved


def remove_orphans(session: DbSession, store: RecordingStore) -> int:
    """Delete blobs no row refers to: left by a retention run that stopped between its
    commit and the files' removal."""
    with unit_of_work(session):
        known = set(session.scalars(select(StoredRecording.storage_key)))
    orphans = [key for key in store.stored_keys() if key not in known]
    for key in orphans:
        store.delete(key)
    if orphans:
        log.info("removed %s recording files that no recording refers to", len(orphans))
    return len(orphans)
