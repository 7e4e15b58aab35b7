"""The room view's use case on SQLite and PostgreSQL: who may see a workshop's room, the counts only
below three finished participants, each participant's latest completed round, and no nickname."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, update

from assessment.model import Mode, Model
from assessment.scoring import score
from identity import passwords
from learning.content import Course
from learning.path import links_for_gap
from reporting.room import Finished, summarise
from services import respondents
from services import room as rooms
from services import workshops as ws
from storage import schema
from tests.room_seed import answer, maturity, participant, user, workshop

NICKNAMES = ("Zoë K", "Bram", "Quentin", "Xavier")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_only_the_workshops_trainer_or_an_admin_sees_its_room(engine: Engine, model: Model, course: Course) -> None:
    anna, ben, ada, mona = (
        user(engine, "anna"),
        user(engine, "ben"),
        user(engine, "ada", "admin"),
        user(engine, "mona", "manager"),
    )
    mine = workshop(engine, anna)
    assert rooms.room_summary(engine, anna, mine.id, model, course).joined == 0
    assert rooms.room_summary(engine, ada, mine.id, model, course).finished == 0
    for other in (ben, mona):
        with pytest.raises(ws.NotAllowed):
            rooms.room_summary(engine, other, mine.id, model, course)
    # An id that is no workshop: the same refusal for a trainer, so a guess tells nothing.
    with pytest.raises(ws.NotAllowed):
        rooms.room_summary(engine, anna, mine.id + 100, model, course)
    with pytest.raises(ws.UnknownWorkshop):
        rooms.room_summary(engine, ada, mine.id + 100, model, course)


def test_two_finished_give_the_counts_and_nothing_else(engine: Engine, model: Model, course: Course) -> None:
    anna = user(engine, "anna")
    mine = workshop(engine, anna)
    participant(engine, model, mine.code, NICKNAMES[0], maturity(model, "fully"))
    participant(engine, model, mine.code, NICKNAMES[1], maturity(model, "none"))
    participant(engine, model, mine.code, NICKNAMES[2], maturity(model, "partly"), finish=False)
    summary = rooms.room_summary(engine, anna, mine.id, model, course)
    assert (summary.joined, summary.finished, summary.figures) == (3, 2, None)


def test_the_room_of_three_finished_from_their_latest_completed_rounds(
    engine: Engine, model: Model, course: Course
) -> None:
    anna = user(engine, "anna")
    mine, elsewhere = workshop(engine, anna), workshop(engine, anna)
    values = ("none", "largely", "fully")
    tokens = [
        participant(engine, model, mine.code, nickname, maturity(model, value))[0]
        for nickname, value in zip(NICKNAMES, values, strict=False)
    ]
    participant(engine, model, mine.code, NICKNAMES[3], maturity(model, "none"), finish=False)
    participant(engine, model, elsewhere.code, "Other", maturity(model, "fully"))
    # The first one starts a second round and changes every answer: not completed, so not the room's.
    visit = respondents.load_visit(engine, tokens[0])
    second = respondents.start_new_round(engine, visit.respondent.id, "full", visit.round.number, model)
    answer(engine, second.id, maturity(model, "partly"))

    summary = rooms.room_summary(engine, anna, mine.id, model, course)
    assert (summary.joined, summary.finished) == (4, 3)
    expected = summarise(
        model,
        4,
        [Finished(score(model, maturity(model, v), Mode.FULL), maturity(model, v)) for v in values],
        lambda gap: next(iter(links_for_gap(gap, course.lessons, course.banks).lessons), None),
    )
    assert summary == expected
    assert summary.figures is not None
    assert all(g.lesson is not None for g in summary.figures.gaps)  # the bundled lessons teach every Crawl cell
    text = repr(summary)
    assert not any(nickname in text for nickname in (*NICKNAMES, "Other"))

    # The other workshop's participant is its room's only.
    other = rooms.room_summary(engine, anna, elsewhere.id, model, course)
    assert (other.joined, other.finished) == (1, 1)


def test_a_round_without_usable_stored_scores_is_scored_from_its_answers(
    engine: Engine, model: Model, course: Course
) -> None:
    anna = user(engine, "anna")
    mine = workshop(engine, anna)
    rounds = [
        participant(engine, model, mine.code, nickname, maturity(model, value))[1]
        for nickname, value in zip(NICKNAMES, ("none", "largely", "fully"), strict=False)
    ]
    before = rooms.room_summary(engine, anna, mine.id, model, course)
    with engine.begin() as connection:
        connection.execute(update(schema.rounds).where(schema.rounds.c.id == rounds[0]).values(scores=None))
        connection.execute(update(schema.rounds).where(schema.rounds.c.id == rounds[1]).values(scores="{not json"))
    assert rooms.room_summary(engine, anna, mine.id, model, course) == before
