"""Accounts an IT department can govern: edit, invite, reset, recovery codes, API tokens.

One-time links (invitation: 72 hours; password reset: 2 hours) carry a random token of which
only the SHA-256 is stored; using one sets a password and, for roles that need it, enrols
the authenticator app. That is the only way to enrol one: a password alone never shows a
new TOTP secret.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from hubhome.accounts.models import (
    AccountLink,
    ApiToken,
    LinkPurpose,
    RecoveryCode,
    Role,
    User,
)
from hubhome.accounts.passwords import hash_password
from hubhome.accounts.services import assign_personnummer, end_access, normalize_email
from hubhome.audit.services import record
from hubhome.db import DbSession
from hubhome.errors import NotAllowed, ValidationFailed
from hubhome.mail import send_after_commit
from hubhome.phones import InvalidPhone, normalize_phone
from hubhome.timeutil import utcnow

LIFETIMES = {LinkPurpose.INVITATION: timedelta(hours=72), LinkPurpose.RESET: timedelta(hours=2)}
RECOVERY_CODES = 10


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- one-time links -------------------------------------------------------------------------


def issue_link(session: DbSession, user: User, purpose: LinkPurpose) -> str:
    """Make a one-time link for `user` (any earlier unused one of theirs stops working)."""
    now = utcnow()
    session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash(token),
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return url_for("lifecycle.use_link", token=token, _external=True)


def send_link(session: DbSession, actor: User, user: User, channel: str) -> None:
    """Send `user` an invitation (or, if they have signed in before, a reset link) by
    e-mail or SMS."""
    from hubhome.outbox.services import enqueue_sms

    purpose = LinkPurpose.RESET if user.password_hash else LinkPurpose.INVITATION
    if not user.active:
        raise NotAllowed(_("Reactivate the account before sending it a link."))
    if channel == "sms" and not user.phone:
        raise NotAllowed(_("The account has no mobile phone number."))
    link = issue_link(session, user, purpose)
    if channel == "sms":
        enqueue_sms(
            session,
            user,
            "account_link",
            lambda: _(
                "Hubhome: set your password and sign in here (valid 72 hours, once): %(link)s",
                link=link,
            ),
        )
    else:
        send_after_commit(
            user.email,
            _("Your Hubhome account"),
            _(
                "Hello,\n\nSet your password for Hubhome here (the link works once, "
                "for 72 hours):\n\n%(link)s\n",
                link=link,
            ),
        )
    record(session, actor, "user.link_sent", user, detail={"channel": channel})


def forgot_password(session: DbSession, email: str) -> None:
    """Send a reset link if an active account has this address; nothing tells whether one
    has."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return
    link = issue_link(session, user, LinkPurpose.RESET)
    send_after_commit(
        user.email,
        _("Reset your Hubhome password"),
        _(
            "Hello,\n\nSomeone (we hope you) asked to reset your Hubhome password. Do it "
            "here; the link works once, for two hours:\n\n%(link)s\n\nIf it was not you, "
            "ignore this message.\n",
            link=link,
        ),
    )
    record(session, user, "auth.reset_requested", user)


def live_link(session: DbSession, token: str) -> AccountLink | None:
    """The unused, unexpired link of an active account for this token, or None."""
    if not token or len(token) > 100:
        return None
    link = session.scalar(select(AccountLink).where(AccountLink.token_hash == _hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    if not link.user.active:
        return None
    return link


def use_link(
    session: DbSession, link: AccountLink, password: str, totp_secret: str | None
) -> list[str]:
    """Set the password (and enrol the authenticator app with `totp_secret`, checked by the
    caller); end every session and API token; return new recovery codes when enrolled."""
    if len(password) < 10:
        message = _("The password must be at least 10 characters long.")
        raise ValidationFailed(message, errors={"password": [message]})
    user = link.user
    link.used_at = utcnow()
    user.password_hash = hash_password(password)
    codes: list[str] = []
    if totp_secret is not None:
        user.totp_secret = totp_secret
        codes = new_recovery_codes(session, user)
        record(session, user, "auth.mfa_enrolled", user)
    ended = end_access(session, user)
    record(session, user, "auth.password_set", user, detail={"link": str(link.purpose)})
    record(session, user, "auth.session_revoked", user, detail={"sessions": ended})
    return codes


# --- recovery codes -------------------------------------------------------------------------


def new_recovery_codes(session: DbSession, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; shown once, only hashes kept."""
    session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    return codes


def use_recovery_code(session: DbSession, user: User, code: str) -> bool:
    """Spend one recovery code; False when it is not one of the user's unused codes."""
    cleaned = code.strip().lower()
    if len(cleaned) != 17:
        return False
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(cleaned),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


# --- what administrators do -----------------------------------------------------------------


@dataclass(frozen=True)
class UserChanges:
    name: str
    email: str
    phone: str | None
    personnummer: str | None
    role: Role
    household_id: int | None


def update_user(session: DbSession, actor: User, user: User, changes: UserChanges) -> None:
    """Change an account's name, e-mail, phone, personnummer and role."""
    from email_validator import EmailNotValidError

    errors: dict[str, list[str]] = {}
    email = changes.email
    try:
        email = normalize_email(changes.email)
    except EmailNotValidError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    taken = session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    if taken is not None:
        errors["email"] = [_("There is already an account with that e-mail address.")]
    phone = None
    if changes.phone:
        try:
            phone = normalize_phone(changes.phone)
        except InvalidPhone as exc:
            errors["phone"] = [str(exc)]
    if user.id == actor.id and changes.role != Role.ADMIN:
        errors["role"] = [_("You cannot take away your own administrator role.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    assign_personnummer(session, user, changes.personnummer)
    role_changed = user.role != changes.role
    user.name = changes.name.strip()
    user.email = email
    user.phone = phone
    user.role = changes.role
    user.household_id = changes.household_id
    record(session, actor, "user.update", user, detail={"role_changed": role_changed})
    if role_changed:  # what the sessions were allowed to do has changed: sign in again
        ended = end_access(session, user)
        record(session, actor, "auth.session_revoked", user, detail={"sessions": ended})


def reset_mfa(session: DbSession, actor: User, user: User) -> None:
    """Remove the account's authenticator and recovery codes and end all its access; it
    enrols again through a link."""
    user.totp_secret = None
    user.totp_last_step = None
    session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    ended = end_access(session, user)
    record(session, actor, "user.mfa_reset", user)
    record(session, actor, "auth.session_revoked", user, detail={"sessions": ended})


def live_tokens(session: DbSession, user: User) -> list[ApiToken]:
    """The user's API tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > utcnow(),
            )
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_token(session: DbSession, actor: User, user: User, token_id: int) -> None:
    """Revoke one of the user's API tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotAllowed(_("That API token does not exist."))
    token.revoked_at = utcnow()
    record(session, actor, "auth.token_revoked", user, detail={"token_id": token_id})
