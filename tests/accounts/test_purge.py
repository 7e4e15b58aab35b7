"""`python -m accounts.purge` in a subprocess, on a SQLite file: deletes only the expired workshops,
says what it deleted, and refuses a retention that is not a number of days (exit 2, no traceback)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from identity import passwords
from services import workshops as ws
from storage import migrate
from storage.engine import make_engine
from tests.workshop_fixtures import join, make_workshop, user

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    path = tmp_path / "purge.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
        anna = user(engine, "anna")
        old = make_workshop(engine, anna, held_on=date.today() - timedelta(days=400), name="Old one")
        join(engine, old, "Ann")
        make_workshop(engine, anna, held_on=date.today() - timedelta(days=10), name="Recent")
    finally:
        engine.dispose()
    return path


def run(database: Path, *args: str, days: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SMM_SQLITE_PATH": str(database)}
    if days is not None:
        env["SMM_WORKSHOP_RETENTION_DAYS"] = days
    return subprocess.run(
        [sys.executable, "-m", "accounts.purge", *args],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def names(database: Path) -> set[str]:
    engine = make_engine(f"sqlite:///{database}")
    try:
        return {w.name for w in ws.visible_workshops(engine, 1)}  # user 1: anna, a trainer
    finally:
        engine.dispose()


def test_purge_deletes_the_expired_workshop_only(database: Path) -> None:
    done = run(database)
    assert done.returncode == 0, done.stderr
    assert "deleted workshop" in done.stdout and "Old one" in done.stdout and "1 participant" in done.stdout
    assert names(database) == {"Recent"}
    again = run(database)
    assert again.returncode == 0 and "nothing was deleted" in again.stdout


def test_the_retention_comes_from_the_environment_or_days(database: Path) -> None:
    assert run(database, days="500").returncode == 0
    assert names(database) == {"Old one", "Recent"}
    assert run(database, "--days", "5").returncode == 0
    assert names(database) == set()


def test_a_bad_retention_is_refused_without_a_traceback(database: Path) -> None:
    for done in (run(database, days="a year"), run(database, "--days", "0")):
        assert done.returncode == 2
        assert "Traceback" not in done.stderr and "nothing was deleted" in done.stderr
    assert names(database) == {"Old one", "Recent"}
