"""A live quiz run of the mini quiz in a workshop, driven through services.live with explicit times,
for the live results tests (service, page)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from quizzes.live import Action
from services import live
from services.workshops import StoredWorkshop
from tests.workshop_fixtures import BANK, T0, join


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


NAMES = ("Ann", "Bo", "Cy")


def play(engine: Engine, trainer: int, workshop: StoredWorkshop, names: tuple[str, str, str] = NAMES) -> int:
    """Two questions of the mini quiz: Ann right at once on both (2000 points), Bo wrong then right,
    Cy joins while q1 is open (plays q2 only, answers it wrong). Returns the run's id. `names` are
    the three nicknames (Ann, Bo, Cy by default)."""
    ann, bo, cy = (join(engine, workshop, name) for name in names)
    state = live.start_run(engine, trainer, workshop.id, BANK, seconds=10, question_count=2, now=at(0))
    run = state.run_id
    live.join_run(engine, ann.token, now=at(0))
    live.join_run(engine, bo.token, now=at(0))
    live.control(engine, trainer, run, Action.OPEN, BANK, now=at(1))
    live.submit_answer(engine, ann.token, run, "q1", "a", BANK, now=at(1.2))
    live.submit_answer(engine, bo.token, run, "q1", "b", BANK, now=at(6))
    live.join_run(engine, cy.token, now=at(4))
    with pytest.raises(live.AnswerRefused):  # the late joiner cannot answer the question open as they joined
        live.submit_answer(engine, cy.token, run, "q1", "a", BANK, now=at(5))
    live.control(engine, trainer, run, Action.REVEAL, BANK, now=at(12))
    live.control(engine, trainer, run, Action.NEXT, BANK, now=at(13))
    live.submit_answer(engine, ann.token, run, "q2", True, BANK, now=at(13.4))
    live.submit_answer(engine, bo.token, run, "q2", True, BANK, now=at(18))
    live.submit_answer(engine, cy.token, run, "q2", False, BANK, now=at(14))
    live.control(engine, trainer, run, Action.CLOSE, BANK, now=at(19))
    live.control(engine, trainer, run, Action.REVEAL, BANK, now=at(20))
    live.control(engine, trainer, run, Action.PODIUM, BANK, now=at(21))
    live.control(engine, trainer, run, Action.END, BANK, now=at(22))
    return run
