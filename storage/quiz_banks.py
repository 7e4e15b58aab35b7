"""Queries of the quiz banks trainers imported in the site (issue 17).

Every function takes a Connection, so a use case composes several in one transaction
(`services/quiz_banks.py`). Nothing here commits, validates the bank or checks who may do what:
the bank is stored as the TOML text it was written to, and read back by the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import imported_banks, live_runs


@dataclass(frozen=True)
class ImportedBankInfo:
    """An imported bank's row without its text: what a list shows."""

    id: str
    title: str
    source_format: str
    source_name: str
    imported_by_user_id: int
    imported_at: datetime


@dataclass(frozen=True)
class StoredImportedBank:
    info: ImportedBankInfo
    bank_toml: str


_INFO_COLUMNS = (
    imported_banks.c.id,
    imported_banks.c.title,
    imported_banks.c.source_format,
    imported_banks.c.source_name,
    imported_banks.c.imported_by_user_id,
    imported_banks.c.imported_at,
)


def _info(row: Any) -> ImportedBankInfo:
    return ImportedBankInfo(
        row.id, row.title, row.source_format, row.source_name, row.imported_by_user_id, row.imported_at
    )


def insert_bank(connection: Connection, stored: StoredImportedBank) -> None:
    """Add a bank; the primary key refuses an id that is taken (IntegrityError)."""
    connection.execute(insert(imported_banks).values(id=stored.info.id, **_columns(stored)))


def replace_bank(connection: Connection, stored: StoredImportedBank) -> bool:
    """Rewrite the bank with this id (text, title, source, who and when); False when there is none."""
    result = connection.execute(
        update(imported_banks).where(imported_banks.c.id == stored.info.id).values(**_columns(stored))
    )
    return bool(result.rowcount)


def _columns(stored: StoredImportedBank) -> dict[str, object]:
    """Every column of a bank's row but its id."""
    info = stored.info
    return {
        "title": info.title,
        "source_format": info.source_format,
        "source_name": info.source_name,
        "bank_toml": stored.bank_toml,
        "imported_by_user_id": info.imported_by_user_id,
        "imported_at": info.imported_at,
    }


def delete_bank(connection: Connection, bank_id: str) -> bool:
    """Delete the bank with this id; False when there is none."""
    return bool(connection.execute(delete(imported_banks).where(imported_banks.c.id == bank_id)).rowcount)


def list_banks(connection: Connection) -> list[ImportedBankInfo]:
    """Every imported bank without its text, by title then id."""
    rows = connection.execute(select(*_INFO_COLUMNS).order_by(imported_banks.c.title, imported_banks.c.id)).all()
    return [_info(row) for row in rows]


def all_banks(connection: Connection) -> list[StoredImportedBank]:
    """Every imported bank with its text, by id."""
    rows = connection.execute(select(imported_banks).order_by(imported_banks.c.id)).all()
    return [StoredImportedBank(_info(row), row.bank_toml) for row in rows]


def bank_by_id(connection: Connection, bank_id: str) -> StoredImportedBank | None:
    row = connection.execute(select(imported_banks).where(imported_banks.c.id == bank_id)).first()
    return None if row is None else StoredImportedBank(_info(row), row.bank_toml)


def stamp(connection: Connection) -> tuple[int, datetime | None]:
    """How many banks there are and the newest imported_at: it changes with every insert, replace
    (which sets imported_at anew) and delete, so a cache compares it instead of reading every text."""
    row = connection.execute(select(func.count(), func.max(imported_banks.c.imported_at))).one()
    return int(row[0]), row[1]


def active_runs_using(connection: Connection, bank_id: str, ended_phase: str) -> int:
    """How many live runs of this bank have not ended (`ended_phase` is quizzes.live's "ended")."""
    return int(
        connection.execute(
            select(func.count()).where(live_runs.c.bank_id == bank_id, live_runs.c.phase != ended_phase)
        ).scalar_one()
    )
