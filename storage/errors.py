"""Typed errors of storage and the use cases built on it.

Each error carries data (which field, how long, which revision), never a sentence: the views
word them in the visitor's language (`views/messages.py`). `str()` of an error is an English
note for logs and tracebacks only.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class StorageError(Exception):
    """Base of the errors pages turn into messages."""


class StorageBusy(StorageError):
    """The database stayed locked, timed out or unreachable through the retry policy; nothing was written."""

    def __init__(self, note: str = "the database is busy or unreachable") -> None:
        super().__init__(note)


class TokenProblem(Enum):
    MISSING = "missing"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"


class TokenError(StorageError):
    """A resume token that is missing, malformed or belongs to nobody."""

    def __init__(self, reason: TokenProblem) -> None:
        super().__init__(f"resume token {reason.value}")
        self.reason = reason


class DataDeleted(StorageError):
    """A write for a respondent, round or quiz attempt that no longer exists: its data was deleted
    (say from another tab, after "Delete my data"). Nothing was written. `table` names what is gone."""

    def __init__(self, table: str) -> None:
        super().__init__(f"the {table} row this write belongs to no longer exists")
        self.table = table


class TextProblem(Enum):
    TOO_LONG = "too_long"
    HTML = "html"
    CONTROL = "control"


class TextFieldError(ValueError):
    """A free-text value refused before anything was written: `field` names the column
    (organisation, job_title, response), `problem` what is wrong; `length` and `limit` for
    TOO_LONG, `tag` (the first 30 characters of the markup) for HTML."""

    def __init__(
        self, field: str, problem: TextProblem, *, length: int = 0, limit: int = 0, tag: str | None = None
    ) -> None:
        super().__init__(f"{field}: {problem.value}")
        self.field = field
        self.problem = problem
        self.length = length
        self.limit = limit
        self.tag = tag


class SchemaError(StorageError):
    """The database schema is not the one this code is written for."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(f"database schema at {current or 'nothing'}, this code needs {head}")
        self.current = current
        self.head = head


class SchemaBehind(SchemaError):
    """The schema is older than this code (or missing): `python -m storage upgrade` brings it to head.
    `current` is None for an empty database or one made before Alembic."""


class SchemaAhead(SchemaError):
    """The schema carries a revision this code does not know: a newer release migrated it."""


# What a page may meet when the database is down or away (not a bug in a query): a server that
# refuses connections, a dropped connection mid-read, no free connection in the pool, or
# StorageBusy after the retry policy gave up.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (StorageBusy, OperationalError, InterfaceError, PoolTimeout)
