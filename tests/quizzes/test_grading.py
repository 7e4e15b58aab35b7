"""Grading each question type, partial credit, and attempts rebuilt from stored JSON."""

from __future__ import annotations

import pytest

from quizzes.attempt import AttemptView, best_scores, decode, encode, shuffled
from quizzes.grading import grade, score_attempt
from quizzes.model import Bank, NumericAnswer, Option, OrderItem, Pair, Question, ShortAnswer

SINGLE = Question("s", "single", "?", options=(Option("a", "A", True), Option("b", "B")))
MULTIPLE = Question(
    "m",
    "multiple",
    "?",
    options=(Option("a", "A", True), Option("b", "B", True), Option("c", "C"), Option("d", "D", True)),
)
WEIGHTED = Question(
    "w",
    "multiple",
    "?",
    options=(Option("a", "A", True, weight=50.0), Option("b", "B", True, weight=50.0), Option("c", "C", weight=-100.0)),
)
TRUEFALSE = Question("t", "truefalse", "?", answer=False)
ORDERING = Question("o", "ordering", "?", items=tuple(OrderItem(i, i) for i in ("crawl", "walk", "run", "fly")))
MATCHING = Question(
    "x",
    "matching",
    "?",
    pairs=(Pair("p1", "L1", "R1"), Pair("p2", "L2", "R2"), Pair("p3", "L3", "R3"), Pair("p4", "L4", "R4")),
)
SHORT = Question("sh", "short", "?", accept=(ShortAnswer("Golden Circle"), ShortAnswer("the golden circle")))
NUMERICAL = Question(
    "n",
    "numerical",
    "?",
    numbers=(NumericAnswer(value=24.0, tolerance=0.5), NumericAnswer(min=20.0, max=30.0, weight=50.0)),
)


@pytest.mark.parametrize(
    ("question", "response", "credit"),
    [
        (SINGLE, "a", 1.0),
        (SINGLE, "b", 0.0),
        (SINGLE, ["a"], 0.0),
        (MULTIPLE, ["a", "b", "d"], 1.0),
        (MULTIPLE, ["a", "b"], 2 / 3),
        (MULTIPLE, ["a", "c"], 0.0),
        (MULTIPLE, ["a", "b", "c", "d"], 2 / 3),
        (MULTIPLE, ["c"], 0.0),
        (MULTIPLE, [], 0.0),
        (WEIGHTED, ["a", "b"], 1.0),
        (WEIGHTED, ["a"], 0.5),
        (WEIGHTED, ["a", "c"], 0.0),
        (TRUEFALSE, False, 1.0),
        (TRUEFALSE, True, 0.0),
        (TRUEFALSE, "false", 0.0),
        (ORDERING, ["crawl", "walk", "run", "fly"], 1.0),
        (ORDERING, ["crawl", "walk", "fly", "run"], 0.5),
        (ORDERING, ["fly", "run", "walk", "crawl"], 0.0),
        (MATCHING, {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}, 1.0),
        (MATCHING, {"p1": "p2", "p2": "p1", "p3": "p3", "p4": "p4"}, 0.5),
        (SHORT, "  golden   CIRCLE ", 1.0),
        (SHORT, "golden", 0.0),
        (NUMERICAL, 24.4, 1.0),
        (NUMERICAL, 25.0, 0.5),
        (NUMERICAL, 31.0, 0.0),
        (NUMERICAL, True, 0.0),
    ],
)
def test_credit_per_type(question: Question, response: object, credit: float) -> None:
    assert grade(question, response).credit == pytest.approx(credit)  # type: ignore[arg-type]


def test_unanswered_scores_zero_and_is_marked() -> None:
    graded = grade(SINGLE, None)
    assert (graded.credit, graded.answered, graded.correct) == (0.0, False, False)


BANK = Bank("b", "Bank", "lesson", "instant", 70, (SINGLE, MULTIPLE, TRUEFALSE, ORDERING))


def test_attempt_score_and_resume_from_stored_json() -> None:
    stored = {"s": encode("a"), "m": encode(["a", "b"]), "t": "not json", "zzz": encode("a")}
    view = AttemptView.from_stored(BANK, 7, stored)
    assert set(view.responses) == {"s", "m"}  # broken and unknown rows are ignored, not fatal
    assert view.next_open == 2
    assert view.percent == round(100 * (1 + 2 / 3) / 4)
    assert score_attempt(BANK, view.responses).answered == 2


def test_decode_rejects_a_response_that_no_longer_fits() -> None:
    assert decode(SINGLE, encode(["a"])) is None
    assert decode(NUMERICAL, encode(True)) is None
    assert decode(ORDERING, encode(["crawl"])) == ["crawl"]


def test_shuffle_is_stable_per_seed_and_differs_between_seeds() -> None:
    ids = [f"o{i}" for i in range(8)]
    assert shuffled(1, SINGLE, ids) == shuffled(1, SINGLE, ids)
    assert sorted(shuffled(1, SINGLE, ids)) == ids
    assert any(shuffled(seed, SINGLE, ids) != shuffled(1, SINGLE, ids) for seed in range(2, 6))


def test_best_scores_ignore_unfinished() -> None:
    assert best_scores([("a", 40), ("a", 90), ("a", None), ("b", None)]) == {"a": 90}
