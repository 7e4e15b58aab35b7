"""What the command lines of this package share: their exit codes, and opening the site's database
with a one-line reason when its schema is not the one this code needs."""

from __future__ import annotations

import sys

from sqlalchemy import Engine

from services import accounts
from services.accounts import SchemaAhead, SchemaBehind

BAD_INPUT = 2
UNAVAILABLE = 1


def open_engine_or_explain() -> Engine | None:
    """The site's database at the newest schema; None after saying on standard error why not."""
    try:
        return accounts.open_engine()
    except SchemaBehind:
        print("error: the database schema is behind; run `python -m storage upgrade` first", file=sys.stderr)
    except SchemaAhead:
        print("error: the database was migrated by a newer release than this code", file=sys.stderr)
    return None
