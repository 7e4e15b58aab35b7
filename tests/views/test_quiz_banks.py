"""The trainer's quiz banks page (views/quiz_banks.py) in AppTest: refused without a login and to a
manager, by the navigation and by the page itself; a trainer uploads a GIFT file, sees the preview
with the skipped line before anything is stored, imports it, and finds the bank in the list, in the
course (live quiz, assignments) and in the downloads; a tag narrows a bank; a file that is too big
or not UTF-8 gets its message; deleting asks first."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from identity import passwords
from services import accounts
from services import quiz_banks as qb
from tests.views.conftest import APP, page_alone
from views import state

PASSWORD = "correct horse battery"
GIFT = b"""\
$CATEGORY: $course$/top/Week 1 quiz

::Sky:: The sky is blue on a clear day. {T}

::Strategy:: Describe your social media strategy. {}

// [tag:week-1]
::Capital:: Which city is the capital of France? {=Paris ~London ~Berlin}
"""


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    qb._IMPORTED.forget()


@pytest.fixture
def navigation(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    runs: list[set[str]] = []
    real = st.navigation

    def recording(pages: Any, **kwargs: Any) -> Any:
        groups = pages.values() if isinstance(pages, dict) else [pages]
        runs.append({page.url_path for group in groups for page in group})
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return runs


def login(engine: Engine, name: str, role: str = "trainer") -> tuple[int, str]:
    made = accounts.create_user(engine, name, None, role, PASSWORD)
    token, _user = accounts.authenticate(engine, name, PASSWORD, None)
    return made.id, token


def open_page(token: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["staff_token"] = token
    at.run()
    at.switch_page("views/quiz_banks.py")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


# The page's tables, told apart by a column only each has.
LIST, PREVIEW, QUESTIONS = "Source", "Prompt", "Answers"


def table(at: AppTest, column: str) -> Any:
    frames = [frame.value for frame in at.dataframe]
    if column == QUESTIONS:
        return next(f for f in frames if QUESTIONS in f.columns and PREVIEW not in f.columns)
    return next(f for f in frames if column in f.columns)


def test_a_visitor_and_a_manager_are_refused_by_the_navigation_and_the_page(
    engine: Engine, navigation: list[set[str]]
) -> None:
    alone = page_alone("quiz_banks.py").run()
    assert not alone.exception
    assert any("Log in" in w.value for w in alone.warning)
    assert not alone.file_uploader and not alone.dataframe

    _manager, token = login(engine, "maria", "manager")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    assert not at.exception
    assert "dashboard" in navigation[-1] and "quiz-banks" not in navigation[-1]
    alone = page_alone("quiz_banks.py")
    alone.session_state["staff_token"] = token
    alone.run()
    assert any("cannot open this page" in e.value for e in alone.error)
    assert not alone.file_uploader and not alone.dataframe


def test_a_trainer_previews_then_imports_and_finds_the_bank(engine: Engine, navigation: list[set[str]]) -> None:
    _anna, token = login(engine, "anna")
    at = open_page(token)
    assert not at.exception and "quiz-banks" in navigation[-1]
    listed = table(at, LIST)
    assert len(listed) >= 15 and set(listed["Source"]) == {"Site file"}

    at.file_uploader[0].upload("week 1.gift", GIFT, "text/plain").run()
    assert not at.exception
    shown = texts(at)
    assert "2 questions will be imported, 1 skipped" in shown
    assert "Line 5:" in shown and "essay" in shown.lower()
    preview = table(at, PREVIEW)
    assert list(preview["Type"]) == ["True or false", "Multiple choice, one answer"]
    assert list(preview["Answers"]) == ["Right: True", "Right: Paris · 3 options"]
    assert qb.list_imported(engine) == []  # nothing stored by the preview
    assert at.text_input[0].value == "week-1-quiz" and at.text_input[1].value == "Week 1 quiz"

    at.button(key="FormSubmitter:qb_import-Import").click().run()
    assert not at.exception
    assert [(b.id, b.title, b.source_name) for b in qb.list_imported(engine)] == [
        ("week-1-quiz", "Week 1 quiz", "week 1.gift")
    ]
    assert any('Imported "Week 1 quiz" (week-1-quiz) with 2 questions.' in s.value for s in at.success)
    assert not at.file_uploader[0].value  # an empty uploader for the next file
    listed = table(at, LIST)
    row = listed[listed["Id"] == "week-1-quiz"].iloc[0]
    assert (row["Source"], row["Questions"]) == ("Imported", 2)
    assert at.selectbox(key="qb_bank").value == "week-1-quiz"
    assert "Imported from week 1\\.gift (GIFT)" in texts(at)
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"GIFT", "Moodle XML"} <= downloads

    # The course every page reads (the live quiz, assignments, quizzes) has it, in every language.
    for language in ("en", "nl", "da"):
        bank = state.course(language).bank("week-1-quiz")
        assert bank is not None and [q.title for q in bank.questions] == ["Sky", "Capital"]
    assert state.course("nl").bank("four-stages") != state.course("en").bank("four-stages")  # overlays stay


def test_the_id_of_a_site_bank_is_refused_with_a_message(engine: Engine) -> None:
    _anna, token = login(engine, "anna")
    at = open_page(token)
    at.file_uploader[0].upload("week 1.gift", GIFT, "text/plain").run()
    at.text_input[0].input("four-stages")
    at.button(key="FormSubmitter:qb_import-Import").click().run()
    assert not at.exception
    assert any('A quiz bank of the site already has the id "four-stages"' in e.value for e in at.error)
    assert qb.list_imported(engine) == []


def test_a_file_not_utf8_too_big_or_with_nothing_importable_gets_its_message(engine: Engine) -> None:
    _anna, token = login(engine, "anna")
    at = open_page(token)
    at.file_uploader[0].upload("latin.gift", "::A:: Grüße? {T}\n".encode("latin-1"), "text/plain").run()
    assert not at.exception
    assert any("Line 1 is not UTF-8 text" in e.value for e in at.error)
    at = open_page(token)
    at.file_uploader[0].upload("big.gift", b"x" * (qb.MAX_BYTES + 1), "text/plain").run()
    assert not at.exception
    assert any("At most 5 MB can be imported" in e.value for e in at.error)
    assert not [t for t in at.text_input if t.label == "Bank id"]
    at = open_page(token)
    at.file_uploader[0].upload("essays.gift", b"::E1:: Tell us. {}\n\n::E2:: And more. {}\n", "text/plain").run()
    assert not at.exception
    assert any("all 2 questions are skipped" in e.value for e in at.error)
    assert "Line 1:" in texts(at) and "Line 3:" in texts(at)
    assert not [t for t in at.text_input if t.label == "Bank id"]


def test_a_tag_narrows_the_bank_and_deleting_asks_first(engine: Engine) -> None:
    anna, token = login(engine, "anna")
    qb.import_bank(engine, anna, qb.read_quiz_file("week 1.gift", GIFT), "week-1", "Week 1")
    at = open_page(token)
    at.selectbox(key="qb_bank").select("week-1").run()
    assert len(table(at, QUESTIONS)) == 2
    at.selectbox(key="qb_tag_week-1").select("week-1").run()
    assert not at.exception
    assert list(table(at, QUESTIONS)["Question"]) == ["Capital"]
    assert "**Download** 1 question tagged week\\-1," in texts(at)

    delete = at.button(key="qb_delete_week-1")
    assert delete.disabled
    at.checkbox(key="qb_confirm_delete_week-1").check().run()
    at.button(key="qb_delete_week-1").click().run()
    assert not at.exception
    assert qb.list_imported(engine) == []
    assert any('Deleted "Week 1" (week-1).' in s.value for s in at.success)
