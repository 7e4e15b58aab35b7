"""Migration 0009 (workshops.live_leaderboard, live_runs, live_players, live_answers) on SQLite and
PostgreSQL: from a database of revision 0008 with a workshop, its participants, an assignment and
everything before, an upgrade keeps every row, gives existing workshops the leaderboard, and the new
tables take a run, its players and answers (and go with the workshop or the respondent); a downgrade
back to 0008 keeps every row of 0008's tables.

Old rows are written and read with frozen table definitions (the columns revision 0008 has), never
with storage.schema, whose workshops table has a column 0008 lacks."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from storage import live as store
from storage import migrate, schema
from storage.engine import make_engine
from storage.respondents import delete_respondent
from tests.storage import revision_0003
from tests.storage.test_sign_in_assignments_migration import FROZEN_0007, _fill_0007, _rows

AT = revision_0003.START
LIVE_TABLES = ("live_runs", "live_players", "live_answers")

workshop_assignments_0008 = sa.table(
    "workshop_assignments",
    sa.column("id", sa.Integer()),
    sa.column("workshop_id", sa.Integer()),
    sa.column("kind", sa.String(16)),
    sa.column("target", sa.String(80)),
    sa.column("due_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
users_0008 = sa.table(
    "users",
    *[sa.column(c.name, c.type) for c in FROZEN_0007["users"].columns],
    sa.column("email", sa.String(254)),
)
FROZEN_0008 = {**FROZEN_0007, "users": users_0008, "workshop_assignments": workshop_assignments_0008}


def _fill_0008(engine: sa.Engine) -> None:
    """0007's rows (two users, a workshop with two seats, ...), a second workshop, an e-mail and an
    assignment."""
    _fill_0007(engine)
    with engine.begin() as connection:
        connection.execute(users_0008.update().where(users_0008.c.id == 1).values(email="anna@example.org"))
        connection.execute(
            FROZEN_0007["workshops"]
            .insert()
            .values(
                id=2, organisation_id=1, trainer_user_id=1, name="Follow-up", held_on=date(2026, 12, 10),
                language="en", mode="full", code="XYZ789", open=True, created_at=AT, closed_at=None,
            )
        )  # fmt: skip
        connection.execute(
            workshop_assignments_0008.insert().values(
                id=1, workshop_id=1, kind="quiz", target="mini", due_on=date(2026, 12, 5), created_at=AT
            )
        )


def _downgrade(engine: sa.Engine, target: str) -> None:
    """Alembic's downgrade as `migrate.upgrade` runs an upgrade: on SQLite with foreign keys off (a
    table that batch mode copies is dropped, which with them on would first delete the rows that
    refer to it) and in one transaction."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                command.downgrade(migrate._config(connection), target)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _schema_0009() -> sa.MetaData:
    """storage.schema as it was at 0009: its tables without those of later revisions, and
    organisations without 0010's columns."""
    frozen = sa.MetaData(naming_convention=schema.metadata.naming_convention)
    later = {"organisation_job_titles", "organisation_members", "organisation_managers", "waves", "wave_responses",
             "summary_layouts", "organisation_targets", "plan_actions", "imported_banks"}  # fmt: skip
    for table in schema.metadata.sorted_tables:
        if table.name not in later:
            table.to_metadata(frozen)
    organisations = frozen.tables["organisations"]
    for name in ("anonymity_threshold", "invite_code", "invite_open"):
        organisations._columns.remove(organisations.c[name])
    for index in list(organisations.indexes):
        organisations.indexes.discard(index)
    return frozen


def _live_rows(engine: sa.Engine) -> None:
    """A run of workshop 1 by user 1 with respondent 1 (seated there) playing and answering."""
    with engine.begin() as connection:
        run_id = store.insert_run(connection, 1, "mini", 1, ["q1", "q2"], 20, True, "lobby", AT)
        assert store.insert_player(connection, run_id, 1, 0, AT)
        assert not store.insert_player(connection, run_id, 1, 0, AT)
        store.move_run(
            connection, run_id, phase="open", question_index=0, opened_at=AT, deadline_at=AT + timedelta(seconds=20),
            closed_at=None, ended_at=None, expected_version=1,
        )  # fmt: skip
        assert store.insert_answer(connection, run_id, "q1", 1, '"a"', AT + timedelta(seconds=2), 2000, 1.0)
        assert not store.insert_answer(connection, run_id, "q1", 1, '"b"', AT + timedelta(seconds=3), 3000, 0.0)
        store.set_points(connection, run_id, "q1", 1, 950)
        store.set_score(connection, run_id, 1, 950, 1)


def test_from_0008_with_data_every_row_stays_and_workshops_show_the_leaderboard(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0008")
        revision_0003.fill(engine, ["content.1", "presence.crawl.1"])
        _fill_0008(engine)
        with engine.connect() as connection:
            before = _rows(connection, FROZEN_0008)
        assert all(before.values()), [name for name, rows in before.items() if not rows]
        assert not set(LIVE_TABLES) & set(inspect(engine).get_table_names())

        done = migrate.upgrade(engine, target="0009")
        assert (done.before, done.after) == ("0008", "0009")

        with engine.connect() as connection:
            assert _rows(connection, FROZEN_0008) == before
            shown = connection.execute(
                select(schema.workshops.c.id, schema.workshops.c.live_leaderboard).order_by(schema.workshops.c.id)
            ).all()
            assert [tuple(row) for row in shown] == [(1, True), (2, True)]
            for name in LIVE_TABLES:
                assert (
                    connection.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one() == 0
                )
            assert compare_metadata(MigrationContext.configure(connection), _schema_0009()) == []

        # The new tables work: a run, a seat and an answer (once), read back with the workshop's setting.
        _live_rows(engine)
        with engine.begin() as connection:
            store.set_leaderboard(connection, 2, False)
        with engine.connect() as connection:
            run = store.active_run_of_workshop(connection, 1, "ended")
            assert run is not None
            assert (run.question_ids, run.streak_bonus, run.phase, run.version, run.leaderboard) == (
                ("q1", "q2"), True, "open", 2, True,
            )  # fmt: skip
            assert run.deadline_at == AT + timedelta(seconds=20)
            players = store.players_of(connection, run.id)
            assert [(p.respondent_id, p.nickname, p.score, p.streak) for p in players] == [(1, "Zoë", 950, 1)]
            answers = store.answers_of_run(connection, run.id)
            assert [(a.response, a.elapsed_ms, a.credit, a.points) for a in answers] == [('"a"', 2000, 1.0, 950)]
            assert connection.execute(
                select(schema.workshops.c.live_leaderboard).where(schema.workshops.c.id == 2)
            ).scalar_one() is False  # fmt: skip
        found = inspect(engine)
        for name in LIVE_TABLES:
            assert found.get_pk_constraint(name)["name"] == f"pk_{name}"
        cascades = {
            (fk["referred_table"], (fk["options"].get("ondelete") or "").upper())
            for name in LIVE_TABLES
            for fk in found.get_foreign_keys(name)
        }
        assert cascades == {
            ("workshops", "CASCADE"),
            ("users", ""),
            ("live_runs", "CASCADE"),
            ("respondents", "CASCADE"),
        }

        # A respondent's data goes with them; a workshop's runs go with it.
        with engine.begin() as connection:
            delete_respondent(connection, 1, _schema_0009())
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(schema.live_players)).scalar_one() == 0
            assert connection.execute(select(func.count()).select_from(schema.live_answers)).scalar_one() == 0
            assert connection.execute(select(func.count()).select_from(schema.live_runs)).scalar_one() == 1
        with engine.begin() as connection:
            connection.execute(schema.workshops.delete().where(schema.workshops.c.id == 1))
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(schema.live_runs)).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_downgrade_to_0008_keeps_every_row_of_its_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0008")
        revision_0003.fill(engine, ["content.1"])
        _fill_0008(engine)
        with engine.connect() as connection:
            before = _rows(connection, FROZEN_0008)
        migrate.upgrade(engine, target="0009")
        _live_rows(engine)
        with engine.begin() as connection:
            store.set_leaderboard(connection, 1, False)

        _downgrade(engine, "0008")

        with engine.connect() as connection:
            assert migrate.current_revision(connection) == "0008"
            assert _rows(connection, FROZEN_0008) == before
        found = inspect(engine)
        assert not set(LIVE_TABLES) & set(found.get_table_names())
        assert "live_leaderboard" not in {c["name"] for c in found.get_columns("workshops")}
        # The foreign keys to workshops survive its copy (SQLite) and still hold.
        referring = {fk["referred_table"] for fk in found.get_foreign_keys("workshop_participants")}
        assert "workshops" in referring

        # And up again: the workshops get the leaderboard back, the rows are still there.
        assert migrate.upgrade(engine, target="0009").after == "0009"
        with engine.connect() as connection:
            assert _rows(connection, FROZEN_0008) == before
            assert set(connection.execute(select(schema.workshops.c.live_leaderboard)).scalars()) == {True}
    finally:
        engine.dispose()


def test_alembics_own_command_line_keeps_the_seats_when_0009_copies_workshops(database_url: str) -> None:
    """`alembic upgrade/downgrade` without storage.migrate (env.py opens its own engine): on SQLite
    batch mode copies workshops and drops the old table, which with foreign keys on first deleted
    every participant, assignment and run (ON DELETE CASCADE)."""
    engine = make_engine(database_url)
    config = migrate._config()
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))  # ConfigParser interpolates %
    try:
        migrate.upgrade(engine, target="0008")
        revision_0003.fill(engine, ["content.1"])
        _fill_0008(engine)
        with engine.connect() as connection:
            before = _rows(connection, FROZEN_0008)
        assert before["workshop_participants"] and before["workshop_assignments"]
        command.upgrade(config, "0009")
        with engine.connect() as connection:
            assert _rows(connection, FROZEN_0008) == before
        command.downgrade(config, "0008")
        with engine.connect() as connection:
            assert _rows(connection, FROZEN_0008) == before
            assert migrate.current_revision(connection) == "0008"
    finally:
        engine.dispose()
