"""Learning progress use cases on SQLite and PostgreSQL: lessons done (with two writers at once),
quiz attempts, responses and scores."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from services import learning
from services import respondents as visits
from storage.errors import TextFieldError, TextProblem


def test_lessons_are_marked_done_and_undone(engine: Engine) -> None:
    _, respondent, _ = visits.start_assessment(engine, "full")
    learning.mark_lesson_done(engine, respondent.id, "four-stages", True)
    learning.mark_lesson_done(engine, respondent.id, "four-stages", True)
    learning.mark_lesson_done(engine, respondent.id, "listening-audience", True)
    assert learning.lessons_completed(engine, respondent.id) == {"four-stages", "listening-audience"}
    learning.mark_lesson_done(engine, respondent.id, "four-stages", False)
    learning.mark_lesson_done(engine, respondent.id, "four-stages", False)
    assert learning.lessons_completed(engine, respondent.id) == {"listening-audience"}


def test_two_tabs_marking_the_same_lesson_at_once_raise_nothing(engine: Engine) -> None:
    """Reliability D4: a delete-then-insert let both writers insert on PostgreSQL, and one got a
    UniqueViolation. Pairs of threads released together by a barrier, many times."""
    respondents = [visits.start_assessment(engine, "full")[1] for _ in range(3)]
    errors: list[BaseException] = []
    for respondent in respondents:
        for lesson in ("four-stages", "webcare", "listening-audience", "content", "policy"):
            barrier = threading.Barrier(2)

            def mark(respondent_id: int = respondent.id, lesson_id: str = lesson, gate=barrier) -> None:  # noqa: ANN001
                try:
                    gate.wait()
                    learning.mark_lesson_done(engine, respondent_id, lesson_id, True)
                except BaseException as error:  # noqa: BLE001 - collected and asserted below
                    errors.append(error)

            pair = [threading.Thread(target=mark) for _ in range(2)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()
    assert errors == []
    for respondent in respondents:
        assert len(learning.lessons_completed(engine, respondent.id)) == 5


def test_quiz_attempts_keep_their_seed_responses_and_first_score(engine: Engine) -> None:
    _, respondent, _ = visits.start_assessment(engine, "full")
    first = learning.start_attempt(engine, respondent.id, "four-stages")
    assert learning.start_attempt(engine, respondent.id, "four-stages") == first, "a double click: the same attempt"
    other = learning.start_attempt(engine, respondent.id, "cases")
    assert 0 <= first.seed < 2**31
    learning.save_response(engine, first.id, "q1", '{"choice": "a"}')
    learning.save_response(engine, first.id, "q1", '{"choice": "b"}')
    learning.save_response(engine, first.id, "q2", '{"order": ["x", "y"]}')
    assert learning.responses(engine, first.id) == {"q1": '{"choice": "b"}', "q2": '{"order": ["x", "y"]}'}
    learning.finish_attempt(engine, first.id, 75)
    learning.finish_attempt(engine, first.id, 100)  # a second finish (a double click) does not rewrite the score
    second = learning.start_attempt(engine, respondent.id, "four-stages")
    assert second.id != first.id, "a retake after a finished attempt is a new attempt"
    assert learning.responses(engine, second.id) == {}
    stored = learning.attempts(engine, respondent.id, "four-stages")
    assert [(a.id, a.score_percent) for a in stored] == [(first.id, 75), (second.id, None)]
    assert stored[0].finished_at is not None and stored[0].seed == first.seed
    assert [a.id for a in learning.attempts(engine, respondent.id)] == [first.id, other.id, second.id]


def test_an_over_long_quiz_response_is_refused(engine: Engine) -> None:
    _, respondent, _ = visits.start_assessment(engine, "full")
    attempt = learning.start_attempt(engine, respondent.id, "cases")
    with pytest.raises(TextFieldError) as error:
        learning.save_response(engine, attempt.id, "q1", '"' + "x" * 4000 + '"')
    assert (error.value.field, error.value.problem, error.value.limit) == ("response", TextProblem.TOO_LONG, 4000)
    assert learning.responses(engine, attempt.id) == {}
