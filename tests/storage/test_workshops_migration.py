"""Migration 0007 (organisations, organisation_departments, workshops, workshop_participants) from a
database of revision 0006 with respondents, rounds, answers and users in it, on SQLite and
PostgreSQL: every row stays; the new tables exist, empty, and agree with storage.schema; the
workshop queries work on them and a participant's seat goes with its respondent."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from storage import migrate, schema
from storage import workshops as store
from storage.engine import make_engine
from storage.respondents import delete_respondent
from tests.storage import revision_0003

NEW_TABLES = ("organisations", "organisation_departments", "workshops", "workshop_participants")
KEPT = ("respondents", "rounds", "answers", "users")

# users as revision 0006 made it (its own columns, not today's table).
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


def _rows(connection: sa.Connection) -> dict[str, list[object]]:
    """The kept tables' rows, users by the columns revision 0006 gave it (later revisions add some)."""
    tables = {name: schema.metadata.tables[name] for name in KEPT} | {"users": users_0006}
    return {name: sorted(connection.execute(select(table)).all(), key=repr) for name, table in tables.items()}


def test_from_0006_with_data_the_workshop_tables_arrive_empty_and_nothing_else_changes(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0006")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        at = revision_0003.START
        with engine.begin() as connection:
            connection.execute(
                users_0006.insert(),
                [
                    {"id": 1, "username": "anna", "display_name": "Anna", "password_hash": "$argon2id$x",
                     "role": "trainer", "active": True, "created_at": at, "updated_at": at,
                     "password_changed_at": at},
                    {"id": 2, "username": "root", "display_name": "Root", "password_hash": "$argon2id$y",
                     "role": "admin", "active": True, "created_at": at, "updated_at": at,
                     "password_changed_at": at},
                ],
            )  # fmt: skip
        with engine.connect() as connection:
            before = _rows(connection)
        assert all(before.values())
        assert not set(NEW_TABLES) & set(inspect(engine).get_table_names())

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0006", migrate.head())

        with engine.connect() as connection:
            assert _rows(connection) == before
            for name in NEW_TABLES:
                table = schema.metadata.tables[name]
                assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 0
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
        found = inspect(engine)
        assert {u["name"] for u in found.get_unique_constraints("workshops")} == {"uq_workshops_code"}
        assert {u["name"] for u in found.get_unique_constraints("workshop_participants")} == {
            "uq_workshop_participants_workshop_nickname"
        }
        assert found.get_pk_constraint("workshop_participants")["name"] == "pk_workshop_participants"
        assert {fk["name"] for fk in found.get_foreign_keys("workshops")} == {
            "fk_workshops_organisation_id_organisations",
            "fk_workshops_trainer_user_id_users",
        }
    finally:
        engine.dispose()


def test_the_workshop_queries_round_trip_and_a_seat_goes_with_its_respondent(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0006")
        revision_0003.fill(engine, ["content.1"])
        migrate.upgrade(engine)
        at = revision_0003.START
        with engine.begin() as connection:
            connection.execute(
                users_0006.insert().values(
                    id=7, username="anna", display_name="Anna", password_hash="x", role="trainer", active=True,
                    created_at=at, updated_at=at, password_changed_at=at,
                )
            )  # fmt: skip
            organisation = store.insert_organisation(
                connection, "Acme", "retail", "10-49", "nl", ("Sales", "Support"), at
            )
            workshop = store.insert_workshop(
                connection, organisation.id, 7, "Kick-off", date(2026, 12, 3), "nl", "quick", "ABC234", at
            )
            store.insert_participant(connection, workshop.id, 1, "Zoë", "zoe", at)
            store.insert_participant(connection, workshop.id, 2, "Bo", "bo", at)
        with engine.connect() as connection:
            assert store.all_organisations(connection) == [organisation]
            assert organisation.departments == ("Sales", "Support")
            assert store.workshop_by_code(connection, "ABC234") == workshop
            assert store.workshops_of_trainer(connection, 7) == [workshop]
            assert store.nickname_keys(connection, workshop.id) == {"zoe", "bo"}
            # Respondent 1 completed round 1 of 2; respondent 2 completed round 2 (revision_0003.fill).
            assert [(p.nickname, p.finished_rounds) for p in store.participants_of(connection, workshop.id)] == [
                ("Zoë", 1),
                ("Bo", 1),
            ]
        with engine.begin() as connection:
            delete_respondent(connection, 1)
        with engine.connect() as connection:
            assert store.seat_of(connection, 1) is None
            assert store.nickname_keys(connection, workshop.id) == {"bo"}
    finally:
        engine.dispose()
