"""Every storage test runs twice: on a SQLite file and on PostgreSQL.

PostgreSQL comes from SMM_TEST_POSTGRES_URL (default: the local cluster's `test`
database). Each test gets its own schema there, dropped afterwards, so tests neither
see each other's rows nor leave any behind. When PostgreSQL does not answer the
PostgreSQL half is skipped, unless SMM_REQUIRE_POSTGRES=1 (as in CI), which turns
the skip into a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from storage import db

POSTGRES_URL = os.environ.get("SMM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("SMM_REQUIRE_POSTGRES") == "1"


def _postgres_admin() -> Engine:
    """An engine on the test database itself, for creating and dropping per-test schemas."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        admin.dispose()
        reason = f"PostgreSQL at {POSTGRES_URL} does not answer: {str(error.orig).strip().splitlines()[0]}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (SMM_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    return admin


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'storage.sqlite3'}"
        return
    admin = _postgres_admin()
    schema = f"smm_test_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(POSTGRES_URL, schema)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = db.make_engine(database_url)
    db.upgrade(created)
    yield created
    created.dispose()
