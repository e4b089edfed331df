"""Messages in the constellation: one group thread per constellation, direct threads between
two people who share one, their messages and each person's read state."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.network.models import Constellation

BODY_MAX = 4000


class ThreadKind(enum.StrEnum):
    GROUP = "group"  # the constellation's: who is in it is read from the constellation
    DIRECT = "direct"  # two people, named in message_thread_participants


class MessageThread(Base):
    __tablename__ = "message_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[ThreadKind] = mapped_column(str_enum(ThreadKind, length=8))
    # a group thread's constellation: one thread each
    constellation_id: Mapped[int | None] = mapped_column(
        ForeignKey("constellations.id"), unique=True
    )
    # a direct thread's two people, "<lower id>:<higher id>": one thread per pair
    pair_key: Mapped[str | None] = mapped_column(String(24), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(index=True)

    constellation: Mapped[Constellation | None] = relationship()


class ThreadParticipant(Base):
    """A person in a direct thread (group threads derive theirs from the constellation)."""

    __tablename__ = "message_thread_participants"

    thread_id: Mapped[int] = mapped_column(ForeignKey("message_threads.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread_id_id", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("message_threads.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:  # never the body: reprs end up in logs
        return f"<Message {self.id} in thread {self.thread_id}>"


class ThreadReadState(Base):
    """How far one person has read one thread (by message id; no foreign key, so retention
    may remove the message it points at)."""

    __tablename__ = "message_read_states"

    thread_id: Mapped[int] = mapped_column(ForeignKey("message_threads.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
