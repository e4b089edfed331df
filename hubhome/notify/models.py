"""Push subscriptions, notification preferences and on-call acknowledgements by SMS."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.phone.models import FollowUp


class Kind(enum.StrEnum):
    """What a notification is about; each person chooses a channel per kind."""

    NEW_MESSAGE = "new_message"
    BOOKING_DECIDED = "booking_decided"
    ACTIVITY_CHANGED = "activity_changed"
    REMINDER = "reminder"
    ON_CALL = "on_call"


class Via(enum.StrEnum):
    """The channel a person chose for a kind."""

    PUSH = "push"
    SMS = "sms"
    EMAIL = "email"
    NONE = "none"


# Without a choice: SMS, as Hubhome did before preferences; a new message by push.
DEFAULTS = {kind: Via.SMS for kind in Kind} | {Kind.NEW_MESSAGE: Via.PUSH}


class PushSubscription(Base):
    """One browser's Web Push subscription (endpoint and keys), for one person."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationPreference(Base):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[Kind] = mapped_column(str_enum(Kind))
    via: Mapped[Via] = mapped_column(str_enum(Via))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FollowUpTaken(Base):
    """A voicemail or missed call taken by someone on its chain who replied "1" by SMS."""

    __tablename__ = "follow_up_takes"

    follow_up_id: Mapped[int] = mapped_column(ForeignKey("phone_follow_ups.id"), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    number: Mapped[str] = mapped_column(String(32))
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)

    # `follow_up.taken` on the phone pages, loaded with the list (one query for all of them)
    follow_up: Mapped[FollowUp] = relationship(
        backref=backref("taken", uselist=False, lazy="selectin")
    )
    user: Mapped[User | None] = relationship(lazy="selectin")
