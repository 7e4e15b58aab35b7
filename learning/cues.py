"""Option length is no cue (docs/content-format.md).

In a single-choice question the right option should not stand out as the longest: a participant
who picks the longest option should not pass. Counted over the single-choice questions, the right
option may be the strictly longest (in characters) in at most LIMIT_PERCENT of them: above that a
bank gets a WARNING, and the whole course above it an ERROR. Which option is written first is
reported too (GIFT export keeps the written order), not checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.problems import WARNING, Problem
from content.toml_lines import line_for
from quizzes.model import Bank, Question

LIMIT_PERCENT = 40.0


def right_is_longest(question: Question) -> bool:
    right = [len(o.text) for o in question.options if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    return bool(right) and bool(wrong) and max(right) > max(wrong)


def right_is_first(question: Question) -> bool:
    return bool(question.options) and question.options[0].correct


@dataclass(frozen=True)
class LengthCue:
    bank: Bank | None  # None: the whole course
    single: int  # single-choice questions
    longest: int  # of which the right option is the longest
    first: int  # of which the right option is written first

    @property
    def percent(self) -> float:
        return 100.0 * self.longest / self.single if self.single else 0.0

    @property
    def first_percent(self) -> float:
        return 100.0 * self.first / self.single if self.single else 0.0


def _cue(bank: Bank | None, questions: list[Question]) -> LengthCue:
    single = [q for q in questions if q.type == "single"]
    return LengthCue(
        bank, len(single), sum(right_is_longest(q) for q in single), sum(right_is_first(q) for q in single)
    )


def length_cues(banks: tuple[Bank, ...]) -> tuple[list[LengthCue], LengthCue]:
    """Per bank (banks without single-choice questions left out) and for the whole course."""
    per_bank = [_cue(bank, list(bank.questions)) for bank in banks]
    course = _cue(None, [q for bank in banks for q in bank.questions])
    return [cue for cue in per_bank if cue.single], course


def length_cue_problems(banks: tuple[Bank, ...], course_file: str = "quizzes/bank") -> list[Problem]:
    per_bank, course = length_cues(banks)
    problems = []
    for cue in per_bank:
        if cue.percent > LIMIT_PERCENT and cue.bank is not None:
            message = (
                f"the right option is the longest in {cue.longest} of {cue.single} single-choice questions "
                f"({cue.percent:.0f} %, at most {LIMIT_PERCENT:.0f} %): length gives the answer away"
            )
            problems.append(
                Problem(cue.bank.file, line_for(cue.bank.lines, "questions"), "questions", message, WARNING)
            )
    if course.percent > LIMIT_PERCENT:
        message = (
            f"over the whole course the right option is the longest in {course.longest} of {course.single} "
            f"single-choice questions ({course.percent:.0f} %, at most {LIMIT_PERCENT:.0f} %)"
        )
        problems.append(Problem(course_file, None, "", message))
    return problems


def length_cue_summary(banks: tuple[Bank, ...]) -> str:
    per_bank, course = length_cues(banks)
    lines = [
        f"Right option the longest in {course.longest} of {course.single} single-choice questions "
        f"({course.percent:.0f} %, limit {LIMIT_PERCENT:.0f} %); written first in {course.first} "
        f"({course.first_percent:.0f} %)."
    ]
    lines += [
        f"  {cue.bank.id}: longest {cue.longest}/{cue.single} ({cue.percent:.0f} %), first {cue.first}/{cue.single}"
        for cue in per_bank
        if cue.bank is not None
    ]
    return "\n".join(lines)
