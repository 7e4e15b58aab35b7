"""Unusable content files (nested too deeply, empty, not UTF-8, with a BOM) are problems with a line, not exceptions."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assessment.loader import check_model
from content.files import deepest_line, parse_toml
from content.problems import Problem
from learning.content import load_course
from lessons.loader import load_lesson
from quizzes.loader import load_bank
from tests.assessment.conftest import SYNTHETIC_TOML
from tests.lessons.test_lessons import GOOD as GOOD_LESSON
from tests.quizzes.test_bank_loader import GOOD as GOOD_BANK

PROJECT = Path(__file__).resolve().parents[2]
DEEP = "deep = " + "[" * 3000 + "]" * 3000 + "\n"
Loader = Callable[[Path], list[Problem]]


def model_problems(path: Path) -> list[Problem]:
    return check_model(path)[1]


def lesson_problems(path: Path) -> list[Problem]:
    return load_lesson(path)[1]


def bank_problems(path: Path) -> list[Problem]:
    return load_bank(path)[1]


def with_deep_value(text: str, after_line: int) -> tuple[str, int]:
    """`text` with DEEP inserted after line `after_line`; the line DEEP is on."""
    lines = text.splitlines(keepends=True)
    return "".join([*lines[:after_line], DEEP, *lines[after_line:]]), after_line + 1


KINDS = [
    pytest.param("model.toml", SYNTHETIC_TOML, 1, model_problems, id="model"),
    pytest.param("01-lesson.md", GOOD_LESSON, 2, lesson_problems, id="lesson"),
    pytest.param("bank.toml", GOOD_BANK, 1, bank_problems, id="bank"),
]


@pytest.mark.parametrize(("name", "good", "after", "problems_of"), KINDS)
def test_a_value_nested_too_deeply_is_a_problem_at_its_line(
    tmp_path: Path, name: str, good: str, after: int, problems_of: Loader
) -> None:
    text, line = with_deep_value(good, after)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].line == line
    assert "nested too deeply" in problems[0].message


@pytest.mark.parametrize(("name", "good", "after", "problems_of"), KINDS)
def test_an_empty_file_is_named_as_such(tmp_path: Path, name: str, good: str, after: int, problems_of: Loader) -> None:
    path = tmp_path / name
    path.write_text(" \n\n", encoding="utf-8")
    assert [str(p) for p in problems_of(path)] == [f"{path}: the file is empty"]


@pytest.mark.parametrize(("name", "good", "after", "problems_of"), KINDS)
def test_a_file_that_is_not_utf8_names_its_line(
    tmp_path: Path, name: str, good: str, after: int, problems_of: Loader
) -> None:
    path = tmp_path / name
    data = good.encode("utf-8")
    third_line = data.index(b"\n", data.index(b"\n") + 1) + 1
    path.write_bytes(data[:third_line] + b"\xf5\x00junk" + data[third_line:])
    problems = problems_of(path)
    assert [(p.line, p.message) for p in problems] == [
        (3, f"not UTF-8 text (byte {third_line}); save the file as UTF-8")
    ]


@pytest.mark.parametrize(("name", "good", "after", "problems_of"), KINDS)
def test_a_utf8_bom_is_read_past(tmp_path: Path, name: str, good: str, after: int, problems_of: Loader) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8"))
    assert problems_of(path) == []


def test_a_deep_lesson_or_bank_costs_only_itself(tmp_path: Path) -> None:
    from tests.learning.test_coverage_and_path import MODEL_TOML

    model_path = tmp_path / "model.toml"
    model_path.write_text(MODEL_TOML, encoding="utf-8")
    model, model_problems = check_model(model_path)
    assert model is not None, model_problems
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir()
    banks.mkdir()
    (lessons / "01-good.md").write_text(GOOD_LESSON, encoding="utf-8")
    (lessons / "02-deep.md").write_text(with_deep_value(GOOD_LESSON.replace("listening", "other"), 2)[0])
    (banks / "a-good.toml").write_text(GOOD_BANK, encoding="utf-8")
    (banks / "b-deep.toml").write_text(with_deep_value(GOOD_BANK.replace("stages", "deep"), 1)[0])
    course = load_course(model, lessons, banks)
    assert [lesson.id for lesson in course.lessons] == ["listening"]
    assert [bank.id for bank in course.banks] == ["stages"]
    deep = [str(p) for p in course.problems if "nested too deeply" in str(p)]
    assert deep == [
        f"{lessons / '02-deep.md'}:3: front matter is not valid TOML: "
        "nested too deeply (arrays or inline tables inside each other)",
        f"{banks / 'b-deep.toml'}:2: not valid TOML: nested too deeply (arrays or inline tables inside each other)",
    ]


@pytest.mark.parametrize(
    ("module", "variable", "name", "good", "after"),
    [
        ("assessment", "SMM_MODEL_PATH", "model.toml", SYNTHETIC_TOML, 1),
        ("learning", "SMM_MODEL_PATH", "model.toml", SYNTHETIC_TOML, 1),
        ("learning", "SMM_LESSONS_DIR", "01-lesson.md", GOOD_LESSON, 2),
        ("learning", "SMM_QUIZZES_DIR", "bank.toml", GOOD_BANK, 1),
    ],
)
def test_check_reports_deep_nesting_without_a_traceback(
    tmp_path: Path, module: str, variable: str, name: str, good: str, after: int
) -> None:
    text, line = with_deep_value(good, after)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    value = str(path) if variable == "SMM_MODEL_PATH" else str(tmp_path)
    env = {**os.environ, variable: value}
    completed = subprocess.run(
        [sys.executable, "-m", module, "check"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert f"{path}:{line}: " in completed.stderr and "nested too deeply" in completed.stderr


def test_parse_toml_places_the_deepest_line_below_front_matter() -> None:
    document, problems = parse_toml('a = "[[[["\n# [[[[\nb = [[1]]\n', "f.toml")
    assert problems == [] and document == {"a": "[[[[", "b": [[1]]}
    assert deepest_line('a = "[[[["\n# [[[[\nb = [[1]]\nc = """\n[[[[[\n"""\n') == 3
    _, problems = parse_toml("x = 1\n" + DEEP, "f.md", line_offset=1, what="front matter is not valid TOML")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(3, "front matter is not valid TOML")]
