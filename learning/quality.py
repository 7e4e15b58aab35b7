"""The content rules beyond loading and coverage, run by `python -m learning check`.

Load problems and coverage (`learning.content.load_course`) decide what the site can show; these
rules are about whether the content is right and teaches well: stage placement against the model,
lesson structure, near-duplicate questions, the option-length and wording cues, whether
the text of a stage-placement element still shows its model statement, short answers and numbers
that can never count, catch-alls, and tags spelled two ways. They run in the check only,
never when the site loads its content.
"""

from __future__ import annotations

from pathlib import Path

from assessment.model import Model
from content.files import display_path
from content.problems import Problem
from learning.answers import answer_problems, tag_problems, tag_summary
from learning.content import Course
from learning.cues import length_cue_problems, length_cue_summary, wording_cue_problems, wording_cue_summary
from learning.duplicates import THRESHOLD, duplicate_problems, near_duplicates
from learning.lesson_rules import lesson_problems
from learning.placement import placement_problems, placement_text_problems, placement_text_summary


def quality_problems(model: Model, course: Course, bank_dir: Path) -> tuple[list[Problem], str]:
    """Every problem these rules find (errors and warnings), and a short summary with the figures."""
    problems: list[Problem] = []
    for lesson in course.lessons:
        problems += lesson_problems(model, lesson)
    problems += placement_problems(model, course.banks)
    problems += placement_text_problems(model, course.banks)
    duplicates = near_duplicates(course.banks)
    duplicate = duplicate_problems(duplicates)
    problems += duplicate
    problems += length_cue_problems(course.banks, display_path(bank_dir))
    problems += wording_cue_problems(course.banks, display_path(bank_dir))
    problems += answer_problems(course.banks)
    problems += tag_problems(course.banks)
    summary = "\n".join(
        [
            f"Near-duplicate questions across banks: {len(duplicates)} pair(s) at similarity {THRESHOLD:.2f} or more, "
            f"{len(duplicates) - len(duplicate)} of them declared variants.",
            length_cue_summary(course.banks),
            wording_cue_summary(course.banks),
            placement_text_summary(model, course.banks),
            tag_summary(course.banks),
        ]
    )
    return problems, summary
