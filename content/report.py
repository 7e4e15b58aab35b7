"""How the check commands print problems, and their exit code for content problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from content.problems import Problem

EXIT_CONTENT = 1


def report_problems(problems: Sequence[Problem], err: TextIO) -> int:
    """Print every problem, one a line (warnings marked "warning:"), then their count; return the
    exit code: EXIT_CONTENT when there is at least one error, 0 when there are only warnings."""
    for problem in problems:
        print(problem, file=err)
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    if warnings:
        print(f"{len(problems)} problem(s) found: {errors} error(s), {warnings} warning(s).", file=err)
    else:
        print(f"{len(problems)} problem(s) found.", file=err)
    return EXIT_CONTENT if errors else 0
