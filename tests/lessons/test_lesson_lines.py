"""A lesson's whole-file problems still name a line: a missing front-matter key, an empty body."""

from __future__ import annotations

from pathlib import Path

from lessons.loader import load_lesson
from tests.lessons.test_lessons import GOOD


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "01-x.md"
    path.write_text(text, encoding="utf-8")
    return [str(p).removeprefix(f"{path}:") for p in load_lesson(path)[1]]


def test_a_missing_front_matter_key_names_the_front_matter(tmp_path: Path) -> None:
    assert problems_of(tmp_path, GOOD.replace("minutes = 8\n", "")) == ["2: missing required key 'minutes'"]


def test_a_lesson_without_a_body_names_the_closing_line(tmp_path: Path) -> None:
    front = GOOD[: GOOD.index("+++", 3) + 4]
    closing = front.count("\n")
    assert problems_of(tmp_path, front + "\n  \n") == [f"{closing}: the lesson has no text below its front matter"]
