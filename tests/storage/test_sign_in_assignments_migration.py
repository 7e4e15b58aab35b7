"""Migration 0008 (users.email, auth_sessions.handoff_hash/handoff_expires_at, workshop_assignments)
on SQLite and PostgreSQL: from a database of revision 0007 with rows in every table, and from one of
revision 0005 (the release before accounts) with its rows, an upgrade to head keeps every row; the
new columns are NULL, the new table is empty and everything agrees with storage.schema.

Old rows are written with frozen table definitions (the columns their revision had), never with
storage.schema, whose tables have columns those revisions do not."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from storage import migrate, schema
from storage.engine import make_engine
from tests.storage import revision_0003

AT = revision_0003.START

# Tables as revision 0006/0007 made them.
users_0006 = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("username", sa.String(40)),
    sa.column("display_name", sa.String(80)),
    sa.column("password_hash", sa.String(255)),
    sa.column("role", sa.String(16)),
    sa.column("active", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("password_changed_at", sa.DateTime(timezone=True)),
)
auth_sessions_0006 = sa.table(
    "auth_sessions",
    sa.column("id", sa.Integer()),
    sa.column("token_hash", sa.String(64)),
    sa.column("user_id", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("last_seen_at", sa.DateTime(timezone=True)),
    sa.column("expires_at", sa.DateTime(timezone=True)),
    sa.column("ended_at", sa.DateTime(timezone=True)),
)
login_failures_0006 = sa.table(
    "login_failures",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String(8)),
    sa.column("subject", sa.String(64)),
    sa.column("at", sa.DateTime(timezone=True)),
)
organisations_0007 = sa.table(
    "organisations",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String(120)),
    sa.column("sector", sa.String(32)),
    sa.column("size_band", sa.String(16)),
    sa.column("default_language", sa.String(16)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
organisation_departments_0007 = sa.table(
    "organisation_departments",
    sa.column("organisation_id", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("name", sa.String(60)),
)
workshops_0007 = sa.table(
    "workshops",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("trainer_user_id", sa.Integer()),
    sa.column("name", sa.String(120)),
    sa.column("held_on", sa.Date()),
    sa.column("language", sa.String(16)),
    sa.column("mode", sa.String(8)),
    sa.column("code", sa.String(6)),
    sa.column("open", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("closed_at", sa.DateTime(timezone=True)),
)
workshop_participants_0007 = sa.table(
    "workshop_participants",
    sa.column("respondent_id", sa.Integer()),
    sa.column("workshop_id", sa.Integer()),
    sa.column("nickname", sa.String(24)),
    sa.column("nickname_key", sa.String(96)),
    sa.column("joined_at", sa.DateTime(timezone=True)),
)

# Unchanged by 0008, read through storage.schema (their columns are the same at 0005/0007 and head).
UNCHANGED_SINCE_0005 = ("respondents", "rounds", "answers")
FROZEN_0007 = {
    "users": users_0006,
    "auth_sessions": auth_sessions_0006,
    "login_failures": login_failures_0006,
    "organisations": organisations_0007,
    "organisation_departments": organisation_departments_0007,
    "workshops": workshops_0007,
    "workshop_participants": workshop_participants_0007,
}


def _rows(connection: sa.Connection, frozen: dict[str, sa.TableClause]) -> dict[str, list[object]]:
    tables: dict[str, sa.TableClause | sa.Table] = {name: schema.metadata.tables[name] for name in UNCHANGED_SINCE_0005}
    tables |= frozen
    return {name: sorted(connection.execute(select(table)).all(), key=repr) for name, table in tables.items()}


def _fill_0007(engine: sa.Engine) -> None:
    """Users, a login, a failure, an organisation with departments, a workshop and two seats."""
    with engine.begin() as connection:
        connection.execute(
            users_0006.insert(),
            [
                {"id": 1, "username": "anna", "display_name": "Anna", "password_hash": "$argon2id$x",
                 "role": "trainer", "active": True, "created_at": AT, "updated_at": AT, "password_changed_at": AT},
                {"id": 2, "username": "root", "display_name": "Root", "password_hash": "$argon2id$y",
                 "role": "admin", "active": False, "created_at": AT, "updated_at": AT, "password_changed_at": AT},
            ],
        )  # fmt: skip
        connection.execute(
            auth_sessions_0006.insert(),
            [
                {"id": 1, "token_hash": "a" * 64, "user_id": 1, "created_at": AT, "last_seen_at": AT,
                 "expires_at": AT + timedelta(days=7), "ended_at": None},
                {"id": 2, "token_hash": "b" * 64, "user_id": 2, "created_at": AT, "last_seen_at": AT,
                 "expires_at": AT + timedelta(days=7), "ended_at": AT + timedelta(hours=1)},
            ],
        )  # fmt: skip
        connection.execute(login_failures_0006.insert().values(id=1, kind="account", subject="anna", at=AT))
        connection.execute(
            organisations_0007.insert().values(
                id=1, name="Acme", sector="retail", size_band="10-49", default_language="nl", created_at=AT,
                updated_at=AT,
            )
        )  # fmt: skip
        connection.execute(
            organisation_departments_0007.insert(),
            [
                {"organisation_id": 1, "position": 0, "name": "Sales"},
                {"organisation_id": 1, "position": 1, "name": "IT"},
            ],
        )
        connection.execute(
            workshops_0007.insert().values(
                id=1, organisation_id=1, trainer_user_id=1, name="Kick-off", held_on=date(2026, 12, 3),
                language="nl", mode="quick", code="ABC234", open=False, created_at=AT, closed_at=AT,
            )
        )  # fmt: skip
        connection.execute(
            workshop_participants_0007.insert(),
            [
                {"respondent_id": 1, "workshop_id": 1, "nickname": "Zoë", "nickname_key": "zoe", "joined_at": AT},
                {"respondent_id": 2, "workshop_id": 1, "nickname": "Bo", "nickname_key": "bo", "joined_at": AT},
            ],
        )


def test_from_0007_with_data_every_row_stays_the_new_columns_are_null_and_assignments_empty(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0007")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        _fill_0007(engine)
        with engine.connect() as connection:
            before = _rows(connection, FROZEN_0007)
        assert all(before.values()), [name for name, rows in before.items() if not rows]
        assert "workshop_assignments" not in inspect(engine).get_table_names()
        assert "email" not in {c["name"] for c in inspect(engine).get_columns("users")}

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0007", migrate.head())

        with engine.connect() as connection:
            assert _rows(connection, FROZEN_0007) == before
            emails = connection.execute(select(schema.users.c.email)).scalars().all()
            assert emails == [None, None]
            handoffs = connection.execute(
                select(schema.auth_sessions.c.handoff_hash, schema.auth_sessions.c.handoff_expires_at)
            ).all()
            assert [tuple(row) for row in handoffs] == [(None, None), (None, None)]
            count = select(func.count()).select_from(schema.workshop_assignments)
            assert connection.execute(count).scalar_one() == 0
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
        found = inspect(engine)
        assert {ix["name"]: ix["unique"] for ix in found.get_indexes("users")}.get("ix_users_email") in (True, 1)
        assert {ix["name"]: ix["unique"] for ix in found.get_indexes("auth_sessions")}.get(
            "ix_auth_sessions_handoff_hash"
        ) in (True, 1)
        assert found.get_pk_constraint("workshop_assignments")["name"] == "pk_workshop_assignments"
        assert {u["name"] for u in found.get_unique_constraints("workshop_assignments")} == {
            "uq_workshop_assignments_workshop_kind_target"
        }
        foreign = found.get_foreign_keys("workshop_assignments")
        assert [fk["name"] for fk in foreign] == ["fk_workshop_assignments_workshop_id_workshops"]
        assert (foreign[0]["options"].get("ondelete") or "").upper() == "CASCADE"
    finally:
        engine.dispose()


def test_an_assignment_goes_with_its_workshop_after_the_upgrade(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0007")
        revision_0003.fill(engine, ["content.1"])
        _fill_0007(engine)
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(
                schema.workshop_assignments.insert().values(
                    workshop_id=1, kind="assessment", target="", due_on=None, created_at=AT
                )
            )
        with engine.begin() as connection:
            connection.execute(schema.workshops.delete().where(schema.workshops.c.id == 1))
        with engine.connect() as connection:
            count = select(func.count()).select_from(schema.workshop_assignments)
            assert connection.execute(count).scalar_one() == 0
    finally:
        engine.dispose()


def test_from_0005_the_previous_release_with_data_every_row_stays(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0005")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        with engine.connect() as connection:
            before = _rows(connection, {})
        assert all(before.values())

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0005", migrate.head())

        with engine.connect() as connection:
            assert _rows(connection, {}) == before
            for table in (schema.users, schema.auth_sessions, schema.workshops, schema.workshop_assignments):
                assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 0
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
    finally:
        engine.dispose()
