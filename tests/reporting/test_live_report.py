"""A live run's report from its stored rows: per-question statistics (who could answer, answers,
right with full credit, mean points, options chosen, median time) and the final ranking with
shared places, for ties, partial credit, a question nobody answered and a late joiner."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from quizzes.model import Bank, Option, Question, ShortAnswer
from reporting.live_report import asked_count, live_report
from storage.live import StoredAnswer, StoredPlayer, StoredRun

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)

BANK = Bank(
    id="live",
    title="Live quiz",
    lesson="",
    feedback="end",
    pass_percent=50,
    questions=(
        Question(
            id="q1",
            type="single",
            title="Pick",
            prompt="Pick A",
            options=(Option("a", "A", correct=True), Option("b", "B"), Option("c", "C")),
        ),
        Question(
            id="q2",
            type="multiple",
            prompt="Pick A and B",
            options=(Option("a", "A", correct=True), Option("b", "B", correct=True), Option("c", "C")),
        ),
        Question(id="q3", type="truefalse", prompt="Is it true?", answer=True),
        Question(id="q4", type="short", prompt="Say yes", accept=(ShortAnswer("yes"),)),
    ),
)

ANN, BO, CY, DEE = 1, 2, 3, 4


def run(question_index: int | None = 2, ended: bool = True) -> StoredRun:
    return StoredRun(
        id=7,
        workshop_id=1,
        bank_id="live",
        started_by_user_id=1,
        question_ids=("q1", "q2", "q3", "q4"),
        seconds_per_question=20,
        streak_bonus=False,
        phase="ended" if ended else "open",
        question_index=question_index,
        opened_at=None,
        deadline_at=None,
        closed_at=None,
        version=9,
        created_at=T0,
        ended_at=T0 + timedelta(minutes=5) if ended else None,
        leaderboard=True,
    )


def player(respondent_id: int, nickname: str, score: int, first: int = 0) -> StoredPlayer:
    return StoredPlayer(7, respondent_id, nickname, T0, first, score, 0)


def answer(
    question_id: str, respondent_id: int, response: str, ms: int, credit: float, points: int | None
) -> StoredAnswer:
    return StoredAnswer(7, question_id, respondent_id, response, T0, ms, credit, points)


# Ann and Bo tie on 1350 points; Cy joined while q1 was open (plays from q2); Dee joined in the lobby
# and answered nothing. q2 is a multiple answer: Ann's one right option of two is half credit. q3 was
# asked and nobody answered it; q4 was never asked.
PLAYERS = [player(DEE, "Dee", 0), player(BO, "bo", 1350), player(ANN, "Ann", 1350), player(CY, "Cy", 450, first=1)]
ANSWERS = [
    answer("q1", ANN, '"a"', 1000, 1.0, 950),
    answer("q1", BO, '"b"', 3000, 0.0, 0),
    answer("q2", ANN, '["a"]', 2000, 0.5, 400),
    answer("q2", BO, '["a", "b"]', 4000, 1.0, 1350),
    answer("q2", CY, '["b", "a"]', 1500, 1.0, 450),
]


def test_the_ranking_shares_places_for_equal_scores_and_counts_answers() -> None:
    report = live_report(run(), BANK, PLAYERS, ANSWERS)
    ranked = [(p.place, p.nickname, p.score, p.could_answer, p.answered, p.right) for p in report.ranking]
    assert ranked == [
        (1, "Ann", 1350, 3, 2, 1),  # a tie: by nickname without case, Ann before bo
        (1, "bo", 1350, 3, 2, 1),
        (3, "Cy", 450, 2, 1, 1),  # the next place skips; a late joiner could answer two of three
        (4, "Dee", 0, 3, 0, 0),
    ]
    assert report.players == 4
    assert (report.run_id, report.bank_title, report.asked, report.question_count) == (7, "Live quiz", 3, 4)
    assert report.ended


def test_per_question_statistics() -> None:
    q1, q2, q3 = live_report(run(), BANK, PLAYERS, ANSWERS).questions
    # q1: the late joiner could not answer it.
    assert (q1.position, q1.title, q1.prompt, q1.could_answer, q1.answered, q1.right) == (1, "Pick", "Pick A", 3, 2, 1)
    assert q1.percent_right == 50
    assert q1.mean_points == 475
    assert q1.median_seconds == 2.0
    assert [(o.option_id, o.text, o.correct, o.chosen) for o in q1.options] == [
        ("a", "A", True, 1),
        ("b", "B", False, 1),
        ("c", "C", False, 0),
    ]
    # q2: half credit is not right; every option chosen counted once per answer.
    assert (q2.could_answer, q2.answered, q2.right) == (4, 3, 2)
    assert q2.percent_right is not None and round(q2.percent_right, 1) == 66.7
    assert q2.mean_points is not None and round(q2.mean_points, 2) == round((400 + 1350 + 450) / 3, 2)
    assert q2.median_seconds == 2.0
    assert {o.option_id: o.chosen for o in q2.options} == {"a": 3, "b": 2, "c": 0}
    # q3: asked, nobody answered.
    assert (q3.could_answer, q3.answered, q3.right) == (4, 0, 0)
    assert q3.percent_right is None and q3.mean_points is None and q3.median_seconds is None
    assert [(o.option_id, o.correct, o.chosen) for o in q3.options] == [("true", True, 0), ("false", False, 0)]


def test_points_not_yet_added_are_left_out_of_the_mean() -> None:
    """A run ended while a question was open or closed: its answers have no points."""
    unrevealed = [answer("q1", ANN, '"a"', 800, 1.0, None), answer("q1", BO, '"a"', 900, 1.0, None)]
    (q1,) = live_report(run(question_index=0), BANK, PLAYERS, unrevealed).questions
    assert (q1.answered, q1.right, q1.mean_points, q1.median_seconds) == (2, 2, None, 0.85)


def test_a_run_still_going_and_one_ended_in_the_lobby() -> None:
    going = live_report(run(question_index=0, ended=False), BANK, PLAYERS, ANSWERS)
    assert not going.ended and going.asked == 1
    assert [p.answered for p in going.ranking if p.nickname in ("Ann", "bo")] == [1, 1]  # q2's answers left out
    lobby = live_report(run(question_index=None), BANK, PLAYERS[:1], [])
    assert lobby.questions == () and asked_count(run(question_index=None)) == 0
    assert [(p.place, p.could_answer) for p in lobby.ranking] == [(1, 0)]


def test_a_bank_no_longer_in_the_course_still_gives_the_stored_numbers() -> None:
    report = live_report(run(), None, PLAYERS, ANSWERS)
    assert report.bank_title == "live"
    q1 = report.questions[0]
    assert (q1.prompt, q1.type, q1.options) == ("", "", ())
    assert (q1.answered, q1.right, q1.mean_points) == (2, 1, 475)


def test_an_answer_that_no_longer_fits_the_question_is_not_counted_as_an_option() -> None:
    edited = [answer("q1", ANN, '["a"]', 1000, 1.0, 950)]  # q1 became a single choice since
    (q1, _q2, _q3) = live_report(run(), BANK, PLAYERS, edited).questions
    assert q1.answered == 1 and all(o.chosen == 0 for o in q1.options)
