"""People who sign in, their API tokens and sign-in throttling."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubhome.crypto import EncryptedString
from hubhome.db import Base, str_enum
from hubhome.timeutil import utcnow

if TYPE_CHECKING:
    from hubhome.network.models import Household, Organisation


class Role(enum.StrEnum):
    ADMIN = "admin"
    SOCIAL_WORKER = "social_worker"
    HUB_CARER = "hub_carer"
    FOSTER_CARER = "foster_carer"
    ONCALL_STAFF = "oncall_staff"
    LOG_REVIEWER = "log_reviewer"  # reviews access logs, and nothing else


MFA_ROLES = frozenset({Role.ADMIN, Role.SOCIAL_WORKER, Role.ONCALL_STAFF, Role.LOG_REVIEWER})


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # callers are found by it
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    active: Mapped[bool] = mapped_column(default=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    totp_last_step: Mapped[int | None]
    # a foster carer's personnummer (twelve digits), for e-legitimation: encrypted, and found
    # by its keyed hash
    personnummer: Mapped[str | None] = mapped_column(EncryptedString(255))
    personnummer_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    household: Mapped[Household | None] = relationship(back_populates="carers")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def needs_mfa(self) -> bool:
        return self.role in MFA_ROLES

    def __repr__(self) -> str:  # never names or e-mail: reprs end up in logs
        return f"<User {self.id} {self.role}>"


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins per e-mail address (hashed, so unknown addresses leave no trace)."""

    __tablename__ = "login_throttles"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class UserSession(Base):
    """A browser session kept on the server; the cookie holds only a random id, whose
    SHA-256 is the key here, so deleting the row ends the session wherever the cookie is."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_agent: Mapped[str | None] = mapped_column(String(200))


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"  # set a password and enrol a second factor: a new account
    RESET = "reset"  # forgotten password, or a second factor reset by an administrator


class AccountLink(Base):
    """A one-time link sent by e-mail or SMS; only its token's SHA-256 is kept."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(str_enum(LinkPurpose, length=16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """One of the ten single-use codes that stand in for the authenticator app."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
