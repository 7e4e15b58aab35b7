"""Engines and the retry policy.

SQLite by default (a file, WAL journal, busy timeout) and PostgreSQL when `SMM_DATABASE_URL` says
so. PostgreSQL connections get a connect timeout, a lock timeout and a statement timeout, so a
locked table or a stalled server ends in an error the page can word instead of a frozen page.

Every use case runs as one transaction through `transaction` (writes) or `reading` (reads). The
retry policy decides from the databases' own error codes, never from message text:

- retried with a short, jittered back-off: PostgreSQL serialization failures and deadlocks
  (40001, 40P01), connection failures (class 08, 57P01-57P03, a server that never answered) and
  connections SQLAlchemy found dead; SQLite's SQLITE_BUSY and SQLITE_LOCKED (5, 6, with their
  extended codes);
- StorageBusy at once, since they have already waited their full timeout: PostgreSQL's
  lock_not_available (55P03, lock_timeout) and query_canceled (57014, statement_timeout), and a
  pool checkout timeout;
- anything else propagates unchanged: it is a bug or a constraint, not the weather.

A retried transaction may run twice when a commit failed ambiguously (the connection dropped
after the server committed). Each unit of work must therefore be idempotent: the use cases in
`services/` read before they insert, or key their inserts on values chosen before the first try.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, Table, create_engine, event, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from storage.errors import DataDeleted, StorageBusy

DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "data" / "assessment.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 5
LOCK_TIMEOUT_MS = 10_000
STATEMENT_TIMEOUT_MS = 20_000
# Streamlit runs every session's script in its own thread; a few hundred participants click in
# bursts, and a connection is held only for the length of one short transaction.
DEFAULT_POOL_SIZE = 20
DEFAULT_MAX_OVERFLOW = 20
POOL_TIMEOUT_S = 10
WRITE_ATTEMPTS = 4
FIRST_DELAY_S = 0.05

_PG_RETRY = {"40001", "40P01", "57P01", "57P02", "57P03"}
_PG_RETRY_CLASS = "08"
_PG_TIMED_OUT = {"55P03", "57014"}
_SQLITE_BUSY = 5
_SQLITE_RETRY = {_SQLITE_BUSY, 6}  # SQLITE_BUSY, SQLITE_LOCKED

T = TypeVar("T")


def database_url() -> str:
    """`SMM_DATABASE_URL`, else the SQLite file at `SMM_SQLITE_PATH` or the default path."""
    url = os.environ.get("SMM_DATABASE_URL", "").strip()
    if url:
        return url
    path = Path(os.environ.get("SMM_SQLITE_PATH", "") or DEFAULT_SQLITE_PATH)
    return f"sqlite:///{path}"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")
    return value


def pool_options() -> dict[str, int]:
    return {
        "pool_size": _env_int("SMM_DB_POOL_SIZE", DEFAULT_POOL_SIZE),
        "max_overflow": _env_int("SMM_DB_MAX_OVERFLOW", DEFAULT_MAX_OVERFLOW),
        "pool_timeout": POOL_TIMEOUT_S,
    }


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        database = make_url(url).database
        in_memory = not database or database == ":memory:"
        if database and not in_memory:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Streamlit runs each session in its own thread; SQLite must allow that.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **({} if in_memory else pool_options()),
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    # Hosting platforms often hand out postgres:// URLs; SQLAlchemy knows only postgresql://, and
    # without a driver named it would look for psycopg2, which is not installed (psycopg 3 is).
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            url = "postgresql+psycopg://" + url.removeprefix(scheme)
    parsed = make_url(url)
    # The timeouts join the URL's own options (a search_path, say); a connect_timeout in the URL wins.
    options = " ".join(
        part
        for part in (
            str(parsed.query.get("options", "")),
            f"-c lock_timeout={LOCK_TIMEOUT_MS} -c statement_timeout={STATEMENT_TIMEOUT_MS}",
        )
        if part
    )
    query = {"options": options}
    if "connect_timeout" not in parsed.query:
        query["connect_timeout"] = str(CONNECT_TIMEOUT_S)
    return create_engine(parsed.update_query_dict(query), pool_pre_ping=True, **pool_options())


def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode, waiting (up to the busy timeout) for others doing the same.

    On a file not yet in WAL mode (a new one), the switch writes the header under an exclusive
    lock. When several connections switch at once (replicas, or a CLI, starting against a new
    file), one holds the write lock while another, having read the header, wants it too: SQLite
    answers the second SQLITE_BUSY at once, without its busy handler, since waiting could deadlock.
    So the switch is retried here until the other is done (the file is then WAL, which sticks, and
    the pragma is a no-op that takes no write lock)."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", None)
            if not isinstance(code, int) or code & 0xFF != _SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(delay * 2, 0.05)


class Verdict(Enum):
    RETRY = "retry"  # transient: try the transaction again
    BUSY = "busy"  # transient, but it already waited its timeout: StorageBusy now
    FATAL = "fatal"  # not the database's weather: propagate


def classify(error: BaseException) -> Verdict:
    """What the retry policy does with an error, by the database's error code."""
    if isinstance(error, PoolTimeout):
        return Verdict.BUSY
    if not isinstance(error, DBAPIError):
        return Verdict.FATAL
    if error.connection_invalidated:
        return Verdict.RETRY
    orig = error.orig
    if hasattr(orig, "sqlstate"):  # psycopg
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate is None:
            # psycopg gives a code to every error the server sent; an OperationalError without
            # one is a connection that never reached a server (refused, timed out, DNS).
            return Verdict.RETRY if isinstance(error, OperationalError) else Verdict.FATAL
        if sqlstate in _PG_TIMED_OUT:
            return Verdict.BUSY
        if sqlstate in _PG_RETRY or sqlstate.startswith(_PG_RETRY_CLASS):
            return Verdict.RETRY
        return Verdict.FATAL
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_RETRY:  # the primary code of an extended one
        return Verdict.RETRY
    return Verdict.FATAL


def _run(engine: Engine, work: Callable[[Connection], T], *, write: bool) -> T:
    delay = FIRST_DELAY_S
    for attempt in range(WRITE_ATTEMPTS):
        try:
            if write:
                with engine.begin() as connection:
                    return work(connection)
            with engine.connect() as connection:
                return work(connection)
        except (DBAPIError, PoolTimeout) as error:
            verdict = classify(error)
            if verdict is Verdict.FATAL:
                raise
            if verdict is Verdict.BUSY or attempt == WRITE_ATTEMPTS - 1:
                raise StorageBusy(f"gave up after {attempt + 1} attempt(s): {type(error).__name__}") from error
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay *= 4
    raise AssertionError("unreachable")


def transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run `work` in one write transaction under the retry policy. `work` must be idempotent."""
    return _run(engine, work, write=True)


def reading(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run `work` on one connection (one consistent set of reads) under the retry policy."""
    return _run(engine, work, write=False)


def row_exists(engine: Engine, table: Table, row_id: int) -> bool:
    return reading(engine, lambda c: c.execute(select(table.c.id).where(table.c.id == row_id)).first() is not None)


def transaction_under(engine: Engine, parent: Table, parent_id: int, work: Callable[[Connection], T]) -> T:
    """`transaction` for a write that adds rows under `parent`: when the parent row is gone, the
    foreign key refuses the write and this raises DataDeleted instead of an IntegrityError."""
    try:
        return transaction(engine, work)
    except IntegrityError as error:
        if row_exists(engine, parent, parent_id):
            raise
        raise DataDeleted(parent.name) from error
