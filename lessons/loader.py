"""Lesson modules: Markdown files with TOML front matter between `+++` lines.

`load_lessons()` reads every `lessons/content/*.md`, collects every problem
(file, line, key) and returns the lessons that are usable, so the site can show
the rest of the content with a notice when one file is broken. Links to the
assessment model are checked in `learning.coverage`, which knows both sides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from content.collection import load_all
from content.files import display_path, parse_toml, read_content
from content.ids import LESSON_ID
from content.problems import Field, Problem, ProblemLog
from content.toml_lines import key_lines

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LEVELS = ("foundation", "practice", "advanced")
SOURCES = ("000", "001", "002", "003", "004")
_DELIMITER = "+++"

_FRONT_MATTER = (
    Field("id", str),
    Field("title", str),
    Field("summary", str),
    Field("minutes", int),
    Field("level", str),
    Field("sources", list),
    Field("quiz", str),
    Field("covers", dict),
)
_COVERS = (
    Field("cells", list, required=False),
    Field("tees", list, required=False),
    Field("checklist", list, required=False),
)


@dataclass(frozen=True)
class Covers:
    cells: tuple[str, ...] = ()  # "<dimension>.<stage>"
    tees: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()


WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Lesson:
    id: str
    order: int
    title: str
    summary: str
    minutes: int
    level: str
    sources: tuple[str, ...]
    quiz: str
    covers: Covers
    body: str  # Markdown, unrendered; the participant's text, without the trainer notes
    file: str
    body_line: int  # line of the body's first line in the file, for messages
    # The line of each front-matter key in the file ("quiz", "covers.cells[1]"), for messages.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    # The Markdown below the "## Trainer notes" heading, to the end of the file; "" when the lesson
    # has none. For trainers only: not part of `body`, never searched or timed.
    trainer_notes: str = ""
    trainer_notes_line: int | None = None  # the line of "## Trainer notes" in the file

    @property
    def reading_minutes(self) -> int:
        """Reading time at about 200 words a minute; `minutes` also counts the exercise, where there is one."""
        words = len(re.findall(r"\w+", self.body))
        return max(1, round(words / WORDS_PER_MINUTE))

    @property
    def text(self) -> str:
        """Plain words of the lesson for search."""
        return f"{self.title}\n{self.summary}\n{self.body}"


TRAINER_NOTES_HEADING = "## Trainer notes"
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def split_trainer_notes(body: str) -> tuple[str, str, int | None]:
    """(participant's body, trainer notes below their heading, index of the heading line in the body or None).

    The notes start at the first line that is exactly "## Trainer notes" outside a fenced code
    block and run to the end of the file."""
    lines = body.splitlines(keepends=True)
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = opening.group(1)[:3] if fence is None else None
            continue
        if fence is None and line.rstrip() == TRAINER_NOTES_HEADING:
            return "".join(lines[:index]), "".join(lines[index + 1 :]), index
    return body, "", None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line number) or None if the file has no `+++` block."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _DELIMITER:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == _DELIMITER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def load_lesson(path: Path) -> tuple[Lesson | None, list[Problem]]:
    shown = display_path(path)
    text, problems = read_content(path, shown)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            Problem(
                shown, 1, "", "no front matter: the file must start with a '+++' line, TOML, and a closing '+++' line"
            )
        ]
    front, body, body_line = parts
    meta, problems = parse_toml(front, shown, line_offset=1, what="front matter is not valid TOML")
    if meta is None:
        return None, problems
    log = ProblemLog(shown, key_lines(front), line_offset=1)
    values = log.read_table(meta, "", _FRONT_MATTER)
    covers_raw = meta.get("covers") if isinstance(meta.get("covers"), dict) else {}
    covers = log.read_table(covers_raw, "covers", _COVERS) if isinstance(meta.get("covers"), dict) else None
    if values is None:
        return None, log.problems
    id_problem = LESSON_ID.problem(values["id"], "lesson id")
    if id_problem:
        log.add("id", id_problem)
    if values["level"] not in LEVELS:
        log.add("level", f'expected one of {", ".join(LEVELS)}, got "{values["level"]}"')
    if values["minutes"] < 1 or values["minutes"] > 120:
        log.add("minutes", f"expected 1 to 120, got {values['minutes']}")
    for index, source in enumerate(values["sources"]):
        if source not in SOURCES:
            log.add(f"sources[{index}]", f'expected one of {", ".join(SOURCES)}, got "{source}"')
    if not values["sources"]:
        log.add("sources", "name at least one source document")
    if not body.strip():
        closing = body_line - 1  # the closing '+++'
        log.problems.append(Problem(shown, closing, "", "the lesson has no text below its front matter"))
    if covers is not None:
        for key, entries in covers.items():
            for index, entry in enumerate(entries):
                if not isinstance(entry, str):
                    log.add(f"covers.{key}[{index}]", f"expected an id in quotes, got {entry!r}")
    body, trainer_notes, notes_index = split_trainer_notes(body)
    order_match = re.match(r"^(\d+)-", path.name)
    lesson = Lesson(
        id=values["id"],
        order=int(order_match.group(1)) if order_match else 999,
        title=values["title"],
        summary=values["summary"],
        minutes=values["minutes"],
        level=values["level"],
        sources=tuple(values["sources"]),
        quiz=values["quiz"],
        covers=Covers(**{k: tuple(str(e) for e in v) for k, v in (covers or {}).items()}),
        body=body,
        file=shown,
        body_line=body_line,
        lines={key: line + 1 for key, line in log.lines.items()},
        trainer_notes=trainer_notes,
        trainer_notes_line=None if notes_index is None else body_line + notes_index,
    )
    return (lesson if not log.problems else None), log.problems


def load_lessons(
    directory: Path = CONTENT_DIR, language: str | None = None
) -> tuple[tuple[Lesson, ...], list[Problem]]:
    """Every usable lesson in module order, and every problem of every file; in `language` where
    `directory/<language>/` translates it (lessons.overlay)."""
    from lessons.overlay import translate_lessons  # it builds on this module

    lessons, problems = load_all(directory, "*.md", load_lesson, lambda lesson: lesson.id, "lesson")
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    translated, overlay_problems = translate_lessons(tuple(lessons), directory, language)
    return translated, [*problems, *overlay_problems]
