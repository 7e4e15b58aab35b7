"""How the check commands print problems, and their exit code for content problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from content.problems import Problem

EXIT_CONTENT = 1


def report_problems(problems: Sequence[Problem], err: TextIO) -> int:
    """Print every problem, one a line, then their count; return the exit code for content problems."""
    for problem in problems:
        print(problem, file=err)
    print(f"{len(problems)} problem(s) found.", file=err)
    return EXIT_CONTENT
