"""Grading each question type, partial credit, and attempts rebuilt from stored JSON."""

from __future__ import annotations

import pytest

from quizzes.attempt import AttemptView, best_scores, decode, encode, shuffled
from quizzes.grading import (
    answer_feedback,
    grade,
    matching_offer,
    matching_picks,
    matching_texts,
    right_answers,
    score_attempt,
)
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


# ------------------------------------------------------------ Moodle's rules for the new keys

ANIMAL = Question(
    "animal",
    "short",
    "Which animal?",
    accept=(
        ShortAnswer("Cat", 100.0, "Yes, a cat."),
        ShortAnswer("C*t", 50.0, "Close: the animal starts with C and ends with t."),
        ShortAnswer("*", 0.0, "Think of pets."),
    ),
    feedback_right="Well done.",
    feedback_partly="Partly right.",
    feedback_wrong="Not right.",
)


@pytest.mark.parametrize(
    ("response", "credit", "feedback"),
    [
        ("cat", 1.0, ["Yes, a cat.", "Well done."]),
        ("  CAT ", 1.0, ["Yes, a cat.", "Well done."]),
        ("Coat", 0.5, ["Close: the animal starts with C and ends with t.", "Partly right."]),
        ("ct", 0.5, ["Close: the animal starts with C and ends with t.", "Partly right."]),  # "*" may be empty
        ("Dog", 0.0, ["Think of pets.", "Not right."]),
        ("cats", 0.0, ["Think of pets.", "Not right."]),  # the whole text must match
        ("", 0.0, ["Not right."]),  # an empty answer matches nothing, not even the catch-all
    ],
)
def test_short_answers_first_match_gives_its_weight_and_feedback(
    response: str, credit: float, feedback: list[str]
) -> None:
    assert grade(ANIMAL, response).credit == pytest.approx(credit)
    assert answer_feedback(ANIMAL, response) == feedback


def test_the_first_matching_short_answer_counts_even_when_a_later_gives_more() -> None:
    broad_first = Question("q", "short", "?", accept=(ShortAnswer("C*", 25.0), ShortAnswer("Cat")))
    assert grade(broad_first, "Cat").credit == 0.25


@pytest.mark.parametrize(
    ("accepted", "typed", "matches"),
    [
        ("a\\*b", "a*b", True),  # "\*" is a star itself
        ("a\\*b", "axb", False),
        ("a*b", "axxb", True),
        ("1+1=?", "1+1=?", True),  # regular-expression characters stand for themselves
        ("1+1=?", "11=2", False),
        ("(a|b)", "a", False),
        ("new  york", "New York", True),  # runs of white space count as one space
        ("new york", "new\tyork", True),
        ("new york", "newyork", False),
        ("*york", "New\nYork", True),
        ("Straße", "STRASSE", True),  # case folded, as str.casefold does
    ],
)
def test_wildcard_matching(accepted: str, typed: str, matches: bool) -> None:
    question = Question("q", "short", "?", accept=(ShortAnswer(accepted),))
    assert grade(question, typed).correct is matches


def test_case_counts_only_when_the_question_says_so() -> None:
    question = Question("q", "short", "?", accept=(ShortAnswer("NaCl"), ShortAnswer("nacl", 50.0)), case_sensitive=True)
    assert grade(question, "NaCl").credit == 1.0
    assert grade(question, "nacl").credit == 0.5
    assert grade(question, "NACL").credit == 0.0


def test_right_answers_leave_out_patterns_and_partial_answers() -> None:
    question = Question(
        "q",
        "short",
        "?",
        accept=(ShortAnswer("Cat"), ShortAnswer("cat\\*"), ShortAnswer("C*t"), ShortAnswer("Kat", 50.0)),
    )
    assert right_answers(question) == ["Cat", "cat*"]
    assert right_answers(ANIMAL) == ["Cat"]


HOW_MANY = Question(
    "n",
    "numerical",
    "?",
    numbers=(
        NumericAnswer(value=4.0, feedback="Exactly."),
        NumericAnswer(min=3.0, max=5.0, weight=50.0, feedback="Near."),
        NumericAnswer(any_number=True, weight=0.0, feedback="Completely wrong."),
    ),
    feedback_partly="Some credit.",
)


@pytest.mark.parametrize(
    ("response", "credit", "feedback"),
    [
        (4, 1.0, ["Exactly."]),
        (4.5, 0.5, ["Near.", "Some credit."]),
        (-7.0, 0.0, ["Completely wrong."]),
        ("4", 0.0, []),
    ],
)
def test_numbers_first_match_and_the_catch_all(response: object, credit: float, feedback: list[str]) -> None:
    assert grade(HOW_MANY, response).credit == credit  # type: ignore[arg-type]
    assert answer_feedback(HOW_MANY, response) == feedback  # type: ignore[arg-type]


def test_overlapping_numbers_the_first_in_order_counts() -> None:
    """Moodle's rule: a broad range written first hides a narrower, better number after it."""
    broad_first = Question(
        "n",
        "numerical",
        "?",
        numbers=(NumericAnswer(min=20.0, max=30.0, weight=50.0), NumericAnswer(value=24.0, tolerance=0.5)),
    )
    assert grade(broad_first, 24.0).credit == 0.5
    assert grade(NUMERICAL, 24.0).credit == 1.0  # the exact value first, as it should be written


PETS = Question(
    "pets",
    "matching",
    "?",
    pairs=(Pair("p1", "Cat", "Kat"), Pair("p2", "Cow", "Koe"), Pair("p3", "Calf", "Koe")),
    distractors=("Chat", "Hond"),
    feedback_right="All right.",
    feedback_partly="Some right.",
    feedback_wrong="None right.",
)


def test_distractors_are_offered_and_never_right() -> None:
    offered = matching_offer(PETS)
    assert offered == ["p1", "p2", "~1", "~2"]
    assert [matching_texts(PETS)[i] for i in offered] == ["Kat", "Koe", "Chat", "Hond"]
    response = {"p1": "~1", "p2": "p2", "p3": "p2"}
    assert grade(PETS, response).credit == pytest.approx(2 / 3)
    assert [(pair.id, picked, right) for pair, picked, right in matching_picks(PETS, response)] == [
        ("p1", "Chat", False),
        ("p2", "Koe", True),
        ("p3", "Koe", True),
    ]
    assert answer_feedback(PETS, response) == ["Some right."]
    assert answer_feedback(PETS, {"p1": "p1", "p2": "p2", "p3": "p2"}) == ["All right."]
    assert answer_feedback(PETS, {"p1": "~2", "p2": "~1", "p3": "p1"}) == ["None right."]


def test_combined_feedback_follows_the_credit_of_every_type() -> None:
    single = Question(
        "s",
        "single",
        "?",
        options=(Option("a", "A", True, "A is it."), Option("b", "B")),
        feedback_right="Right.",
        feedback_wrong="Wrong.",
    )
    assert answer_feedback(single, "a") == ["A is it.", "Right."]
    assert answer_feedback(single, "b") == ["Wrong."]
    assert answer_feedback(single, None) == []
