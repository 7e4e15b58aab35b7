"""From gaps to learning: which lessons and quizzes close each gap, in what order.

The learning path follows the gap order (foundations first): a lesson's place is
that of the first gap it addresses, ties broken by module number. Lessons that
address no gap are not on the path (they stay available in the lesson list).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.scoring import Gap
from learning.coverage import cell_id
from lessons.loader import Lesson
from quizzes.model import Bank


def gap_target(gap: Gap) -> str:
    """The id lessons and questions use for what a gap is about."""
    if gap.kind == "maturity":
        return cell_id(gap.dimension or "", gap.stage or "")
    if gap.kind == "tee":
        return gap.tee or ""
    return gap.item or ""


@dataclass(frozen=True)
class GapLinks:
    gap: Gap
    lessons: tuple[Lesson, ...]
    banks: tuple[Bank, ...]


def _teaches(lesson: Lesson, target: str) -> bool:
    return target in (*lesson.covers.cells, *lesson.covers.tees, *lesson.covers.checklist)


def _focus(lesson: Lesson, gap: Gap) -> int:
    """How much of a lesson is about the gap's dimension: the number of its cells it teaches (0 for a
    T or checklist gap). A lesson on strategy should come before a survey lesson that touches strategy."""
    if gap.kind != "maturity" or not gap.dimension:
        return 0
    return sum(1 for cell in lesson.covers.cells if cell.split(".", 1)[0] == gap.dimension)


def links_for_gap(gap: Gap, lessons: tuple[Lesson, ...], banks: tuple[Bank, ...]) -> GapLinks:
    target = gap_target(gap)
    # The lesson most about the gap's dimension first, then module order.
    teaching = tuple(
        sorted(
            (lesson for lesson in lessons if _teaches(lesson, target)),
            key=lambda lesson: (-_focus(lesson, gap), lesson.order),
        )
    )
    # The quizzes of the teaching lessons come first, in their lessons' order: each was written to go
    # with its lesson. Then any other quiz with a question that checks the gap.
    own = [lesson.quiz for lesson in teaching]
    checking = tuple(
        sorted(
            (bank for bank in banks if bank.id in own or any(target in q.checks for q in bank.questions)),
            key=lambda bank: (own.index(bank.id) if bank.id in own else len(own), bank.id),
        )
    )
    return GapLinks(gap, teaching, checking)


@dataclass(frozen=True)
class PathStep:
    lesson: Lesson
    bank: Bank | None
    gaps: tuple[Gap, ...]  # the gaps this lesson addresses, in gap order
    done: bool
    best_percent: int | None


def learning_path(
    gaps: tuple[Gap, ...],
    lessons: tuple[Lesson, ...],
    banks: tuple[Bank, ...],
    done: set[str],
    best: dict[str, int],
) -> list[PathStep]:
    first_gap: dict[str, int] = {}
    addressed: dict[str, list[Gap]] = {}
    for position, gap in enumerate(gaps):
        target = gap_target(gap)
        for lesson in lessons:
            if _teaches(lesson, target):
                first_gap.setdefault(lesson.id, position)
                addressed.setdefault(lesson.id, []).append(gap)
    by_id = {bank.id: bank for bank in banks}
    ordered = sorted(
        (lesson for lesson in lessons if lesson.id in first_gap),
        key=lambda lesson: (first_gap[lesson.id], lesson.order),
    )
    return [
        PathStep(lesson, by_id.get(lesson.quiz), tuple(addressed[lesson.id]), lesson.id in done, best.get(lesson.quiz))
        for lesson in ordered
    ]


@dataclass(frozen=True)
class FirstStep:
    """One entry of the results page's "Start here" list."""

    number: int  # the gap's place in the full gap list, from 1
    gap: Gap
    lesson: Lesson | None  # the one lesson to take first, if any lesson teaches the gap
    bank: Bank | None  # the one quiz to take first, if any quiz checks the gap


def start_here(
    gaps: tuple[Gap, ...], lessons: tuple[Lesson, ...], banks: tuple[Bank, ...], n: int = 3
) -> list[FirstStep]:
    """The first `n` gaps in the rule's order, each with one lesson and one quiz.

    The lesson is the first of `links_for_gap` (the one most about the gap's dimension, then
    module order). The quiz is that lesson's own quiz when it checks the gap, else the first
    quiz `links_for_gap` lists."""
    steps = []
    for number, gap in enumerate(gaps[:n], start=1):
        links = links_for_gap(gap, lessons, banks)
        lesson = links.lessons[0] if links.lessons else None
        own = next((b for b in links.banks if lesson is not None and b.id == lesson.quiz), None)
        steps.append(FirstStep(number, gap, lesson, own or (links.banks[0] if links.banks else None)))
    return steps
