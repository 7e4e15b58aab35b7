"""Key lines for the TOML spellings beyond bare `key = value`: dotted keys, quoted and literal keys."""

from __future__ import annotations

from pathlib import Path

from content.toml_lines import key_lines, key_parts, line_for
from lessons.loader import load_lesson
from tests.lessons.test_lessons import GOOD as GOOD_LESSON

TEXT = """\
title = "t"
covers.cells = ["a.crawl",
  "b.walk"]
'literal key' = 1
"basic \\" key" = 2
site."dotted.name".x = 3

['quoted table' . "inner"]
covers.tees = ["trust"]

[[ "items" ]]
id = "one"
"""


def test_dotted_and_quoted_keys_have_lines() -> None:
    lines = key_lines(TEXT)
    assert lines == {
        "": 1,
        "title": 1,
        "covers": 2,
        "covers.cells": 2,
        "literal key": 4,
        'basic " key': 5,
        "site": 6,
        "site.dotted.name": 6,
        "site.dotted.name.x": 6,
        "quoted table.inner": 8,
        "quoted table.inner.covers": 9,
        "quoted table.inner.covers.tees": 9,
        "items[0]": 11,
        "items[0].id": 12,
    }
    assert line_for(lines, "covers.cells[1]") == 2
    assert line_for(lines, "covers.checklist") == 2


def test_key_parts() -> None:
    assert key_parts("""a . "b.c" .'d'""") == ["a", "b.c", "d"]


def test_a_lesson_with_dotted_covers_keys_names_the_line_of_a_bad_entry(tmp_path: Path) -> None:
    text = GOOD_LESSON.replace(
        '[covers]\ncells = ["listening.crawl"]\ntees = ["trust"]\nchecklist = ["check.listen"]\n',
        'covers.cells = ["listening.crawl"]\ncovers.tees = [1]\n',
    )
    assert "covers.tees = [1]" in text
    path = tmp_path / "01-x.md"
    path.write_text(text, encoding="utf-8")
    lesson, problems = load_lesson(path)
    line = text.splitlines().index("covers.tees = [1]") + 1
    assert [str(p) for p in problems] == [f"{path}:{line}: covers.tees[0]: expected an id in quotes, got 1"]
