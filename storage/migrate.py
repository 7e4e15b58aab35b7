"""Bring a database to the newest schema, and tell whether it is there.

The revisions live in `storage/migrations/versions` (Alembic). `upgrade` is what
`python -m storage upgrade` and `scripts/serve` run before the site starts; the site itself only
checks (`check_schema`) and refuses to run on a schema that is behind.

A database made by the release before Alembic has a `schema_version` table (version 2) and no
`alembic_version`: `upgrade` stamps it with revision 0001, which is that schema, and carries on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from storage import engine as engines
from storage.errors import SchemaAhead, SchemaBehind, SchemaError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LEGACY_REVISION = "0001"  # the schema of the release that kept schema_version
LEGACY_VERSION = 2
# How long a replica waits for another's migration on SQLite (PostgreSQL's wait has no limit, as
# lock_timeout is 0 there): far past the site's busy timeout, since copying a big table takes long.
MIGRATION_BUSY_TIMEOUT_MS = 10 * 60 * 1000
ADVISORY_LOCK_KEY = 727274  # the same key the release before Alembic used, so old and new replicas wait for each other


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    revision = _scripts().get_current_head()
    assert revision is not None, "no migrations found"
    return revision


def current_revision(connection: Connection) -> str | None:
    """The Alembic revision of the database; None when it has none (empty, or made before Alembic)."""
    return MigrationContext.configure(connection).get_current_revision()


def legacy_version(connection: Connection) -> int | None:
    """The release-before-Alembic `schema_version`, when the database has that table and no Alembic revision."""
    if not inspect(connection).has_table("schema_version"):
        return None
    return connection.execute(text("SELECT MAX(version) FROM schema_version")).scalar()


@dataclass(frozen=True)
class Upgrade:
    before: str | None
    after: str
    stamped_legacy: bool

    def describe(self, where: str) -> str:
        if self.stamped_legacy:
            start = f"a schema_version {LEGACY_VERSION} database (stamped as {LEGACY_REVISION})"
        else:
            start = "an empty database" if self.before is None else f"revision {self.before}"
        if self.before == self.after and not self.stamped_legacy:
            return f"{where}: already at head ({self.after}); nothing to do"
        return f"{where}: upgraded {start} to {self.after}" + (" (head)" if self.after == head() else "")


def upgrade(engine: Engine, target: str = "head") -> Upgrade:
    """Bring the schema to head (or to `target`, an earlier revision, which the migration tests use
    to make a database of an older release); safe to run at every deploy, from several replicas at once."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A table copied by batch mode is dropped and replaced; with foreign keys on, dropping
            # it would first delete the rows that refer to it (ON DELETE CASCADE). The pragma
            # takes effect only outside a transaction, so before the first statement.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            # BEGIN IMMEDIATE below waits this long for a replica that is migrating already.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={MIGRATION_BUSY_TIMEOUT_MS}")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "sqlite":
                    # Python's sqlite3 opens a transaction only before data changes, so the DDL
                    # would commit statement by statement; one explicit transaction makes the
                    # upgrade all or nothing, and its write lock makes other processes wait.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                if connection.dialect.name == "postgresql":
                    # Migrations may wait for locks and run long: not under the site's timeouts.
                    connection.execute(text("SET LOCAL lock_timeout = 0"))
                    connection.execute(text("SET LOCAL statement_timeout = 0"))
                    # Replicas starting together must not run the same migration twice.
                    connection.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})"))
                before = current_revision(connection)
                stamped = False
                if before is None:
                    version = legacy_version(connection)
                    if version is not None:
                        if version != LEGACY_VERSION:
                            raise SchemaError(f"schema_version {version}", head())
                        command.stamp(_config(connection), LEGACY_REVISION)
                        stamped = True
                elif before not in {s.revision for s in _scripts().walk_revisions()}:
                    raise SchemaAhead(before, head())
                command.upgrade(_config(connection), target)
                after = current_revision(connection)
        finally:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.exec_driver_sql(f"PRAGMA busy_timeout={engines.SQLITE_BUSY_TIMEOUT_MS}")
                connection.commit()
    assert after is not None
    return Upgrade(before, after, stamped)


def check_schema(engine: Engine) -> str:
    """The database's revision if it is head; SchemaBehind or SchemaAhead otherwise. One short read."""
    with engine.connect() as connection:
        current = current_revision(connection)
    wanted = head()
    if current == wanted:
        return current
    known = {s.revision for s in _scripts().walk_revisions()}
    if current is None or current in known:
        raise SchemaBehind(current, wanted)
    raise SchemaAhead(current, wanted)
