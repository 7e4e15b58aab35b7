"""Accounts' use cases on SQLite and PostgreSQL: create, log in, the throttle, sessions and their
expiry, log out, switching off, password changes and rehashing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from identity import passwords
from identity.errors import (
    LastAdmin,
    LoginProblem,
    LoginRefused,
    PasswordError,
    UsernameError,
    UsernameTaken,
)
from identity.rules import Role
from services import accounts
from storage import schema

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"
ADDRESS = "192.0.2.7"
# Cheap parameters keep the tests fast; the rehash test raises them.
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CHEAP)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make(engine: Engine, name: str = "Anna", role: str = "trainer") -> accounts.User:
    return accounts.create_user(engine, name, None, role, PASSWORD, now=T0)


def login(engine: Engine, name: str = "anna", password: str = PASSWORD, address: str | None = ADDRESS,
          minutes: float = 0) -> str:  # fmt: skip
    token, _user = accounts.authenticate(engine, name, password, address, at(minutes))
    return token


def refused(engine: Engine, name: str, password: str, address: str | None, minutes: float) -> LoginRefused:
    with pytest.raises(LoginRefused) as caught:
        accounts.authenticate(engine, name, password, address, at(minutes))
    return caught.value


def test_a_user_is_created_lower_cased_with_a_hash_and_listed(engine: Engine) -> None:
    user = accounts.create_user(engine, "Anna.de-Vries", "Anna de Vries", "admin", PASSWORD, now=T0)
    assert (user.username, user.display_name, user.role, user.active) == (
        "anna.de-vries", "Anna de Vries", Role.ADMIN, True,
    )  # fmt: skip
    assert not hasattr(user, "password_hash")
    with engine.connect() as connection:
        stored = connection.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    make(engine, "bob")
    assert [u.username for u in accounts.list_users(engine)] == ["anna.de-vries", "bob"]
    assert make(engine, "Carol").display_name == "carol"  # the username when no display name is given


def test_a_duplicate_username_is_refused_in_any_case(engine: Engine) -> None:
    make(engine, "anna")
    with pytest.raises(UsernameTaken):
        make(engine, "ANNA")
    assert len(accounts.list_users(engine)) == 1


def test_bad_input_is_refused_before_anything_is_written(engine: Engine) -> None:
    with pytest.raises(UsernameError):
        accounts.create_user(engine, "<b>x</b>", None, "trainer", PASSWORD)
    with pytest.raises(PasswordError) as weak:
        accounts.create_user(engine, "anna", None, "trainer", "short")
    assert "short" not in str(weak.value)
    assert accounts.list_users(engine) == []


def test_login_gives_a_session_token_stored_only_as_its_hash(engine: Engine) -> None:
    make(engine)
    token, user = accounts.authenticate(engine, "ANNA", PASSWORD, ADDRESS, T0)
    assert user.username == "anna"
    with engine.connect() as connection:
        hashes = connection.execute(select(schema.auth_sessions.c.token_hash)).scalars().all()
    assert token not in hashes and len(hashes) == 1
    assert accounts.user_for_session(engine, token, at(1)) == user


def test_an_unknown_user_and_a_wrong_password_get_the_same_refusal(engine: Engine) -> None:
    make(engine)
    wrong = refused(engine, "anna", "not the password!", ADDRESS, 0)
    unknown = refused(engine, "nobody", PASSWORD, ADDRESS, 0)
    assert wrong.reason is unknown.reason is LoginProblem.WRONG_CREDENTIALS
    assert str(wrong) == str(unknown)
    assert "not the password" not in str(wrong) and PASSWORD not in str(unknown)


def test_five_failures_lock_the_account_with_the_minutes_left_then_it_opens_again(engine: Engine) -> None:
    make(engine)
    for minute in range(5):  # each from another address: the account's own count locks it
        refused(engine, "anna", "wrong password!", f"198.51.100.{minute}", minute)
    locked = refused(engine, "anna", PASSWORD, "203.0.113.9", 5)  # even the right password
    assert (locked.reason, locked.minutes_left) == (LoginProblem.THROTTLED, 14)
    assert "14 minute" in str(locked)
    assert login(engine, address="203.0.113.9", minutes=19) != ""


def test_five_failures_from_one_address_lock_that_address_for_every_account(engine: Engine) -> None:
    make(engine, "anna")
    make(engine, "bob")
    for minute, name in enumerate(["x1x", "x2x", "x3x", "x4x", "x5x"]):  # five guessed names
        refused(engine, name, "guess guess guess", ADDRESS, minute)
    locked = refused(engine, "bob", PASSWORD, ADDRESS, 10)
    assert (locked.reason, locked.minutes_left) == (LoginProblem.THROTTLED, 9)
    assert login(engine, "bob", address="203.0.113.9", minutes=10)  # another address is not locked
    with engine.connect() as connection:
        subjects = set(connection.execute(select(schema.login_failures.c.subject)).scalars())
    assert ADDRESS not in subjects  # addresses are stored as their SHA-256


def test_a_successful_login_clears_the_accounts_failures(engine: Engine) -> None:
    make(engine)
    for minute in range(4):
        refused(engine, "anna", "wrong password!", None, minute)
    login(engine, address=None, minutes=4)
    for minute in range(4):
        refused(engine, "anna", "wrong password!", None, 5 + minute)
    assert login(engine, address=None, minutes=9)  # four again, not eight


def test_the_right_password_of_a_switched_off_account_says_so(engine: Engine) -> None:
    make(engine, "admin", "admin")
    user = make(engine)
    token = login(engine)
    accounts.set_active(engine, user.id, False, now=at(1))
    assert accounts.user_for_session(engine, token, at(2)) is None  # switching off ends its sessions
    assert refused(engine, "anna", PASSWORD, ADDRESS, 2).reason is LoginProblem.INACTIVE
    assert refused(engine, "anna", "wrong password!", ADDRESS, 2).reason is LoginProblem.WRONG_CREDENTIALS
    accounts.set_active(engine, user.id, True, now=at(3))
    assert accounts.user_for_session(engine, token, at(3)) is None  # ended sessions stay ended
    assert login(engine, minutes=3)


def test_a_session_expires_after_eight_idle_hours(engine: Engine) -> None:
    make(engine)
    token = login(engine)
    assert accounts.user_for_session(engine, token, at(7 * 60 + 59)) is not None  # touches last_seen
    assert accounts.user_for_session(engine, token, at(15 * 60 + 58)) is not None
    assert accounts.user_for_session(engine, token, at(24 * 60)) is None


def test_a_session_ends_seven_days_after_login_however_busy(engine: Engine) -> None:
    make(engine)
    token = login(engine)
    minute = 0
    while minute < 7 * 24 * 60 - 60:
        minute += 7 * 60
        accounts.user_for_session(engine, token, at(minute))
    assert accounts.user_for_session(engine, token, at(7 * 24 * 60 - 1)) is not None
    assert accounts.user_for_session(engine, token, at(7 * 24 * 60)) is None


def test_last_seen_is_written_at_most_once_a_minute(engine: Engine) -> None:
    make(engine)
    token = login(engine)

    def last_seen() -> datetime:
        with engine.connect() as connection:
            return connection.execute(select(schema.auth_sessions.c.last_seen_at)).scalar_one()

    accounts.user_for_session(engine, token, at(0.5))
    assert last_seen() == T0
    accounts.user_for_session(engine, token, at(2))
    assert last_seen() == at(2)


def test_bad_tokens_find_nobody(engine: Engine) -> None:
    make(engine)
    assert accounts.user_for_session(engine, None, T0) is None
    assert accounts.user_for_session(engine, "short", T0) is None
    assert accounts.user_for_session(engine, "x" * 43, T0) is None


def test_logging_out_ends_that_session_only(engine: Engine) -> None:
    make(engine)
    phone, laptop = login(engine), login(engine)
    accounts.end_session(engine, phone, at(1))
    accounts.end_session(engine, phone, at(2))  # twice is harmless
    assert accounts.user_for_session(engine, phone, at(2)) is None
    assert accounts.user_for_session(engine, laptop, at(2)) is not None


def test_ending_all_sessions_logs_out_everywhere(engine: Engine) -> None:
    user = make(engine)
    tokens = [login(engine) for _ in range(3)]
    assert accounts.end_all_sessions(engine, user.id, at(1)) == 3
    assert all(accounts.user_for_session(engine, t, at(2)) is None for t in tokens)


def test_changing_the_password_ends_the_other_sessions(engine: Engine) -> None:
    user = make(engine)
    here, elsewhere = login(engine), login(engine)
    with pytest.raises(LoginRefused):
        accounts.change_password(engine, user.id, "a new long password", current_password="wrong!", keep_token=here)
    accounts.change_password(
        engine, user.id, "a new long password", current_password=PASSWORD, keep_token=here, now=at(1)
    )
    assert accounts.user_for_session(engine, here, at(2)) is not None
    assert accounts.user_for_session(engine, elsewhere, at(2)) is None
    assert refused(engine, "anna", PASSWORD, ADDRESS, 2).reason is LoginProblem.WRONG_CREDENTIALS
    assert login(engine, password="a new long password", minutes=3)
    with pytest.raises(PasswordError):
        accounts.change_password(engine, user.id, "anna")


def test_a_hash_with_old_parameters_is_replaced_at_login(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    make(engine)

    def stored() -> tuple[str, datetime]:
        with engine.connect() as connection:
            row = connection.execute(select(schema.users.c.password_hash, schema.users.c.password_changed_at)).one()
            return row.password_hash, row.password_changed_at

    old_hash, changed = stored()
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    login(engine, minutes=1)
    new_hash, still = stored()
    assert new_hash != old_hash and "t=2" in new_hash
    assert still == changed  # a rehash is not a new password
    login(engine, minutes=2)
    assert stored()[0] == new_hash  # only once


def test_roles_change_but_the_last_admin_stays(engine: Engine) -> None:
    admin = make(engine, "root", "admin")
    trainer = make(engine, "anna")
    assert accounts.set_role(engine, trainer.id, "manager").role is Role.MANAGER
    with pytest.raises(LastAdmin):
        accounts.set_role(engine, admin.id, "trainer")
    with pytest.raises(LastAdmin):
        accounts.set_active(engine, admin.id, False)
    accounts.set_role(engine, trainer.id, Role.ADMIN)
    assert accounts.set_active(engine, admin.id, False).active is False


def test_nothing_is_left_behind_of_a_refused_login(engine: Engine) -> None:
    make(engine)
    refused(engine, "anna", "wrong password!", ADDRESS, 0)
    with engine.connect() as connection:
        sessions = connection.execute(select(func.count()).select_from(schema.auth_sessions)).scalar_one()
        failures = connection.execute(select(schema.login_failures.c.kind)).scalars().all()
    assert sessions == 0 and sorted(failures) == ["account", "address"]
