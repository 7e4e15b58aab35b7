"""The course in another language, and the per-language part of the content checks.

The overlays themselves are read in `assessment.overlay` (model), `lessons.overlay` and
`quizzes.overlay`; the rules are in `content.overlay`. Here they come together: the course
translated for the site, and the check's report per language (errors for overlay problems,
one line of untranslated counts per language, which is a warning and never fails the check).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assessment.model import Model
from assessment.overlay import check_overlay as check_model_overlay
from assessment.overlay import is_shipped_model, model_languages
from content.catalogue import catalogue_languages, interface_part, locale_dir
from content.overlay import is_master, language_folders, language_report
from content.problems import Problem
from lessons import loader as lesson_loader
from lessons import overlay as lesson_overlay
from lessons.loader import Lesson
from quizzes import loader as bank_loader
from quizzes import overlay as bank_overlay
from quizzes.model import Bank


def translate(
    lessons: tuple[Lesson, ...], banks: tuple[Bank, ...], lesson_dir: Path, bank_dir: Path, language: str | None
) -> tuple[tuple[Lesson, ...], tuple[Bank, ...], list[Problem]]:
    """Lessons and banks in `language`, English wherever no overlay translates them, and the overlays'
    problems (a broken overlay file costs only itself: its lesson or bank stays English)."""
    if is_master(language):
        return lessons, banks, []
    lessons, lesson_problems = lesson_overlay.translate_lessons(lessons, lesson_dir, language)
    banks, bank_problems = bank_overlay.translate_banks(banks, bank_dir, language)
    return lessons, banks, [*lesson_problems, *bank_problems]


def has_course_overlay(lesson_dir: Path, bank_dir: Path, language: str | None) -> bool:
    """True when `language` has a lesson or bank overlay folder: otherwise its course is the English one."""
    return not is_master(language) and (
        lesson_overlay.overlay_dir(lesson_dir, str(language)).is_dir()
        or bank_overlay.overlay_dir(bank_dir, str(language)).is_dir()
    )


def overlay_languages(model_file: Path, lesson_dir: Path, bank_dir: Path) -> list[str]:
    """Every language that has an overlay of the model, the lessons or the banks."""
    found = {*model_languages(model_file), *language_folders(lesson_dir), *language_folders(bank_dir)}
    return sorted(found)


def checked_languages(model_file: Path, lesson_dir: Path, bank_dir: Path) -> list[str]:
    """Every language with an interface catalogue or a content overlay."""
    return sorted({*overlay_languages(model_file, lesson_dir, bank_dir), *catalogue_languages(locale_dir())})


def check_languages(
    model: Model,
    model_file: Path,
    lessons: tuple[Lesson, ...],
    banks: tuple[Bank, ...],
    dirs: tuple[Path, Path],
    languages: list[str] | None,
    out: TextIO,
) -> list[Problem]:
    """Check the interface catalogue and the overlays of `languages` (None: every language found)
    against the English; print one line of untranslated counts per language to `out`, return the
    problems (for a released language, each untranslated string among them)."""
    lesson_dir, bank_dir = dirs
    problems: list[Problem] = []
    for language in checked_languages(model_file, lesson_dir, bank_dir) if languages is None else languages:
        if is_master(language):
            continue
        parts, interface_problems = interface_part(language)
        parts["model"], model_problems = check_model_overlay(model, model_file, language)
        parts["lessons"], lesson_problems = lesson_overlay.check_overlays(lessons, lesson_dir, language)
        parts["quiz banks"], bank_problems = bank_overlay.check_overlays(banks, bank_dir, language)
        own = {
            "model": is_shipped_model(model_file),
            "lessons": lesson_dir.resolve() == lesson_loader.CONTENT_DIR,
            "quiz banks": bank_dir.resolve() == bank_loader.BANK_DIR,
        }
        line, missing = language_report(language, parts, own)
        print(line, file=out)
        problems += [*interface_problems, *model_problems, *lesson_problems, *bank_problems, *missing]
    return problems
