"""The site's content follows the visit's language: views/state.py keeps one model and one course
per language, loaded on first use; a language without an overlay shares the English objects.

Overlays: tests/overlay_fixtures ("xx"), beside the synthetic model of tests/assessment/conftest.py;
the page test puts a made-up Dutch overlay beside a copy of the real model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from assessment.loader import DEFAULT_MODEL_PATH, load_model
from assessment.model import Mode
from assessment.overlay import overlay_path
from tests.assessment.conftest import REAL_MODEL_MISSING, SYNTHETIC_TOML
from tests.test_i18n import write_catalogue
from tests.views.conftest import APP
from views import state

FIXTURES = Path(__file__).resolve().parents[1] / "overlay_fixtures"


@pytest.fixture
def xx_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    model_file = tmp_path / "model.toml"
    model_file.write_text(SYNTHETIC_TOML, encoding="utf-8")
    shutil.copy(FIXTURES / "model.xx.toml", overlay_path(model_file, "xx"))
    monkeypatch.setenv("SMM_MODEL_PATH", str(model_file))
    monkeypatch.setenv("SMM_LESSONS_DIR", str(FIXTURES / "lessons"))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(FIXTURES / "banks"))
    yield model_file


def test_one_model_and_one_course_per_language(xx_content: Path) -> None:
    english = state.model("en")
    translated = state.model("xx")

    assert translated.stage("walk").name == "Lopen" and english.stage("walk").name == "Walk"
    assert translated.item_ids(Mode.FULL) == english.item_ids(Mode.FULL)
    assert state.model("xx") is translated and state.model("en") is english  # kept per process
    assert state.course("xx").lessons[0].title == "Een voorbeeldles"
    assert state.course("en").lessons[0].title == "A sample lesson"
    assert state.course("xx") is state.course("xx")


def test_a_language_without_an_overlay_shares_the_english_objects(xx_content: Path) -> None:
    assert state.model("da") is state.model("en")
    assert state.course("da") is state.course("en")


def test_the_default_is_the_visits_language(xx_content: Path) -> None:
    token = i18n.set_language("xx")
    try:
        assert state.model() is state.model("xx")
        assert state.course() is state.course("xx")
    finally:
        i18n._language.reset(token)
    assert state.model() is state.model("en")


def test_a_dutch_visit_sees_the_dutch_statement_and_an_english_one_the_english(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    model_file = tmp_path / "model.toml"
    shutil.copy(DEFAULT_MODEL_PATH, model_file)
    first = load_model(model_file).maturity_statements(Mode.QUICK)[0]
    overlay_path(model_file, "nl").write_text(
        f'[statements."{first.id}"]\ntext = "Vertaalde stelling voor de test."\n', encoding="utf-8"
    )
    monkeypatch.setenv("SMM_MODEL_PATH", str(model_file))
    locales = tmp_path / "locales"
    write_catalogue(locales, "nl", {"Language": "Taal"})
    monkeypatch.setenv("SMM_LOCALE_DIR", str(locales))
    monkeypatch.delenv("SMM_LANGUAGE", raising=False)

    def first_question(language: str) -> str:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = language
        at.run()
        at.radio[0].set_value("quick")
        at.button[0].click().run()
        assert not at.exception
        return "\n".join(str(radio.label) for radio in at.radio)  # a statement is its answer's label

    assert "Vertaalde stelling voor de test." in first_question("nl")
    english = first_question("en")
    assert first.text in english and "Vertaalde stelling" not in english
