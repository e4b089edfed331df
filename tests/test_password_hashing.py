"""argon2id at one of OWASP's minimum configurations (m=7168 KiB, t=5, p=1); the unknown-user
hash made once, on first use, not at import; older hashes rehashed at sign-in."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher

from hubhome.accounts.models import User
from hubhome.extensions import db
from tests.conftest import DEMO_PASSWORD, login

OWASP = "$argon2id$v=19$m=7168,t=5,p=1$"
# The configuration used until 2026-12-07 (OWASP's first option): its hashes must still verify.
PREVIOUS = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def test_passwords_are_hashed_with_owasps_argon2id_minimum(other_app):
    from hubhome.accounts.passwords import hash_password, verify_password

    real = other_app(CHEAP_PASSWORD_HASHES=False)
    with real.app_context():
        made = hash_password("correct horse battery staple")
        assert made.startswith(OWASP)
        assert verify_password(made, "correct horse battery staple")
        assert not verify_password(made, "wrong")


def test_importing_the_application_makes_no_hash():
    script = (
        "import hubhome, hubhome.accounts.services\n"
        "from hubhome.accounts.passwords import dummy_hash\n"
        "print(dummy_hash.cache_info().currsize)\n"
        "print(dummy_hash().startswith('" + OWASP + "'), dummy_hash.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["0", "True 1"]


def test_an_older_hash_is_rehashed_at_the_next_sign_in(other_app, demo):
    user = demo.user("familj1")
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)  # argon2-cffi's default
    user.password_hash = old.hash(DEMO_PASSWORD)
    db.session.commit()
    client = other_app(CHEAP_PASSWORD_HASHES=False).test_client()
    assert login(client, "familj1").status_code == 302
    db.session.expire_all()
    rehashed = db.session.get(User, user.id).password_hash
    db.session.commit()
    assert rehashed.startswith(OWASP)
    assert login(other_app(CHEAP_PASSWORD_HASHES=False).test_client(), "familj1").status_code == 302


def test_a_19_mib_hash_still_signs_in_and_is_rehashed_to_7_mib(other_app, demo):
    user = demo.user("familj1")
    user.password_hash = PREVIOUS.hash(DEMO_PASSWORD)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    db.session.commit()
    assert login(other_app(CHEAP_PASSWORD_HASHES=False).test_client(), "familj1").status_code == 302
    db.session.expire_all()
    rehashed = db.session.get(User, user.id).password_hash
    db.session.commit()
    assert rehashed.startswith(OWASP)
    assert PasswordHasher().verify(rehashed, DEMO_PASSWORD)


def test_a_wrong_password_against_a_19_mib_hash_changes_nothing(other_app, demo):
    user = demo.user("familj1")
    user.password_hash = old = PREVIOUS.hash(DEMO_PASSWORD)
    db.session.commit()
    client = other_app(CHEAP_PASSWORD_HASHES=False).test_client()
    assert login(client, "familj1", password="not-the-password").status_code != 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old
    db.session.commit()


def test_an_unknown_address_is_refused_like_a_wrong_password(client, demo):
    unknown = login(client, "nobody", password="whatever-it-is")
    wrong = login(client, "familj1", password="whatever-it-is")
    assert unknown.status_code == wrong.status_code != 302
