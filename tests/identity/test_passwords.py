"""argon2id hashing: verify, damaged hashes, rehash when the parameters grow."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from identity import passwords

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CHEAP)


def test_a_hash_verifies_its_password_only_and_never_contains_it() -> None:
    hashed = passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$") and "correct" not in hashed
    assert passwords.verify_password(hashed, "correct horse battery")
    assert not passwords.verify_password(hashed, "correct horse batterY")
    assert hashed != passwords.hash_password("correct horse battery")  # salted


def test_a_damaged_hash_is_a_wrong_password_not_an_exception() -> None:
    assert not passwords.verify_password("not a hash", "whatever password")
    assert passwords.needs_rehash("not a hash")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash(monkeypatch: pytest.MonkeyPatch) -> None:
    weak = passwords.hash_password("correct horse battery")
    assert not passwords.needs_rehash(weak)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    assert passwords.needs_rehash(weak)
    assert passwords.verify_password(weak, "correct horse battery")  # still opens until replaced


def test_the_default_hasher_is_argon2id_with_the_library_defaults() -> None:
    assert PasswordHasher().hash("x" * 12).startswith("$argon2id$")


def test_verifying_for_nobody_spends_a_verification_and_raises_nothing() -> None:
    passwords.verify_nobody("anything at all")
