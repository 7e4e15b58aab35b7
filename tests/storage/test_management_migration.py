"""Migration 0010 (organisation members, managers, job titles, waves and their responses, summary
layouts, targets, plan actions; organisations' anonymity threshold and invitation code) on SQLite and
PostgreSQL: from a database of revision 0009 with workshops, seats and a live run, an upgrade keeps
every row, makes every seated participant a member of the workshop's organisation and gives every
organisation the default threshold; the new tables work through storage.management; a downgrade
back to 0009 keeps every row of 0009's tables.

Old rows are written and read with frozen table definitions (tests/storage/test_live_migration.py),
never with storage.schema, whose organisations table has columns 0009 lacks."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from storage import management as store
from storage import migrate, schema
from storage.engine import make_engine
from storage.respondents import delete_respondent
from tests.storage import revision_0003
from tests.storage.test_live_migration import FROZEN_0008, _downgrade, _fill_0008, _live_rows
from tests.storage.test_sign_in_assignments_migration import _rows

AT = revision_0003.START
NEW_TABLES = (
    "organisation_job_titles", "organisation_members", "organisation_managers", "waves", "wave_responses",
    "summary_layouts", "organisation_targets", "plan_actions",
)  # fmt: skip
LATER_THAN_0010 = {"imported_banks"}
LIVE = {name: schema.metadata.tables[name] for name in ("live_runs", "live_players", "live_answers")}


def schema_0010() -> sa.MetaData:
    """storage.schema as it was at 0010: its tables without those of later revisions."""
    frozen = sa.MetaData(naming_convention=schema.metadata.naming_convention)
    for table in schema.metadata.sorted_tables:
        if table.name not in LATER_THAN_0010:
            table.to_metadata(frozen)
    return frozen


def _all_rows(connection: sa.Connection) -> dict[str, list[object]]:
    rows = _rows(connection, FROZEN_0008)
    rows |= {name: sorted(connection.execute(select(table)).all(), key=repr) for name, table in LIVE.items()}
    return rows


def _count(connection: sa.Connection, name: str) -> int:
    return int(connection.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one())


def test_from_0009_with_data_rows_stay_and_seated_participants_become_members(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0009")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        _fill_0008(engine)
        _live_rows(engine)
        with engine.connect() as connection:
            before = _all_rows(connection)
        assert all(before.values()), [name for name, rows in before.items() if not rows]

        done = migrate.upgrade(engine, target="0010")
        assert (done.before, done.after) == ("0009", "0010")

        with engine.connect() as connection:
            assert _all_rows(connection) == before
            assert compare_metadata(MigrationContext.configure(connection), schema_0010()) == []
            settings = store.settings_of(connection, 1)
            assert settings is not None
            assert (settings.anonymity_threshold, settings.invite_code, settings.invite_open) == (5, None, False)
            assert settings.departments == ("Sales", "IT") and settings.job_titles == ()
            members = [store.member_of(connection, r) for r in (1, 2)]
            assert [(m.organisation_id, m.department, m.joined_at) for m in members if m] == [
                (1, None, AT),
                (1, None, AT),
            ]
            for name in NEW_TABLES:
                if name != "organisation_members":
                    assert _count(connection, name) == 0, name

        # The new tables work.
        with engine.begin() as connection:
            store.set_lists(connection, 1, ["Sales", "IT", "Care"], ["Manager", "Adviser"], AT)
            store.set_invite(connection, 1, "QRS789", True, AT)
            store.set_threshold(connection, 1, 7, AT)
            store.set_manager(connection, 1, 1, True)
            store.set_manager(connection, 1, 1, True)  # twice is once
            store.put_member(connection, 1, 1, "Care", "Adviser", AT)
            wave = store.insert_wave(connection, 1, "Spring 2027", 7, AT, 1)
            store.ensure_layout(connection, "abc", ["content.1", "presence.crawl.1"])
            store.ensure_layout(connection, "abc", ["content.1", "presence.crawl.1"])
            store.put_response(connection, wave.id, 1, 1, "Care", "Adviser", AT, '{"f": 1}')
            store.put_response(
                connection, wave.id, 1, 1, "Care", "Adviser", AT + timedelta(hours=1), '{"f": 1, "x": 2}'
            )
            store.set_targets(connection, 1, [store.StoredTarget("content", "run", 5)])
            action = store.insert_action(
                connection,
                {"organisation_id": 1, "wave_id": wave.id, "dimension_id": "content", "title": "Plan content",
                 "detail": "", "owner": "Comms", "due_on": date(2027, 3, 1), "status": "open",
                 "source": "proposed", "baseline": 1.5, "created_at": AT, "updated_at": AT},
            )  # fmt: skip
        with engine.connect() as connection:
            settings = store.settings_of(connection, 1)
            assert settings is not None and settings.job_titles == ("Manager", "Adviser")
            assert store.organisation_by_invite(connection, "QRS789") == settings
            assert store.managed_organisations(connection, 1) == [1]
            assert store.open_wave_of(connection, 1) == wave
            responses = store.responses_of(connection, wave.id)
            assert [(r.department, r.job_title, r.summary) for r in responses] == [
                ("Care", "Adviser", '{"f": 1, "x": 2}')
            ]
            assert store.response_stamp(connection, wave.id) == (1, AT + timedelta(hours=1))
            assert store.layouts(connection, ["abc"]) == {"abc": ("content.1", "presence.crawl.1")}
            found = store.action_by_id(connection, action)
            assert found is not None and (found.title, found.due_on, found.baseline) == (
                "Plan content",
                date(2027, 3, 1),
                1.5,
            )

        # A respondent's member row and wave responses go with them; the wave and plan stay.
        with engine.begin() as connection:
            delete_respondent(connection, 1)
        with engine.connect() as connection:
            assert store.member_of(connection, 1) is None and store.responses_of(connection, wave.id) == []
            assert store.member_of(connection, 2) is not None
            assert _count(connection, "waves") == 1 and _count(connection, "plan_actions") == 1
    finally:
        engine.dispose()


def test_a_downgrade_to_0009_keeps_every_row_of_its_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0009")
        revision_0003.fill(engine, ["content.1"])
        _fill_0008(engine)
        _live_rows(engine)
        with engine.connect() as connection:
            before = _all_rows(connection)
        migrate.upgrade(engine, target="0010")
        with engine.begin() as connection:
            store.set_invite(connection, 1, "QRS789", True, AT)
            wave = store.insert_wave(connection, 1, "Spring 2027", 5, AT, 1)
            store.put_response(connection, wave.id, 1, 1, None, None, AT, "{}")

        _downgrade(engine, "0009")

        with engine.connect() as connection:
            assert migrate.current_revision(connection) == "0009"
            assert _all_rows(connection) == before
        names = set(sa.inspect(engine).get_table_names())
        assert not set(NEW_TABLES) & names
        assert "invite_code" not in {c["name"] for c in sa.inspect(engine).get_columns("organisations")}

        assert migrate.upgrade(engine, target="0010").after == "0010"
        with engine.connect() as connection:
            assert _all_rows(connection) == before
            assert _count(connection, "organisation_members") == 2
    finally:
        engine.dispose()


def test_alembics_own_command_line_keeps_departments_and_workshops_when_0010_copies_organisations(
    database_url: str,
) -> None:
    """`alembic upgrade/downgrade` without storage.migrate: on SQLite batch mode copies organisations
    and drops the old table, which with foreign keys on would delete its departments (ON DELETE
    CASCADE) and refuse its workshops; env.py turns them off as storage.migrate does."""
    from alembic import command

    engine = make_engine(database_url)
    config = migrate._config()
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))  # ConfigParser interpolates %
    try:
        migrate.upgrade(engine, target="0009")
        revision_0003.fill(engine, ["content.1"])
        _fill_0008(engine)
        with engine.connect() as connection:
            before = _all_rows(connection)
        assert before["organisation_departments"] and before["workshops"]
        command.upgrade(config, "0010")
        with engine.connect() as connection:
            assert _all_rows(connection) == before
            assert _count(connection, "organisation_members") == 2
        command.downgrade(config, "0009")
        with engine.connect() as connection:
            assert _all_rows(connection) == before
            assert migrate.current_revision(connection) == "0009"
    finally:
        engine.dispose()
