"""Fixtures for tests that run twice: on a SQLite file and on PostgreSQL (see tests/postgres.py).
Imported by the conftest of each package that needs them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.postgres import postgres_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'storage.sqlite3'}"
        return
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database upgraded to head."""
    created = make_engine(database_url)
    upgrade(created)
    yield created
    created.dispose()
