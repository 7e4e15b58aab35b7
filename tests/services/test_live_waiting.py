"""What a phone waiting for a live quiz reads (services.live): the workshop of a resume token, and the
id of the workshop's run that has not ended through the process-wide cache, which forgets a workshop
when its run starts or ends in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from quizzes.live import Action
from services import live
from tests.workshop_fixtures import BANK, T0, join, make_workshop, user


def test_the_current_run_id_follows_start_and_end(engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    other = make_workshop(engine, trainer, name="Other")
    assert live.cached_current_run_id(engine, workshop.id) is None
    state = live.start_run(engine, trainer, workshop.id, BANK, now=T0)
    # Seen at once although "no run" was cached a moment ago: starting forgot the workshop.
    assert live.cached_current_run_id(engine, workshop.id) == state.run_id
    assert live.cached_current_run_id(engine, other.id) is None
    live.control(engine, trainer, state.run_id, Action.END, BANK, now=T0)
    assert live.cached_current_run_id(engine, workshop.id) is None


def test_the_workshop_of_a_token(engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    ann = join(engine, workshop, "Ann")
    assert live.workshop_of(engine, ann.token) == workshop.id
    with pytest.raises(live.NotSeated):
        live.workshop_of(engine, "x" * 32)
    with pytest.raises(live.NotSeated):
        live.workshop_of(engine, "not a token")


def test_the_final_view_of_an_ended_run_gives_score_and_place(engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    ann, bo, late = join(engine, workshop, "Ann"), join(engine, workshop, "Bo"), join(engine, workshop, "Cy")
    state = live.start_run(engine, trainer, workshop.id, BANK, seconds=10, now=T0)
    live.join_run(engine, ann.token, now=T0)
    live.join_run(engine, bo.token, now=T0)
    live.control(engine, trainer, state.run_id, Action.OPEN, BANK, now=T0)
    live.submit_answer(engine, ann.token, state.run_id, "q1", "a", BANK, now=T0 + timedelta(seconds=1))
    live.submit_answer(engine, bo.token, state.run_id, "q1", "b", BANK, now=T0 + timedelta(seconds=1))
    assert live.final_view(engine, ann.token, state.run_id) is None  # not ended yet
    live.control(engine, trainer, state.run_id, Action.REVEAL, BANK, now=T0 + timedelta(seconds=11))
    live.control(engine, trainer, state.run_id, Action.END, BANK, now=T0 + timedelta(seconds=12))
    view = live.final_view(engine, ann.token, state.run_id)
    assert view is not None
    assert (view.seat.nickname, view.place, view.players) == ("Ann", 1, 2)
    assert view.seat.score > 0
    second = live.final_view(engine, bo.token, state.run_id)
    assert second is not None and (second.place, second.seat.score) == (2, 0)
    assert live.final_view(engine, late.token, state.run_id) is None  # no seat in that run
