"""Live quizzes (services/live.py) on SQLite and PostgreSQL: a whole run from the lobby to each
player's quiz attempt, seats that survive, late joiners, answers counted once (also from two threads
at once), late and forged answers, who may drive or see a run, stale and double controls, the streak
bonus, the leaderboard setting, the process-wide cache, and deleting a respondent or a workshop."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from identity import passwords
from quizzes.attempt import encode
from quizzes.model import Bank, NumericAnswer, Option, OrderItem, Pair, Question, ShortAnswer
from services import learning, live, respondents
from services import workshops as ws
from services.live import Action, AnswerRefused, Phase, Refusal
from storage import live as store
from storage import schema
from storage import workshops as workshops_store
from storage.engine import make_engine
from tests.workshop_fixtures import BANK, T0, Seated, join, make_workshop, user

T = TypeVar("T")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def refused(reason: Refusal, call: Callable[[], object]) -> AnswerRefused:
    with pytest.raises(AnswerRefused) as caught:
        call()
    assert caught.value.reason is reason, caught.value
    return caught.value


def rows(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(schema.metadata.tables[table])).scalar_one())


def stored_answers(engine: Engine, run_id: int) -> list[store.StoredAnswer]:
    with engine.connect() as connection:
        return store.answers_of_run(connection, run_id)


def scores(engine: Engine, run_id: int) -> dict[str, int]:
    with engine.connect() as connection:
        return {p.nickname: p.score for p in store.players_of(connection, run_id)}


def in_threads(*calls: Callable[[], T]) -> list[T | BaseException]:
    """Run the calls at once (released together by a barrier); each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


class Room:
    """A trainer, their workshop and its participants by nickname."""

    def __init__(self, engine: Engine, *nicknames: str) -> None:
        self.engine = engine
        self.trainer = user(engine, "anna")
        self.workshop = make_workshop(engine, self.trainer)
        self.people: dict[str, Seated] = {name: join(engine, self.workshop, name) for name in nicknames}

    def token(self, nickname: str) -> str:
        return self.people[nickname].token

    def start(self, bank: Bank = BANK, **options: object) -> live.RunState:
        return live.start_run(self.engine, self.trainer, self.workshop.id, bank, now=T0, **options)  # type: ignore[arg-type]

    def press(self, run: live.RunState, action: Action, when: float, bank: Bank = BANK) -> live.RunState:
        return live.control(self.engine, self.trainer, run.run_id, action, bank, now=at(when))

    def answer(self, nickname: str, run: live.RunState, question_id: str, response: object, when: float) -> live.Ack:
        return live.submit_answer(self.engine, self.token(nickname), run.run_id, question_id, response, BANK, at(when))


# A whole run -----------------------------------------------------------------------------------


def test_a_whole_run_from_the_lobby_to_each_players_quiz_attempt(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo", "Cy")
    run = room.start(seconds=20)
    assert (run.phase, run.question_index, run.question_count) == (Phase.LOBBY, None, 3)
    for name in ("Ann", "Bo"):
        state, seat = live.join_run(engine, room.token(name), now=at(0))
        assert (state.run_id, seat.first_question_index, seat.score, seat.joined_now) == (run.run_id, 0, 0, True)
    lobby = live.presenter_view(engine, room.trainer, run.run_id, now=at(0))
    assert (lobby.state.phase, lobby.nicknames, lobby.answered) == (Phase.LOBBY, ["Ann", "Bo"], 0)

    # Question 1 (single, 20 s from T0): Ann right at 0.3 s, Bo wrong at 2 s.
    run = room.press(run, Action.OPEN, 0)
    assert (run.phase, run.question_id, run.deadline_at) == (Phase.OPEN, "q1", at(20))
    assert room.answer("Ann", run, "q1", "a", 0.3).first
    assert room.answer("Bo", run, "q1", "b", 2).first
    open_view = live.presenter_view(engine, room.trainer, run.run_id, now=at(3))
    assert (open_view.answered, open_view.distribution, open_view.right_share) == (2, {}, None)
    assert scores(engine, run.run_id) == {"Ann": 0, "Bo": 0}
    assert [a.points for a in stored_answers(engine, run.run_id)] == [None, None]

    run = room.press(run, Action.CLOSE, 5)
    closed = live.presenter_view(engine, room.trainer, run.run_id, now=at(5))
    assert closed.state.phase is Phase.CLOSED
    assert closed.distribution == {encode("a"): 1, encode("b"): 1}
    assert closed.right_share == 0.5
    assert scores(engine, run.run_id) == {"Ann": 0, "Bo": 0}  # not before the reveal

    run = room.press(run, Action.REVEAL, 6)
    assert scores(engine, run.run_id) == {"Ann": 1000, "Bo": 0}
    ann = live.player_view(engine, room.token("Ann"), now=at(6))
    assert ann.answer is not None and (ann.answer.points, ann.seat.score, ann.place, ann.players) == (1000, 1000, 1, 2)
    bo = live.player_view(engine, room.token("Bo"), now=at(6))
    assert bo.answer is not None and (bo.answer.points, bo.seat.score, bo.place) == (0, 0, 2)

    run = room.press(run, Action.LEADERBOARD, 7)
    board = live.presenter_view(engine, room.trainer, run.run_id, now=at(7)).leaderboard
    assert [(s.nickname, s.score, s.place) for s in board] == [("Ann", 1000, 1), ("Bo", 0, 2)]

    # Question 2 (true/false, opens at 8 s): Cy joins late and plays from question 3.
    run = room.press(run, Action.NEXT, 8)
    assert (run.phase, run.question_id, run.deadline_at) == (Phase.OPEN, "q2", at(28))
    _state, cy = live.join_run(engine, room.token("Cy"), now=at(9))
    assert (cy.first_question_index, cy.score) == (2, 0)
    assert not live.player_view(engine, room.token("Cy"), now=at(9)).plays_current
    refused(Refusal.NOT_YET, lambda: room.answer("Cy", run, "q2", True, 9))
    assert room.answer("Ann", run, "q2", True, 18).answer.elapsed_ms == 10_000
    assert room.answer("Bo", run, "q2", True, 8.2).answer.elapsed_ms == 200
    # No close: the deadline closes it; the reveal comes after it.
    run = room.press(run, Action.REVEAL, 30)
    assert scores(engine, run.run_id) == {"Ann": 1750, "Bo": 1000, "Cy": 0}

    # Question 3 (short, opens at 31 s), then the podium.
    run = room.press(run, Action.NEXT, 31)
    assert live.player_view(engine, room.token("Cy"), now=at(31)).plays_current
    room.answer("Ann", run, "q3", " YES ", 36)  # 875
    room.answer("Bo", run, "q3", "no", 32)
    room.answer("Cy", run, "q3", "yes", 31.4)  # 1000
    run = room.press(run, Action.REVEAL, 52)
    assert scores(engine, run.run_id) == {"Ann": 2625, "Bo": 1000, "Cy": 1000}
    assert [a.place for a in [live.player_view(engine, room.token(n), now=at(52)) for n in ("Ann", "Bo", "Cy")]] == [
        1,
        2,
        2,
    ]
    assert Action.NEXT not in run.actions()
    run = room.press(run, Action.PODIUM, 53)
    podium = live.presenter_view(engine, room.trainer, run.run_id, now=at(53)).podium
    assert [(s.nickname, s.score, s.place) for s in podium] == [("Ann", 2625, 1), ("Bo", 1000, 2), ("Cy", 1000, 2)]

    run = room.press(run, Action.END, 60)
    assert run.phase is Phase.ENDED and run.actions() == []
    assert live.current_run(engine, room.workshop.id) is None
    assert [(r.run_id, r.phase) for r in live.runs_of_workshop(engine, room.trainer, room.workshop.id)] == [
        (run.run_id, Phase.ENDED)
    ]
    expected = {"Ann": (100, {"q1": "a", "q2": True, "q3": " YES "}), "Bo": (33, {"q1": "b", "q2": True, "q3": "no"})}
    expected["Cy"] = (100, {"q3": "yes"})
    for name, (percent, responses) in expected.items():
        attempts = learning.attempts(engine, room.people[name].respondent_id, BANK.id)
        assert [(a.score_percent, a.finished_at) for a in attempts] == [(percent, at(60))], name
        assert learning.responses(engine, attempts[0].id) == {q: encode(r) for q, r in responses.items()}  # type: ignore[arg-type]
    # Answers after the end count nowhere.
    refused(Refusal.NOT_OPEN, lambda: room.answer("Bo", run, "q1", "a", 61))


def test_the_streak_bonus_when_the_run_has_one(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start(seconds=10, streak_bonus=True)
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 0)  # 1000, streak 1
    room.answer("Bo", run, "q1", "a", 0)
    room.press(run, Action.REVEAL, 11)
    run = room.press(run, Action.NEXT, 12)
    room.answer("Ann", run, "q2", True, 12)  # 1000 + 100
    room.answer("Bo", run, "q2", False, 12)  # wrong: 0, streak broken
    room.press(run, Action.REVEAL, 23)
    run = room.press(run, Action.NEXT, 24)
    room.answer("Ann", run, "q3", "yes", 29)  # 750 + 200
    room.answer("Bo", run, "q3", "yes", 24)  # 1000, no bonus after a wrong one
    room.press(run, Action.REVEAL, 35)
    assert scores(engine, run.run_id) == {"Ann": 1000 + 1100 + 950, "Bo": 2000}
    points = {(a.question_id, a.respondent_id): a.points for a in stored_answers(engine, run.run_id)}
    ann = room.people["Ann"].respondent_id
    assert [points[(q, ann)] for q in ("q1", "q2", "q3")] == [1000, 1100, 950]


def test_without_the_streak_bonus_right_answers_in_a_row_get_no_more(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start(seconds=10)
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 0)
    room.press(run, Action.REVEAL, 11)
    run = room.press(run, Action.NEXT, 12)
    room.answer("Ann", run, "q2", True, 12)
    room.press(run, Action.REVEAL, 23)
    assert scores(engine, run.run_id) == {"Ann": 2000}


def test_a_missed_question_breaks_the_streak(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start(seconds=10, streak_bonus=True)
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 0)
    room.press(run, Action.REVEAL, 11)
    run = room.press(run, Action.NEXT, 12)
    room.press(run, Action.REVEAL, 23)  # no answer
    run = room.press(run, Action.NEXT, 24)
    room.answer("Ann", run, "q3", "yes", 24)
    room.press(run, Action.REVEAL, 35)
    assert scores(engine, run.run_id) == {"Ann": 2000}


# Seats ----------------------------------------------------------------------------------------


def test_the_seat_survives_a_refresh_with_its_answer_and_points(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start()
    live.join_run(engine, room.token("Bo"), now=at(0))
    _, first = live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 1)
    room.answer("Ann", run, "q1", "a", 6)  # 5 s into 20: 875
    view = live.player_view(engine, room.token("Ann"), now=at(7))  # the refresh, mid-question
    assert view.answer is not None and view.answer.response == encode("a") and view.answer.points is None
    assert view.seat.score == 0 and view.place is None
    room.press(run, Action.CLOSE, 8)
    room.press(run, Action.REVEAL, 9)
    _, again = live.join_run(engine, room.token("Ann"), now=at(9))
    assert (again.run_id, again.respondent_id, again.first_question_index) == (
        first.run_id,
        first.respondent_id,
        first.first_question_index,
    )
    assert (again.score, again.joined_now) == (875, False)
    view = live.player_view(engine, room.token("Ann"), now=at(10))
    assert view.answer is not None
    assert (view.answer.points, view.seat.score, view.place, view.players) == (875, 875, 1, 2)
    assert rows(engine, "live_players") == 2


def test_the_seated_view_follows_the_run_as_player_view_rebuilds_it(engine: Engine) -> None:
    """A phone's fragment runs rebuild its view from the last one (no seat transaction): at each step
    it equals the view rebuilt from storage, answers and points included."""
    room = Room(engine, "Ann", "Bo")
    run = room.start(seconds=20)
    live.join_run(engine, room.token("Bo"), now=at(0))
    known = live.player_view(engine, room.token("Ann"), now=at(0))
    bo = live.player_view(engine, room.token("Bo"), now=at(0))

    def step(when: float) -> None:
        nonlocal known, bo
        seen = live.seated_view(engine, known, now=at(when))
        assert seen == live.player_view(engine, room.token("Ann"), now=at(when)), when
        known = seen
        seen_bo = live.seated_view(engine, bo, now=at(when))
        assert seen_bo == live.player_view(engine, room.token("Bo"), now=at(when)), when
        bo = seen_bo

    step(0.5)
    run = room.press(run, Action.OPEN, 1)
    step(1.5)
    ack = room.answer("Ann", run, "q1", "a", 2)
    known = dataclasses.replace(known, answer=ack.answer)  # what the page keeps after storing
    step(3)
    step(25)  # the deadline passed: closed, the same version
    assert known.state.phase is Phase.CLOSED and known.answer is not None
    run = room.press(run, Action.REVEAL, 26)
    step(26.5)
    assert (known.answer is not None, known.seat.score, known.place, known.players) == (True, 975, 1, 2)
    assert (bo.seat.score, bo.place) == (0, 2)
    run = room.press(run, Action.NEXT, 27)
    step(27.5)
    assert known.answer is None and known.state.question_id == "q2"
    room.answer("Bo", run, "q2", True, 28)
    run = room.press(run, Action.REVEAL, 50)
    step(50.5)
    assert bo.answer is not None and bo.answer.points is not None
    run = room.press(run, Action.END, 52)
    assert live.seated_view(engine, known, now=at(53)) is None  # ended: the page takes the seat again


def test_a_late_joiner_enters_at_the_next_question_with_zero_points(engine: Engine) -> None:
    room = Room(engine, "Ann", "Zed")
    run = room.start(seconds=10)
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 1)
    _, zed = live.join_run(engine, room.token("Zed"), now=at(2))
    assert (zed.first_question_index, zed.score) == (1, 0)
    refused(Refusal.NOT_YET, lambda: room.answer("Zed", run, "q1", "a", 3))
    room.press(run, Action.REVEAL, 11)
    view = live.player_view(engine, room.token("Zed"), now=at(11))
    assert (view.seat.score, view.place, view.answer) == (0, 2, None)
    run = room.press(run, Action.NEXT, 12)
    assert room.answer("Zed", run, "q2", True, 12).first
    room.press(run, Action.REVEAL, 23)
    assert scores(engine, run.run_id) == {"Ann": 950, "Zed": 1000}
    # Joining while a question's time is up but not yet revealed: also the next question.
    room.people["Cy"] = join(engine, room.workshop, "Cy")
    run = room.press(run, Action.NEXT, 24)
    _, cy = live.join_run(engine, room.token("Cy"), now=at(40))  # past the deadline at 34
    assert cy.first_question_index == 3


def test_a_participant_of_no_workshop_or_without_a_valid_token_cannot_take_part(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    run = room.press(run, Action.OPEN, 0)
    token, _respondent, _round = respondents.start_assessment(engine, "quick")
    for call in (
        lambda t: live.join_run(engine, t, now=at(1)),
        lambda t: live.player_view(engine, t, now=at(1)),
        lambda t: live.submit_answer(engine, t, run.run_id, "q1", "a", BANK, now=at(1)),
    ):
        for bad in (token, "not-a-token", "", "A" * 43):
            with pytest.raises(live.NotSeated):
                call(bad)
    assert rows(engine, "live_players") == 0 and rows(engine, "live_answers") == 0


def test_no_run_going_says_so(engine: Engine) -> None:
    room = Room(engine, "Ann")
    with pytest.raises(live.NoRun):
        live.join_run(engine, room.token("Ann"))
    run = room.start()
    room.press(run, Action.END, 1)
    with pytest.raises(live.NoRun):
        live.player_view(engine, room.token("Ann"))


# Answers counted once ------------------------------------------------------------------------


def test_a_second_submission_counts_once_and_keeps_the_first(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    first = room.answer("Ann", run, "q1", "b", 1)
    second = room.answer("Ann", run, "q1", "a", 2)
    assert (first.first, second.first) == (True, False)
    assert second.answer == first.answer and second.answer.response == encode("b")
    # Repeating it after the deadline gives the same acknowledgement, not a refusal.
    assert room.answer("Ann", run, "q1", "a", 25).answer == first.answer
    room.press(run, Action.REVEAL, 26)
    assert scores(engine, run.run_id) == {"Ann": 0}
    assert rows(engine, "live_answers") == 1


def test_a_double_submit_from_two_threads_stores_one_row(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    results = in_threads(
        lambda: room.answer("Ann", run, "q1", "a", 1),
        lambda: room.answer("Ann", run, "q1", "b", 1.5),
    )
    acks = [r for r in results if isinstance(r, live.Ack)]
    assert len(acks) == 2, results
    assert sorted(a.first for a in acks) == [False, True]
    assert acks[0].answer == acks[1].answer
    assert rows(engine, "live_answers") == 1
    room.press(run, Action.REVEAL, 21)
    assert scores(engine, run.run_id) == {"Ann": 0 if acks[0].answer.response == encode("b") else 975}


def test_an_answer_after_the_deadline_or_the_close_is_late_and_counted_nowhere(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo", "Cy")
    run = room.start(seconds=10)
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 9.999)
    error = refused(Refusal.LATE, lambda: room.answer("Bo", run, "q1", "a", 10))  # at the deadline
    assert "late" in str(error)
    refused(Refusal.LATE, lambda: room.answer("Bo", run, "q1", "a", 30))
    view = live.presenter_view(engine, room.trainer, run.run_id, now=at(31))
    assert (view.answered, view.distribution) == (1, {encode("a"): 1})
    run = room.press(run, Action.REVEAL, 32)
    refused(Refusal.NOT_OPEN, lambda: room.answer("Bo", run, "q1", "a", 33))
    run = room.press(run, Action.NEXT, 34)
    room.press(run, Action.CLOSE, 35)
    refused(Refusal.LATE, lambda: room.answer("Cy", run, "q2", True, 36))
    run = room.press(run, Action.REVEAL, 37)
    assert scores(engine, run.run_id) == {"Ann": 500, "Bo": 0, "Cy": 0}
    assert {(a.question_id, a.respondent_id) for a in stored_answers(engine, run.run_id)} == {
        ("q1", room.people["Ann"].respondent_id)
    }
    room.press(run, Action.END, 38)
    for name in ("Bo", "Cy"):
        attempts = learning.attempts(engine, room.people[name].respondent_id)
        assert [a.score_percent for a in attempts] == [0]
        assert learning.responses(engine, attempts[0].id) == {}


def test_an_answer_to_a_question_that_is_not_open(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    refused(Refusal.NOT_OPEN, lambda: room.answer("Ann", run, "q1", "a", 0))  # the lobby
    run = room.press(run, Action.OPEN, 1)
    refused(Refusal.NOT_OPEN, lambda: room.answer("Ann", run, "q2", True, 2))  # another question
    refused(Refusal.NOT_OPEN, lambda: room.answer("Ann", run, "nope", "a", 2))
    refused(Refusal.NOT_OPEN, lambda: room.answer("Ann", run, "", "a", 2))
    other = Bank(id="other", title="Other", lesson="", feedback="end", pass_percent=50, questions=BANK.questions)
    refused(
        Refusal.NOT_OPEN,
        lambda: live.submit_answer(engine, room.token("Ann"), run.run_id, "q1", "a", other, at(2)),
    )
    assert rows(engine, "live_answers") == 0


def test_a_player_without_a_seat_in_the_run_is_refused(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 1)
    refused(Refusal.NO_SEAT, lambda: room.answer("Bo", run, "q1", "a", 2))
    assert rows(engine, "live_answers") == 0


# Checking responses ------------------------------------------------------------------------------

EVERY_TYPE = Bank(
    id="every",
    title="Every type",
    lesson="",
    feedback="end",
    pass_percent=50,
    questions=(
        Question(id="s", type="single", prompt="?", options=(Option("a", "A", correct=True), Option("b", "B"))),
        Question(
            id="m",
            type="multiple",
            prompt="?",
            options=(Option("a", "A", correct=True), Option("b", "B", correct=True), Option("c", "C")),
        ),
        Question(id="t", type="truefalse", prompt="?", answer=False),
        Question(id="o", type="ordering", prompt="?", items=(OrderItem("x", "X"), OrderItem("y", "Y"))),
        Question(
            id="p",
            type="matching",
            prompt="?",
            pairs=(Pair("p1", "one", "1"), Pair("p2", "two", "2"), Pair("p3", "uno", "1")),
        ),
        Question(id="w", type="short", prompt="?", accept=(ShortAnswer("yes"),)),
        Question(id="n", type="numerical", prompt="?", numbers=(NumericAnswer(value=3.0, tolerance=0.5),)),
    ),
)

GOOD = {
    "s": ["a", "b"],
    "m": [["a"], ["a", "b"], ["c", "a"], []],
    "t": [True, False],
    "o": [["x", "y"], ["y", "x"]],
    "p": [{"p1": "p1", "p2": "p2", "p3": "p1"}, {"p1": "p2"}, {}],
    "w": ["yes", "", "x" * 200, "<b>yes</b>"],
    "n": [3, 2.75, -1e300, 0],
}
BAD = {
    "s": ["z", "", None, ["a"], 1, True, {"a": 1}, "A"],
    "m": ["a", ["a", "z"], ["a", "a"], [1], None, {"a"}, [["a"]]],
    "t": ["true", 1, 0, None, "yes", [True]],
    "o": [["x"], ["x", "y", "y"], ["x", "z"], "xy", None, ["x", "y", "x"], {"x": 1}],
    "p": [{"p9": "p1"}, {"p1": "p3"}, {"p1": 1}, ["p1"], "p1", None, {"p1": None}],
    "w": ["x" * 201, 3, None, ["yes"], True],
    "n": ["3", None, True, float("nan"), float("inf"), -float("inf"), [3], 10**400],
}


@pytest.mark.parametrize("question_id", list(GOOD))
def test_check_response_takes_what_the_question_can_take(question_id: str) -> None:
    question = EVERY_TYPE.question(question_id)
    for response in GOOD[question_id]:
        live.check_response(question, response)


@pytest.mark.parametrize("question_id", list(BAD))
def test_check_response_refuses_forged_ids_and_wrong_shapes(question_id: str) -> None:
    question = EVERY_TYPE.question(question_id)
    for response in BAD[question_id]:
        with pytest.raises(AnswerRefused) as caught:
            live.check_response(question, response)
        assert caught.value.reason is Refusal.BAD_RESPONSE, response


def test_a_forged_option_is_refused_and_nothing_is_stored(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    for forged in ("z", ["a"], {"a": "a"}, None, "<script>", "a" * 5000):
        refused(Refusal.BAD_RESPONSE, lambda forged=forged: room.answer("Ann", run, "q1", forged, 1))  # type: ignore[misc]
    assert rows(engine, "live_answers") == 0
    assert room.answer("Ann", run, "q1", "a", 2).first  # a real answer still counts


# Who may see and drive a run ------------------------------------------------------------------------


def test_a_run_of_another_workshop_is_unknown_and_tells_nothing(engine: Engine) -> None:
    room = Room(engine, "Ann")
    ben = user(engine, "ben")
    elsewhere = make_workshop(engine, ben, name="Elsewhere")
    theirs_player = join(engine, elsewhere, "Eve")
    theirs = live.start_run(engine, ben, elsewhere.id, BANK, now=T0)
    live.join_run(engine, theirs_player.token, now=at(0))
    theirs = live.control(engine, ben, theirs.run_id, Action.OPEN, BANK, now=at(0))
    mine = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    with pytest.raises(live.UnknownRun) as other:
        room.answer("Ann", theirs, "q1", "a", 1)
    missing = dataclasses.replace(theirs, run_id=theirs.run_id + 100)
    with pytest.raises(live.UnknownRun) as none:
        room.answer("Ann", missing, "q1", "a", 1)
    assert str(other.value) == str(none.value).replace(str(missing.run_id), str(theirs.run_id))
    assert rows(engine, "live_answers") == 0
    assert mine.run_id != theirs.run_id
    # The trainer of one workshop cannot drive or see the other's run; an unknown id is UnknownRun.
    for call in (
        lambda: live.control(engine, room.trainer, theirs.run_id, Action.CLOSE, BANK, now=at(1)),
        lambda: live.presenter_view(engine, room.trainer, theirs.run_id, now=at(1)),
        lambda: live.runs_of_workshop(engine, room.trainer, elsewhere.id),
        lambda: live.set_leaderboard(engine, room.trainer, elsewhere.id, False),
        lambda: live.start_run(engine, room.trainer, elsewhere.id, BANK, now=at(1)),
    ):
        with pytest.raises(ws.NotAllowed):
            call()
    with pytest.raises(live.UnknownRun):
        live.control(engine, room.trainer, theirs.run_id + 100, Action.CLOSE, BANK, now=at(1))
    assert live.run_state(engine, theirs.run_id, now=at(1)).phase is Phase.OPEN  # type: ignore[union-attr]


def test_a_control_from_another_trainer_a_manager_or_a_non_staff_user_is_not_allowed(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    ben, mona, ada = user(engine, "ben"), user(engine, "mona", "manager"), user(engine, "ada", "admin")
    participant = room.people["Ann"].respondent_id  # an id that is no user's (or someone else's)
    for someone in (ben, mona, participant + 1000, 0, -1):
        for action in Action:
            with pytest.raises(ws.NotAllowed):
                live.control(engine, someone, run.run_id, action, BANK, now=at(1))
        with pytest.raises(ws.NotAllowed):
            live.presenter_view(engine, someone, run.run_id, now=at(1))
    after = live.run_state(engine, run.run_id)
    assert after is not None and (after.phase, after.version) == (Phase.LOBBY, run.version)
    # An admin may drive any workshop's run.
    assert live.control(engine, ada, run.run_id, Action.OPEN, BANK, now=at(2)).phase is Phase.OPEN


def test_a_control_the_phase_does_not_allow_is_refused_and_changes_nothing(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    for action in (Action.CLOSE, Action.REVEAL, Action.NEXT, Action.PODIUM, Action.LEADERBOARD):
        with pytest.raises(live.ControlRefused):
            room.press(run, action, 1)
    run = room.press(run, Action.OPEN, 2)
    with pytest.raises(live.ControlRefused):
        room.press(run, Action.CLOSE, 30)  # its deadline already closed it
    state = live.run_state(engine, run.run_id, now=at(30))
    assert state is not None and (state.phase, state.version) == (Phase.CLOSED, run.version)


def test_a_stale_control_does_nothing(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    seen = run.version
    run = live.control(engine, room.trainer, run.run_id, Action.OPEN, BANK, seen_version=seen, now=at(0))
    with pytest.raises(live.StaleControl):
        live.control(engine, room.trainer, run.run_id, Action.END, BANK, seen_version=seen, now=at(1))
    state = live.run_state(engine, run.run_id, now=at(1))
    assert state is not None and (state.phase, state.version) == (Phase.OPEN, run.version)
    closed = live.control(engine, room.trainer, run.run_id, Action.CLOSE, BANK, seen_version=run.version, now=at(2))
    assert closed.version == run.version + 1


def test_a_double_next_from_two_threads_moves_on_once(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    run = room.press(run, Action.OPEN, 0)
    run = room.press(run, Action.REVEAL, 21)
    for seen in (run.version, None):

        def press_next(run: live.RunState = run, seen: int | None = seen) -> live.RunState:
            return live.control(engine, room.trainer, run.run_id, Action.NEXT, BANK, seen_version=seen, now=at(22))

        results = in_threads(press_next, press_next)
        moved = [r for r in results if isinstance(r, live.RunState)]
        assert len(moved) == 1, results
        assert all(isinstance(r, (live.StaleControl, live.ControlRefused)) for r in results if r not in moved), results
        state = live.run_state(engine, run.run_id, now=at(22))
        assert state is not None and (state.phase, state.question_index, state.version) == (
            Phase.OPEN,
            run.question_index + 1,  # type: ignore[operator]
            run.version + 1,
        )
        run = room.press(state, Action.REVEAL, 43)
        if run.is_last:
            break


def test_a_double_reveal_from_two_threads_adds_the_points_once(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start(streak_bonus=True)
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    for index, (question_id, response) in enumerate((("q1", "a"), ("q2", True), ("q3", "yes"))):
        start = 30 * index
        run = room.press(run, Action.OPEN if index == 0 else Action.NEXT, start)
        room.answer("Ann", run, question_id, response, start)
        room.answer("Bo", run, question_id, response, start + 10)

        def reveal(run: live.RunState = run, start: int = start) -> live.RunState:
            return live.control(engine, room.trainer, run.run_id, Action.REVEAL, BANK, now=at(start + 21))

        results = in_threads(reveal, reveal, reveal)
        revealed = [r for r in results if isinstance(r, live.RunState)]
        assert len(revealed) == 1, results
        run = revealed[0]
    assert scores(engine, run.run_id) == {"Ann": 1000 + 1100 + 1200, "Bo": 750 + 850 + 950}
    results = in_threads(*[lambda: room.press(run, Action.END, 100) for _ in range(3)])
    assert len([r for r in results if isinstance(r, live.RunState)]) == 1, results
    for seated in room.people.values():
        assert [a.score_percent for a in learning.attempts(engine, seated.respondent_id)] == [100]


# Settings and starting ---------------------------------------------------------------------------


def test_the_leaderboard_setting_of_a_workshop(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    assert run.leaderboard
    run = room.press(run, Action.OPEN, 0)
    run = room.press(run, Action.REVEAL, 21)
    assert Action.LEADERBOARD in run.actions()
    live.cached_run_state(engine, run.run_id)  # in the cache now
    live.set_leaderboard(engine, room.trainer, room.workshop.id, False)
    cached = live.cached_run_state(engine, run.run_id, max_age=3600)
    assert cached is not None and not cached.leaderboard and cached.version == run.version + 1
    assert Action.LEADERBOARD not in cached.actions()
    with pytest.raises(live.ControlRefused):
        room.press(run, Action.LEADERBOARD, 22)
    run = room.press(run, Action.NEXT, 23)
    live.set_leaderboard(engine, room.trainer, room.workshop.id, True)
    state = live.run_state(engine, run.run_id, now=at(24))
    assert state is not None and state.leaderboard
    # A workshop made now shows it by default, through its own column.
    ben = user(engine, "ben")
    fresh = make_workshop(engine, ben, name="Fresh")
    assert live.start_run(engine, ben, fresh.id, BANK).leaderboard


def test_a_run_started_while_another_is_going_is_busy(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    with pytest.raises(live.RunBusy) as caught:
        room.start()
    assert caught.value.run_id == run.run_id
    room.press(run, Action.OPEN, 1)
    with pytest.raises(live.RunBusy):
        room.start()
    room.press(run, Action.END, 2)
    second = room.start()
    assert second.run_id != run.run_id and second.phase is Phase.LOBBY
    current = live.current_run(engine, room.workshop.id)
    assert current is not None and current.run_id == second.run_id


def test_start_refuses_a_bad_timer_count_or_empty_bank(engine: Engine) -> None:
    room = Room(engine, "Ann")
    for options in ({"seconds": 4}, {"seconds": 241}, {"question_count": 0}, {"question_count": 4}):
        with pytest.raises(ValueError):
            room.start(**options)
    empty = Bank(id="empty", title="Empty", lesson="", feedback="end", pass_percent=50, questions=())
    with pytest.raises(live.UnknownBank):
        room.start(empty)
    assert rows(engine, "live_runs") == 0
    two = room.start(question_count=2, seconds=5)
    assert (two.question_ids, two.seconds) == (("q1", "q2"), 5)


def test_the_distribution_shows_only_once_the_question_is_closed(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start(seconds=10)
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "c", 1)
    room.answer("Bo", run, "q1", "c", 2)
    during = live.presenter_view(engine, room.trainer, run.run_id, now=at(9.9))
    assert (during.state.phase, during.answered, during.distribution, during.right_share) == (Phase.OPEN, 2, {}, None)
    after = live.presenter_view(engine, room.trainer, run.run_id, now=at(10))
    assert (after.state.phase, after.distribution, after.right_share) == (Phase.CLOSED, {encode("c"): 2}, 0.0)


def test_the_presenter_and_the_phones_agree_on_shared_places(engine: Engine) -> None:
    names = ("Zoë", "bram", "Al", "Cas", "Dee", "Eli", "Fay")
    room = Room(engine, *names)
    run = room.start(seconds=10)
    for name in names:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    # Zoë and bram 1000; Al, Cas, Dee 900 (2 s); Eli 0 (wrong); Fay no answer.
    for name, when, response in (("Zoë", 0, "a"), ("bram", 0.5, "a"), ("Al", 2, "a"), ("Cas", 2, "a"), ("Dee", 2, "a")):
        room.answer(name, run, "q1", response, when)
    room.answer("Eli", run, "q1", "b", 1)
    run = room.press(run, Action.REVEAL, 11)
    view = live.presenter_view(engine, room.trainer, run.run_id, now=at(11))
    assert [(s.nickname, s.place) for s in view.leaderboard] == [
        ("bram", 1),
        ("Zoë", 1),
        ("Al", 3),
        ("Cas", 3),
        ("Dee", 3),
    ]
    assert [(s.nickname, s.place) for s in view.podium] == [("bram", 1), ("Zoë", 1), ("Al", 3), ("Cas", 3), ("Dee", 3)]
    presenter = {s.nickname: s.place for s in view.leaderboard}
    for name in names:
        phone = live.player_view(engine, room.token(name), now=at(11))
        assert phone.place == presenter.get(name, 6), name
        assert phone.players == len(names)


# The process-wide cache ---------------------------------------------------------------------------


def test_the_cache_sees_this_processs_controls_at_once_and_others_within_its_age(
    engine: Engine, database_url: str
) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    first = live.cached_run_state(engine, run.run_id, max_age=3600)
    assert first is not None and first.phase is Phase.LOBBY
    live.control(engine, room.trainer, run.run_id, Action.OPEN, BANK)  # this process: seen at once
    opened = live.cached_run_state(engine, run.run_id, max_age=3600)
    assert opened is not None and (opened.phase, opened.version) == (Phase.OPEN, first.version + 1)
    # Another process (another engine) closes it by writing the row itself.
    other = make_engine(database_url)
    try:
        with other.begin() as connection:
            stored = store.run_by_id(connection, run.run_id)
            assert stored is not None
            store.move_run(
                connection,
                run.run_id,
                phase=Phase.CLOSED.value,
                question_index=0,
                opened_at=stored.opened_at,
                deadline_at=stored.deadline_at,
                closed_at=stored.opened_at,
                ended_at=None,
            )
    finally:
        other.dispose()
    still = live.cached_run_state(engine, run.run_id, max_age=3600)
    assert still is not None and still.version == opened.version  # within its age: the cached row
    fresh = live.cached_run_state(engine, run.run_id, max_age=0)
    assert fresh is not None and (fresh.phase, fresh.version) == (Phase.CLOSED, opened.version + 1)
    assert live.cached_run_state(engine, run.run_id + 100) is None


def test_two_databases_with_the_same_run_id_do_not_share_cached_state(engine: Engine, tmp_path: object) -> None:
    """One process may hold engines on two databases (tests, a migration check): the caches keep
    them apart, so a run id and version that happen to be equal never mix."""
    other = make_engine(f"sqlite:///{tmp_path}/other.sqlite3")  # type: ignore[str-bytes-safe]
    from storage.migrate import upgrade

    upgrade(other)
    try:
        mine, theirs = Room(engine, "Ann", "Bo"), Room(other, "Ann", "Bo")
        for room, winner in ((mine, "Ann"), (theirs, "Bo")):
            run = room.start(seconds=10)
            for name in room.people:
                live.join_run(room.engine, room.token(name), now=at(0))
            run = room.press(run, Action.OPEN, 0)
            room.answer(winner, run, "q1", "a", 0)
            room.press(run, Action.REVEAL, 11)
        a = live.player_view(engine, mine.token("Ann"), now=at(12))
        b = live.player_view(other, theirs.token("Ann"), now=at(12))
        assert (a.state.run_id, a.state.version) == (b.state.run_id, b.state.version)
        assert (a.place, a.seat.score) == (1, 1000)
        assert (b.place, b.seat.score) == (2, 0)
        live.cached_run_state(engine, a.state.run_id)
        live.set_leaderboard(other, theirs.trainer, theirs.workshop.id, False)
        cached = live.cached_run_state(other, b.state.run_id, max_age=3600)
        assert cached is not None and not cached.leaderboard
    finally:
        other.dispose()


# Deleting ------------------------------------------------------------------------------------------


def test_deleting_a_respondent_removes_their_live_rows_only(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = room.start()
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 1)
    room.answer("Bo", run, "q1", "a", 1)
    respondents.delete_respondent(engine, room.people["Ann"].respondent_id)
    assert (rows(engine, "live_players"), rows(engine, "live_answers"), rows(engine, "live_runs")) == (1, 1, 1)
    run = room.press(run, Action.REVEAL, 21)
    assert scores(engine, run.run_id) == {"Bo": 975}
    with pytest.raises(live.NotSeated):
        live.player_view(engine, room.token("Ann"))


def test_deleting_a_workshop_removes_its_runs_and_nothing_else(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    ben = user(engine, "ben")
    elsewhere = make_workshop(engine, ben, name="Elsewhere")
    eve = join(engine, elsewhere, "Eve")
    for trainer, workshop, seated in ((room.trainer, room.workshop, room.people.values()), (ben, elsewhere, [eve])):
        run = live.start_run(engine, trainer, workshop.id, BANK, now=T0)
        for person in seated:
            live.join_run(engine, person.token, now=at(0))
        run = live.control(engine, trainer, run.run_id, Action.OPEN, BANK, now=at(0))
        for person in seated:
            live.submit_answer(engine, person.token, run.run_id, "q1", "a", BANK, now=at(1))
        live.control(engine, trainer, run.run_id, Action.END, BANK, now=at(2))
    live.start_run(engine, room.trainer, room.workshop.id, BANK, now=at(3))  # a second run, in its lobby
    assert (rows(engine, "live_runs"), rows(engine, "live_players"), rows(engine, "live_answers")) == (3, 3, 3)
    deleted = ws.delete_workshop(engine, room.trainer, room.workshop.id)
    assert deleted.participants == 2
    assert (rows(engine, "live_runs"), rows(engine, "live_players"), rows(engine, "live_answers")) == (1, 1, 1)
    remaining = live.runs_of_workshop(engine, ben, elsewhere.id)
    assert len(remaining) == 1 and scores(engine, remaining[0].run_id) == {"Eve": 0}


# The end and the question it finds ------------------------------------------------------------------


def _two_questions_then(engine: Engine, room: Room, second_closed: bool) -> live.RunState:
    """q1 answered and revealed; q2 answered by Ann (right, at 2 s of 10); Bo not yet; q2 then
    closed (or left open) when the trainer presses end."""
    run = room.start(seconds=10)
    for name in room.people:
        live.join_run(engine, room.token(name), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 0)
    room.answer("Bo", run, "q1", "a", 0)
    room.press(run, Action.REVEAL, 11)
    run = room.press(run, Action.NEXT, 12)
    room.answer("Ann", run, "q2", True, 14)
    if second_closed:
        run = room.press(run, Action.CLOSE, 15)
    return room.press(run, Action.END, 16)


def test_the_end_while_a_question_is_open_counts_it_for_no_one(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = _two_questions_then(engine, room, second_closed=False)
    assert scores(engine, run.run_id) == {"Ann": 1000, "Bo": 1000}
    kept = {(a.question_id, a.respondent_id): a.points for a in stored_answers(engine, run.run_id)}
    assert kept[("q2", room.people["Ann"].respondent_id)] is None  # stored, for the statistics
    for name in room.people:
        attempts = learning.attempts(engine, room.people[name].respondent_id)
        assert [a.score_percent for a in attempts] == [100]
        assert set(learning.responses(engine, attempts[0].id)) == {"q1"}
    stored = live.run_state(engine, run.run_id)
    assert stored is not None and stored.phase is Phase.ENDED
    with engine.connect() as connection:
        ended = store.run_by_id(connection, run.run_id)
    assert ended is not None and ended.closed_at == at(16) and ended.ended_at == at(16)


def test_the_end_after_a_question_closed_counts_it_as_a_reveal_would(engine: Engine) -> None:
    room = Room(engine, "Ann", "Bo")
    run = _two_questions_then(engine, room, second_closed=True)
    assert scores(engine, run.run_id) == {"Ann": 1000 + 900, "Bo": 1000}
    percents = {
        name: [a.score_percent for a in learning.attempts(engine, room.people[name].respondent_id)]
        for name in room.people
    }
    assert percents == {"Ann": [100], "Bo": [50]}


def test_the_end_after_the_deadline_without_a_close_counts_the_question(engine: Engine) -> None:
    room = Room(engine, "Ann")
    run = room.start(seconds=10)
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 0)
    run = room.press(run, Action.END, 30)
    assert scores(engine, run.run_id) == {"Ann": 1000}
    assert [a.score_percent for a in learning.attempts(engine, room.people["Ann"].respondent_id)] == [100]


def test_an_answer_overtaken_by_a_close_and_reveal_is_either_refused_or_counted(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer has read the run as open; before it is stored the trainer closes and reveals. On
    SQLite the controls get through first (the answer held no lock yet): the answer must then be
    refused, not stored without points. On PostgreSQL the answer's shared lock holds the controls
    back until it is stored: the reveal must then count it. Never stored and left out."""
    room = Room(engine, "Ann")
    run = room.start(seconds=10)
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    insert = store.insert_answer
    trainer = threading.Thread(
        target=lambda: (room.press(run, Action.CLOSE, 2), room.press(run, Action.REVEAL, 3)), daemon=True
    )

    def overtaken(*args: object, **kwargs: object) -> bool:
        trainer.start()
        trainer.join(timeout=3)  # SQLite: done; PostgreSQL: waiting for this answer's lock
        return insert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "insert_answer", overtaken)
    try:
        room.answer("Ann", run, "q1", "a", 1)
    except AnswerRefused as error:
        assert error.reason is Refusal.LATE
    trainer.join(timeout=60)
    state = live.run_state(engine, run.run_id)
    assert state is not None and state.phase is Phase.REVEAL
    stored = stored_answers(engine, run.run_id)
    assert [a.points for a in stored] in ([], [950])
    assert scores(engine, run.run_id) == {"Ann": 950 if stored else 0}


def test_deleting_a_workshop_removes_its_runs_without_relying_on_cascades(engine: Engine) -> None:
    """storage.workshops.delete_workshop deletes children first: with SQLite's foreign keys off (no
    ON DELETE CASCADE at all) no run, seat or answer of the workshop is left behind."""
    room = Room(engine, "Ann")
    run = room.start()
    live.join_run(engine, room.token("Ann"), now=at(0))
    run = room.press(run, Action.OPEN, 0)
    room.answer("Ann", run, "q1", "a", 1)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            stored = workshops_store.workshop_by_id(connection, room.workshop.id)
            assert stored is not None
            workshops_store.delete_workshop(connection, stored)
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    assert (rows(engine, "live_runs"), rows(engine, "live_players"), rows(engine, "live_answers")) == (0, 0, 0)


def test_phones_asking_at_once_when_the_cached_row_is_old_cost_one_query(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = Room(engine, "Ann")
    run = room.start()
    live._RUNS.clear()
    reads: list[int] = []
    read = store.run_by_id

    def slow_read(*args: object, **kwargs: object) -> store.StoredRun | None:
        reads.append(1)
        threading.Event().wait(0.2)  # a slow database: the other phones ask meanwhile
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "run_by_id", slow_read)
    results = in_threads(*[lambda: live.cached_run_state(engine, run.run_id, max_age=3600) for _ in range(12)])
    assert all(isinstance(r, live.RunState) and r.version == run.version for r in results), results
    assert len(reads) == 1


def test_a_row_read_before_a_control_never_hides_it_in_the_cache(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone reads the run (version n); the trainer's control in this process commits n + 1 and
    puts it in the cache; then the phone's read arrives and is stored: the cache keeps n + 1."""
    room = Room(engine, "Ann")
    run = room.start()
    live._RUNS.clear()
    read = store.run_by_id
    pressed: list[live.RunState] = []

    def overtaken_read(*args: object, **kwargs: object) -> store.StoredRun | None:
        row = read(*args, **kwargs)  # type: ignore[arg-type]
        if not pressed:
            monkeypatch.setattr(store, "run_by_id", read)
            pressed.append(live.control(engine, room.trainer, run.run_id, Action.OPEN, BANK))
        return row

    monkeypatch.setattr(store, "run_by_id", overtaken_read)
    live.cached_run_state(engine, run.run_id, max_age=3600)
    cached = live.cached_run_state(engine, run.run_id, max_age=3600)
    assert cached is not None and (cached.phase, cached.version) == (Phase.OPEN, pressed[0].version)


def test_a_join_overtaken_by_the_first_question_plays_from_the_next(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone reads the run in its lobby; before its seat is written the trainer opens and reveals
    question 1. The player cannot have answered it: they play from question 2, and question 1 does
    not count against them in their attempt."""
    room = Room(engine, "Ann", "Bo")
    run = room.start(seconds=10)
    live.join_run(engine, room.token("Ann"), now=at(0))
    insert = store.insert_player

    def overtaken(*args: object, **kwargs: object) -> bool:
        monkeypatch.setattr(store, "insert_player", insert)
        opened = room.press(run, Action.OPEN, 0)
        room.answer("Ann", opened, "q1", "a", 1)
        room.press(opened, Action.REVEAL, 11)
        return insert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "insert_player", overtaken)
    state, bo = live.join_run(engine, room.token("Bo"), now=at(12))
    assert (state.phase, bo.first_question_index, bo.joined_now) == (Phase.REVEAL, 1, True)
    run = room.press(state, Action.NEXT, 13)
    room.answer("Bo", run, "q2", True, 13)
    room.press(run, Action.CLOSE, 14)
    room.press(run, Action.END, 15)
    assert [a.score_percent for a in learning.attempts(engine, room.people["Bo"].respondent_id)] == [100]
