"""The content check's rules on answers tried in order (learning.answers): a short answer or number
that an earlier one always matches first never counts (an error), a catch-all at full credit or
without credit and feedback (warnings), tags spelled two ways (a warning); and the near-duplicate
check reads a short answer's right answers, not its patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.problems import WARNING
from learning.answers import answer_problems, tag_problems, tag_summary
from learning.duplicates import question_texts
from quizzes.loader import load_bank
from quizzes.model import Bank, NumericAnswer, Question, ShortAnswer


def bank(*questions: Question) -> Bank:
    return Bank("b", "B", "", "instant", 70, questions, file="b.toml", lines={"questions[0].accept": 7})


def short(*accept: ShortAnswer, case_sensitive: bool = False) -> Question:
    return Question("s", "short", "?", accept=accept, case_sensitive=case_sensitive)


def numerical(*numbers: NumericAnswer) -> Question:
    return Question("n", "numerical", "?", numbers=numbers)


def found(question: Question) -> list[tuple[str, str, bool]]:
    return [(p.path, p.message, p.is_error) for p in answer_problems([bank(question)])]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (short(ShortAnswer("Cat"), ShortAnswer("cat", 50.0)), [("questions[0].accept[1]", '"Cat"', True)]),
        (short(ShortAnswer("Cat"), ShortAnswer("cat", 50.0), case_sensitive=True), []),
        (short(ShortAnswer("C*t", 50.0), ShortAnswer("Cat")), [("questions[0].accept[1]", '"C*t"', True)]),
        (short(ShortAnswer("Cat"), ShortAnswer("C*t", 50.0)), []),
        (
            short(ShortAnswer("Cat"), ShortAnswer("*", 0.0, "No."), ShortAnswer("Dog")),
            [("questions[0].accept[2]", '"*"', True)],
        ),
        (
            short(ShortAnswer("Cat"), ShortAnswer("*", 0.0, "No."), ShortAnswer("D*g")),
            [("questions[0].accept[2]", '"*"', True)],
        ),
        (short(ShortAnswer("a*"), ShortAnswer("a\\*", 50.0)), [("questions[0].accept[1]", '"a*"', True)]),
        (short(ShortAnswer("a\\*"), ShortAnswer("ab", 50.0)), []),  # a star itself matches no "b"
        (
            numerical(NumericAnswer(min=20.0, max=30.0, weight=50.0), NumericAnswer(value=24.0, tolerance=0.5)),
            [("questions[0].numbers[1]", "range 20..30", True)],
        ),
        (numerical(NumericAnswer(value=24.0, tolerance=0.5), NumericAnswer(min=20.0, max=30.0, weight=50.0)), []),
        (
            numerical(
                NumericAnswer(value=4.0),
                NumericAnswer(any_number=True, weight=0.0, feedback="No."),
                NumericAnswer(value=5.0),
            ),
            [("questions[0].numbers[2]", "any_number", True)],
        ),
    ],
)
def test_an_answer_an_earlier_one_always_matches_first_never_counts(
    question: Question, expected: list[tuple[str, str, bool]]
) -> None:
    problems = found(question)
    assert [(path, error) for path, _message, error in problems] == [(path, error) for path, _n, error in expected]
    for (_path, message, _error), (_p, named, _e) in zip(problems, expected, strict=True):
        assert "never counts" in message and named in message


def test_catch_alls_that_give_everything_or_nothing_are_warned_about() -> None:
    full = found(short(ShortAnswer("Cat"), ShortAnswer("*")))
    assert full == [("questions[0].accept[1]", "a catch-all at full credit: every answer is right", False)]
    silent = found(numerical(NumericAnswer(value=4.0), NumericAnswer(any_number=True, weight=0.0)))
    assert [(path, error) for path, _m, error in silent] == [("questions[0].numbers[1]", False)]
    assert "changes nothing" in silent[0][1]
    assert found(short(ShortAnswer("Cat"), ShortAnswer("*", 0.0, "Think of pets."))) == []


def test_a_problem_has_the_bank_file_and_the_line_of_the_key(tmp_path: Path) -> None:
    path = tmp_path / "b.toml"
    path.write_text(
        'id = "b"\ntitle = "B"\nfeedback = "end"\n\n[[questions]]\nid = "s"\ntype = "short"\nprompt = "?"\n'
        'accept = ["Cat", "*"]\n',
        encoding="utf-8",
    )
    loaded, problems = load_bank(path)
    assert problems == [] and loaded is not None
    (problem,) = answer_problems([loaded])
    assert (problem.file, problem.line, problem.severity) == (str(path), 9, WARNING)


def test_tags_spelled_two_ways_and_the_summary() -> None:
    first = Question("a", "single", "?", tags=("Webcare", "tone"))
    second = Question("b", "single", "?", tags=("webcare ",))
    third = Question("c", "single", "?")
    problems = tag_problems([bank(first, second, third)])
    assert [(p.path, p.message, p.is_error) for p in problems] == [
        (
            "questions[1].tags[0]",
            'tag "webcare " is also written "Webcare": one spelling keeps them in one filter',
            False,
        )
    ]
    assert tag_summary([bank(first, second, third)]) == "Tags: 3 distinct tag(s) on 2 of 3 question(s)."


def test_near_duplicates_read_the_right_answers_not_the_patterns() -> None:
    question = Question(
        "s",
        "short",
        "Which animal?",
        accept=(ShortAnswer("Cat"), ShortAnswer("C*t", 50.0), ShortAnswer("*", 0.0, "No.")),
    )
    assert question_texts(question) == ["Which animal? Cat "]
