"""Broken links between lessons, banks and the model are reported at the line that names them."""

from __future__ import annotations

from pathlib import Path

from learning.content import load_course
from tests.learning.test_coverage_and_path import model
from tests.lessons.test_lessons import GOOD as GOOD_LESSON
from tests.quizzes.test_bank_loader import GOOD as GOOD_BANK


def line_of(text: str, fragment: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(fragment, start)].count("\n") + 1


def test_every_broken_link_names_its_line(tmp_path: Path) -> None:
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir()
    banks.mkdir()
    lesson_text = GOOD_LESSON.replace('cells = ["listening.crawl"]', 'cells = ["strategy.crawl",\n  "nope.crawl"]')
    bank_text = GOOD_BANK.replace('checks = ["strategy.walk"]', 'checks = ["strategy.walk", "nope"]')
    (lessons / "01-listening.md").write_text(lesson_text, encoding="utf-8")
    (banks / "stages.toml").write_text(bank_text, encoding="utf-8")
    course = load_course(model(tmp_path), lessons, banks)
    lesson_file, bank_file = lessons / "01-listening.md", banks / "stages.toml"
    found = {str(p) for p in course.problems}
    expected = {
        f"{lesson_file}:{line_of(lesson_text, 'cells')}: covers.cells[1]: "
        '"nope.crawl" is not a cell of the assessment model',
        f"{lesson_file}:{line_of(lesson_text, 'checklist =')}: covers.checklist[0]: "
        '"check.listen" is not a checklist of the assessment model',
        f'{lesson_file}:{line_of(lesson_text, "quiz =")}: quiz: no quiz bank with id "listening"',
        f'{bank_file}:{line_of(bank_text, "lesson =")}: lesson: no lesson with id "four-stages"',
        f"{bank_file}:{line_of(bank_text, 'checks =', after='q02')}: questions[1].checks[1]: "
        '"nope" is not an item of the assessment model',
    }
    assert expected <= found, "\n".join(sorted(found))


def test_what_no_lesson_or_question_covers_is_placed_in_the_model_file_that_was_loaded(tmp_path: Path) -> None:
    from tests.learning.test_coverage_and_path import MODEL_TOML

    empty = tmp_path / "empty"
    empty.mkdir()
    course = load_course(model(tmp_path), empty, empty)
    model_file = tmp_path / "model.toml"
    found = {str(p) for p in course.problems}
    # Each target at the header of the table that defines it: its dimension, T or checklist item.
    dimension = line_of(MODEL_TOML, 'id = "content"\nname') - 1
    tee = line_of(MODEL_TOML, 'id = "patience"') - 1
    item = line_of(MODEL_TOML, "[[checklist]]")
    assert {
        f"{model_file}:{dimension}: content.walk: no lesson teaches this cell",
        f"{model_file}:{tee}: patience: no quiz question checks this tee",
        f"{model_file}:{item}: check.answer: no lesson teaches this checklist",
    } <= found, sorted(found)
