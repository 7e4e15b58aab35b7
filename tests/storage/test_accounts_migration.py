"""Migration 0006 (users, auth_sessions, login_failures) from a database of revision 0005 with data
in it, on SQLite and PostgreSQL: every respondent, round and answer stays; the new tables exist,
empty, and agree with storage.schema; the accounts queries work on them."""

from __future__ import annotations

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from storage import accounts as store
from storage import migrate, schema
from storage.engine import make_engine
from tests.storage import revision_0003

NEW_TABLES = ("users", "auth_sessions", "login_failures")


def test_from_0005_with_data_the_account_tables_arrive_empty_and_nothing_else_changes(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0005")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        with engine.connect() as connection:
            before = {
                name: sorted(connection.execute(select(table)).all(), key=repr)
                for name, table in (
                    ("respondents", schema.respondents),
                    ("rounds", schema.rounds),
                    ("answers", schema.answers),
                )
            }
        assert all(before.values())
        assert not set(NEW_TABLES) & set(inspect(engine).get_table_names())

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0005", migrate.head())

        with engine.connect() as connection:
            after = {
                name: sorted(connection.execute(select(table)).all(), key=repr)
                for name, table in (
                    ("respondents", schema.respondents),
                    ("rounds", schema.rounds),
                    ("answers", schema.answers),
                )
            }
            assert after == before
            for name in NEW_TABLES:
                table = schema.metadata.tables[name]
                assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 0
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
        found = inspect(engine)
        assert {u["name"] for u in found.get_unique_constraints("users")} == {"uq_users_username"}
        assert {u["name"] for u in found.get_unique_constraints("auth_sessions")} == {"uq_auth_sessions_token_hash"}
        assert {fk["name"] for fk in found.get_foreign_keys("auth_sessions")} == {"fk_auth_sessions_user_id_users"}
        assert "ix_login_failures_kind_subject_at" in {ix["name"] for ix in found.get_indexes("login_failures")}
    finally:
        engine.dispose()


def test_the_account_queries_round_trip_and_sessions_go_with_their_user(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        at = revision_0003.START
        with engine.begin() as connection:
            user = store.insert_user(connection, "anna", "Anna", "$argon2id$fake", "trainer", at)
            store.insert_session(connection, "a" * 64, user.id, at, at + timedelta(days=7))
            store.record_failure(connection, "account", "anna", at, at - timedelta(minutes=30))
        with engine.connect() as connection:
            assert store.user_by_name(connection, "anna") == user
            assert user.active is True
            session = store.session_by_token_hash(connection, "a" * 64)
            assert session is not None and session.user_id == user.id and session.ended_at is None
            assert session.expires_at == at + timedelta(days=7)
            assert store.failures_since(connection, "account", "anna", at - timedelta(minutes=1)) == [at]
        with engine.begin() as connection:
            connection.execute(schema.users.delete().where(schema.users.c.id == user.id))
        with engine.connect() as connection:
            assert store.session_by_token_hash(connection, "a" * 64) is None  # ON DELETE CASCADE
    finally:
        engine.dispose()
