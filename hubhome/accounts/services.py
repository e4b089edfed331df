"""Sign-in, lockout, second factor, users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, String, bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from hubhome.accounts.models import ApiToken, LoginThrottle, Role, User
from hubhome.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from hubhome.audit.services import record_regardless
from hubhome.db import DbSession
from hubhome.errors import ValidationFailed
from hubhome.phones import InvalidPhone, normalize_phone
from hubhome.timeutil import utcnow
from hubhome.transaction import commit_regardless


class SignInRefused(Exception):
    """Credentials did not match; the message is the same whether or not the e-mail exists."""


class LockedOut(Exception):
    """Too many failures for this address; try again after `until`."""

    def __init__(self, until: datetime):
        super().__init__("locked out")
        self.until = until


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _throttle(session: DbSession, email: str) -> LoginThrottle:
    key = _email_hash(email)
    return session.get(LoginThrottle, key) or LoginThrottle(email_hash=key, failures=0)


def _keep(throttle: LoginThrottle) -> None:
    """Save the throttle as it stands now, even when the request answers 401 and rolls back."""
    values = {
        "email_hash": throttle.email_hash,
        "failures": throttle.failures,
        "first_failure_at": throttle.first_failure_at,
        "locked_until": throttle.locked_until,
    }

    def write(session: DbSession) -> None:
        session.merge(LoginThrottle(**values))

    commit_regardless(write)


def authenticate(session: DbSession, email: str, password: str) -> User:
    """Return the user for these credentials or raise SignInRefused / LockedOut.

    Failures are counted per address (hashed) so a guesser is locked out even for
    addresses that do not exist, and the refusal never tells which part was wrong. The
    count and the audit events are kept whatever becomes of the request (a refused one
    rolls back).
    """
    now = utcnow()
    throttle = _throttle(session, email)
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if throttle.locked_until is not None and throttle.locked_until > now:
        record_regardless(user, "auth.login_failed", detail={"reason": "locked"})
        raise LockedOut(throttle.locked_until)
    ok = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is not None and ok and user.active:
        if needs_rehash(user.password_hash):  # made with older argon2 parameters
            user.password_hash = hash_password(password)
        if throttle.failures or throttle.first_failure_at or throttle.locked_until:
            throttle.failures = 0
            throttle.first_failure_at = None
            throttle.locked_until = None
            _keep(throttle)
        return user
    reason = "inactive" if user is not None and ok else "password"
    record_regardless(user, "auth.login_failed", detail={"reason": reason})
    _count_failure(throttle, user, now)
    raise SignInRefused()


def _count_failure(throttle: LoginThrottle, user: User | None, now: datetime) -> bool:
    """Count one failure toward the address's lockout; True when it locks the address."""
    settings = current_app.config["HUBHOME"]
    window = timedelta(minutes=settings.lockout_minutes)
    if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
        throttle.failures = 0
        throttle.first_failure_at = now
    throttle.failures += 1
    locked = throttle.failures >= settings.lockout_threshold
    if locked:
        throttle.locked_until = now + window
        throttle.failures = 0
        throttle.first_failure_at = None
        record_regardless(user, "auth.locked", object_type="users", object_id=_id(user))
    _keep(throttle)
    return locked


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None


def second_factor_failed(session: DbSession, user: User) -> None:
    """A wrong one-time or recovery code: audited, and counted toward the account's lockout
    like a wrong password; raise LockedOut when this one locks it."""
    record_regardless(user, "auth.mfa_failed", object_type="users", object_id=user.id)
    throttle = _throttle(session, user.email)
    now = utcnow()
    if throttle.locked_until is not None and throttle.locked_until > now:
        raise LockedOut(throttle.locked_until)
    if _count_failure(throttle, user, now):
        assert throttle.locked_until is not None  # noqa: S101
        raise LockedOut(throttle.locked_until)


def locked_until(session: DbSession, user: User) -> datetime | None:
    """When the account's lockout ends, if it is locked now."""
    throttle = session.get(LoginThrottle, _email_hash(user.email))
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= utcnow():
        return None
    return throttle.locked_until


def mfa_required(user: User) -> bool:
    return bool(current_app.config["HUBHOME"].require_mfa and user.needs_mfa)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Hubhome")


def verify_totp(user: User, code: str, secret: str | None = None) -> bool:
    """Check a six-digit code, refusing a code already used (replay)."""
    secret = secret or user.totp_secret
    if not secret or not code.strip().isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for drift in (-1, 0, 1):
        moment = now + timedelta(seconds=30 * drift)
        step = totp.timecode(moment)
        if totp.at(moment) == code.strip():
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def normalize_email(email: str) -> str:
    """Check an e-mail address's form and return it normalised (raises EmailNotValidError).

    Outside production the reserved ".test" domain is allowed: the demo's own accounts live
    at @demo.hubhome.test, and an admin trying the demo adds more there.
    """
    from email_validator import validate_email

    testing = current_app.config["HUBHOME"].env != "production"
    checked = validate_email(email, check_deliverability=False, test_environment=testing)
    return checked.normalized.lower()


def create_user(
    session: DbSession,
    *,
    organisation_id: int,
    email: str,
    name: str,
    role: Role,
    password: str,
    phone: str | None = None,
    household_id: int | None = None,
    locale: str = "sv",
    personnummer: str | None = None,
) -> User:
    """Create a user, validating the e-mail, phone and password."""
    from email_validator import EmailNotValidError

    errors: dict[str, list[str]] = {}
    try:
        email = normalize_email(email)
    except EmailNotValidError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = [_("There is already an account with that e-mail address.")]
    normalized_phone = None
    if phone:
        try:
            normalized_phone = normalize_phone(phone)
        except InvalidPhone as exc:
            errors["phone"] = [str(exc)]
    if password and len(password) < 10:  # none: the account waits for an invitation
        errors["password"] = [_("The password must be at least 10 characters long.")]
    if errors:
        raise ValidationFailed(_("Some of the information could not be used."), errors=errors)
    user = User(
        organisation_id=organisation_id,
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password else "",
        phone=normalized_phone,
        household_id=household_id,
        locale=locale,
    )
    assign_personnummer(session, user, personnummer)
    session.add(user)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def issue_api_token(session: DbSession, user: User) -> IssuedToken:
    """Create a bearer token; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["HUBHOME"].api_token_hours
    expires_at = utcnow() + timedelta(hours=hours)
    session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=expires_at))
    return IssuedToken(token=token, expires_at=expires_at)


@cache
def _token_and_user() -> Select[ApiToken, User]:
    """Every API request needs both: one round trip, a statement built once (on first use,
    not at import, when the mappers may not all be known yet). Two entities of a join rather
    than `joinedload`, whose eager loader is set up anew on every execution."""
    return (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == bindparam("token_hash", type_=String))
    )


def user_for_token(session: DbSession, token: str) -> ApiToken | None:
    """Return the live token row for a bearer token (its `user` loaded), or None."""
    found = session.execute(_token_and_user(), {"token_hash": _token_hash(token)}).first()
    if found is None:
        return None
    row, user = found
    set_committed_value(row, "user", user)  # as joinedload would: no lazy load to ask for it
    now = utcnow()
    if row.revoked_at is not None or row.expires_at <= now:
        return None
    if not user.active:
        return None
    return row


def revoke_api_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()


def household_carers(session: DbSession, household_ids: Iterable[int]) -> list[User]:
    """The active accounts living in these households (one query), oldest account first."""
    ids = list(household_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(User).where(User.household_id.in_(ids), User.active.is_(True)).order_by(User.id)
        )
    )


def end_access(session: DbSession, user: User) -> int:
    """End all of a user's sessions and API tokens at once; return how many sessions ended."""
    from sqlalchemy import update

    from hubhome.accounts.sessions import end_sessions

    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return end_sessions(session, [user.id])


def set_active(session: DbSession, actor: User, user: User, active: bool) -> None:
    """Deactivate (ending every session and token at once) or reactivate an account."""
    from hubhome.audit.services import record
    from hubhome.errors import NotAllowed

    if user.id == actor.id and not active:
        raise NotAllowed(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    record(session, actor, "user.reactivate" if active else "user.deactivate", user)
    if not active:
        ended = end_access(session, user)
        record(session, actor, "auth.session_revoked", user, detail={"sessions": ended})


def assign_personnummer(session: DbSession, user: User, raw: str | None) -> None:
    """Register (or, given nothing, remove) the personnummer a carer signs in with through
    e-legitimation: stored encrypted, found by its keyed hash; one account per number."""
    from hubhome.children.personnummer import InvalidPersonnummer, normalize_personnummer
    from hubhome.crypto import lookup_hash

    if not raw or not raw.strip():
        user.personnummer = None
        user.personnummer_hash = None
        return
    try:
        number = normalize_personnummer(raw)
    except InvalidPersonnummer as exc:
        raise ValidationFailed(str(exc), errors={"personnummer": [str(exc)]}) from exc
    key = lookup_hash(number)
    taken = session.scalar(select(User.id).where(User.personnummer_hash == key))
    if taken is not None and taken != user.id:
        message = _("Another account already has that personnummer.")
        raise ValidationFailed(message, errors={"personnummer": [message]})
    user.personnummer = number
    user.personnummer_hash = key


def staff_for_email(session: DbSession, email: str) -> User | None:
    """The active staff account (anyone but a foster carer) with this e-mail address."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or user.role == Role.FOSTER_CARER:
        return None
    return user


def carer_for_personnummer(session: DbSession, raw: str) -> User | None:
    """The active foster carer whose registered personnummer is this one."""
    from hubhome.children.personnummer import InvalidPersonnummer, normalize_personnummer
    from hubhome.crypto import lookup_hash

    try:
        number = normalize_personnummer(raw)
    except InvalidPersonnummer:
        return None
    user = session.scalar(select(User).where(User.personnummer_hash == lookup_hash(number)))
    if user is None or not user.active or user.role != Role.FOSTER_CARER:
        return None
    return user
