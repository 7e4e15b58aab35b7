"""What a trainer assigns to a workshop: the self-assessment or a quiz bank, with an optional
deadline; and where a participant stands with each.

Rules (`check_assignment` collects every problem, each a FieldProblem naming its field):
- kind is "assessment" (the self-assessment; its target is "") or "quiz" (its target is a quiz
  bank id, one of the banks the site has: an unknown id is refused with the ids there are);
- the due date is optional; when given it is a date on or after the workshop's own date (a
  deadline before the workshop could never be met by anyone who joined at it).

A participant has done an assignment when they have a completed round of the assessment (any
round: a visit that joined with a finished round has done it), or a finished attempt of the quiz
bank (any score: the trainer sees who took it; the pass mark is the quiz page's business). An
assignment not done is overdue once its due date has passed (the due date itself still counts).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from workshops.organisations import FieldProblem, InvalidValues

ASSESSMENT = "assessment"
QUIZ = "quiz"
KINDS = (ASSESSMENT, QUIZ)

DONE = "done"
OVERDUE = "overdue"
OPEN = "open"


@dataclass(frozen=True)
class Assignment:
    kind: str
    target: str  # "" for the assessment, a bank id for a quiz
    due_on: datetime.date | None = None


def check_assignment(
    kind: str,
    target: str,
    due_on: object,
    workshop_date: datetime.date,
    bank_ids: Collection[str],
) -> list[FieldProblem]:
    """Every problem of an assignment to a workshop held on `workshop_date`, given the bank ids the
    site has."""
    problems: list[FieldProblem] = []
    if kind == ASSESSMENT:
        if target:
            problems.append(FieldProblem("target", f"the self-assessment takes no quiz bank, not '{target}'"))
    elif kind == QUIZ:
        if not isinstance(target, str) or not target.strip():
            problems.append(FieldProblem("target", "choose the quiz bank to assign"))
        elif target.strip() not in bank_ids:
            known = ", ".join(sorted(bank_ids)) or "none"
            problems.append(FieldProblem("target", f"there is no quiz bank '{target}'; the banks are: {known}"))
    else:
        problems.append(
            FieldProblem("kind", f"assign the self-assessment ({ASSESSMENT}) or a quiz ({QUIZ}), not '{kind}'")
        )
    if due_on is not None:
        if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
            problems.append(FieldProblem("due_on", "the due date must be a date (or none)"))
        elif due_on < workshop_date:
            problems.append(
                FieldProblem(
                    "due_on",
                    f"the due date {due_on.isoformat()} is before the workshop's date "
                    f"{workshop_date.isoformat()}; choose that day or later",
                )
            )
    return problems


def make_assignment(
    kind: str,
    target: str,
    due_on: datetime.date | None,
    workshop_date: datetime.date,
    bank_ids: Collection[str],
) -> Assignment:
    """A validated Assignment, or InvalidValues with every problem."""
    problems = check_assignment(kind, target, due_on, workshop_date, bank_ids)
    if problems:
        raise InvalidValues(problems)
    return Assignment(kind, target.strip() if kind == QUIZ else "", due_on)


def status(done: bool, due_on: datetime.date | None, today: datetime.date) -> str:
    """DONE, OVERDUE (not done and the due date has passed) or OPEN."""
    if done:
        return DONE
    if due_on is not None and today > due_on:
        return OVERDUE
    return OPEN
