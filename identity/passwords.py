"""Password hashing with argon2id (argon2-cffi's PasswordHasher, its recommended parameters).

The hash string carries its own parameters and salt; `needs_rehash` tells when a stored hash was
made with weaker parameters than today's, so a login can store a new one. `HASHER` is a module
attribute so the tests can use cheap parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()

_dummy: dict[int, str] = {}


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches; False, never an exception, for a wrong password or a damaged hash."""
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def verify_nobody(password: str) -> None:
    """Spend the time a verification takes, for a username that has no account: a login for an
    unknown name then takes as long as one with a wrong password."""
    key = id(HASHER)
    if key not in _dummy:
        _dummy[key] = HASHER.hash("no account has this password")
    verify_password(_dummy[key], password)
