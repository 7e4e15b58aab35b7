"""Lessons in another language: `lessons/content/<lang>/NN-<id>.md`, one overlay per lesson.

    +++
    id = "four-stages"        # required: the English lesson it translates
    title = "..."             # optional
    summary = "..."           # optional
    +++
    The translated body, trainer notes included (optional: no body keeps the English one).

Minutes, level, sources, quiz and covers always come from the English lesson and are refused
here; see `content.overlay` for the rules. A lesson without an overlay stays English.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from content.files import display_path, parse_toml, read_content
from content.overlay import MASTER_LANGUAGE, OverlayLog, StringCount, Untranslated, is_master, structural_message
from content.problems import Problem
from content.toml_lines import key_lines
from lessons import loader
from lessons.loader import Lesson, split_front_matter

STRUCTURAL = frozenset({"minutes", "level", "sources", "quiz", "covers", "cells", "tees", "checklist", "order"})
STRINGS = ("title", "summary")


@dataclass(frozen=True)
class LessonOverlay:
    id: str
    strings: dict[str, str]  # title, summary, body: those it gives
    file: str
    body_line: int
    id_line: int


def overlay_dir(directory: Path, language: str) -> Path:
    return directory / language


def read_lesson_overlay(path: Path) -> tuple[LessonOverlay | None, list[Problem]]:
    """One overlay file: its lesson id and strings, or None and why it cannot be used."""
    shown = display_path(path)
    text, problems = read_content(path, shown)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        message = "no front matter: the file must start with a '+++' line, TOML with the lesson id, and '+++'"
        return None, [Problem(shown, 1, "", message)]
    front, body, body_line = parts
    meta, problems = parse_toml(front, shown, line_offset=1, what="front matter is not valid TOML")
    if meta is None:
        return None, problems
    lines = key_lines(front)
    log = OverlayLog(shown, lines, line_offset=1)
    strings: dict[str, str] = {}
    for name, value in meta.items():
        if name == "id":
            continue
        if name in STRINGS:
            if isinstance(value, str) and value.strip():
                strings[name] = value
            else:
                log.add((name,), "expected non-empty text (leave the key out to keep the English)")
        elif name in STRUCTURAL:
            log.add((name,), structural_message(name))
        else:
            log.add((name,), f"unknown key (a lesson overlay takes: id, {', '.join(STRINGS)})")
    lesson_id = meta.get("id")
    if not isinstance(lesson_id, str) or not lesson_id:
        log.problems.append(Problem(shown, 1, "id", "missing the id of the English lesson this file translates"))
        return None, log.problems
    if body.strip():
        strings["body"] = body
    return LessonOverlay(lesson_id, strings, shown, body_line, lines.get("id", 1) + 1), log.problems


def _split(body: str, body_line: int) -> dict[str, Any]:
    """A translated body split as the loader splits the English one: the participant's body, and the
    trainer notes below their heading (kept English when the overlay has none)."""
    participant, notes, index = loader.split_trainer_notes(body)
    if index is None:
        return {"body": participant}
    return {"body": participant, "trainer_notes": notes, "trainer_notes_line": body_line + index}


def _master(lesson: Lesson) -> dict[str, str]:
    return {
        "title": lesson.title,
        "summary": lesson.summary,
        "body": lesson.body,
        "trainer_notes": lesson.trainer_notes,
    }


def read_overlays(
    lessons: tuple[Lesson, ...], directory: Path, language: str
) -> tuple[dict[str, LessonOverlay], list[Problem]]:
    """The usable overlays of `language` by lesson id, and every problem: unreadable files, ids no
    English lesson has, ids two overlays claim, structural keys."""
    known = {lesson.id for lesson in lessons}
    found: dict[str, LessonOverlay] = {}
    problems: list[Problem] = []
    folder = overlay_dir(directory, language)
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        overlay, file_problems = read_lesson_overlay(path)
        problems += file_problems
        if overlay is None or file_problems:
            continue
        if overlay.id not in known:
            problems.append(
                Problem(overlay.file, overlay.id_line, "id", f'no English lesson has the id "{overlay.id}"')
            )
        elif overlay.id in found:
            message = f'lesson "{overlay.id}" is translated twice (also in {found[overlay.id].file})'
            problems.append(Problem(overlay.file, overlay.id_line, "id", message))
        else:
            found[overlay.id] = overlay
    return found, problems


def apply(lesson: Lesson, overlay: LessonOverlay | None) -> Lesson:
    """The lesson with the overlay's strings, English wherever it gives none. A translated body
    carries its own file and first line, so messages about the text point at the overlay."""
    if overlay is None:
        return lesson
    changes: dict[str, object] = {name: overlay.strings[name] for name in STRINGS if name in overlay.strings}
    if "body" in overlay.strings:
        changes.update(
            _split(overlay.strings["body"], overlay.body_line), file=overlay.file, body_line=overlay.body_line
        )
    return replace(lesson, **changes)  # type: ignore[arg-type]


def translate_lessons(
    lessons: tuple[Lesson, ...], directory: Path, language: str | None
) -> tuple[tuple[Lesson, ...], list[Problem]]:
    """The lessons in `language` (English where no overlay says otherwise) and the overlays' problems."""
    if is_master(language) or not overlay_dir(directory, str(language)).is_dir():
        return lessons, []
    overlays, problems = read_overlays(lessons, directory, str(language))
    return tuple(apply(lesson, overlays.get(lesson.id)) for lesson in lessons), problems


def check_overlays(lessons: tuple[Lesson, ...], directory: Path, language: str) -> tuple[StringCount, list[Problem]]:
    """How many of the lessons' strings `language` translates, and the overlays' problems."""
    overlays, problems = read_overlays(lessons, directory, language) if language != MASTER_LANGUAGE else ({}, [])
    counts = StringCount()
    for lesson in lessons:
        english = _master(lesson)
        overlay = overlays.get(lesson.id)
        given: dict[str, Any] = dict(overlay.strings) if overlay else {}
        if overlay and "body" in given:
            given.update(_split(given["body"], overlay.body_line))
        file = overlay.file if overlay else display_path(overlay_dir(directory, language) / Path(lesson.file).name)
        wanted = [name for name, value in english.items() if value.strip()]
        missing = tuple(Untranslated(file, name) for name in wanted if name not in given)
        counts += StringCount(len(wanted), len(wanted) - len(missing), missing)
    return counts, problems
