"""Alembic's environment: runs the revisions on the connection `storage.migrate` hands over
(inside its transaction and advisory lock), or on the configured database for the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage.engine import make_engine
from storage.schema import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters most things by copying the table; batch mode does that for it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # As `storage.migrate.upgrade` does: a table batch mode copies is dropped, and with
                # foreign keys on (the engine turns them on) that first deletes every row that refers
                # to it with ON DELETE CASCADE (0009 copies workshops: all their participants).
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            run(connection)
            connection.commit()
    finally:
        engine.dispose()
