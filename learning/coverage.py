"""Does the course material cover the assessment? Links checked both ways.

Every maturity cell, every T and every checklist item must be taught by at
least one lesson and checked by at least one quiz question; every id a lesson
or question names must exist; a lesson or bank that nothing links to is
reported. Ids name assessment items like this: "<dimension>.<stage>" for a
maturity cell, a T id ("trust"), or a checklist item id ("check.answer-questions").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assessment.model import STAGE_IDS, Model
from content.problems import Problem
from content.toml_lines import line_for
from lessons.loader import Lesson
from quizzes.model import Bank


def cell_id(dimension: str, stage: str) -> str:
    return f"{dimension}.{stage}"


def targets(model: Model) -> dict[str, str]:
    """Every id a lesson or question may name, with what kind it is."""
    found = {cell_id(d.id, s): "cell" for d in model.dimensions for s in STAGE_IDS}
    found.update({t.id: "tee" for t in model.tees})
    found.update({i.id: "checklist" for i in model.checklist})
    return found


def _breadcrumbs(model: Model) -> dict[str, str]:
    """Where each target is defined in the model file: its dimension, T or checklist item."""
    found = {cell_id(d.id, s): f"dimensions[{index}]" for index, d in enumerate(model.dimensions) for s in STAGE_IDS}
    found.update({t.id: f"tees[{index}]" for index, t in enumerate(model.tees)})
    found.update({i.id: f"checklist[{index}]" for index, i in enumerate(model.checklist)})
    return found


@dataclass
class Links:
    """Which lessons teach and which questions check each assessment target."""

    lessons_for: dict[str, list[str]] = field(default_factory=dict)
    questions_for: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (bank id, question id)
    problems: list[Problem] = field(default_factory=list)


def lesson_targets(lesson: Lesson) -> tuple[str, ...]:
    return (*lesson.covers.cells, *lesson.covers.tees, *lesson.covers.checklist)


def build_links(model: Model, lessons: tuple[Lesson, ...], banks: tuple[Bank, ...]) -> Links:
    known = targets(model)
    links = Links({t: [] for t in known}, {t: [] for t in known})
    bank_ids = {b.id for b in banks}
    lesson_ids = {lesson.id for lesson in lessons}
    for lesson in lessons:
        for key, names, kind in (
            ("cells", lesson.covers.cells, "cell"),
            ("tees", lesson.covers.tees, "tee"),
            ("checklist", lesson.covers.checklist, "checklist"),
        ):
            for index, name in enumerate(names):
                if known.get(name) != kind:
                    path = f"covers.{key}[{index}]"
                    message = f'"{name}" is not a {kind} of the assessment model'
                    links.problems.append(Problem(lesson.file, line_for(lesson.lines, path), path, message))
                else:
                    links.lessons_for[name].append(lesson.id)
        if lesson.quiz not in bank_ids:
            message = f'no quiz bank with id "{lesson.quiz}"'
            links.problems.append(Problem(lesson.file, line_for(lesson.lines, "quiz"), "quiz", message))
    for bank in banks:
        if bank.lesson and bank.lesson not in lesson_ids:
            message = f'no lesson with id "{bank.lesson}"'
            links.problems.append(Problem(bank.file, line_for(bank.lines, "lesson"), "lesson", message))
        for index, question in enumerate(bank.questions):
            for position, name in enumerate(question.checks):
                if name not in known:
                    path = f"questions[{index}].checks[{position}]"
                    message = f'"{name}" is not an item of the assessment model'
                    links.problems.append(Problem(bank.file, line_for(bank.lines, path), path, message))
                else:
                    links.questions_for[name].append((bank.id, question.id))
    return links


def coverage_problems(model: Model, lessons: tuple[Lesson, ...], banks: tuple[Bank, ...]) -> list[Problem]:
    links = build_links(model, lessons, banks)
    problems = list(links.problems)
    breadcrumbs = _breadcrumbs(model)
    for name, kind in targets(model).items():
        line = line_for(model.lines, breadcrumbs[name])
        if not links.lessons_for[name]:
            problems.append(Problem(model.file, line, name, f"no lesson teaches this {kind}"))
        if not links.questions_for[name]:
            problems.append(Problem(model.file, line, name, f"no quiz question checks this {kind}"))
    linked_banks = {lesson.quiz for lesson in lessons} | {b.id for b in banks if b.lesson}
    for lesson in lessons:
        if not lesson_targets(lesson):
            problems.append(
                Problem(
                    lesson.file,
                    line_for(lesson.lines, "covers"),
                    "covers",
                    "nothing links to this lesson: it covers no assessment item, so no gap leads to it",
                )
            )
    for bank in banks:
        if bank.id not in linked_banks:
            message = "nothing links to this quiz: no lesson names it"
            problems.append(Problem(bank.file, line_for(bank.lines, "lesson"), "lesson", message))
    return problems


def course_summary(model: Model, lessons: tuple[Lesson, ...], banks: tuple[Bank, ...]) -> str:
    """One line of counts for the check commands and the trainer's eye."""
    links = build_links(model, lessons, banks)
    questions = sum(len(bank.questions) for bank in banks)
    lesson_links = sum(len(v) for v in links.lessons_for.values())
    question_links = sum(len(v) for v in links.questions_for.values())
    return (
        f"{len(lessons)} lessons, {len(banks)} quiz banks, {questions} questions; "
        f"{lesson_links} lesson-to-item links, {question_links} question-to-item links "
        f"over {len(links.lessons_for)} assessment items."
    )
