"""An assignment's rules: its kind and target, the due date against the workshop's date, and a
participant's status with it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workshops.assignments import (
    ASSESSMENT,
    DONE,
    OPEN,
    OVERDUE,
    QUIZ,
    Assignment,
    check_assignment,
    make_assignment,
    status,
)
from workshops.organisations import InvalidValues

HELD = date(2026, 12, 3)
BANKS = ("social-basics", "metrics")


def test_the_assessment_and_a_known_quiz_make_assignments() -> None:
    assert make_assignment(ASSESSMENT, "", None, HELD, BANKS) == Assignment(ASSESSMENT, "", None)
    assert make_assignment(QUIZ, " metrics ", HELD, HELD, BANKS) == Assignment(QUIZ, "metrics", HELD)


def test_an_unknown_bank_is_refused_with_the_banks_there_are() -> None:
    with pytest.raises(InvalidValues) as invalid:
        make_assignment(QUIZ, "nope", None, HELD, BANKS)
    [problem] = invalid.value.problems
    assert problem.field == "target"
    assert "'nope'" in problem.message and "metrics, social-basics" in problem.message


def test_every_problem_is_collected() -> None:
    problems = check_assignment("homework", "", date(2026, 12, 2), HELD, BANKS)
    assert [p.field for p in problems] == ["kind", "due_on"]
    assert "2026-12-02" in problems[1].message and "2026-12-03" in problems[1].message
    assert [p.field for p in check_assignment(QUIZ, "  ", None, HELD, BANKS)] == ["target"]
    assert [p.field for p in check_assignment(ASSESSMENT, "metrics", None, HELD, BANKS)] == ["target"]


def test_a_due_date_must_be_a_date_on_or_after_the_workshop() -> None:
    assert check_assignment(ASSESSMENT, "", HELD, HELD, BANKS) == []
    assert [p.field for p in check_assignment(ASSESSMENT, "", datetime(2026, 12, 4), HELD, BANKS)] == ["due_on"]
    assert [p.field for p in check_assignment(ASSESSMENT, "", "2026-12-04", HELD, BANKS)] == ["due_on"]


def test_status_is_done_open_or_overdue_after_the_due_day() -> None:
    due = date(2026, 12, 10)
    assert status(True, due, date(2026, 12, 20)) == DONE
    assert status(False, due, due) == OPEN
    assert status(False, due, date(2026, 12, 11)) == OVERDUE
    assert status(False, None, date(2030, 1, 1)) == OPEN
