"""How the checks print problems: warnings marked, and only errors fail."""

from __future__ import annotations

import io

from content.problems import ERROR, WARNING, Problem
from content.report import EXIT_CONTENT, report_problems

AN_ERROR = Problem("quizzes/bank/a.toml", 12, "questions[0].pairs[2].stage", "the model places it at Fly")
A_WARNING = Problem("lessons/content/01-a.md", 13, "## Trainer notes", "no trainer notes", WARNING)


def test_a_problem_is_an_error_unless_it_says_otherwise() -> None:
    assert AN_ERROR.severity == ERROR and AN_ERROR.is_error
    assert str(AN_ERROR) == "quizzes/bank/a.toml:12: questions[0].pairs[2].stage: the model places it at Fly"
    assert not A_WARNING.is_error
    assert str(A_WARNING) == "lessons/content/01-a.md:13: ## Trainer notes: warning: no trainer notes"


def test_errors_fail_and_are_counted_as_before() -> None:
    err = io.StringIO()
    assert report_problems([AN_ERROR], err) == EXIT_CONTENT
    assert err.getvalue().splitlines()[-1] == "1 problem(s) found."


def test_warnings_alone_do_not_fail() -> None:
    err = io.StringIO()
    assert report_problems([A_WARNING], err) == 0
    assert err.getvalue().splitlines() == [str(A_WARNING), "1 problem(s) found: 0 error(s), 1 warning(s)."]
    err = io.StringIO()
    assert report_problems([A_WARNING, AN_ERROR], err) == EXIT_CONTENT
    assert err.getvalue().splitlines()[-1] == "2 problem(s) found: 1 error(s), 1 warning(s)."
