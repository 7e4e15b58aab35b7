"""storage.db on SQLite and PostgreSQL: schema versions, respondents, rounds, answers,
learning progress, deletion, and the bad-input and busy-database paths."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text

from storage import db


@pytest.fixture
def engine(database_url: str):  # noqa: ANN201 - this module's schema is the release's own
    created = db.make_engine(database_url)
    db.upgrade(created)
    yield created
    created.dispose()


def count(engine: Engine, table) -> int:  # noqa: ANN001
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


# Schema --------------------------------------------------------------------------------


def test_upgrade_creates_every_table_and_records_the_version(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"schema_version", "respondents", "rounds", "answers", "lessons_done", "quiz_attempts"} <= tables
    assert "quiz_responses" in tables
    with engine.connect() as connection:
        assert db.current_version(connection) == db.SCHEMA_VERSION
        assert connection.execute(select(func.count()).select_from(db.schema_version)).scalar_one() == 1


def test_upgrade_is_idempotent_and_keeps_data(engine: Engine) -> None:
    token, _respondent, first_round = db.create_respondent(engine, "full")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "largely")
    assert db.upgrade(engine) == db.SCHEMA_VERSION
    assert db.upgrade(engine) == db.SCHEMA_VERSION
    assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "largely"}
    assert db.find_respondent(engine, token).id == first_round.respondent_id


def test_upgrade_from_version_1_adds_the_learning_tables(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        with engine.begin() as connection:
            db.schema_version.create(connection)
            db.MIGRATIONS[0](connection)
            connection.execute(db.schema_version.insert().values(version=1))
        assert "lessons_done" not in inspect(engine).get_table_names()
        assert db.upgrade(engine) == 2
        assert {"lessons_done", "quiz_attempts", "quiz_responses"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_newer_schema_than_the_code_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(db.schema_version.update().values(version=db.SCHEMA_VERSION + 1))
    with pytest.raises(db.StorageError, match="newer than this code"):
        db.upgrade(engine)


def test_replicas_upgrading_at_once_migrate_once(database_url: str) -> None:
    engines = [db.make_engine(database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def run(engine: Engine) -> None:
        try:
            db.upgrade(engine)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        if engines[0].dialect.name == "sqlite":
            # SQLite serialises the writers itself; a loser may see "already exists" and retry on restart.
            db.upgrade(engines[0])
        else:
            assert errors == []
        with engines[0].connect() as connection:
            assert db.current_version(connection) == db.SCHEMA_VERSION
            assert connection.execute(select(func.count()).select_from(db.schema_version)).scalar_one() == 1
    finally:
        for engine in engines:
            engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'app.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_database_url_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SMM_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMM_SQLITE_PATH", raising=False)
    assert db.database_url() == f"sqlite:///{db.DEFAULT_SQLITE_PATH}"
    monkeypatch.setenv("SMM_SQLITE_PATH", str(tmp_path / "x.sqlite3"))
    assert db.database_url() == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    monkeypatch.setenv("SMM_DATABASE_URL", " postgresql://u@h/d ")
    assert db.database_url() == "postgresql://u@h/d"
    assert db.make_engine("postgresql://u@h/d").dialect.driver == "psycopg"
    # The scheme some hosting platforms hand out means the same database.
    short = db.make_engine("postgres://u@h/d")
    assert (short.dialect.name, short.dialect.driver, short.url.host, short.url.database) == (
        "postgresql",
        "psycopg",
        "h",
        "d",
    )


# Respondents and tokens ---------------------------------------------------------------------


def test_a_respondent_is_found_by_token_and_the_token_is_never_stored(engine: Engine) -> None:
    token, respondent, first_round = db.create_respondent(engine, "quick", "Acme Ltd", "Marketing lead")
    assert db.TOKEN_PATTERN.match(token)
    found = db.find_respondent(engine, token)
    assert (found.id, found.organisation, found.role) == (respondent.id, "Acme Ltd", "Marketing lead")
    assert first_round.number == 1 and first_round.mode == "quick" and first_round.completed_at is None
    with engine.connect() as connection:
        stored = connection.execute(select(db.respondents)).mappings().one()
    assert token not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == db.token_hash(token)


def test_tokens_are_unique(engine: Engine) -> None:
    tokens = {db.create_respondent(engine, "full")[0] for _ in range(20)}
    assert len(tokens) == 20


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "has no token"),
        (None, "has no token"),
        ("short", "malformed"),
        ("<script>alert(1)</script>xxxxxxxxxxxxx", "malformed"),
        ("a" * 31 + "!", "malformed"),
        ("a" * 33, "malformed"),
    ],
)
def test_a_malformed_token_is_named_as_such(engine: Engine, token: object, message: str) -> None:
    with pytest.raises(db.TokenError, match=message):
        db.find_respondent(engine, token)  # type: ignore[arg-type]


def test_an_unknown_token_belongs_to_nobody(engine: Engine) -> None:
    db.create_respondent(engine, "full")
    with pytest.raises(db.TokenError, match="no assessment belongs to this resume link"):
        db.find_respondent(engine, db.new_token())


@pytest.mark.parametrize(
    ("organisation", "role", "message"),
    [
        ("<b>Acme</b>", None, "Organisation contains HTML"),
        ("Acme", "<script>alert(1)</script>", "Role contains HTML"),
        ("x" * (db.ORGANISATION_MAX + 1), None, "Organisation is too long"),
        ("Acme", "r" * (db.ROLE_MAX + 1), "Role is too long"),
        ("Acme\x00Corp", None, "control characters"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(engine: Engine, organisation: str, role: str, message: str) -> None:
    with pytest.raises(db.TextFieldError, match=message):
        db.create_respondent(engine, "full", organisation, role)
    assert count(engine, db.respondents) == 0


def test_profile_updates_keep_the_old_values_when_refused(engine: Engine) -> None:
    token, respondent, _ = db.create_respondent(engine, "full", "Acme", "Trainer")
    db.update_profile(engine, respondent.id, "  Acme Europe  ", "")
    found = db.find_respondent(engine, token)
    assert (found.organisation, found.role) == ("Acme Europe", None)
    with pytest.raises(db.TextFieldError):
        db.update_profile(engine, respondent.id, "<img src=x onerror=alert(1)>", "Trainer")
    found = db.find_respondent(engine, token)
    assert (found.organisation, found.role) == ("Acme Europe", None)


def test_text_that_merely_mentions_angle_brackets_is_plain_text() -> None:
    assert db.clean_text("R&D < 5 people > none", "Role", 80) == "R&D < 5 people > none"
    assert db.clean_text("   ", "Role", 80) is None


# Answers and rounds ---------------------------------------------------------------------------


def test_each_answer_is_stored_at_once_and_can_be_changed_or_cleared(engine: Engine) -> None:
    _, _, first_round = db.create_respondent(engine, "full")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    db.save_answer(engine, first_round.id, "tee.trust.1", "4")
    assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "partly", "tee.trust.1": "4"}
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
    assert db.load_answers(engine, first_round.id)["strategy.crawl.1"] == "fully"
    db.save_answer(engine, first_round.id, "strategy.crawl.1", None)
    assert db.load_answers(engine, first_round.id) == {"tee.trust.1": "4"}
    assert count(engine, db.answers) == 1


def test_answers_survive_a_new_engine_as_after_a_server_restart(database_url: str) -> None:
    first = db.make_engine(database_url)
    db.upgrade(first)
    token, _, first_round = db.create_respondent(first, "full")
    db.save_answer(first, first_round.id, "checklist.policy", "yes")
    first.dispose()
    second = db.make_engine(database_url)
    try:
        db.upgrade(second)
        respondent = db.find_respondent(second, token)
        latest = db.list_rounds(second, respondent.id)[-1]
        assert db.load_answers(second, latest.id) == {"checklist.policy": "yes"}
    finally:
        second.dispose()


def test_answers_of_one_round_do_not_leak_into_another(engine: Engine) -> None:
    _, _, mine = db.create_respondent(engine, "full")
    _, _, theirs = db.create_respondent(engine, "full")
    db.save_answer(engine, mine.id, "strategy.crawl.1", "none")
    db.save_answer(engine, theirs.id, "strategy.crawl.1", "fully")
    assert db.load_answers(engine, mine.id) == {"strategy.crawl.1": "none"}
    assert db.load_answers(engine, theirs.id) == {"strategy.crawl.1": "fully"}


def test_a_new_round_carries_the_previous_answers_over_or_starts_empty(engine: Engine) -> None:
    _, respondent, first_round = db.create_respondent(engine, "quick")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "largely")
    db.complete_round(engine, first_round.id)
    second = db.start_round(engine, respondent.id, "full")
    assert (second.number, second.mode) == (2, "full")
    assert db.load_answers(engine, second.id) == {"strategy.crawl.1": "largely"}
    db.save_answer(engine, second.id, "strategy.crawl.1", "fully")
    assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "largely"}, "the old round is history"
    third = db.start_round(engine, respondent.id, "full", carry_over=False)
    assert third.number == 3 and db.load_answers(engine, third.id) == {}
    assert [r.number for r in db.list_rounds(engine, respondent.id)] == [1, 2, 3]


def test_moments_come_back_in_utc_from_both_databases(engine: Engine) -> None:
    token, respondent, first_round = db.create_respondent(engine, "full")
    db.complete_round(engine, first_round.id)
    stored = db.list_rounds(engine, respondent.id)[0]
    assert stored.started_at == first_round.started_at
    for moment in (stored.started_at, stored.completed_at, db.find_respondent(engine, token).created_at):
        assert moment is not None and moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_two_tabs_starting_a_new_round_at_once_get_the_same_new_round(engine: Engine, database_url: str) -> None:
    """The other tab numbers its round between this one's read of the last number and its insert: the
    unique (respondent, number) refuses this insert, and the round the other tab opened is the new one."""
    _, respondent, first_round = db.create_respondent(engine, "full")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "largely")
    other_tab = db.make_engine(database_url)
    opened_by_other_tab: list[db.Round] = []

    def other_tab_gets_there_first(conn, cursor, statement: str, *args: object) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO ROUNDS") and not opened_by_other_tab:
            opened_by_other_tab.append(db.start_round(other_tab, respondent.id, "full"))

    event.listen(engine, "before_cursor_execute", other_tab_gets_there_first)
    try:
        mine = db.start_round(engine, respondent.id, "full")
    finally:
        event.remove(engine, "before_cursor_execute", other_tab_gets_there_first)
        other_tab.dispose()

    assert [r.number for r in opened_by_other_tab] == [2]
    assert mine == opened_by_other_tab[0]
    assert [r.number for r in db.list_rounds(engine, respondent.id)] == [1, 2]
    assert db.load_answers(engine, mine.id) == {"strategy.crawl.1": "largely"}


def test_completing_a_round_keeps_the_first_completion_time(engine: Engine) -> None:
    _, respondent, first_round = db.create_respondent(engine, "full")
    db.complete_round(engine, first_round.id)
    completed = db.list_rounds(engine, respondent.id)[0].completed_at
    assert completed is not None
    time.sleep(0.01)
    db.complete_round(engine, first_round.id)
    assert db.list_rounds(engine, respondent.id)[0].completed_at == completed


def test_switching_a_round_from_quick_to_full_keeps_its_answers(engine: Engine) -> None:
    _, respondent, first_round = db.create_respondent(engine, "quick")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    db.set_round_mode(engine, first_round.id, "full")
    assert db.list_rounds(engine, respondent.id)[0].mode == "full"
    assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "partly"}


# Learning progress --------------------------------------------------------------------------------


def test_lessons_are_marked_done_and_undone(engine: Engine) -> None:
    _, respondent, _ = db.create_respondent(engine, "full")
    db.set_lesson_done(engine, respondent.id, "four-stages", True)
    db.set_lesson_done(engine, respondent.id, "four-stages", True)
    db.set_lesson_done(engine, respondent.id, "listening-audience", True)
    assert db.lessons_completed(engine, respondent.id) == {"four-stages", "listening-audience"}
    db.set_lesson_done(engine, respondent.id, "four-stages", False)
    assert db.lessons_completed(engine, respondent.id) == {"listening-audience"}


def test_quiz_attempts_keep_their_seed_responses_and_first_score(engine: Engine) -> None:
    _, respondent, _ = db.create_respondent(engine, "full")
    first = db.start_attempt(engine, respondent.id, "four-stages")
    second = db.start_attempt(engine, respondent.id, "four-stages")
    other = db.start_attempt(engine, respondent.id, "cases")
    assert first.id != second.id and 0 <= first.seed < 2**31
    db.save_response(engine, first.id, "q1", '{"choice": "a"}')
    db.save_response(engine, first.id, "q1", '{"choice": "b"}')
    db.save_response(engine, first.id, "q2", '{"order": ["x", "y"]}')
    assert db.load_responses(engine, first.id) == {"q1": '{"choice": "b"}', "q2": '{"order": ["x", "y"]}'}
    assert db.load_responses(engine, second.id) == {}
    db.finish_attempt(engine, first.id, 75)
    db.finish_attempt(engine, first.id, 100)  # a second finish (a double click) does not rewrite the score
    stored = db.attempts(engine, respondent.id, "four-stages")
    assert [(a.id, a.score_percent) for a in stored] == [(first.id, 75), (second.id, None)]
    assert stored[0].finished_at is not None and stored[0].seed == first.seed
    assert [a.id for a in db.attempts(engine, respondent.id)] == [first.id, second.id, other.id]


def test_an_over_long_quiz_response_is_refused(engine: Engine) -> None:
    _, respondent, _ = db.create_respondent(engine, "full")
    attempt = db.start_attempt(engine, respondent.id, "cases")
    with pytest.raises(db.TextFieldError, match="too long"):
        db.save_response(engine, attempt.id, "q1", '"' + "x" * 4000 + '"')
    assert db.load_responses(engine, attempt.id) == {}


# Deleting ---------------------------------------------------------------------------------------------


def test_deleting_a_respondent_removes_everything_of_theirs_and_nothing_else(engine: Engine) -> None:
    token, respondent, first_round = db.create_respondent(engine, "full", "Acme")
    other_token, other, other_round = db.create_respondent(engine, "full", "Other")
    for who, round_ in ((respondent, first_round), (other, other_round)):
        db.save_answer(engine, round_.id, "strategy.crawl.1", "partly")
        db.set_lesson_done(engine, who.id, "four-stages", True)
        attempt = db.start_attempt(engine, who.id, "four-stages")
        db.save_response(engine, attempt.id, "q1", "{}")
    db.start_round(engine, respondent.id, "full")

    db.delete_respondent(engine, respondent.id)

    with pytest.raises(db.TokenError):
        db.find_respondent(engine, token)
    assert db.list_rounds(engine, respondent.id) == []
    assert db.lessons_completed(engine, respondent.id) == set()
    assert db.attempts(engine, respondent.id) == []
    assert count(engine, db.answers) == 1 and count(engine, db.quiz_responses) == 1
    assert db.find_respondent(engine, other_token).id == other.id
    assert db.load_answers(engine, other_round.id) == {"strategy.crawl.1": "partly"}


def test_writes_for_deleted_data_get_a_clear_error_and_store_nothing(engine: Engine) -> None:
    """A second tab still showing the assessment after "Delete my data" writes to ids that are gone."""
    _token, respondent, first_round = db.create_respondent(engine, "full")
    attempt = db.start_attempt(engine, respondent.id, "four-stages")
    db.delete_respondent(engine, respondent.id)

    writes = {
        "answer": lambda: db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully"),
        "quiz response": lambda: db.save_response(engine, attempt.id, "q1", "{}"),
        "quiz attempt": lambda: db.start_attempt(engine, respondent.id, "four-stages"),
        "lesson done": lambda: db.set_lesson_done(engine, respondent.id, "four-stages", True),
        "new round": lambda: db.start_round(engine, respondent.id, "full"),
    }
    for name, write in writes.items():
        with pytest.raises(db.DataDeleted, match="deleted"):
            write()
        for table in (db.respondents, db.rounds, db.answers, db.quiz_attempts, db.quiz_responses, db.lessons_done):
            assert count(engine, table) == 0, f"{name} left a row in {table.name}"


# A busy or absent database --------------------------------------------------------------------------


def test_a_briefly_locked_sqlite_file_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    engine, blocker = db.make_engine(url), db.make_engine(url)
    try:
        db.upgrade(engine)
        _, _, first_round = db.create_respondent(engine, "full")
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            release = threading.Timer(0.1, connection.exec_driver_sql, args=("COMMIT",))
            release.start()
            db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")  # retries until the lock goes
            release.join()
        assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        engine.dispose()
        blocker.dispose()


def test_a_sqlite_file_locked_too_long_raises_storage_busy_and_keeps_what_was_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 20)
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    engine, blocker = db.make_engine(url), db.make_engine(url)
    try:
        db.upgrade(engine)
        _, _, first_round = db.create_respondent(engine, "full")
        db.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            with pytest.raises(db.StorageBusy, match="nothing was lost"):
                db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
            connection.exec_driver_sql("COMMIT")
        assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "partly"}
        db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")  # the retry the page offers
        assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        engine.dispose()
        blocker.dispose()


# SQLite's counterpart is the exclusive-lock test above; row locks exist only on PostgreSQL.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_row_lock_is_waited_for(engine: Engine, database_url: str) -> None:
    assert engine.dialect.name == "postgresql"
    _, _, first_round = db.create_respondent(engine, "full")
    db.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    blocker = db.make_engine(database_url)
    try:
        with blocker.connect() as connection:
            connection.execute(text("BEGIN"))
            connection.execute(text("SELECT * FROM answers FOR UPDATE"))
            release = threading.Timer(0.2, connection.execute, args=(text("COMMIT"),))
            release.start()
            db.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
            release.join()
        assert db.load_answers(engine, first_round.id) == {"strategy.crawl.1": "fully"}
    finally:
        blocker.dispose()


def test_an_unreachable_postgresql_raises_storage_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_WRITE_ATTEMPTS", 2)
    engine = db.make_engine("postgresql://nobody@127.0.0.1:9/nowhere?connect_timeout=1")
    try:
        with pytest.raises(db.StorageBusy, match="busy"):
            db.save_answer(engine, 1, "strategy.crawl.1", "fully")
    finally:
        engine.dispose()
