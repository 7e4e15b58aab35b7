"""The site's own purge of workshop data past its retention (views/retention.py), as serve.py runs
it at start and daily: an expired workshop goes with its participants, a recent one stays, and a
retention setting the purge refuses deletes nothing and does not stop the site."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from identity import passwords
from services import workshops as ws
from tests.workshop_fixtures import make_workshop, user
from views import retention


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_the_purge_deletes_expired_workshops_only(database: Path, engine: Engine) -> None:
    trainer = user(engine, "anna")
    old = make_workshop(engine, trainer, held_on=date.today() - timedelta(days=400), name="Long ago")
    recent = make_workshop(engine, trainer, held_on=date.today() - timedelta(days=3), name="Last week")
    ws.join_workshop(engine, old.code, "Zoë")
    assert retention.purge_once() == 1
    left = {w.id for w in ws.visible_workshops(engine, trainer)}
    assert left == {recent.id}
    assert retention.purge_once() == 0


def test_a_refused_retention_setting_deletes_nothing_and_says_so(
    database: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    trainer = user(engine, "anna")
    make_workshop(engine, trainer, held_on=date.today() - timedelta(days=400))
    monkeypatch.setenv("SMM_WORKSHOP_RETENTION_DAYS", "a year")
    with caplog.at_level(logging.ERROR):
        assert retention.purge_once() == 0
    assert "SMM_WORKSHOP_RETENTION_DAYS" in caplog.text
    assert len(ws.visible_workshops(engine, trainer)) == 1
