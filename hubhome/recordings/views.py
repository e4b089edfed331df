"""Playing a voicemail from Hubhome's own copy, to those who may see its follow-up."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort
from flask_login import current_user, login_required

from hubhome.audit.services import record
from hubhome.extensions import db
from hubhome.permissions import get_follow_up_or_404
from hubhome.recordings.services import read_copy
from hubhome.recordings.storage import recording_store

bp = Blueprint("recordings", __name__, url_prefix="/phone/follow-ups")


@bp.route("/<int:follow_up_id>/recording")
@login_required
def play(follow_up_id: int) -> Any:
    """The message left on the line, decrypted from Hubhome's storage; every play is audited."""
    item = get_follow_up_or_404(current_user, follow_up_id)
    kept = getattr(item, "stored_recording", None)
    audio = read_copy(recording_store(), kept) if kept is not None else None
    if kept is None or audio is None:
        abort(404)
    record(
        db.session,
        current_user,
        "recording.played",
        kept,
        household_id=item.call.household_id,
        organisation_id=item.organisation_id,
        detail={"follow_up_id": item.id},
    )
    extension = "wav" if kept.content_type == "audio/wav" else "mp3"
    return Response(
        audio,
        mimetype=kept.content_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="message-{item.id}.{extension}"',
        },
    )
