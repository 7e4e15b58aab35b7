"""The pages under a small made-up catalogue: its strings appear, per session, and the choice sticks."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_i18n import write_catalogue
from tests.views.conftest import APP

MADE_UP = {
    "Where does your organisation stand in social media?": "Waar staat uw organisatie op sociale media?",
    "Partly": "Gedeeltelijk",
    "Fully": "Volledig",
    "Maturity by dimension": "Volwassenheid per dimensie",
    "Maturity by dimension (0-4)": "Volwassenheid per dimensie (0-4)",
    "Round {n} (this round)": "Ronde {n} (deze ronde)",
    "Language": "Taal",
    "Save": "Opslaan",
}


@pytest.fixture
def made_up_locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "locales"
    write_catalogue(directory, "nl", MADE_UP)
    monkeypatch.setenv("SMM_LOCALE_DIR", str(directory))
    monkeypatch.delenv("SMM_LANGUAGE", raising=False)
    return directory


def _headings(at: AppTest) -> list[str]:
    return [e.value for kind in ("title", "header") for e in at.get(kind)]


def _radar_spec(at: AppTest) -> str:
    (chart,) = at.get("vega_lite_chart")
    return str(chart.proto.spec)


def _results_of_a_new_quick_scan(language: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if language:
        at.query_params["lang"] = language
    at.run()
    at.radio[0].set_value("quick")
    at.button[0].click().run()
    at.switch_page("views/results.py").run()
    assert not at.exception
    return at


def test_pages_show_the_catalogue_of_the_language_in_the_url(database: Path, made_up_locales: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "nl"
    at.run()
    assert not at.exception
    assert at.title[0].value == MADE_UP["Where does your organisation stand in social media?"]

    at.radio[0].set_value("quick")
    at.button[0].click().run()
    assert not at.exception
    answer = next(r for r in at.radio if r.key and r.key.startswith("answer:"))
    assert {"Gedeeltelijk", "Volledig", "Largely"} <= set(answer.options)  # untranslated entries stay English
    assert at.query_params["lang"] == "nl"  # put back after switch_page replaced the query string

    at.switch_page("views/results.py").run()
    assert not at.exception
    assert "Volwassenheid per dimensie" in _headings(at)


def test_the_selector_lists_available_languages_and_switches(database: Path, made_up_locales: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    menu = at.selectbox(key="language_selector")
    assert menu.options == ["English", "Nederlands"]
    assert at.title[0].value.startswith("Where does your organisation stand")

    menu.set_value("nl").run()
    assert not at.exception
    assert at.title[0].value == MADE_UP["Where does your organisation stand in social media?"]
    assert at.selectbox(key="language_selector").label == "Taal"
    assert at.query_params["lang"] == "nl"


def test_english_only_shows_no_selector(database: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMM_LOCALE_DIR", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.get("selectbox") and not at.get("popover")


def test_two_sessions_in_different_languages_do_not_affect_each_other(database: Path, made_up_locales: Path) -> None:
    """Runs interleaved (AppTest is not thread-safe; tests/test_i18n.py runs two threads at once)."""
    dutch = AppTest.from_file(APP, default_timeout=60)
    dutch.query_params["lang"] = "nl"
    english = AppTest.from_file(APP, default_timeout=60)
    for _round in range(2):
        dutch.run()
        english.run()
        assert dutch.title[0].value == MADE_UP["Where does your organisation stand in social media?"]
        assert english.title[0].value == "Where does your organisation stand in social media?"


def _callback_page() -> None:
    import streamlit as st

    from i18n import _
    from views import language

    def clicked() -> None:
        st.session_state["said"] = _("Save")  # runs before apply() in this run

    language.apply()
    st.button("go", on_click=clicked)
    st.write(st.session_state.get("said", ""))


def test_widget_callbacks_speak_the_sessions_language(made_up_locales: Path) -> None:
    at = AppTest.from_function(_callback_page, default_timeout=60)
    at.query_params["lang"] = "nl"
    at.run()
    at.button[0].click().run()
    assert not at.exception
    assert at.markdown[0].value == "Opslaan"


def test_the_browser_language_applies_unless_the_visitor_chose_another(database: Path, made_up_locales: Path) -> None:
    dutch_browser = AppTest.from_file(APP, default_timeout=60)
    dutch_browser.context["locale"] = "nl-NL"
    dutch_browser.run()
    assert not dutch_browser.exception
    assert dutch_browser.title[0].value == MADE_UP["Where does your organisation stand in social media?"]
    assert "lang" not in dutch_browser.query_params  # not a choice: the URL stays as it was

    chose_english = AppTest.from_file(APP, default_timeout=60)
    chose_english.context["locale"] = "nl-NL"
    chose_english.query_params["lang"] = "en"
    chose_english.run()
    assert chose_english.title[0].value == "Where does your organisation stand in social media?"

    danish_browser = AppTest.from_file(APP, default_timeout=60)
    danish_browser.context["locale"] = "da-DK"  # no Danish catalogue here
    danish_browser.run()
    assert danish_browser.title[0].value == "Where does your organisation stand in social media?"


def test_the_radar_is_in_the_language_of_the_page(database: Path, made_up_locales: Path) -> None:
    """Two new respondents with the same scores: the chart differs only by the language of its labels."""
    dutch = _radar_spec(_results_of_a_new_quick_scan("nl"))
    english = _radar_spec(_results_of_a_new_quick_scan(None))
    assert "Ronde 1 (deze ronde)" in dutch and "Round 1 (this round)" not in dutch
    assert "Round 1 (this round)" in english and "Ronde 1" not in english


def test_the_language_kept_with_the_token_opens_the_resume_link_in_it(
    database: Path, made_up_locales: Path, engine
) -> None:
    from services import respondents as visits

    token, respondent, _round = visits.start_assessment(engine, "quick")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    at.run()
    assert at.title[0].value.startswith("Where does your organisation stand")  # nothing kept yet

    at.selectbox(key="language_selector").set_value("nl").run()
    assert not at.exception
    assert visits.find_respondent(engine, token).language == "nl"

    elsewhere = AppTest.from_file(APP, default_timeout=60)  # another device: no ?lang=, no session
    elsewhere.query_params["t"] = token
    elsewhere.run()
    assert not elsewhere.exception
    assert elsewhere.title[0].value == MADE_UP["Where does your organisation stand in social media?"]
