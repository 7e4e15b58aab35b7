"""A workshop's results on SQLite and PostgreSQL: who may see them, the participants' rows (stage
from stored scores, lessons, best quiz scores) and the quiz statistics graded by quizzes.grading."""

from __future__ import annotations

import dataclasses

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update

from assessment import stored_result
from identity import passwords
from services import workshop_results as wr
from services.results import current_model
from storage import schema
from tests.workshop_fixtures import BANK, COURSE, fill, join, make_workshop, take_quiz, user


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_only_the_trainer_or_an_admin_sees_the_results(engine: Engine) -> None:
    model = current_model()
    anna, ben, admin, manager = (
        user(engine, "anna"),
        user(engine, "ben"),
        user(engine, "root", "admin"),
        user(engine, "mona", "manager"),
    )
    workshop = make_workshop(engine, anna)
    fill(engine, model, workshop)
    assert wr.workshop_results(engine, anna, workshop.id, model, COURSE).code == workshop.code
    assert len(wr.workshop_results(engine, admin, workshop.id, model, COURSE).participants) == 3
    for outsider in (ben, manager, 9999):
        with pytest.raises(wr.NotAllowed):
            wr.workshop_results(engine, outsider, workshop.id, model, COURSE)
    with pytest.raises(wr.NotAllowed):  # a trainer guessing an id that does not exist: the same refusal
        wr.workshop_results(engine, anna, workshop.id + 100, model, COURSE)
    with pytest.raises(wr.UnknownWorkshop):
        wr.workshop_results(engine, admin, workshop.id + 100, model, COURSE)


def test_participants_rows(engine: Engine) -> None:
    model = current_model()
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    ann, _evil, _bo = fill(engine, model, workshop)
    # Another workshop's participant with a quiz and lessons: none of it shows.
    other = make_workshop(engine, anna, name="Other")
    stranger = join(engine, other, "Ann")
    take_quiz(engine, stranger.respondent_id, {"q1": "a"}, 33)

    found = wr.workshop_results(engine, anna, workshop.id, model, COURSE)
    rows = {p.nickname: p for p in found.participants}
    assert [p.nickname for p in found.participants] == ["Ann", "-cmd", "Bo"]
    with engine.connect() as connection:
        scores, completed_at = connection.execute(
            select(schema.rounds.c.scores, schema.rounds.c.completed_at).where(schema.rounds.c.id == ann.round_id)
        ).one()
    stored_stage = stored_result.load(scores).stage
    assert rows["Ann"].stage_id == stored_stage is not None
    if stored_stage is not None:
        assert rows["Ann"].stage_name == model.stage(stored_stage).name
    assert rows["Ann"].finished_at is not None and rows["Ann"].finished_at.replace(microsecond=0) == (
        completed_at.replace(microsecond=0)
    )
    assert (rows["Ann"].lessons_done, rows["Ann"].best_scores) == (2, {"mini": 100})
    assert (rows["-cmd"].finished_at, rows["-cmd"].stage_id, rows["-cmd"].lessons_done) == (None, None, 0)
    assert rows["-cmd"].best_scores == {"mini": 33}
    assert rows["Bo"].best_scores == {}  # an unfinished attempt has no score
    assert found.bank_ids == ("mini",)


def test_the_stage_is_the_stored_one_not_scored_again(engine: Engine) -> None:
    model = current_model()
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    ann, _evil, _bo = fill(engine, model, workshop)
    with engine.begin() as connection:
        text = connection.execute(select(schema.rounds.c.scores).where(schema.rounds.c.id == ann.round_id)).scalar_one()
        stored = stored_result.load(text)
        other = next(s.id for s in model.stages if s.id != stored.stage)
        connection.execute(
            update(schema.rounds)
            .where(schema.rounds.c.id == ann.round_id)
            .values(scores=stored_result.dump(dataclasses.replace(stored, stage=other)))
        )
    found = wr.workshop_results(engine, anna, workshop.id, model, COURSE)
    assert found.participants[0].stage_id == other


def test_a_round_without_stored_scores_is_scored_once_by_the_results_rule(engine: Engine) -> None:
    """A completed round whose scores were never stored (before scores were kept): services.results
    scores it and stores the scores, as the results page would; the stage is the same as before."""
    model = current_model()
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    ann, _evil, _bo = fill(engine, model, workshop)
    expected = wr.workshop_results(engine, anna, workshop.id, model, COURSE).participants[0].stage_id
    rounds = schema.rounds
    with engine.begin() as connection:
        connection.execute(
            update(rounds).where(rounds.c.id == ann.round_id).values(scores=None, model_version=None, scored_at=None)
        )
    assert wr.workshop_results(engine, anna, workshop.id, model, COURSE).participants[0].stage_id == expected
    with engine.connect() as connection:
        stored = connection.execute(select(rounds.c.scores).where(rounds.c.id == ann.round_id)).scalar_one()
    assert stored is not None and stored_result.load(stored).stage == expected


def test_quiz_statistics(engine: Engine) -> None:
    model = current_model()
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    fill(engine, model, workshop)
    (quiz,) = wr.workshop_results(engine, anna, workshop.id, model, COURSE).quizzes
    assert (quiz.bank_id, quiz.title, quiz.attempts, quiz.participants) == ("mini", BANK.title, 3, 2)
    assert quiz.mean_score == pytest.approx((100 + 33 + 33) / 3)
    q1, q2, q3 = quiz.questions
    assert (q1.position, q1.answered, q1.correct, q1.percent_correct) == (1, 3, 1, pytest.approx(100 / 3))
    assert [(o.option_id, o.chosen, o.correct) for o in q1.options] == [
        ("a", 1, True),
        ("b", 1, False),
        ("c", 1, False),
    ]
    assert (q2.answered, q2.correct) == (3, 1)
    assert [(o.option_id, o.chosen) for o in q2.options] == [("true", 1), ("false", 2)]
    # Short answers: graded by quizzes.grading (case and spaces do not matter); no options to count.
    assert (q3.answered, q3.correct, q3.options) == (2, 2, ())


def test_no_participants_gives_empty_tables(engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    found = wr.workshop_results(engine, anna, workshop.id, current_model(), COURSE)
    assert (found.participants, found.quizzes) == ((), ())
