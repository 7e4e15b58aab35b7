"""Grading one response to one question, and a whole attempt. Pure functions.

A response's shape depends on the question type:
- single: an option id
- multiple: a list of option ids
- truefalse: true or false
- ordering: a list of item ids in the order given
- matching: a mapping of pair id (the left side) to the pair id whose right side was chosen
  (a right side that repeats is offered once, under its first pair's id)
- short: the text typed
- numerical: a number
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from quizzes.model import Bank, Pair, Question

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
    """The pair ids whose right sides a matching question offers: a right side that repeats is offered
    once, under its first pair's id, as Moodle does."""
    first: dict[str, str] = {}
    for pair in question.pairs:
        first.setdefault(pair.right, pair.id)
    return list(first.values())


def matching_picks(question: Question, response: Response | None) -> list[tuple[Pair, str | None, bool]]:
    """For each pair: the right side picked for it (None when none) and whether it is this pair's. Texts
    are compared, not ids: a right side may repeat and is offered under one pair's id only."""
    right = {pair.id: pair.right for pair in question.pairs}
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
        typed = " ".join(str(response).split()).casefold()
        return 1.0 if any(typed == " ".join(a.split()).casefold() for a in question.accept) else 0.0
    if question.type == "numerical":
        if isinstance(response, bool) or not isinstance(response, (int, float)):
            return 0.0
        credits = [n.weight / 100 for n in question.numbers if n.accepts(float(response))]
        return max(0.0, min(1.0, max(credits))) if credits else 0.0
    return 0.0


def answer_feedback(question: Question, response: Response | None) -> list[str]:
    """The feedback the author wrote for this response: chosen options, true/false, or the number that counted."""
    if response is None:
        return []
    notes: list[str] = []
    if question.type in ("single", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        notes = [o.feedback for o in question.options if o.id in chosen]
    elif question.type == "truefalse":
        notes = [question.feedback_true if response else question.feedback_false]
    elif question.type == "numerical" and isinstance(response, (int, float)) and not isinstance(response, bool):
        matching = [n for n in question.numbers if n.accepts(float(response))]
        if matching:  # the number whose credit was given; the first of equals, as Moodle picks the first
            notes = [max(matching, key=lambda n: n.weight).feedback]
    return [note for note in notes if note]


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
