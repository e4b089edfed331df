"""Calls to the constellation lines, each dialled leg, follow-ups, inbound SMS, receipts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.accounts.models import User
    from hubhome.network.models import Constellation, Household


class CallStatus(enum.StrEnum):
    RINGING = "ringing"  # the chain is being dialled
    ACCEPTED = "accepted"  # someone pressed 1
    VOICEMAIL = "voicemail"  # the caller was asked to leave a message
    MISSED = "missed"  # ended with nobody and no message
    COMPLETED = "completed"  # an accepted call that has ended


class LegOutcome(enum.StrEnum):
    RINGING = "ringing"
    ACCEPTED = "accepted"
    REFUSED = "refused"  # answered, but 1 was not pressed (or a voicemail picked up)
    NO_ANSWER = "no-answer"
    BUSY = "busy"
    FAILED = "failed"
    CANCELED = "canceled"  # the caller hung up while it rang


class FollowUpKind(enum.StrEnum):
    VOICEMAIL = "voicemail"
    MISSED_CALL = "missed_call"


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    constellation_id: Mapped[int | None] = mapped_column(
        ForeignKey("constellations.id"), index=True
    )
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    chain: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # frozen when the call starts
    coverage_gap: Mapped[bool] = mapped_column(default=False)  # nobody on call: last resort only
    status: Mapped[CallStatus] = mapped_column(str_enum(CallStatus), default=CallStatus.RINGING)
    twilio_status: Mapped[str | None] = mapped_column(String(20))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    duration_seconds: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)  # after the call, until advice is logged

    constellation: Mapped[Constellation | None] = relationship()
    household: Mapped[Household | None] = relationship()
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    legs: Mapped[list[CallLeg]] = relationship(back_populates="call", order_by="CallLeg.step")
    follow_up: Mapped[FollowUp | None] = relationship(back_populates="call")


class CallLeg(Base):
    """One person (or the last-resort number) dialled for a call."""

    __tablename__ = "call_legs"
    __table_args__ = (UniqueConstraint("call_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"))
    step: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[LegOutcome] = mapped_column(str_enum(LegOutcome), default=LegOutcome.RINGING)
    dial_call_sid: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    call: Mapped[Call] = relationship(back_populates="legs")
    user: Mapped[User | None] = relationship()


class FollowUp(Base):
    """A voicemail or missed call that stays open until a person marks it handled."""

    __tablename__ = "phone_follow_ups"
    __table_args__ = (Index("ix_phone_follow_ups_open", "handled_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind))
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    recording_seconds: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    escalation_level: Mapped[int] = mapped_column(default=0)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_note: Mapped[str | None] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="follow_up")
    handled_by: Mapped[User | None] = relationship()


class InboundSms(Base):
    """An SMS to a constellation number, forwarded to whoever is on call."""

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    constellation_id: Mapped[int | None] = mapped_column(ForeignKey("constellations.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    forwarded_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookReceipt(Base):
    """Twilio may deliver a webhook twice: each event key is handled once."""

    __tablename__ = "webhook_receipts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
