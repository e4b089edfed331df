"""Retention of recordings: a recording goes with its follow-up. The call log's rule
("calls", which runs first) removes the follow-up; this one removes the recording's row
and, once that is committed, its file. A file left by a run that stopped in between is
removed by the copying job (`jobs.remove_orphans`)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from hubhome.db import DbSession
from hubhome.ops.retention import RetentionContext
from hubhome.phone.models import FollowUp
from hubhome.recordings.models import StoredRecording
from hubhome.recordings.storage import recording_store
from hubhome.transaction import after_commit


def remove_discarded_recordings(session: DbSession, ctx: RetentionContext) -> int:
    discarded = session.execute(
        select(StoredRecording.id, StoredRecording.storage_key).where(
            StoredRecording.organisation_id == ctx.organisation.id,
            or_(
                StoredRecording.follow_up_id.is_(None),
                StoredRecording.follow_up_id.not_in(select(FollowUp.id)),
            ),
        )
    ).all()
    if not discarded:
        return 0
    session.execute(
        delete(StoredRecording).where(StoredRecording.id.in_([row.id for row in discarded]))
    )
    keys = [row.storage_key for row in discarded]
    store = recording_store()

    def remove_files() -> None:
        for key in keys:
            store.delete(key)

    after_commit(remove_files, session=session)
    return len(discarded)
