"""A workshop's live quiz results on SQLite and PostgreSQL, with runs driven through services.live:
who may see them, the runs newest first with their questions and ranking, and each player's answers
counted as a finished attempt in the workshop's quiz statistics and participants' best scores."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from identity import passwords
from quizzes.live import Action
from reporting import workshop_export as export
from services import live
from services import workshop_results as wr
from services.live_results import NotAllowed, UnknownWorkshop, live_results
from services.results import current_model
from tests.live_results_fixtures import at, play
from tests.workshop_fixtures import BANK, COURSE, make_workshop, user


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_only_the_trainer_or_an_admin_sees_the_live_results(engine: Engine) -> None:
    anna, ben, admin = user(engine, "anna"), user(engine, "ben"), user(engine, "root", "admin")
    workshop = make_workshop(engine, anna)
    play(engine, anna, workshop)
    assert len(live_results(engine, anna, workshop.id, COURSE)) == 1
    assert live_results(engine, admin, workshop.id, COURSE)[0].players == 3
    for outsider in (ben, 9999):
        with pytest.raises(NotAllowed):
            live_results(engine, outsider, workshop.id, COURSE)
    with pytest.raises(NotAllowed):  # a guessed id: the same refusal as another trainer's workshop
        live_results(engine, anna, workshop.id + 100, COURSE)
    with pytest.raises(UnknownWorkshop):
        live_results(engine, admin, workshop.id + 100, COURSE)


def test_a_runs_questions_and_ranking(engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    run_id = play(engine, anna, workshop)
    (report,) = live_results(engine, anna, workshop.id, COURSE)
    assert (report.run_id, report.bank_id, report.bank_title) == (run_id, "mini", "Mini quiz")
    assert report.ended and (report.asked, report.question_count, report.players) == (2, 2, 3)
    assert (report.started_at, report.ended_at) == (at(0), at(22))
    q1, q2 = report.questions
    assert (q1.prompt, q1.could_answer, q1.answered, q1.right) == ("Pick A", 2, 2, 1)
    assert [(o.option_id, o.chosen) for o in q1.options] == [("a", 1), ("b", 1), ("c", 0)]
    assert q1.mean_points == 500  # Ann 1000 within the first half-second, Bo wrong
    assert q1.median_seconds == pytest.approx((0.2 + 5.0) / 2)
    assert (q2.could_answer, q2.answered, q2.right) == (3, 3, 2)
    assert [(o.option_id, o.chosen) for o in q2.options] == [("true", 2), ("false", 1)]
    ranking = [(p.place, p.nickname, p.could_answer, p.answered, p.right) for p in report.ranking]
    assert ranking == [(1, "Ann", 2, 2, 2), (2, "Bo", 2, 2, 1), (3, "Cy", 1, 1, 0)]
    assert report.ranking[0].score == 2000


def test_runs_of_every_bank_newest_first_and_none_of_another_workshop(engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    first = play(engine, anna, workshop)
    second = live.start_run(engine, anna, workshop.id, BANK, now=at(100)).run_id
    live.control(engine, anna, second, Action.END, BANK, now=at(101))  # ended in the lobby
    other = make_workshop(engine, anna, name="Other")
    live.start_run(engine, anna, other.id, BANK, now=at(200))
    found = live_results(engine, anna, workshop.id, COURSE)
    assert [r.run_id for r in found] == [second, first]
    assert (found[0].asked, found[0].players, found[0].questions) == (0, 0, ())
    assert len(live_results(engine, anna, other.id, COURSE)) == 1
    assert live_results(engine, anna, make_workshop(engine, anna, name="None").id, COURSE) == ()


def test_a_runs_answers_are_finished_attempts_in_the_quiz_statistics(engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    play(engine, anna, workshop)
    found = wr.workshop_results(engine, anna, workshop.id, current_model(), COURSE)
    (quiz,) = found.quizzes
    assert (quiz.bank_id, quiz.attempts, quiz.participants) == ("mini", 3, 3)
    q1, q2, q3 = quiz.questions
    assert (q1.answered, q1.correct, q2.answered, q2.correct, q3.answered) == (2, 1, 3, 2, 0)
    assert {o.option_id: o.chosen for o in q1.options} == {"a": 1, "b": 1, "c": 0}
    # Scored over the questions asked while each played: Ann 2/2, Bo 1/2, Cy 0/1.
    assert {p.nickname: p.best_scores for p in found.participants} == {
        "Ann": {"mini": 100},
        "Bo": {"mini": 50},
        "Cy": {"mini": 0},
    }
    assert quiz.mean_score == pytest.approx(50)


def test_the_exports_of_a_played_run(engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    run_id = play(engine, anna, workshop)
    found = wr.workshop_results(engine, anna, workshop.id, current_model(), COURSE)
    runs = live_results(engine, anna, workshop.id, COURSE)
    book = openpyxl.load_workbook(io.BytesIO(export.workbook(found, runs)))
    ranking = book["Live ranking"]
    assert [c.value for c in ranking[1]][4:] == [
        "Place", "Nickname", "Points", "Questions they could answer", "Answered", "Right",
    ]  # fmt: skip
    first = [c.value for c in ranking[2]]
    assert first[:4] == [run_id, "Mini quiz", "mini", at(0).replace(tzinfo=None)]  # UTC, without a zone
    assert first[4:] == [1, "Ann", 2000, 2, 2, 2]
    questions = book["Live questions"]
    assert [c.value for c in questions[3]][4:12] == [2, "q2", "True or false", None, "Is it true?", 3, 3, 2]
    day = date(2026, 12, 3)
    names = zipfile.ZipFile(io.BytesIO(export.csv_zip(found, day, runs))).namelist()
    assert f"workshop-{workshop.code}-live-questions-2026-12-03.csv" in names
