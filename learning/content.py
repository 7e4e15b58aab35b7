"""All course content loaded together, with every problem, for the pages and the checks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from assessment.model import Model
from content.problems import Problem
from learning.coverage import coverage_problems
from learning.overlay import translate
from lessons.loader import CONTENT_DIR, Lesson, load_lessons
from quizzes.loader import BANK_DIR, load_banks
from quizzes.model import Bank


@dataclass(frozen=True)
class Course:
    lessons: tuple[Lesson, ...]
    banks: tuple[Bank, ...]
    problems: tuple[Problem, ...]  # files that could not be used, broken links, missing coverage

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def bank(self, bank_id: str) -> Bank | None:
        return next((bank for bank in self.banks if bank.id == bank_id), None)

    def banks_in_course_order(self) -> list[Bank]:
        """In module order, a lesson's own quiz before the others that go with it (the fun quiz goes with
        the first lesson), then quizzes of no lesson, by title."""
        by_id = {lesson.id: lesson for lesson in self.lessons}

        def place(bank: Bank) -> tuple[bool, int, bool, str]:
            lesson = by_id.get(bank.lesson)
            if lesson is None:
                return (True, 0, True, bank.title)
            return (False, lesson.order, lesson.quiz != bank.id, bank.title)

        return sorted(self.banks, key=place)


def content_dirs() -> tuple[Path, Path]:
    """Lesson and bank folders: `SMM_LESSONS_DIR` and `SMM_QUIZZES_DIR` when set, else the bundled ones."""
    lessons = os.environ.get("SMM_LESSONS_DIR", "").strip()
    banks = os.environ.get("SMM_QUIZZES_DIR", "").strip()
    return (Path(lessons) if lessons else CONTENT_DIR), (Path(banks) if banks else BANK_DIR)


def load_course(
    model: Model, lesson_dir: Path | None = None, bank_dir: Path | None = None, language: str | None = None
) -> Course:
    """Load what is usable; a broken file costs only itself, never the rest. In `language` where an
    overlay translates a lesson or bank (learning.overlay); links are checked on the English files."""
    default_lessons, default_banks = content_dirs()
    lesson_dir = lesson_dir or default_lessons
    bank_dir = bank_dir or default_banks
    lessons, lesson_problems = load_lessons(lesson_dir)
    banks, bank_problems = load_banks(bank_dir)
    problems = [*lesson_problems, *bank_problems, *coverage_problems(model, lessons, banks)]
    lessons, banks, overlay_problems = translate(lessons, banks, lesson_dir, bank_dir, language)
    return Course(lessons, banks, (*problems, *overlay_problems))
