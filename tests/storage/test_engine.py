"""Engines and the retry policy: settings per database, classification by error code, and what a
locked, slow or absent database does to a caller."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from services import respondents as visits
from storage import engine as storage_engine
from storage.engine import Verdict, classify, database_url, make_engine, reading, transaction
from storage.errors import UNAVAILABLE_ERRORS, StorageBusy


class FakePgError(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("words that must not matter: locked busy connection deadlock")
        self.sqlstate = sqlstate


class FakeSqliteError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__("database is locked")  # the words, with a code that says otherwise
        self.sqlite_errorcode = code


def wrapped(orig: Exception, kind: type = OperationalError, invalidated: bool = False):  # noqa: ANN202
    error = kind("SELECT 1", {}, orig)
    error.connection_invalidated = invalidated
    return error


# Settings ------------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'app.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == storage_engine.SQLITE_BUSY_TIMEOUT_MS
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_new_file_being_switched_to_wal_by_another_connection_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Replicas starting at once on a new file all switch it to WAL as they connect. While one holds
    # the write lock for that, SQLite refuses the others at once (no busy handler: waiting could
    # deadlock), so the connect listener waits and tries again until the first is done.
    path = tmp_path / "new.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)  # a new file, not yet in WAL mode
    other.execute("BEGIN IMMEDIATE")  # the write lock, as another connection's switch holds it
    refused_while_held: list[bool] = []

    def other_finishes(seconds: float) -> None:
        refused_while_held.append(other.in_transaction)
        other.execute("COMMIT")

    monkeypatch.setattr(storage_engine.time, "sleep", other_finishes)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert refused_while_held == [True], "the switch was refused while the lock was held, then retried once"
    finally:
        engine.dispose()
        other.close()


def test_a_wal_switch_refused_past_the_busy_timeout_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", 20)
    path = tmp_path / "new.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(OperationalError) as locked:
            engine.connect()
        assert locked.value.orig.sqlite_errorcode & 0xFF == 5  # type: ignore[union-attr]
    finally:
        engine.dispose()
        other.execute("COMMIT")
        other.close()


def test_database_url_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SMM_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMM_SQLITE_PATH", raising=False)
    assert database_url() == f"sqlite:///{storage_engine.DEFAULT_SQLITE_PATH}"
    monkeypatch.setenv("SMM_SQLITE_PATH", str(tmp_path / "x.sqlite3"))
    assert database_url() == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    monkeypatch.setenv("SMM_DATABASE_URL", " postgresql://u@h/d ")
    assert database_url() == "postgresql://u@h/d"
    assert make_engine("postgresql://u@h/d").dialect.driver == "psycopg"
    # The scheme some hosting platforms hand out means the same database.
    short = make_engine("postgres://u@h/d")
    assert (short.dialect.name, short.dialect.driver, short.url.host, short.url.database) == (
        "postgresql",
        "psycopg",
        "h",
        "d",
    )


def test_postgresql_gets_timeouts_and_a_sized_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMM_DB_POOL_SIZE", raising=False)
    monkeypatch.delenv("SMM_DB_MAX_OVERFLOW", raising=False)
    engine = make_engine("postgresql://u@h/d?options=-csearch_path%3Dmine")
    _args, params = engine.dialect.create_connect_args(engine.url)
    assert params["connect_timeout"] == str(storage_engine.CONNECT_TIMEOUT_S)
    assert "-csearch_path=mine" in params["options"], "the URL's own options are kept"
    assert f"lock_timeout={storage_engine.LOCK_TIMEOUT_MS}" in params["options"]
    assert f"statement_timeout={storage_engine.STATEMENT_TIMEOUT_MS}" in params["options"]
    assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (  # type: ignore[attr-defined]
        storage_engine.DEFAULT_POOL_SIZE,
        storage_engine.DEFAULT_MAX_OVERFLOW,
        storage_engine.POOL_TIMEOUT_S,
    )
    monkeypatch.setenv("SMM_DB_POOL_SIZE", "3")
    monkeypatch.setenv("SMM_DB_MAX_OVERFLOW", "0")
    sized = make_engine("postgresql://u@h/d?connect_timeout=1")
    assert (sized.pool.size(), sized.pool._max_overflow) == (3, 0)  # type: ignore[attr-defined]
    assert sized.dialect.create_connect_args(sized.url)[1]["connect_timeout"] == "1", "the URL's value wins"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_connections_carry_the_timeouts(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SHOW lock_timeout")).scalar() == "10s"
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "20s"


# Classification ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sqlstate", "verdict"),
    [
        ("40001", Verdict.RETRY),  # serialization_failure
        ("40P01", Verdict.RETRY),  # deadlock_detected
        ("08006", Verdict.RETRY),  # connection_failure
        ("08001", Verdict.RETRY),
        ("57P01", Verdict.RETRY),  # admin_shutdown
        ("57P03", Verdict.RETRY),  # cannot_connect_now
        ("55P03", Verdict.BUSY),  # lock_not_available: lock_timeout ran out
        ("57014", Verdict.BUSY),  # query_canceled: statement_timeout ran out
        ("23505", Verdict.FATAL),  # unique_violation
        ("42P01", Verdict.FATAL),  # undefined_table
        (None, Verdict.RETRY),  # no server answered
    ],
)
def test_postgresql_errors_are_classified_by_sqlstate(sqlstate: str | None, verdict: Verdict) -> None:
    assert classify(wrapped(FakePgError(sqlstate))) is verdict


def test_a_psycopg_error_without_a_code_is_transient_only_when_operational() -> None:
    assert classify(wrapped(FakePgError(None), ProgrammingError)) is Verdict.FATAL


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        (5, Verdict.RETRY),  # SQLITE_BUSY
        (6, Verdict.RETRY),  # SQLITE_LOCKED
        (517, Verdict.RETRY),  # SQLITE_BUSY_SNAPSHOT, an extended code of SQLITE_BUSY
        (262, Verdict.RETRY),  # SQLITE_LOCKED_SHAREDCACHE
        (1, Verdict.FATAL),  # SQLITE_ERROR, although the message says "locked"
        (14, Verdict.FATAL),  # SQLITE_CANTOPEN
        (19, Verdict.FATAL),  # SQLITE_CONSTRAINT
    ],
)
def test_sqlite_errors_are_classified_by_error_code(code: int, verdict: Verdict) -> None:
    assert classify(wrapped(FakeSqliteError(code))) is verdict


def test_a_connection_found_dead_is_retried_and_other_errors_are_not() -> None:
    assert classify(wrapped(Exception("anything"), InterfaceError, invalidated=True)) is Verdict.RETRY
    assert classify(wrapped(Exception("database is locked"))) is Verdict.FATAL
    assert classify(ValueError("locked")) is Verdict.FATAL
    assert classify(PoolTimeout("QueuePool limit reached")) is Verdict.BUSY


def test_retryable_errors_are_retried_then_reported_as_storage_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_engine, "FIRST_DELAY_S", 0.001)
    engine = make_engine("sqlite://")
    calls: list[int] = []

    def deadlocked(_connection: object) -> None:
        calls.append(1)
        raise wrapped(FakePgError("40P01"))

    with pytest.raises(StorageBusy):
        transaction(engine, deadlocked)
    assert len(calls) == storage_engine.WRITE_ATTEMPTS

    calls.clear()

    def then_fine(_connection: object) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise wrapped(FakeSqliteError(5))
        return "done"

    assert transaction(engine, then_fine) == "done" and len(calls) == 3

    calls.clear()

    def timed_out(_connection: object) -> None:
        calls.append(1)
        raise wrapped(FakePgError("55P03"))

    with pytest.raises(StorageBusy):
        reading(engine, timed_out)
    assert len(calls) == 1, "a lock timeout has waited long enough: no retry"

    def constraint(_connection: object) -> None:
        raise IntegrityError("INSERT", {}, FakePgError("23505"))

    with pytest.raises(IntegrityError):
        transaction(engine, constraint)
    engine.dispose()


# A busy, slow or absent database ---------------------------------------------------------------


def test_a_pool_checkout_timeout_becomes_storage_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMM_DB_POOL_SIZE", "1")
    monkeypatch.setenv("SMM_DB_MAX_OVERFLOW", "0")
    monkeypatch.setattr(storage_engine, "POOL_TIMEOUT_S", 0.2)
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
    try:
        with engine.connect():  # the only connection, held by another session
            started = time.monotonic()
            with pytest.raises(StorageBusy) as busy:
                reading(engine, lambda c: c.execute(text("SELECT 1")).scalar())
            assert time.monotonic() - started < 2, "no retry after a checkout has waited its timeout"
        assert isinstance(busy.value.__cause__, PoolTimeout)
        assert isinstance(busy.value, UNAVAILABLE_ERRORS)
        assert PoolTimeout in UNAVAILABLE_ERRORS
    finally:
        engine.dispose()


def test_a_briefly_locked_sqlite_file_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.migrate import upgrade

    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", 50)
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    engine, blocker = make_engine(url), make_engine(url)
    try:
        upgrade(engine)
        _, _, first_round = visits.start_assessment(engine, "full")
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            release = threading.Timer(0.1, connection.exec_driver_sql, args=("COMMIT",))
            release.start()
            visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")  # retries until the lock goes
            release.join()
        assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        engine.dispose()
        blocker.dispose()


def test_a_sqlite_file_locked_too_long_raises_storage_busy_and_keeps_what_was_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.migrate import upgrade

    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", 20)
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    engine, blocker = make_engine(url), make_engine(url)
    try:
        upgrade(engine)
        _, _, first_round = visits.start_assessment(engine, "full")
        visits.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            with pytest.raises(StorageBusy) as busy:
                visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
            connection.exec_driver_sql("COMMIT")
        cause = busy.value.__cause__
        assert isinstance(cause, OperationalError) and isinstance(cause.orig, sqlite3.OperationalError)
        assert cause.orig.sqlite_errorcode & 0xFF == 5  # type: ignore[attr-defined]
        assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "partly"}
        visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")  # the retry the page offers
        assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        engine.dispose()
        blocker.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_row_lock_is_waited_for(engine: Engine, database_url: str) -> None:
    _, _, first_round = visits.start_assessment(engine, "full")
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    blocker = make_engine(database_url)
    try:
        with blocker.connect() as connection:
            connection.execute(text("BEGIN"))
            connection.execute(text("SELECT * FROM answers FOR UPDATE"))
            release = threading.Timer(0.2, connection.execute, args=(text("COMMIT"),))
            release.start()
            visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
            release.join()
        assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        blocker.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_table_locked_too_long_gives_storage_busy_not_a_frozen_page(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.migrate import upgrade

    monkeypatch.setattr(storage_engine, "LOCK_TIMEOUT_MS", 300)
    engine, blocker = make_engine(database_url), make_engine(database_url)
    try:
        upgrade(engine)
        _, _, first_round = visits.start_assessment(engine, "full")
        with blocker.connect() as connection:
            connection.execute(text("BEGIN"))
            connection.execute(text("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE"))
            started = time.monotonic()
            with pytest.raises(StorageBusy) as busy:
                visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
            waited = time.monotonic() - started
            connection.execute(text("ROLLBACK"))
        assert waited < 5, f"waited {waited:.1f} s"
        assert busy.value.__cause__.orig.sqlstate == "55P03"  # type: ignore[union-attr]
        visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
        assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        engine.dispose()
        blocker.dispose()


def test_an_unreachable_postgresql_raises_storage_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_engine, "WRITE_ATTEMPTS", 2)
    monkeypatch.setattr(storage_engine, "FIRST_DELAY_S", 0.01)
    engine = make_engine("postgresql://nobody@127.0.0.1:9/nowhere?connect_timeout=1")
    try:
        with pytest.raises(StorageBusy):
            visits.save_answer(engine, 1, "strategy.crawl.1", "fully")
    finally:
        engine.dispose()
