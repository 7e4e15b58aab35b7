"""Migration 0011 (imported_banks) on SQLite and PostgreSQL: from a database of revision 0010 with
users, workshops, a live run, members, a wave and a plan in it, an upgrade keeps every row and the
new table takes an imported bank through storage.quiz_banks; a downgrade back to 0010 keeps every
row of 0010's tables and drops only the new one.

Old rows are written with frozen table definitions (tests/storage/test_live_migration.py) and the
tables of 0010, which 0011 leaves as they are."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from storage import management, migrate, schema
from storage import quiz_banks as store
from storage.engine import make_engine
from tests.storage import revision_0003
from tests.storage.test_live_migration import _downgrade, _fill_0008, _live_rows
from tests.storage.test_management_migration import NEW_TABLES as TABLES_OF_0010
from tests.storage.test_management_migration import _all_rows as rows_before_0010

AT = revision_0003.START
BANK_TOML = 'id = "moodle-week-1"\ntitle = "Week 1"\nfeedback = "instant"\n'


def _rows(connection: sa.Connection) -> dict[str, list[object]]:
    rows = rows_before_0010(connection)
    for name in TABLES_OF_0010:
        table = schema.metadata.tables[name]
        rows[name] = sorted(connection.execute(select(table)).all(), key=repr)
    return rows


def _fill_0010(engine: sa.Engine) -> None:
    revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
    _fill_0008(engine)
    _live_rows(engine)
    with engine.begin() as connection:
        management.set_lists(connection, 1, ["Sales", "IT"], ["Manager"], AT)
        management.put_member(connection, 1, 1, "IT", "Manager", AT)
        wave = management.insert_wave(connection, 1, "Spring 2027", 5, AT, 1)
        management.put_response(connection, wave.id, 1, 1, "IT", "Manager", AT, "{}")
        management.ensure_layout(connection, "abc", ["content.1"])
        management.set_manager(connection, 1, 1, True)
        management.set_targets(connection, 1, [management.StoredTarget("content", "run", 5)])
        management.insert_action(
            connection,
            {"organisation_id": 1, "wave_id": wave.id, "dimension_id": "content", "title": "Plan content",
             "detail": "", "owner": "Comms", "due_on": None, "status": "open", "source": "proposed",
             "baseline": 1.5, "created_at": AT, "updated_at": AT},
        )  # fmt: skip


def _stored(bank_id: str, title: str, minutes: int = 0) -> store.StoredImportedBank:
    info = store.ImportedBankInfo(bank_id, title, "gift", "week 1.gift", 1, AT + timedelta(minutes=minutes))
    return store.StoredImportedBank(info, BANK_TOML.replace("moodle-week-1", bank_id))


def test_from_0010_with_data_every_row_stays_and_banks_can_be_imported(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0010")
        _fill_0010(engine)
        with engine.connect() as connection:
            before = _rows(connection)
        assert all(before.values()), [name for name, rows in before.items() if not rows]
        assert "imported_banks" not in sa.inspect(engine).get_table_names()

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0010", "0011") and migrate.head() == "0011"

        with engine.connect() as connection:
            assert _rows(connection) == before
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
            assert store.list_banks(connection) == [] and store.stamp(connection) == (0, None)

        with engine.begin() as connection:
            store.insert_bank(connection, _stored("moodle-week-1", "Week 1"))
        with engine.connect() as connection:
            found = store.bank_by_id(connection, "moodle-week-1")
            assert found is not None and found.bank_toml.startswith('id = "moodle-week-1"')
            assert (found.info.title, found.info.imported_at, found.info.imported_by_user_id) == ("Week 1", AT, 1)
            assert store.stamp(connection) == (1, AT)
    finally:
        engine.dispose()


def test_a_downgrade_to_0010_keeps_every_row_of_its_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0010")
        _fill_0010(engine)
        with engine.connect() as connection:
            before = _rows(connection)
        migrate.upgrade(engine)
        with engine.begin() as connection:
            store.insert_bank(connection, _stored("moodle-week-1", "Week 1"))

        _downgrade(engine, "0010")

        with engine.connect() as connection:
            assert migrate.current_revision(connection) == "0010"
            assert _rows(connection) == before
        assert "imported_banks" not in sa.inspect(engine).get_table_names()
        assert migrate.upgrade(engine).after == "0011"
        with engine.connect() as connection:
            assert _rows(connection) == before and store.list_banks(connection) == []
    finally:
        engine.dispose()
