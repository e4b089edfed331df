"""Password hashing with argon2id, at one of OWASP's equivalent minimum configurations.

OWASP's Password Storage Cheat Sheet lists five argon2id configurations of equal strength
(all p=1): m=47104 KiB t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5. Hubhome uses
the last, 7 MiB of memory and 5 iterations: as strong by OWASP's standard as the 19 MiB, t=2
it used before, about as much CPU, and 12 MiB less at the peak of every sign-in in a worker
whose peak memory (VmHWM) has a 150 MB budget (glibc keeps the freed block in the heap, so a
worker's resident memory stays at that peak). argon2-cffi's own default, RFC 9106's "low
memory" profile (64 MiB, t=3, p=4), passed the budget from signing in alone. Hashes made with
other parameters still verify, and are rehashed with these at the next successful sign-in.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

OWASP_MEMORY_KIB = 7 * 1024
OWASP_ITERATIONS = 5
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
