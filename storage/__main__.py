"""`python -m storage upgrade`: bring the database (SMM_DATABASE_URL, else the SQLite file at
SMM_SQLITE_PATH) to the newest schema and say what was done. `python -m storage current`: print
its revision; exit 1 when it is not head."""

from __future__ import annotations

import argparse
import sys

from storage import migrate
from storage.engine import database_url, make_engine
from storage.errors import SchemaError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__)
    parser.add_argument("command", choices=["upgrade", "current"])
    args = parser.parse_args(argv)
    engine = make_engine(database_url())
    where = engine.url.render_as_string(hide_password=True)
    try:
        if args.command == "upgrade":
            print(migrate.upgrade(engine).describe(where))
            return 0
        with engine.connect() as connection:
            current = migrate.current_revision(connection)
            legacy = migrate.legacy_version(connection) if current is None else None
        head = migrate.head()
        if current == head:
            print(f"{where}: {current} (head)")
            return 0
        if legacy is not None:
            print(f"{where}: schema_version {legacy}, before Alembic; run `python -m storage upgrade`")
        elif current is None:
            print(f"{where}: no schema yet; run `python -m storage upgrade`")
        else:
            print(f"{where}: {current}, head is {head}; run `python -m storage upgrade`")
        return 1
    except SchemaError as error:
        print(f"{where}: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
