"""A private PostgreSQL schema per test, for the storage tests and the AppTest tests that run on both databases.

PostgreSQL comes from SMM_TEST_POSTGRES_URL (default: the local cluster's `test`
database). Each test gets its own schema, dropped afterwards, so tests neither see
each other's rows nor leave any behind. When PostgreSQL does not answer, the test is
skipped, unless SMM_REQUIRE_POSTGRES=1 (as in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_URL = os.environ.get("SMM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("SMM_REQUIRE_POSTGRES") == "1"


def _admin_engine() -> Engine:
    """An engine on the test database itself, for creating and dropping schemas."""
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


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; the schema is dropped afterwards."""
    admin = _admin_engine()
    schema = f"smm_test_{secrets.token_hex(6)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_search_path(POSTGRES_URL, schema)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
