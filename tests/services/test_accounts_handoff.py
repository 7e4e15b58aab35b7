"""The hand-off of a login to the cookie route, and single sign-on e-mails, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from identity import passwords
from identity.rules import Role
from services import accounts
from services.accounts import EmailError
from storage import schema

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def logged_in(engine: Engine, name: str = "anna") -> tuple[str, accounts.User]:
    accounts.create_user(engine, name, None, Role.TRAINER, PASSWORD, now=T0)
    return accounts.authenticate(engine, name, PASSWORD, "192.0.2.1", now=T0)


def test_a_handoff_code_gives_the_cookie_a_new_token_once(engine: Engine) -> None:
    token, user = logged_in(engine)
    code = accounts.begin_handoff(engine, token, now=T0)
    assert code is not None and code != token
    cookie = accounts.complete_handoff(engine, code, now=T0 + timedelta(seconds=5))
    assert cookie is not None and cookie not in (token, code)
    assert accounts.user_for_session(engine, cookie, now=T0 + timedelta(seconds=6)) == user
    # The page's token is replaced by the cookie's, and the code is spent.
    assert accounts.user_for_session(engine, token, now=T0 + timedelta(seconds=6)) is None
    assert accounts.complete_handoff(engine, code, now=T0 + timedelta(seconds=7)) is None
    with engine.connect() as connection:
        stored = connection.execute(select(schema.auth_sessions.c.handoff_hash)).scalars().all()
    assert stored == [None]


def test_an_expired_code_is_refused_and_leaves_the_page_login_working(engine: Engine) -> None:
    token, user = logged_in(engine)
    code = accounts.begin_handoff(engine, token, now=T0)
    late = T0 + timedelta(seconds=accounts.HANDOFF_SECONDS + 1)
    assert accounts.complete_handoff(engine, code, now=late) is None
    assert accounts.user_for_session(engine, token, now=late) == user


def test_a_code_of_an_ended_session_or_a_made_up_code_is_refused(engine: Engine) -> None:
    token, _user = logged_in(engine)
    code = accounts.begin_handoff(engine, token, now=T0)
    accounts.end_session(engine, token, now=T0)
    assert accounts.complete_handoff(engine, code, now=T0) is None
    assert accounts.complete_handoff(engine, "x" * 43, now=T0) is None
    assert accounts.complete_handoff(engine, "<script>", now=T0) is None
    assert accounts.complete_handoff(engine, None, now=T0) is None
    assert accounts.begin_handoff(engine, token, now=T0) is None  # no live session: no code


def test_a_sign_on_email_finds_its_active_account_only(engine: Engine) -> None:
    _token, user = logged_in(engine)
    updated = accounts.set_email(engine, user.id, "  Anna@Example.ORG ")
    assert updated.email == "anna@example.org"
    assert accounts.user_for_email(engine, "ANNA@example.org") == updated
    assert accounts.user_for_email(engine, "bob@example.org") is None
    assert accounts.user_for_email(engine, None) is None
    accounts.create_user(engine, "root", None, Role.ADMIN, PASSWORD, now=T0)
    accounts.set_active(engine, user.id, False)
    assert accounts.user_for_email(engine, "anna@example.org") is None


def test_a_sign_on_email_is_refused_when_malformed_or_taken_and_can_be_cleared(engine: Engine) -> None:
    _token, anna = logged_in(engine)
    _token, bob = logged_in(engine, "bob")
    accounts.set_email(engine, anna.id, "anna@example.org")
    with pytest.raises(EmailError) as taken:
        accounts.set_email(engine, bob.id, "ANNA@example.org")
    assert taken.value.problem == "taken"
    for bad in ("anna", "a@b", "<b>@x.org", "a" * 250 + "@x.org"):
        with pytest.raises(EmailError) as malformed:
            accounts.set_email(engine, bob.id, bad)
        assert malformed.value.problem == "malformed"
    assert accounts.set_email(engine, anna.id, "").email is None
    assert accounts.set_email(engine, bob.id, "anna@example.org").email == "anna@example.org"
