"""Id grammars with the database's length limit, and loading a folder of files with duplicate ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.ids import LESSON_ID, MAX_LENGTH, MODEL_ID, QUIZ_ID, IdGrammar
from lessons.loader import load_lessons
from quizzes.loader import load_banks
from tests.lessons.test_lessons import GOOD as GOOD_LESSON
from tests.quizzes.test_bank_loader import GOOD as GOOD_BANK


@pytest.mark.parametrize("grammar", [MODEL_ID, LESSON_ID, QUIZ_ID])
def test_an_id_fits_the_database_column(grammar: IdGrammar) -> None:
    assert grammar.is_valid("a" * MAX_LENGTH)
    assert not grammar.is_valid("a" * (MAX_LENGTH + 1))
    assert grammar.problem("a" * (MAX_LENGTH + 1)) == "the id is 81 characters long; at most 80 are stored"


@pytest.mark.parametrize(
    ("grammar", "good", "bad"),
    [
        (MODEL_ID, ["strategy.crawl.1", "check_a-b"], ["Strategy", "-x", "a b", "x\n"]),
        (LESSON_ID, ["four-stages", "01"], ["four_stages", "a.b", "Four", "x\n"]),
        (QUIZ_ID, ["Q01", "a.b_c-d"], ["-q", "a b", "x\n", ""]),
    ],
)
def test_id_grammars(grammar: IdGrammar, good: list[str], bad: list[str]) -> None:
    assert [g for g in good if not grammar.is_valid(g)] == []
    assert [b for b in bad if grammar.is_valid(b)] == []


def test_a_too_long_lesson_id_is_reported_at_its_line(tmp_path: Path) -> None:
    long_id = "x" * 81
    (tmp_path / "01-a.md").write_text(GOOD_LESSON.replace('id = "listening"', f'id = "{long_id}"'), encoding="utf-8")
    lessons, problems = load_lessons(tmp_path)
    assert lessons == ()
    assert [str(p).split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["2"]
    assert "the lesson id is 81 characters long; at most 80 are stored" in str(problems[0])


def test_a_duplicate_lesson_id_is_reported_at_the_id_line(tmp_path: Path) -> None:
    (tmp_path / "01-a.md").write_text(GOOD_LESSON, encoding="utf-8")
    (tmp_path / "02-b.md").write_text("+++\n# a comment first\n" + GOOD_LESSON[4:], encoding="utf-8")
    lessons, problems = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["listening"]
    assert [str(p) for p in problems] == [
        f'{tmp_path / "02-b.md"}:3: id: duplicate lesson id "listening" (also in {tmp_path / "01-a.md"})'
    ]


def test_a_duplicate_bank_id_is_reported_at_the_id_line(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD_BANK, encoding="utf-8")
    (tmp_path / "b.toml").write_text("# a comment first\n\n" + GOOD_BANK, encoding="utf-8")
    banks, problems = load_banks(tmp_path)
    assert [bank.id for bank in banks] == ["stages"]
    assert [str(p) for p in problems] == [
        f'{tmp_path / "b.toml"}:3: id: duplicate bank id "stages" (also in {tmp_path / "a.toml"})'
    ]


def test_a_bank_id_is_checked_like_a_question_id(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD_BANK.replace('id = "stages"', 'id = "the stages"'), encoding="utf-8")
    banks, problems = load_banks(tmp_path)
    assert banks == ()
    assert [str(p) for p in problems] == [
        f'{tmp_path / "a.toml"}:1: id: "the stages" is not a valid bank id (letters, digits, "-", "_", ".")'
    ]
