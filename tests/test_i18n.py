"""i18n: the language per run, the visitor's language, and locale formatting."""

from __future__ import annotations

import threading
from contextvars import copy_context
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

import i18n


def write_catalogue(directory: Path, language: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=language, domain=i18n.DOMAIN)
    for source, translated in messages.items():
        catalog.add(source, translated)
    target = directory / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / f"{i18n.DOMAIN}.mo", "wb") as handle:
        write_mo(handle, catalog)


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_catalogue(tmp_path, "nl", {"Save": "Opslaan", "Saved.": "Opgeslagen."})
    write_catalogue(tmp_path, "da", {"Save": "Gem"})
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)  # a folder without a compiled catalogue
    monkeypatch.setenv("SMM_LOCALE_DIR", str(tmp_path))
    monkeypatch.delenv("SMM_LANGUAGE", raising=False)
    return tmp_path


def in_fresh_context(function, *args):  # noqa: ANN001, ANN202 - a small helper
    """Run in a copy of an empty context, as a new Streamlit script thread would."""
    return copy_context().run(lambda: (i18n._language.set(None), function(*args))[1])


def test_available_languages_are_english_and_compiled_catalogues(locales: Path) -> None:
    assert i18n.available_languages() == ["en", "da", "nl"]


def test_english_is_always_available_and_first(monkeypatch) -> None:
    monkeypatch.delenv("SMM_LOCALE_DIR", raising=False)
    assert i18n.available_languages()[0] == "en"


def test_translation_follows_the_language_set_for_the_run(locales: Path) -> None:
    def translate(language: str) -> tuple[str, str, str]:
        i18n.set_language(language)
        return i18n._("Save"), i18n._("Saved."), i18n.current_language()

    assert in_fresh_context(translate, "nl") == ("Opslaan", "Opgeslagen.", "nl")
    assert in_fresh_context(translate, "da") == ("Gem", "Saved.", "da")  # missing entries stay English
    assert in_fresh_context(translate, "en") == ("Save", "Saved.", "en")


def test_without_a_language_set_the_default_applies(locales: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert in_fresh_context(i18n.current_language) == "en"
    monkeypatch.setenv("SMM_LANGUAGE", "nl")
    assert in_fresh_context(i18n.current_language) == "nl"
    assert in_fresh_context(i18n._, "Save") == "Opslaan"
    monkeypatch.setenv("SMM_LANGUAGE", "fr")  # no catalogue: not a language the site has
    assert in_fresh_context(i18n.current_language) == "en"


def test_the_run_language_source_covers_a_context_with_none_set(locales: Path) -> None:
    i18n.set_run_language_source(lambda: "nl")
    try:
        assert in_fresh_context(i18n._, "Save") == "Opslaan"
        assert in_fresh_context(lambda: (i18n.set_language("da"), i18n._("Save"))[1]) == "Gem"
    finally:
        i18n.set_run_language_source(lambda: None)


def test_two_sessions_in_two_threads_keep_their_own_language(locales: Path) -> None:
    both_set = threading.Barrier(2, timeout=10)
    seen: dict[str, list[str]] = {}

    def session(language: str) -> None:
        i18n.set_language(language)
        both_set.wait()  # the other thread has set its language too
        seen[language] = [i18n._("Save") for _round in range(50)] + [i18n.current_language()]

    threads = [threading.Thread(target=session, args=(code,)) for code in ("nl", "da")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen["nl"]) == {"Opslaan", "nl"}
    assert set(seen["da"]) == {"Gem", "da"}
    assert i18n._("Save") == "Save"  # this thread never set one


def test_n_marks_without_translating(locales: Path) -> None:
    def marked() -> tuple[str, str]:
        i18n.set_language("nl")
        return i18n.N_("Save"), i18n._(i18n.N_("Save"))

    assert in_fresh_context(marked) == ("Save", "Opslaan")


def test_ngettext_picks_the_form_for_the_count() -> None:
    assert in_fresh_context(i18n.ngettext, "{n} answer", "{n} answers", 1) == "{n} answer"
    assert in_fresh_context(i18n.ngettext, "{n} answer", "{n} answers", 2) == "{n} answers"


@pytest.mark.parametrize(
    ("chosen", "stored", "browser", "default", "expected"),
    [
        ("da", "nl", "nl-NL", "nl", "da"),  # the visitor's choice first
        (None, "nl", "da-DK", "da", "nl"),  # then the language kept with their token
        (None, None, "nl-NL", "da", "nl"),  # then the browser's
        (None, None, "nl_be", None, "nl"),
        ("NL", None, None, None, "nl"),
        ("fr", None, "de-DE", "da", "da"),  # unavailable ones are skipped, down to the site default
        ("fr", "xx", "de-DE", "fr", "en"),  # and English when nothing matches
        (None, None, None, None, "en"),
        ("", "", "", "", "en"),
    ],
)
def test_resolve_language_order(chosen, stored, browser, default, expected) -> None:  # noqa: ANN001
    assert i18n.resolve_language(chosen, stored, browser, default, ["en", "da", "nl"]) == expected


def test_a_regional_catalogue_matches_exactly_before_the_base_language() -> None:
    assert i18n.match_language("pt-BR", ["en", "pt", "pt_BR"]) == "pt_BR"
    assert i18n.match_language("pt-PT", ["en", "pt", "pt_BR"]) == "pt"


@pytest.mark.parametrize(
    ("language", "decimal", "percent", "percent_1", "day"),
    [
        ("en", "1,234.50", "85%", "85.3%", "Dec 2, 2026"),
        ("nl", "1.234,50", "85%", "85,3%", "2 dec 2026"),
        ("da", "1.234,50", "85\xa0%", "85,3\xa0%", "2. dec. 2026"),
    ],
)
def test_numbers_and_dates_in_the_active_language(language, decimal, percent, percent_1, day) -> None:  # noqa: ANN001
    def formatted() -> tuple[str, str, str, str]:
        i18n.set_language(language)
        return (
            i18n.format_decimal(1234.5, 2),
            i18n.format_percent(0.853),
            i18n.format_percent(0.853, digits=1),
            i18n.format_date(date(2026, 12, 2)),
        )

    assert in_fresh_context(formatted) == (decimal, percent, percent_1, day)


def test_format_decimal_rounds_to_the_digits() -> None:
    assert in_fresh_context(i18n.format_decimal, 2.345, 1) == "2.3"
    assert in_fresh_context(i18n.format_decimal, 2.0, 0) == "2"


def test_an_unknown_code_formats_as_english_and_names_itself() -> None:
    def formatted() -> str:
        i18n.set_language("xx")
        return i18n.format_percent(0.5)

    assert in_fresh_context(formatted) == "50%"
    assert i18n.language_name("nl") == "Nederlands"
    assert i18n.language_name("da") == "Dansk"
    assert i18n.language_name("en") == "English"


def test_date_fields_put_the_day_first_in_dutch_and_danish() -> None:
    assert i18n.date_field_format("nl") == "DD-MM-YYYY"
    assert i18n.date_field_format("da") == "DD.MM.YYYY"
    assert i18n.date_field_format("en") == "YYYY-MM-DD"
    assert i18n.date_field_format("nl-BE") == "DD-MM-YYYY"


def test_a_workshop_link_comes_after_the_visitors_choice_and_token_and_before_the_browser() -> None:
    available = ["en", "da", "nl"]
    assert i18n.resolve_language(None, None, "en-US", None, available, workshop="da") == "da"
    assert i18n.resolve_language(None, "nl", "en-US", None, available, workshop="da") == "nl"
    assert i18n.resolve_language("en", None, "nl-NL", None, available, workshop="da") == "en"
    assert i18n.resolve_language(None, None, "nl-NL", None, available, workshop="xx") == "nl"
