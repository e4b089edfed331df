"""Password hashing with argon2id, at OWASP's recommended minimum.

OWASP's Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 iterations
and 1 degree of parallelism (m=19456 KiB, t=2, p=1). argon2-cffi's own default is RFC 9106's
"low memory" profile (64 MiB, t=3, p=4): every sign-in then held 64 MiB in the worker, whose
peak memory (VmHWM) passed the 150 MB target from signing in alone. At OWASP's minimum a
verification takes about 19 MiB for a few tens of milliseconds. Hashes made with the older
parameters still verify, and are rehashed with these at the next successful sign-in.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

OWASP_MEMORY_KIB = 19 * 1024
OWASP_ITERATIONS = 2
OWASP_PARALLELISM = 1

_DEFAULT = PasswordHasher(
    time_cost=OWASP_ITERATIONS,
    memory_cost=OWASP_MEMORY_KIB,
    parallelism=OWASP_PARALLELISM,
    type=Type.ID,
)
# Tests and the demo seed many accounts; cheap parameters keep them fast, never in production.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher() -> PasswordHasher:
    return _CHEAP if current_app.config.get("CHEAP_PASSWORD_HASHES") else _DEFAULT


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash; any malformed hash simply fails."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True for a hash made with other parameters than today's (rehash it at sign-in)."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


@functools.cache
def dummy_hash() -> str:
    """A real hash to verify against when the e-mail is unknown, so timing does not tell.

    Made on first use, once per process, never at import: each worker would otherwise
    spend a hash's memory (and time) starting up, whether anyone ever signs in or not.
    """
    return _DEFAULT.hash("hubhome-timing-equaliser")
