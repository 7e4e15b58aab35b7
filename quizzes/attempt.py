"""One attempt at a bank: shuffled presentation, stored responses, progress and review.

The shuffle comes from the attempt's stored seed, so a refresh shows the same
order, and a retake (a new attempt, a new seed) shuffles afresh. Responses are
stored as JSON text, one row per question, the moment they are given.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from quizzes.grading import Graded, Response, grade, score_attempt
from quizzes.model import Bank, Question


def shuffled(seed: int, question: Question, values: list[str]) -> list[str]:
    """A stable per-attempt, per-question shuffle of option, item or pair ids."""
    rng = random.Random(f"{seed}:{question.id}")
    copy = list(values)
    rng.shuffle(copy)
    return copy


def encode(response: Response) -> str:
    return json.dumps(response, ensure_ascii=False, sort_keys=True)


_RESPONSE_TYPES: dict[str, type | tuple[type, ...]] = {
    "single": str,
    "short": str,
    "truefalse": bool,
    "multiple": list,
    "ordering": list,
    "matching": dict,
    "numerical": (int, float),
}


def decode(question: Question, raw: str) -> Response | None:
    """A stored response, or None if it no longer fits the question (the bank was edited since)."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return None
    expected = _RESPONSE_TYPES[question.type]
    if not isinstance(value, expected) or (question.type == "numerical" and isinstance(value, bool)):
        return None
    return cast(Response, value)  # its shape is what the question type stores


@dataclass(frozen=True)
class AttemptView:
    bank: Bank
    seed: int
    responses: dict[str, Response]

    @classmethod
    def from_stored(cls, bank: Bank, seed: int, stored: Mapping[str, str]) -> AttemptView:
        responses: dict[str, Response] = {}
        for question in bank.questions:
            if question.id in stored:
                value = decode(question, stored[question.id])
                if value is not None:
                    responses[question.id] = value
        return cls(bank, seed, responses)

    @property
    def next_open(self) -> int | None:
        """Index of the first question without a response; None when all are answered."""
        for index, question in enumerate(self.bank.questions):
            if question.id not in self.responses:
                return index
        return None

    def graded(self) -> list[Graded]:
        return [grade(q, self.responses.get(q.id)) for q in self.bank.questions]

    @property
    def percent(self) -> int:
        return round(score_attempt(self.bank, self.responses).percent)


def best_scores(finished: list[tuple[str, int | None]]) -> dict[str, int]:
    """Best finished score per bank from (bank id, score percent) pairs."""
    best: dict[str, int] = {}
    for bank_id, percent in finished:
        if percent is not None:
            best[bank_id] = max(best.get(bank_id, 0), percent)
    return best
