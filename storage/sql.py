"""Statements both dialects spell the same way through their own `insert`.

Each statement is built once per (dialect, table, columns, keys) and executed with the row's values
as parameters: building an upsert's `excluded` columns costs more Python than running the statement
on SQLite, and an answer click runs one."""

from __future__ import annotations

import functools

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert


def _insert(dialect: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@functools.lru_cache(maxsize=64)
def _upsert(dialect: str, table: Table, columns: tuple[str, ...], keys: tuple[str, ...]) -> Insert:
    statement = _insert(dialect, table)
    updates = {name: statement.excluded[name] for name in columns if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=updates)


@functools.lru_cache(maxsize=64)
def _insert_or_ignore(dialect: str, table: Table, keys: tuple[str, ...]) -> Insert:
    statement = _insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))
    if dialect == "postgresql":
        # psycopg reports no row count for it (-1), written or not: the row it returns tells.
        return statement.returning(table.c[keys[0]])
    return statement


def upsert(connection: Connection, table: Table, values: dict[str, object], keys: list[str]) -> None:
    """INSERT .. ON CONFLICT (keys) DO UPDATE the other columns."""
    statement = _upsert(connection.dialect.name, table, tuple(values), tuple(keys))
    connection.execute(statement, values)


def insert_or_ignore(connection: Connection, table: Table, values: dict[str, object], keys: list[str]) -> bool:
    """INSERT .. ON CONFLICT (keys) DO NOTHING: two writers of the same row never raise. True when
    this one wrote it."""
    result = connection.execute(_insert_or_ignore(connection.dialect.name, table, tuple(keys)), values)
    if result.returns_rows:
        return result.first() is not None
    return result.rowcount == 1
