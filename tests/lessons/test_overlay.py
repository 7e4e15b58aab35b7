"""Lessons in another language: `<lessons>/<lang>/NN-<id>.md` gives title, summary and body only.

Fixtures: tests/overlay_fixtures/lessons/01-sample.md (English) and xx/01-sample.md (its title
and body in "xx"; the summary is left English)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lessons import loader
from lessons import overlay as lesson_overlay
from lessons.loader import load_lessons
from lessons.overlay import check_overlays

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT / "tests" / "overlay_fixtures" / "lessons"
SHOWN = "tests/overlay_fixtures/lessons"


@pytest.fixture
def lesson_dir(tmp_path: Path) -> Path:
    copied = tmp_path / "lessons"
    shutil.copytree(FIXTURES, copied)
    return copied


def test_the_overlay_translates_title_and_body_and_keeps_the_rest() -> None:
    (english,), problems = load_lessons(FIXTURES)
    (translated,), overlay_problems = load_lessons(FIXTURES, language="xx")

    assert problems == [] and overlay_problems == []
    assert translated.title == "Een voorbeeldles"
    assert translated.body.startswith("\n## Wat het is\n") and "Schrijf het in je eigen taal." in translated.body
    assert translated.summary == english.summary == "What a lesson overlay does."
    # Structure comes from the English lesson; lesson progress is stored by its id.
    for name in ("id", "order", "minutes", "level", "sources", "quiz", "covers", "lines"):
        assert getattr(translated, name) == getattr(english, name), name
    # Messages about the text point at the file it came from.
    assert (translated.file, translated.body_line) == (f"{SHOWN}/xx/01-sample.md", 5)
    assert english.file == f"{SHOWN}/01-sample.md"


def test_a_language_without_overlays_is_english() -> None:
    english, _ = load_lessons(FIXTURES)
    assert load_lessons(FIXTURES, language="yy") == (english, [])
    assert load_lessons(FIXTURES, language="en") == (english, [])


def test_an_overlay_without_a_body_keeps_the_english_body(lesson_dir: Path) -> None:
    (lesson_dir / "xx" / "01-sample.md").write_text('+++\nid = "sample"\nsummary = "Kort."\n+++\n', encoding="utf-8")
    (english,), _ = load_lessons(lesson_dir)
    (translated,), problems = load_lessons(lesson_dir, language="xx")
    assert problems == []
    assert (translated.title, translated.summary, translated.body) == (english.title, "Kort.", english.body)
    assert translated.file == english.file


def test_structural_keys_are_refused_with_file_line_and_key(lesson_dir: Path) -> None:
    overlay = lesson_dir / "xx" / "01-sample.md"
    overlay.write_text(
        '+++\nid = "sample"\ntitle = "Titel"\nminutes = 9\n\n[covers]\ncells = []\n+++\nTekst.\n', "utf-8"
    )
    (english,), _ = load_lessons(lesson_dir)

    (translated,), problems = load_lessons(lesson_dir, language="xx")

    structural = "is structural: it comes from the English file and cannot be set in an overlay"
    assert [str(p) for p in problems] == [
        f"{overlay}:4: minutes: 'minutes' {structural}",
        f"{overlay}:6: covers: 'covers' {structural}",
    ]
    assert translated == english  # a broken overlay costs only itself: the lesson stays English


def test_an_unknown_or_missing_id_is_refused(lesson_dir: Path) -> None:
    (lesson_dir / "xx" / "01-sample.md").write_text('+++\ntitle = "Titel"\nid = "sampel"\n+++\nTekst.\n', "utf-8")
    (lesson_dir / "xx" / "02-other.md").write_text('+++\ntitle = "Titel"\n+++\nTekst.\n', "utf-8")
    (lesson_dir / "xx" / "03-twice.md").write_text('+++\nid = "sample"\n+++\nTekst.\n', "utf-8")

    _, problems = load_lessons(lesson_dir, language="xx")

    assert [str(p) for p in problems] == [
        f'{lesson_dir}/xx/01-sample.md:3: id: no English lesson has the id "sampel"',
        f"{lesson_dir}/xx/02-other.md:1: id: missing the id of the English lesson this file translates",
    ]
    (lesson_dir / "xx" / "01-sample.md").write_text('+++\nid = "sample"\n+++\nTekst.\n', "utf-8")
    _, problems = load_lessons(lesson_dir, language="xx")
    assert [p.message for p in problems][-1].startswith('lesson "sample" is translated twice (also in ')


def test_the_untranslated_count() -> None:
    lessons, _ = load_lessons(FIXTURES)
    strings, problems = check_overlays(lessons, FIXTURES, "xx")
    assert problems == []
    # title, summary and body (trainer notes count once the English lesson has them; this one has none)
    assert (strings.total, strings.translated, strings.untranslated) == (3, 2, 1)
    nothing, _ = check_overlays(lessons, FIXTURES, "yy")
    assert (nothing.total, nothing.translated) == (3, 0)


def test_trainer_notes_are_split_from_a_translated_body_as_the_loader_splits_the_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lessons keep their trainer notes apart (issue 12, spec 1c): a translated body is split by the
    loader's own rule, stood in for here, and the notes' line is counted in the overlay file."""

    def split(body: str) -> tuple[str, str, int | None]:
        head, heading, notes = body.partition("## Trainer notes\n")
        return (head, notes, head.count("\n")) if heading else (body, "", None)

    monkeypatch.setattr(loader, "split_trainer_notes", split, raising=False)
    body = "Tekst.\n\n## Opdracht: doe het\n\nDoe het.\n\n## Trainer notes\n\n### Timing\n5 minuten.\n"

    assert lesson_overlay._split(body, 5) == {
        "body": "Tekst.\n\n## Opdracht: doe het\n\nDoe het.\n\n",
        "trainer_notes": "\n### Timing\n5 minuten.\n",
        "trainer_notes_line": 11,
    }
    assert lesson_overlay._split("Tekst.\n", 5) == {"body": "Tekst.\n"}  # no notes: the English ones stay


def test_search_finds_dutch_and_danish_words_in_the_translated_lessons() -> None:
    from assessment.loader import load_model, model_path
    from learning.content import load_course
    from lessons.search import search

    for language, word, lesson_id in (
        ("da", "tålmodighed", "four-ts-dos-donts"),
        ("nl", "geduld", "four-ts-dos-donts"),
    ):
        course = load_course(load_model(model_path(), language), language=language)
        hits = [hit.lesson.id for hit in search(course.lessons, word)]
        assert lesson_id in hits, (language, hits)
    english = load_course(load_model(model_path()))
    assert "four-ts-dos-donts" not in [hit.lesson.id for hit in search(english.lessons, "geduld")]
