"""The whole content check: the model, then every lesson and quiz bank and their coverage of it."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assessment.check import check_model_file
from content.report import EXIT_CONTENT, report_problems
from learning.content import load_course
from learning.coverage import course_summary


def check_content(model_file: Path, out: TextIO, err: TextIO) -> int:
    """Exit code 0 when everything loads and links up, else 1 with every problem printed to `err`."""
    model = check_model_file(model_file, out, err)
    if model is None:
        return EXIT_CONTENT
    course = load_course(model)
    print(course_summary(model, course.lessons, course.banks), file=out)
    return report_problems(course.problems, err) if course.problems else 0
