"""The Alembic chain on SQLite and PostgreSQL: a fresh install, a database made by the release
before Alembic (with data), agreement between storage.schema and the migrations, and the checks
the site and the command line make."""

from __future__ import annotations

import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from storage import engine as engine_module
from storage import migrate, schema
from storage import respondents as store
from storage.engine import make_engine
from storage.errors import SchemaAhead, SchemaBehind, SchemaError
from tests.storage import revision_0003
from tests.storage.legacy_release import make_legacy_database

PROJECT = Path(__file__).resolve().parents[2]
TABLES = {
    "respondents",
    "rounds",
    "answers",
    "retired_answers",
    "lessons_done",
    "quiz_attempts",
    "quiz_responses",
    "users",
    "auth_sessions",
    "login_failures",
    "organisations",
    "organisation_departments",
    "workshops",
    "workshop_participants",
    "workshop_assignments",
    "live_runs",
    "live_players",
    "live_answers",
    "organisation_job_titles",
    "organisation_members",
    "organisation_managers",
    "waves",
    "wave_responses",
    "summary_layouts",
    "organisation_targets",
    "plan_actions",
    "imported_banks",
}


def test_a_fresh_database_upgrades_to_head(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with pytest.raises(SchemaBehind) as behind:
            migrate.check_schema(engine)
        assert behind.value.current is None and behind.value.head == migrate.head()
        done = migrate.upgrade(engine)
        assert (done.before, done.after, done.stamped_legacy) == (None, migrate.head(), False)
        assert migrate.check_schema(engine) == migrate.head()
        tables = set(inspect(engine).get_table_names())
        assert tables - {"alembic_version"} == TABLES
        again = migrate.upgrade(engine)
        assert again.before == again.after == migrate.head()
        assert "nothing to do" in again.describe("db")
    finally:
        engine.dispose()


def test_the_table_definitions_and_the_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), schema.metadata
        )
    assert differences == []


def test_constraint_names_follow_the_naming_convention_on_both_databases(engine: Engine) -> None:
    found = inspect(engine)
    assert found.get_pk_constraint("respondents")["name"] == "pk_respondents"
    assert {u["name"] for u in found.get_unique_constraints("respondents")} == {"uq_respondents_token_hash"}
    assert {u["name"] for u in found.get_unique_constraints("rounds")} == {"uq_rounds_respondent_number"}
    assert {fk["name"] for fk in found.get_foreign_keys("answers")} == {"fk_answers_round_id_rounds"}
    assert "ix_rounds_respondent_id" not in {ix["name"] for ix in found.get_indexes("rounds")}  # dropped by 0003


def test_a_database_made_by_the_release_before_alembic_keeps_every_row(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        legacy = make_legacy_database(engine)
        with pytest.raises(SchemaBehind):
            migrate.check_schema(engine)
        done = migrate.upgrade(engine)
        assert done.stamped_legacy and done.after == migrate.head()
        assert "stamped as 0001" in done.describe("db")
        assert migrate.check_schema(engine) == migrate.head()
        assert "schema_version" not in inspect(engine).get_table_names()

        with engine.connect() as connection:
            people = connection.execute(select(schema.respondents)).all()
            assert {p.id: p.token_hash for p in people} == legacy.token_hashes
            assert {p.id: (p.organisation, p.job_title) for p in people} == legacy.profiles
            assert all(p.language is None for p in people)
            rounds = connection.execute(select(schema.rounds)).all()
            assert {
                r.id: (r.respondent_id, r.number, r.mode, r.completed_at is not None) for r in rounds
            } == legacy.rounds
            answers = connection.execute(select(schema.answers)).all()
            assert {(a.round_id, a.item_id): a.value for a in answers} == legacy.answers
            lessons = connection.execute(select(schema.lessons_done)).all()
            assert {(row.respondent_id, row.lesson_id) for row in lessons} == legacy.lessons_done
            attempts = connection.execute(select(schema.quiz_attempts)).all()
            assert {a.id: (a.respondent_id, a.bank_id, a.seed, a.score_percent) for a in attempts} == legacy.attempts
            responses = connection.execute(select(schema.quiz_responses)).all()
            assert {(r.attempt_id, r.question_id): r.response for r in responses} == legacy.responses
            differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
        assert differences == []
        # The foreign keys still hold after SQLite's table copy: deleting a respondent cascades.
        with engine.begin() as connection:
            connection.execute(schema.respondents.delete().where(schema.respondents.c.id == 2))
        with engine.connect() as connection:
            assert connection.execute(select(schema.rounds.c.id).where(schema.rounds.c.respondent_id == 2)).all() == []
    finally:
        engine.dispose()


def test_a_legacy_database_of_another_version_is_refused(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        make_legacy_database(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE schema_version SET version = 1"))
        with pytest.raises(SchemaError, match="schema_version 1"):
            migrate.upgrade(engine)
    finally:
        engine.dispose()


def test_a_revision_newer_than_the_code_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaAhead) as ahead:
        migrate.check_schema(engine)
    assert ahead.value.current == "9999"
    with pytest.raises(SchemaAhead):
        migrate.upgrade(engine)


def test_a_schema_one_revision_behind_is_named_as_such(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        with pytest.raises(SchemaBehind) as behind:
            migrate.check_schema(engine)
        assert (behind.value.current, behind.value.head) == ("0001", migrate.head())
    finally:
        engine.dispose()


def test_replicas_upgrading_at_once_migrate_once(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(4)]
    errors: list[str] = []

    def run(engine: Engine) -> None:
        try:
            migrate.upgrade(engine)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below, with where it came from
            errors.append("".join(traceback.format_exception(error)))

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        # PostgreSQL's advisory lock and SQLite's write lock (BEGIN IMMEDIATE) make the others wait.
        assert errors == []
        assert migrate.check_schema(engines[0]) == migrate.head()
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar_one() == 1
    finally:
        for engine in engines:
            engine.dispose()


def test_a_replica_waits_for_a_migration_longer_than_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A migration copying a big table holds the write lock for longer than the site's busy timeout;
    # the other replicas must wait for it, as they do on PostgreSQL, not fail.
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 20)
    url = f"sqlite:///{tmp_path / 'slow.sqlite3'}"
    engine, other = make_engine(url), make_engine(url)
    try:
        with other.connect() as migrating:
            migrating.exec_driver_sql("BEGIN IMMEDIATE")  # the other replica's migration, under way
            done = threading.Timer(0.5, migrating.exec_driver_sql, args=("COMMIT",))
            done.start()
            assert migrate.upgrade(engine).after == migrate.head()
            done.join()
        with engine.connect() as connection:  # the pooled connection is back on the site's timeout
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 20
    finally:
        engine.dispose()
        other.dispose()


def _cli(*args: str, sqlite_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SMM_SQLITE_PATH": str(sqlite_path)}
    return subprocess.run(
        [sys.executable, "-m", "storage", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_command_line_upgrades_and_reports_the_revision(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        make_legacy_database(engine)
    finally:
        engine.dispose()
    before = _cli("current", sqlite_path=database)
    assert (
        before.returncode == 1 and "schema_version 2" in before.stdout and "python -m storage upgrade" in before.stdout
    )
    upgraded = _cli("upgrade", sqlite_path=database)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded a schema_version 2 database (stamped as 0001) to {migrate.head()}" in upgraded.stdout
    after = _cli("current", sqlite_path=database)
    assert after.returncode == 0 and f"{migrate.head()} (head)" in after.stdout


def test_a_database_of_revision_0002_keeps_every_row_and_loses_the_duplicate_index(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        done = migrate.upgrade(engine, target="0002")
        assert done.after == "0002" and "(head)" not in done.describe("db")
        assert "ix_rounds_respondent_id" in {ix["name"] for ix in inspect(engine).get_indexes("rounds")}
        revision_0003.fill(engine, ["content.1"])
        old_rounds = select(revision_0003.rounds).order_by(revision_0003.rounds.c.id)
        with engine.connect() as connection:
            before = connection.execute(old_rounds).all()
            answers_before = connection.execute(select(revision_0003.answers)).all()

        upgraded = migrate.upgrade(engine)
        assert (upgraded.before, upgraded.after) == ("0002", migrate.head())
        assert "ix_rounds_respondent_id" not in {ix["name"] for ix in inspect(engine).get_indexes("rounds")}
        with engine.connect() as connection:
            assert connection.execute(old_rounds).all() == before
            assert sorted(connection.execute(select(revision_0003.answers)).all()) == sorted(answers_before)
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
            if connection.dialect.name == "sqlite":
                # Lookups by respondent still use an index: the unique (respondent_id, number) one.
                plan = connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT * FROM rounds WHERE respondent_id = ? ORDER BY number", (1,)
                ).all()
                assert any("USING INDEX" in str(row[-1]) and "respondent_id=?" in str(row[-1]) for row in plan), plan
        with engine.connect() as connection:
            for person in (1, 2):
                found = store.with_rounds(connection, f"{person}" * 64)
                assert found is not None and found[1][-1].number == 2
    finally:
        engine.dispose()


def test_the_migration_files_are_frozen() -> None:
    """A revision spells its tables out: importing today's tables would make old revisions drift."""
    for revision in (PROJECT / "storage" / "migrations" / "versions").glob("*.py"):
        source = revision.read_text(encoding="utf-8")
        assert "storage.schema" not in source and "from storage" not in source, revision.name
