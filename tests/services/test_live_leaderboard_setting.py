"""The workshop's live quiz setting "show the top five between questions": read and changed by its
trainer (or an admin) only, and followed by a run that is going."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from services import live
from tests.workshop_fixtures import BANK, T0, make_workshop, user


def test_the_setting_is_shown_by_default_and_changes_for_its_trainer(engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    assert live.leaderboard_shown(engine, trainer, workshop.id) is True
    live.set_leaderboard(engine, trainer, workshop.id, False)
    assert live.leaderboard_shown(engine, trainer, workshop.id) is False
    live.set_leaderboard(engine, trainer, workshop.id, True)
    assert live.leaderboard_shown(engine, trainer, workshop.id) is True


def test_another_trainer_neither_reads_nor_changes_it(engine: Engine) -> None:
    trainer = user(engine, "anna")
    other = user(engine, "bert")
    workshop = make_workshop(engine, trainer)
    with pytest.raises(live.NotAllowed):
        live.leaderboard_shown(engine, other, workshop.id)
    with pytest.raises(live.NotAllowed):
        live.set_leaderboard(engine, other, workshop.id, False)
    assert live.leaderboard_shown(engine, trainer, workshop.id) is True


def test_a_run_going_follows_the_setting(engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    started = live.start_run(engine, trainer, workshop.id, BANK, now=T0)
    assert started.leaderboard is True
    live.set_leaderboard(engine, trainer, workshop.id, False)
    going = live.current_run(engine, workshop.id, now=T0)
    assert going is not None and going.leaderboard is False and going.version > started.version
