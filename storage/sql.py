"""Statements both dialects spell the same way through their own `insert`."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert


def _insert(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(connection: Connection, table: Table, values: dict[str, object], keys: list[str]) -> Insert:
    """INSERT .. ON CONFLICT (keys) DO UPDATE the other columns."""
    statement = _insert(connection, table).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in keys}
    return statement.on_conflict_do_update(index_elements=keys, set_=updates)


def insert_or_ignore(connection: Connection, table: Table, values: dict[str, object], keys: list[str]) -> Insert:
    """INSERT .. ON CONFLICT (keys) DO NOTHING: two writers of the same row never raise."""
    return _insert(connection, table).values(**values).on_conflict_do_nothing(index_elements=keys)
