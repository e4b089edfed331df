"""Field encryption at rest for the few values that need it (personnummer, TOTP secrets)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import String, TypeDecorator
from sqlalchemy.engine import Dialect

_fernet: MultiFernet | None = None
_lookup_key: bytes | None = None


def configure(keys: str, fallback_secret: str) -> None:
    """Install the field keys: comma-separated Fernet keys, the first one encrypts.

    Without keys (development and tests only; production refuses) a key is derived
    from the secret key so a developer's database stays readable between runs.
    """
    global _fernet, _lookup_key
    if keys:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
    else:
        digest = hashlib.sha256(b"hubhome-field-key:" + fallback_secret.encode()).digest()
        parts = [base64.urlsafe_b64encode(digest).decode()]
    _fernet = MultiFernet([Fernet(p.encode()) for p in parts])
    # the oldest key: a new key put in front for rotation leaves the look-ups valid
    _lookup_key = hashlib.sha256(b"hubhome-lookup:" + parts[-1].encode()).digest()


def lookup_hash(value: str) -> str:
    """A keyed hash (HMAC-SHA256) to find an encrypted value by equality (a personnummer at
    sign-in) without storing anything a stolen database could be searched with."""
    import hmac

    if _lookup_key is None:
        raise RuntimeError("field encryption is not configured; call crypto.configure first")
    return hmac.new(_lookup_key, value.encode(), hashlib.sha256).hexdigest()


def _cipher() -> MultiFernet:
    if _fernet is None:
        raise RuntimeError("field encryption is not configured; call crypto.configure first")
    return _fernet


def encrypt(plain: str) -> str:
    """Encrypt a string with the primary key."""
    return _cipher().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a string encrypted with any configured key."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError("a field could not be decrypted with the configured keys") from exc


def encrypt_bytes(plain: bytes) -> bytes:
    """Encrypt bytes (a file kept at rest, such as a call recording) with the primary key."""
    return _cipher().encrypt(plain)


def decrypt_bytes(token: bytes) -> bytes:
    """Decrypt bytes encrypted with any configured key."""
    try:
        return _cipher().decrypt(token)
    except InvalidToken as exc:
        raise RuntimeError("a file could not be decrypted with the configured keys") from exc


class EncryptedString(TypeDecorator[str]):
    """A string column encrypted with Fernet before it reaches the database."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)
