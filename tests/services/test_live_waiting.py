"""What a phone waiting for a live quiz reads (services.live): the workshop of a resume token, and the
id of the workshop's run that has not ended through the process-wide cache, which forgets a workshop
when its run starts or ends in this process."""

from __future__ import annotations

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
