"""A call recording's copy in Hubhome's own storage, and how far its move from Twilio got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from hubhome.db import Base
from hubhome.phone.models import FollowUp
from hubhome.timeutil import utcnow


class StoredRecording(Base):
    """One voicemail's recording: copied (`stored_at`), then deleted at Twilio
    (`deleted_at_twilio`). The blob under `storage_key` is encrypted with the field key;
    `size_bytes` and `sha256` are the plain audio's, to verify the copy."""

    __tablename__ = "stored_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The follow-up's retention removes it; the recording follows (see retention.py).
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("phone_follow_ups.id", ondelete="SET NULL"), unique=True
    )
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40), default="audio/mpeg")
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stored_at: Mapped[datetime | None]
    deleted_at_twilio: Mapped[datetime | None]
    gone_at_twilio: Mapped[bool] = mapped_column(default=False)  # lost before any copy
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))

    follow_up: Mapped[FollowUp | None] = relationship(
        backref=backref("stored_recording", uselist=False, lazy="selectin")
    )

    @property
    def playable(self) -> bool:
        return self.stored_at is not None
