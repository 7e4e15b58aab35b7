"""Rules for the text of a lesson that the loader cannot see alone (docs/content-format.md).

Errors:
- a ```ladder or ```stages block that cannot be expanded from the model;
- a hand-written stage ladder: a Markdown table or list in which rows or items begin with two or
  more different stage names ("| Crawl | ...", "- **Walk**: ..."): the model's placement is
  rendered with a ```ladder block instead, so it cannot drift;
- no section whose H2 heading starts with "## Exercise".
Warnings:
- no "## Trainer notes", or notes without the subsections Timing, Running the exercise,
  Discussion questions and Model answer (as H3 headings, in that order).
"""

from __future__ import annotations

import re
import unicodedata

from assessment.model import Model
from content.problems import WARNING, Problem
from lessons.directives import directive_problem, find_directives, prose_lines
from lessons.loader import TRAINER_NOTES_HEADING, Lesson

EXERCISE_HEADING = "## Exercise"
TRAINER_NOTES_SECTIONS = ("Timing", "Running the exercise", "Discussion questions", "Model answer")
_TABLE_ROW = re.compile(r"^\s{0,3}\|(.*)$")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
# Markup that may stand before the first word of a row or item: emphasis, links, spaces.
_LEADING_MARKUP = re.compile(r"^[\s*_`\[]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def lesson_problems(model: Model, lesson: Lesson) -> list[Problem]:
    problems: list[Problem] = []
    parts = [("body", lesson.body, lesson.body_line)]
    if lesson.trainer_notes_line is not None:
        parts.append(("trainer notes", lesson.trainer_notes, lesson.trainer_notes_line + 1))
    for where, text, first_line in parts:
        for directive in find_directives(text):
            problem = directive_problem(directive, model)
            if problem:
                problems.append(Problem(lesson.file, first_line + directive.start, f"```{directive.kind}", problem))
        problems += _hand_written_ladders(model, lesson.file, where, text, first_line)
    headings = [line.rstrip() for _, line in prose_lines(lesson.body)]
    if not any(line.startswith(EXERCISE_HEADING) for line in headings):
        message = 'the lesson has no exercise: add a section whose heading starts with "## Exercise"'
        problems.append(Problem(lesson.file, lesson.body_line, EXERCISE_HEADING, message))
    problems += _trainer_notes(lesson)
    return problems


def stage_at_start(model: Model, text: str) -> str | None:
    """The id of the stage whose name the text begins with, as a word ("**Run**: ..." -> "run")."""
    start = _fold(_LEADING_MARKUP.sub("", text))
    for stage in model.stages:
        if re.match(rf"{re.escape(_fold(stage.name))}\b", start):
            return stage.id
    return None


def _hand_written_ladders(model: Model, file: str, where: str, text: str, first_line: int) -> list[Problem]:
    """Tables and lists whose rows or items begin with two or more different stage names."""
    problems: list[Problem] = []
    blocks: list[list[tuple[int, str]]] = []  # (line index, text of the row or item)
    kind = ""
    for index, line in prose_lines(text):
        row = _TABLE_ROW.match(line)
        item = _LIST_ITEM.match(line)
        if row:
            if kind != "table":
                blocks.append([])
                kind = "table"
            blocks[-1].append((index, row.group(1).split("|", 1)[0]))
        elif item and not item.group(1):
            if kind != "list":
                blocks.append([])
                kind = "list"
            blocks[-1].append((index, item.group(2)))
        elif kind == "list" and (not line.strip() or line.startswith((" ", "\t"))):
            continue  # a blank line or continuation inside a list
        else:
            kind = ""
    for block in blocks:
        staged = [(index, stage) for index, first in block if (stage := stage_at_start(model, first))]
        stages = {stage for _, stage in staged}
        if len(stages) >= 2:
            names = ", ".join(model.stage(s).name for s in sorted(stages, key=[st.id for st in model.stages].index))
            message = (
                f"hand-written stage ladder ({len(staged)} rows begin with {names}): the model decides which "
                'practice sits at which stage; show it with a ```ladder block (dimension = "<id>")'
            )
            problems.append(Problem(file, first_line + staged[0][0], where, message))
    return problems


def _trainer_notes(lesson: Lesson) -> list[Problem]:
    if lesson.trainer_notes_line is None:
        message = (
            f'no "{TRAINER_NOTES_HEADING}" section at the end of the lesson '
            "(timing, running the exercise, discussion questions, model answer)"
        )
        return [Problem(lesson.file, lesson.body_line, TRAINER_NOTES_HEADING, message, WARNING)]
    found = [line.strip()[4:].strip() for _, line in prose_lines(lesson.trainer_notes) if line.startswith("### ")]
    missing = [name for name in TRAINER_NOTES_SECTIONS if name not in found]
    line = lesson.trainer_notes_line
    if missing:
        message = f"the trainer notes have no {', '.join(f'### {name}' for name in missing)}"
        return [Problem(lesson.file, line, TRAINER_NOTES_HEADING, message, WARNING)]
    order = [name for name in found if name in TRAINER_NOTES_SECTIONS]
    if order != list(TRAINER_NOTES_SECTIONS):
        message = f"the trainer notes' subsections should come in this order: {', '.join(TRAINER_NOTES_SECTIONS)}"
        return [Problem(lesson.file, line, TRAINER_NOTES_HEADING, message, WARNING)]
    return []
