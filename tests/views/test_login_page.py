"""Logging in through the page, the navigation by role, and staff pages refusing without the role.

The navigation is read as app.py hands it to st.navigation (recorded by a wrapper), so "absent from
the navigation" is tested as such; each staff page is also run on its own, where only its own
check stands between a visitor and its content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from identity import passwords
from identity.rules import Role
from services import accounts
from tests.views.conftest import page_alone

PASSWORD = "correct horse battery"
VIEWS = Path(__file__).resolve().parents[2] / "views"
TRAINER_PAGES = {"workshops", "room", "live-presenter", "workshop-results", "assignments", "quiz-banks"}
STAFF_ONLY = {"users"} | TRAINER_PAGES


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def navigation(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The url paths of every st.navigation call, one set per run."""
    runs: list[set[str]] = []
    real = st.navigation

    def recording(pages: Any, **kwargs: Any) -> Any:
        groups = pages.values() if isinstance(pages, dict) else [pages]
        runs.append({page.url_path for group in groups for page in group})
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return runs


def log_in(app: AppTest, username: str, password: str) -> AppTest:
    app.switch_page("views/login.py").run()
    app.text_input[0].input(username)
    app.text_input[1].input(password)
    app.button[0].click().run()
    return app


def test_a_visitor_sees_the_login_page_and_no_staff_page(app: AppTest, navigation: list[set[str]]) -> None:
    app.run()
    assert not app.exception
    assert {"login", "join"} <= navigation[-1]
    assert not navigation[-1] & STAFF_ONLY


def test_an_admin_logs_in_and_the_accounts_page_appears(
    app: AppTest, engine: Engine, navigation: list[set[str]]
) -> None:
    accounts.create_user(engine, "root", "Root", Role.ADMIN, PASSWORD)
    log_in(app, "root", PASSWORD)
    assert not app.exception
    assert app.session_state["staff_token"]
    app.run()  # the browser would come back from the cookie route; this session keeps the login
    assert navigation[-1] >= STAFF_ONLY
    assert any("Your account" in title.value for title in app.title)
    # No password in the page's own session state (the form's widgets clear on submit in the browser).
    kept = app.session_state._state.filtered_state
    assert kept and all(PASSWORD not in repr(value) for value in kept.values())


def test_a_trainer_gets_no_accounts_page(app: AppTest, engine: Engine, navigation: list[set[str]]) -> None:
    accounts.create_user(engine, "anna", None, Role.TRAINER, PASSWORD)
    log_in(app, "anna", PASSWORD)
    app.run()
    assert "login" in navigation[-1] and "users" not in navigation[-1]
    assert navigation[-1] >= TRAINER_PAGES


def test_a_wrong_password_says_so_and_keeps_the_username(app: AppTest, engine: Engine) -> None:
    accounts.create_user(engine, "anna", None, Role.TRAINER, PASSWORD)
    log_in(app, "anna", "wrong password here")
    assert "not right" in app.error[0].value
    assert app.text_input[0].value == "anna"
    assert "staff_token" not in app.session_state


def test_after_five_failures_the_account_pauses(app: AppTest, engine: Engine) -> None:
    accounts.create_user(engine, "anna", None, Role.TRAINER, PASSWORD)
    for _attempt in range(5):
        log_in(app, "anna", "wrong password here")
    log_in(app, "anna", PASSWORD)
    assert "Too many failed attempts" in app.error[0].value
    assert "staff_token" not in app.session_state


def test_an_ended_session_is_no_login(app: AppTest, engine: Engine, navigation: list[set[str]]) -> None:
    accounts.create_user(engine, "root", None, Role.ADMIN, PASSWORD)
    log_in(app, "root", PASSWORD)
    accounts.end_session(engine, app.session_state["staff_token"])
    app.run()
    assert "users" not in navigation[-1]


def test_logging_out_ends_the_session(app: AppTest, engine: Engine) -> None:
    accounts.create_user(engine, "root", None, Role.ADMIN, PASSWORD)
    log_in(app, "root", PASSWORD)
    token = app.session_state["staff_token"]
    app.run()
    next(button for button in app.button if button.label == "Log out").click().run()
    assert accounts.user_for_session(engine, token) is None
    assert "staff_token" not in app.session_state


def page(name: str, database: Path, token: str | None = None, participant: str | None = None) -> AppTest:
    at = page_alone(name)
    if token:
        at.session_state["staff_token"] = token
    if participant:
        at.query_params["t"] = participant
    return at.run()


def test_the_accounts_page_refuses_a_visitor_a_participant_and_a_trainer(database: Path, engine: Engine) -> None:
    accounts.create_user(engine, "anna", None, Role.TRAINER, PASSWORD)
    trainer_token, _ = accounts.authenticate(engine, "anna", PASSWORD, None)
    from services import respondents

    participant_token = respondents.start_assessment(engine, "quick")[0]
    for at in (
        page("users.py", database),
        page("users.py", database, participant=participant_token),
        page("users.py", database, token=trainer_token),
    ):
        assert not at.exception
        assert not at.dataframe and not at.title  # nothing of the page, only the refusal
        assert at.warning or at.error


def test_an_admin_creates_a_trainer_on_the_accounts_page(database: Path, engine: Engine) -> None:
    accounts.create_user(engine, "root", None, Role.ADMIN, PASSWORD)
    token, _ = accounts.authenticate(engine, "root", PASSWORD, None)
    at = page("users.py", database, token=token)
    form = {field.label: field for field in at.text_input}
    form["Username"].input("trainer1")
    form["Password"].input("short")
    form["Password again"].input("short")
    next(b for b in at.button if b.label == "Create account").click().run()
    assert "at least 12 characters" in at.error[0].value
    assert {f.label: f.value for f in at.text_input}["Username"] == "trainer1"  # kept; passwords cleared
    form = {field.label: field for field in at.text_input}
    form["Password"].input(PASSWORD)
    form["Password again"].input(PASSWORD)
    next(b for b in at.button if b.label == "Create account").click().run()
    assert not at.exception
    assert "Account trainer1 created as Trainer" in at.success[0].value
    assert accounts.find_user(engine, "trainer1").role is Role.TRAINER


def test_single_sign_on_maps_the_providers_email_to_an_existing_account(
    app: AppTest, engine: Engine, navigation: list[set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With [auth] configured, st.login's e-mail (st.user.email) logs the matching active account in;
    an e-mail no account has logs nobody in and the login page says so."""
    from views import staff

    root = accounts.create_user(engine, "root", None, Role.ADMIN, PASSWORD)
    accounts.set_email(engine, root.id, "root@example.org")
    signed_in = {"email": "ROOT@example.org"}
    monkeypatch.setattr(staff, "sso_email", lambda: signed_in["email"])
    app.run()
    assert "users" in navigation[-1]
    signed_in["email"] = "stranger@example.org"
    app.switch_page("views/login.py").run()
    assert "users" not in navigation[-1]
    assert "no active account of this site has that e-mail" in app.warning[0].value
