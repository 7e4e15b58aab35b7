"""The whole content check: the model, then every lesson and quiz bank and their coverage of it."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assessment.check import check_model_file
from content.report import EXIT_CONTENT, report_problems
from learning.content import content_dirs, load_course
from learning.coverage import course_summary
from learning.overlay import check_languages
from learning.quality import quality_problems


def check_content(model_file: Path, out: TextIO, err: TextIO, languages: list[str] | None = None) -> int:
    """Exit code 0 when everything loads and links up and no content rule finds an error, else 1;
    every problem (errors and warnings) printed to `err`, the figures to `out`. Translation overlays
    of `languages` (None: every one found) are checked too (learning.overlay)."""
    model = check_model_file(model_file, out, err)
    if model is None:
        return EXIT_CONTENT
    course = load_course(model)
    print(course_summary(model, course.lessons, course.banks), file=out)
    problems, summary = quality_problems(model, course, content_dirs()[1])
    print(summary, file=out)
    everything = [
        *course.problems,
        *problems,
        *check_languages(model, model_file, course.lessons, course.banks, content_dirs(), languages, out),
    ]
    return report_problems(everything, err) if everything else 0
