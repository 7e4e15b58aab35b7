"""Grading one response to one question, and a whole attempt. Pure functions.

A response's shape depends on the question type:
- single: an option id
- multiple: a list of option ids
- truefalse: true or false
- ordering: a list of item ids in the order given
- matching: a mapping of pair id (the left side) to the pair id whose right side was chosen
  (a right side that repeats is offered once, under its first pair's id), or to the id of a
  distractor ("~1" for the first: "~" starts no pair id), which is never right
- short: the text typed
- numerical: a number

Short answers and numbers follow Moodle's rule: the accepted answers (or numbers) are tried in the
order written and the FIRST that matches counts: its weight is the credit and its feedback is
shown, even when a later one would give more. So write the exact answer before a broader one
that overlaps it ("Cat" before "C*t", 24 +- 0.5 before the range 20..30), and a catch-all ("*",
any_number) last. A short answer matches when the whole typed text fits the pattern: "*" stands
for any run of characters, "\\*" for a star itself, everything else for itself; outer spaces
are ignored, runs of white space count as one space, and case does not count unless the
question is case_sensitive. An empty answer matches nothing, not even the catch-all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from quizzes.model import Bank, NumericAnswer, Pair, Question, ShortAnswer

DISTRACTOR_PREFIX = "~"

Response = str | bool | float | list[str] | dict[str, str]


@dataclass(frozen=True)
class Graded:
    question_id: str
    credit: float  # 0 to 1
    answered: bool

    @property
    def correct(self) -> bool:
        return self.credit >= 0.999


def grade(question: Question, response: Response | None) -> Graded:
    if response is None:
        return Graded(question.id, 0.0, False)
    return Graded(question.id, _credit(question, response), True)


def matching_offer(question: Question) -> list[str]:
    """The ids of the right-hand answers a matching question offers: each pair's right side (one that
    repeats is offered once, under its first pair's id, as Moodle does), then each distractor."""
    first: dict[str, str] = {}
    for pair in question.pairs:
        first.setdefault(pair.right, pair.id)
    return [*first.values(), *(distractor_id(n) for n in range(len(question.distractors)))]


def distractor_id(index: int) -> str:
    """The id a matching response gives the distractor at `index` (0-based): "~1" for the first."""
    return f"{DISTRACTOR_PREFIX}{index + 1}"


def matching_texts(question: Question) -> dict[str, str]:
    """The right-hand text of every id matching_offer can give: pair ids and distractor ids."""
    texts = {pair.id: pair.right for pair in question.pairs}
    texts.update((distractor_id(n), text) for n, text in enumerate(question.distractors))
    return texts


def matching_picks(question: Question, response: Response | None) -> list[tuple[Pair, str | None, bool]]:
    """For each pair: the right side picked for it (None when none) and whether it is this pair's. Texts
    are compared, not ids: a right side may repeat and is offered under one pair's id only. A
    distractor is never a pair's right side (the loader keeps their texts apart)."""
    right = matching_texts(question)
    chosen = response if isinstance(response, Mapping) else {}
    picks = []
    for pair in question.pairs:
        value = chosen.get(pair.id)
        picked = right.get(value) if isinstance(value, str) else None
        picks.append((pair, picked, picked == pair.right))
    return picks


def _credit(question: Question, response: Response) -> float:
    if question.type == "single":
        return 1.0 if isinstance(response, str) and response in question.correct_option_ids else 0.0
    if question.type == "truefalse":
        return 1.0 if isinstance(response, bool) and response == question.answer else 0.0
    if question.type == "multiple":
        if not isinstance(response, list):
            return 0.0
        chosen = set(response)
        if any(o.weight is not None for o in question.options):
            # Moodle-style percentage weights: the sum of the chosen weights, clipped to 0..100 %.
            total = sum((o.weight or 0.0) for o in question.options if o.id in chosen)
            return max(0.0, min(1.0, total / 100))
        correct = set(question.correct_option_ids)
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        return max(0.0, (right - wrong) / len(correct)) if correct else 0.0
    if question.type == "ordering":
        if not isinstance(response, list):
            return 0.0
        expected = [item.id for item in question.items]
        return sum(1 for a, b in zip(expected, response, strict=False) if a == b) / len(expected)
    if question.type == "matching":
        if not isinstance(response, Mapping):
            return 0.0
        return sum(1 for _pair, _picked, right in matching_picks(question, response) if right) / len(question.pairs)
    if question.type == "short":
        answer = short_match(question, response)
        return _percent(answer.weight) if answer else 0.0
    if question.type == "numerical":
        number = number_match(question, response)
        return _percent(number.weight) if number else 0.0
    return 0.0


def _percent(weight: float) -> float:
    return max(0.0, min(1.0, weight / 100))


def compared_text(text: str, case_sensitive: bool = False) -> str:
    """A short answer as it is compared: outer spaces off, each run of white space one space, and
    case folded unless the question is case_sensitive."""
    spaced = " ".join(text.split())
    return spaced if case_sensitive else spaced.casefold()


def wildcard_pattern(text: str, case_sensitive: bool = False) -> re.Pattern[str]:
    """The pattern of an accepted short answer: "*" any run of characters, "\\*" a star."""
    text = compared_text(text, case_sensitive)
    parts = (".*".join(re.escape(piece) for piece in literal.split("*")) for literal in text.split("\\*"))
    return re.compile(re.escape("*").join(parts), re.DOTALL)


def short_match(question: Question, response: Response | None) -> ShortAnswer | None:
    """The first accepted answer the typed text matches, or None (an empty text matches none)."""
    if not isinstance(response, str) or not response.strip():
        return None
    typed = compared_text(response, question.case_sensitive)
    for answer in question.accept:
        if wildcard_pattern(answer.text, question.case_sensitive).fullmatch(typed):
            return answer
    return None


def number_match(question: Question, response: Response | None) -> NumericAnswer | None:
    """The first number (value with tolerance, range or any_number) the response falls in, or None."""
    if isinstance(response, bool) or not isinstance(response, (int, float)):
        return None
    return next((number for number in question.numbers if number.accepts(float(response))), None)


def is_wildcard(text: str) -> bool:
    """Whether an accepted answer holds a "*" that stands for any characters (not one written "\\*")."""
    return "*" in text.replace("\\*", "")


def right_answers(question: Question) -> list[str]:
    """The fully right short answers as a person would type them: without those holding a wildcard
    (a pattern such as "C*t" is no answer to show), a written "\\*" shown as a star."""
    return [a.text.replace("\\*", "*") for a in question.accept if a.weight >= 100 and not is_wildcard(a.text)]


def answer_feedback(question: Question, response: Response | None) -> list[str]:
    """The feedback the author wrote for this response: chosen options, true/false, the short answer
    or number that counted; then the combined feedback for a right, partly right or wrong response."""
    if response is None:
        return []
    notes: list[str] = []
    if question.type in ("single", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        notes = [o.feedback for o in question.options if o.id in chosen]
    elif question.type == "truefalse":
        notes = [question.feedback_true if response else question.feedback_false]
    elif question.type == "short":
        answer = short_match(question, response)
        notes = [answer.feedback] if answer else []
    elif question.type == "numerical":
        number = number_match(question, response)
        notes = [number.feedback] if number else []
    notes.append(combined_feedback(question, grade(question, response).credit))
    return [note for note in notes if note]


def combined_feedback(question: Question, credit: float) -> str:
    """Moodle's combined feedback: for a fully right, a partly right or a wrong response."""
    if credit >= 0.999:
        return question.feedback_right
    return question.feedback_partly if credit > 0 else question.feedback_wrong


@dataclass(frozen=True)
class AttemptScore:
    points: float
    possible: int
    answered: int

    @property
    def percent(self) -> float:
        return 100 * self.points / self.possible if self.possible else 0.0


def score_attempt(bank: Bank, responses: Mapping[str, Response]) -> AttemptScore:
    graded = [grade(q, responses.get(q.id)) for q in bank.questions]
    return AttemptScore(
        points=sum(g.credit for g in graded), possible=len(graded), answered=sum(g.answered for g in graded)
    )
