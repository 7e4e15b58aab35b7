"""The interface catalogue's check (content.catalogue): counts, placeholders, released languages."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from content.catalogue import catalogue_languages, check_catalogue, has_interface
from content.overlay import RELEASED_LANGUAGES, StringCount, Untranslated, count, untranslated_line


def _write(
    path: Path, messages: dict[str | tuple[str, str], str | tuple[str, str] | None], language: str | None
) -> Path:
    catalog = Catalog(locale=language, domain="site", fuzzy=False)
    for message_id, text in messages.items():
        catalog.add(message_id, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog)
    return path


def _locales(tmp_path: Path, translations: dict, language: str = "nl") -> Path:
    template = {"Save": None, "Hello {name}": None, ("{n} answer", "{n} answers"): None}
    _write(tmp_path / "site.pot", template, None)
    _write(tmp_path / language / "LC_MESSAGES" / "site.po", {**template, **translations}, language)
    return tmp_path


def test_the_shipped_languages_are_released() -> None:
    assert set(RELEASED_LANGUAGES) == {"nl", "da"}


def test_a_complete_catalogue_counts_everything_translated(tmp_path: Path) -> None:
    locales = _locales(
        tmp_path,
        {
            "Save": "Opslaan",
            "Hello {name}": "Hallo {name}",
            ("{n} answer", "{n} answers"): ("{n} antwoord", "{n} antwoorden"),
        },
    )
    counts, problems = check_catalogue(locales, "nl")
    assert (counts.total, counts.translated, problems) == (3, 3, [])
    assert catalogue_languages(locales) == ["nl"]


def test_a_released_language_reports_each_missing_string_with_its_line(tmp_path: Path) -> None:
    locales = _locales(tmp_path, {"Hello {name}": "Hallo {name}"})
    counts, problems = check_catalogue(locales, "nl")
    assert counts.untranslated == 2
    assert [p.path for p in problems] == ["'Save'", "'{n} answer'"]
    assert all(p.line and "not translated (nl is a released language" in p.message for p in problems)
    assert all(p.file.endswith("nl/LC_MESSAGES/site.po") for p in problems)


def test_a_partial_language_is_counted_not_refused(tmp_path: Path) -> None:
    locales = _locales(tmp_path, {"Save": "Speichern"}, language="de")
    counts, problems = check_catalogue(locales, "de")
    assert (counts.untranslated, problems) == (2, [])


def test_other_placeholders_are_an_error_in_any_language(tmp_path: Path) -> None:
    locales = _locales(tmp_path, {"Hello {name}": "Hallo {Name}"}, language="de")
    (problem,) = check_catalogue(locales, "de")[1]
    assert problem.path == "'Hello {name}'"
    assert problem.message == "placeholders ['Name'] differ from the English ['name']"


def test_without_a_catalogue_a_released_language_misses_every_string(tmp_path: Path) -> None:
    _write(tmp_path / "site.pot", {"Save": None}, None)
    counts, problems = check_catalogue(tmp_path, "da")
    assert (counts.total, counts.untranslated, len(problems)) == (1, 1, 1)
    assert has_interface(tmp_path, "da") and not has_interface(tmp_path, "de")


def test_overlay_counts_name_the_missing_keys_and_the_line_says_error_when_released() -> None:
    master = {(): {"title": "Title"}, ("questions", "q01"): {"prompt": "Why?", "explanation": ""}}
    counts = count(master, {(): {"title": "Titel"}}, "quizzes/bank/nl/x.toml")
    assert counts == StringCount(2, 1, (Untranslated("quizzes/bank/nl/x.toml", "questions.q01.prompt"),))
    assert untranslated_line("nl", {"banks": counts}) == "error: nl: 1 of 2 strings untranslated"
    assert untranslated_line("xx", {"banks": counts}) == "warning: xx: 1 of 2 strings untranslated"
    assert untranslated_line("nl", {"a": StringCount(2, 2), "b": StringCount(1, 1)}) == (
        "nl: all 3 strings translated (a 0 of 2, b 0 of 1)"
    )
