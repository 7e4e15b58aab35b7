"""All storage: tables, schema versions and queries, through SQLAlchemy Core.

SQLite by default (a file, WAL journal, busy timeout) and PostgreSQL when
`SMM_DATABASE_URL` says so. Nothing here imports streamlit; pages call these
functions with an engine they keep for the process.

A respondent is known only by a resume token. The token itself is never
stored, only its SHA-256, so a copy of the database does not hand out resume
links. Every answer is written the moment it is given (an upsert per answer),
so a closed tab or a restarted server loses nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from i18n import _

SCHEMA_VERSION = 2
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "data" / "assessment.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 5000
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
ORGANISATION_MAX = 120
ROLE_MAX = 80
_WRITE_ATTEMPTS = 4


class UtcDateTime(TypeDecorator):
    """A moment, handed out in UTC by both databases. SQLite keeps no time zone and gives back naive
    values (written in UTC); PostgreSQL gives them in the session's zone. Pages and exports then
    see the same values whichever database is behind them."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# One naming convention so constraint names are the same on SQLite and PostgreSQL
# and later migrations can drop or alter them by name.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

respondents = Table(
    "respondents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("organisation", String(ORGANISATION_MAX)),
    Column("role", String(ROLE_MAX)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("mode", String(8), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("completed_at", UtcDateTime()),
    UniqueConstraint("respondent_id", "number", name="uq_rounds_respondent_number"),
)

answers = Table(
    "answers",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(80), nullable=False),
    Column("value", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("round_id", "item_id"),
)


# Version 2: learning progress, owned by the respondent like the answers.
lessons_done = Table(
    "lessons_done",
    metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", String(80), nullable=False),
    Column("done_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("respondent_id", "lesson_id"),
)

quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("bank_id", String(80), nullable=False),
    Column("seed", Integer, nullable=False),  # shuffles options the same way after a refresh
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("score_percent", Integer),
)

quiz_responses = Table(
    "quiz_responses",
    metadata,
    Column("attempt_id", Integer, ForeignKey("quiz_attempts.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("response", String(4000), nullable=False),  # JSON
    Column("answered_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("attempt_id", "question_id"),
)


# Errors ---------------------------------------------------------------------------


class StorageError(Exception):
    """Base of the errors pages turn into messages."""


class StorageBusy(StorageError):
    """The database stayed locked or unreachable through every retry; nothing was written."""


class TokenError(StorageError):
    """A resume token that is malformed or belongs to nobody."""


class DataDeleted(StorageError):
    """A write for a respondent, round or quiz attempt that no longer exists: its data was deleted
    (say from another tab, after "Delete my data"). Nothing was written."""


# What a page may meet when the database is down or away (not a bug in a query): a server that
# refuses connections, a dropped connection mid-read, or StorageBusy after the write retries.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (StorageBusy, OperationalError, InterfaceError)


class TextFieldError(ValueError):
    """A free-text field that is too long or carries HTML."""


# Engine and schema ------------------------------------------------------------------


def database_url() -> str:
    """`SMM_DATABASE_URL`, else the SQLite file at `SMM_SQLITE_PATH` or the default path."""
    url = os.environ.get("SMM_DATABASE_URL", "").strip()
    if url:
        return url
    path = Path(os.environ.get("SMM_SQLITE_PATH", "") or DEFAULT_SQLITE_PATH)
    return f"sqlite:///{path}"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Streamlit runs each session in its own thread; SQLite must allow that.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    # Hosting platforms often hand out postgres:// URLs; SQLAlchemy knows only postgresql://, and
    # without a driver named it would look for psycopg2, which is not installed (psycopg 3 is).
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            url = "postgresql+psycopg://" + url.removeprefix(scheme)
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _migrate_to_1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[respondents, rounds, answers])


def _migrate_to_2(connection: Connection) -> None:
    metadata.create_all(connection, tables=[lessons_done, quiz_attempts, quiz_responses])


# Migration chain: MIGRATIONS[n] takes the schema from version n to n + 1.
# Add a function here (never edit an old one) and bump SCHEMA_VERSION.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migrate_to_1, _migrate_to_2)


def current_version(connection: Connection) -> int:
    if not inspect(connection).has_table("schema_version"):
        return 0
    return connection.execute(select(func.max(schema_version.c.version))).scalar() or 0


def upgrade(engine: Engine) -> int:
    """Bring the schema to SCHEMA_VERSION; safe to call at every start, from several processes."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Replicas starting together must not run the same migration twice.
            connection.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        schema_version.create(connection, checkfirst=True)
        version = current_version(connection)
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"the database schema is version {version}, newer than this code ({SCHEMA_VERSION}); "
                "upgrade the application"
            )
        for step in MIGRATIONS[version:]:
            step(connection)
        if version < SCHEMA_VERSION:
            connection.execute(delete(schema_version))
            connection.execute(insert(schema_version).values(version=SCHEMA_VERSION))
    return SCHEMA_VERSION


T = TypeVar("T")


def _is_transient(error: DBAPIError) -> bool:
    message = str(error.orig).lower() if error.orig else str(error).lower()
    return error.connection_invalidated or any(
        word in message for word in ("locked", "busy", "could not serialize", "deadlock", "connection")
    )


@contextmanager
def _write(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as connection:
        yield connection


def _retrying(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run one write transaction, retrying briefly when the database is locked or away."""
    delay = 0.05
    for attempt in range(_WRITE_ATTEMPTS):
        try:
            with _write(engine) as connection:
                return work(connection)
        except (OperationalError, DBAPIError) as error:
            if not _is_transient(error) or attempt == _WRITE_ATTEMPTS - 1:
                if _is_transient(error):
                    raise StorageBusy(_("the database is busy; nothing was lost, please try again")) from error
                raise
            time.sleep(delay)
            delay *= 4
    raise AssertionError("unreachable")


def _retrying_under(engine: Engine, parent: Table, parent_id: int, work: Callable[[Connection], T]) -> T:
    """`_retrying` for a write that adds rows under `parent`: when the parent row is gone, the
    foreign key refuses the write and this raises DataDeleted instead of an IntegrityError."""
    try:
        return _retrying(engine, work)
    except IntegrityError as error:
        with engine.connect() as connection:
            exists = connection.execute(select(parent.c.id).where(parent.c.id == parent_id)).first() is not None
        if exists:
            raise
        raise DataDeleted(_("this data no longer exists: it was deleted; nothing was saved")) from error


def _now() -> datetime:
    return datetime.now(timezone.utc)


# Tokens and text ----------------------------------------------------------------


def new_token() -> str:
    """32 URL-safe characters: 192 random bits."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_token(raw: object) -> str:
    """Return the token if well-formed; raise TokenError naming the problem otherwise."""
    if not isinstance(raw, str) or not raw:
        raise TokenError(_("the resume link has no token"))
    if not TOKEN_PATTERN.match(raw):
        raise TokenError(_("the resume link is malformed: a token is 32 letters, digits, '-' or '_'"))
    return raw


_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


def clean_text(value: str | None, label: str, max_length: int) -> str | None:
    """Validate a free-text field: trimmed, plain text, not too long. Empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise TextFieldError(
            _("{label} is too long: {length} characters, at most {most}").format(
                label=label, length=len(value), most=max_length
            )
        )
    if _TAG.search(value):
        raise TextFieldError(
            _("{label} contains HTML ({tag}); please use plain text").format(
                label=label,
                tag=_TAG.search(value).group(0)[:30],  # type: ignore[union-attr]
            )
        )
    if any(ord(ch) < 32 for ch in value):
        raise TextFieldError(_("{label} contains control characters; please use plain text").format(label=label))
    return value


# Records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    id: int
    organisation: str | None
    role: str | None
    created_at: datetime


@dataclass(frozen=True)
class Round:
    id: int
    respondent_id: int
    number: int
    mode: str
    started_at: datetime
    completed_at: datetime | None


# Queries -------------------------------------------------------------------------


def create_respondent(
    engine: Engine, mode: str, organisation: str | None = None, role: str | None = None
) -> tuple[str, Respondent, Round]:
    """A new respondent with a first round; returns the resume token (shown once, never stored)."""
    organisation = clean_text(organisation, _("Organisation"), ORGANISATION_MAX)
    role = clean_text(role, _("Role"), ROLE_MAX)
    token = new_token()

    def work(connection: Connection) -> tuple[Respondent, Round]:
        now = _now()
        respondent_id = connection.execute(
            insert(respondents).values(
                token_hash=token_hash(token), organisation=organisation, role=role, created_at=now, updated_at=now
            )
        ).inserted_primary_key[0]
        round_id = connection.execute(
            insert(rounds).values(respondent_id=respondent_id, number=1, mode=mode, started_at=now)
        ).inserted_primary_key[0]
        return (Respondent(respondent_id, organisation, role, now), Round(round_id, respondent_id, 1, mode, now, None))

    respondent, first_round = _retrying(engine, work)
    return token, respondent, first_round


def find_respondent(engine: Engine, token: str) -> Respondent:
    """The respondent a token belongs to; TokenError if malformed or unknown."""
    check_token(token)
    with engine.connect() as connection:
        row = connection.execute(
            select(respondents.c.id, respondents.c.organisation, respondents.c.role, respondents.c.created_at).where(
                respondents.c.token_hash == token_hash(token)
            )
        ).first()
    if row is None:
        raise TokenError(_("no assessment belongs to this resume link; it may have been deleted or mistyped"))
    return Respondent(row.id, row.organisation, row.role, row.created_at)


def update_profile(engine: Engine, respondent_id: int, organisation: str | None, role: str | None) -> None:
    organisation = clean_text(organisation, _("Organisation"), ORGANISATION_MAX)
    role = clean_text(role, _("Role"), ROLE_MAX)
    _retrying(
        engine,
        lambda c: c.execute(
            update(respondents)
            .where(respondents.c.id == respondent_id)
            .values(organisation=organisation, role=role, updated_at=_now())
        ),
    )


def list_rounds(engine: Engine, respondent_id: int) -> list[Round]:
    """All rounds of a respondent, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(rounds).where(rounds.c.respondent_id == respondent_id).order_by(rounds.c.number)
        ).all()
    return [Round(r.id, r.respondent_id, r.number, r.mode, r.started_at, r.completed_at) for r in rows]


def start_round(engine: Engine, respondent_id: int, mode: str, carry_over: bool = True) -> Round:
    """Open the next round; with carry_over, it starts from the previous round's answers."""

    def work(connection: Connection) -> Round:
        previous = connection.execute(
            select(rounds.c.id, rounds.c.number)
            .where(rounds.c.respondent_id == respondent_id)
            .order_by(rounds.c.number.desc())
            .limit(1)
        ).first()
        number = previous.number + 1 if previous else 1
        now = _now()
        round_id = connection.execute(
            insert(rounds).values(respondent_id=respondent_id, number=number, mode=mode, started_at=now)
        ).inserted_primary_key[0]
        if carry_over and previous is not None:
            connection.execute(
                insert(answers).from_select(
                    ["round_id", "item_id", "value", "answered_at"],
                    select(literal(round_id, Integer), answers.c.item_id, answers.c.value, answers.c.answered_at).where(
                        answers.c.round_id == previous.id
                    ),
                )
            )
        return Round(round_id, respondent_id, number, mode, now, None)

    try:
        return _retrying_under(engine, respondents, respondent_id, work)
    except IntegrityError:
        # The respondent exists, so the unique (respondent, number) refused the insert: another tab
        # opened the next round between this one's read of the last number and its insert. One click
        # in each tab asked for one new round, and that round is it.
        return list_rounds(engine, respondent_id)[-1]


def set_round_mode(engine: Engine, round_id: int, mode: str) -> None:
    _retrying(engine, lambda c: c.execute(update(rounds).where(rounds.c.id == round_id).values(mode=mode)))


def complete_round(engine: Engine, round_id: int) -> None:
    """Mark a round finished (first time only: a later edit keeps the first completion time)."""
    _retrying(
        engine,
        lambda c: c.execute(
            update(rounds).where(rounds.c.id == round_id, rounds.c.completed_at.is_(None)).values(completed_at=_now())
        ),
    )


def save_answer(engine: Engine, round_id: int, item_id: str, value: str | None) -> None:
    """Store one answer now (None removes it). Values arrive validated by the caller."""

    def work(connection: Connection) -> None:
        if value is None:
            connection.execute(delete(answers).where(answers.c.round_id == round_id, answers.c.item_id == item_id))
            return
        values = {"round_id": round_id, "item_id": item_id, "value": value, "answered_at": _now()}
        connection.execute(_upsert(connection, answers, values, ["round_id", "item_id"]))

    _retrying_under(engine, rounds, round_id, work)


def _upsert(connection: Connection, table: Table, values: dict[str, object], keys: list[str]):  # noqa: ANN202
    """INSERT .. ON CONFLICT (keys) DO UPDATE the other columns; both dialects spell it the same way."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(table).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in keys}
    return statement.on_conflict_do_update(index_elements=keys, set_=updates)


def load_answers(engine: Engine, round_id: int) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(answers.c.item_id, answers.c.value).where(answers.c.round_id == round_id)
        ).all()
    return {row.item_id: row.value for row in rows}


def delete_respondent(engine: Engine, respondent_id: int) -> None:
    """Remove a respondent with every round and answer. Explicit deletes, so it
    does not depend on the database enforcing ON DELETE CASCADE."""

    def work(connection: Connection) -> None:
        round_ids = select(rounds.c.id).where(rounds.c.respondent_id == respondent_id).scalar_subquery()
        connection.execute(delete(answers).where(answers.c.round_id.in_(round_ids)))
        attempt_ids = select(quiz_attempts.c.id).where(quiz_attempts.c.respondent_id == respondent_id).scalar_subquery()
        connection.execute(delete(quiz_responses).where(quiz_responses.c.attempt_id.in_(attempt_ids)))
        connection.execute(delete(quiz_attempts).where(quiz_attempts.c.respondent_id == respondent_id))
        connection.execute(delete(lessons_done).where(lessons_done.c.respondent_id == respondent_id))
        connection.execute(delete(rounds).where(rounds.c.respondent_id == respondent_id))
        connection.execute(delete(respondents).where(respondents.c.id == respondent_id))

    _retrying(engine, work)


# Learning progress -------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    id: int
    bank_id: str
    seed: int
    started_at: datetime
    finished_at: datetime | None
    score_percent: int | None


def set_lesson_done(engine: Engine, respondent_id: int, lesson_id: str, done: bool) -> None:
    def work(connection: Connection) -> None:
        connection.execute(
            delete(lessons_done).where(
                lessons_done.c.respondent_id == respondent_id, lessons_done.c.lesson_id == lesson_id
            )
        )
        if done:
            connection.execute(
                insert(lessons_done).values(respondent_id=respondent_id, lesson_id=lesson_id, done_at=_now())
            )

    _retrying_under(engine, respondents, respondent_id, work)


def lessons_completed(engine: Engine, respondent_id: int) -> set[str]:
    with engine.connect() as connection:
        rows = connection.execute(select(lessons_done.c.lesson_id).where(lessons_done.c.respondent_id == respondent_id))
        return {row.lesson_id for row in rows}


def start_attempt(engine: Engine, respondent_id: int, bank_id: str) -> Attempt:
    seed = secrets.randbelow(2**31)

    def work(connection: Connection) -> Attempt:
        now = _now()
        attempt_id = connection.execute(
            insert(quiz_attempts).values(respondent_id=respondent_id, bank_id=bank_id, seed=seed, started_at=now)
        ).inserted_primary_key[0]
        return Attempt(attempt_id, bank_id, seed, now, None, None)

    return _retrying_under(engine, respondents, respondent_id, work)


def attempts(engine: Engine, respondent_id: int, bank_id: str | None = None) -> list[Attempt]:
    """Attempts oldest first, for one bank or all."""
    query = select(quiz_attempts).where(quiz_attempts.c.respondent_id == respondent_id)
    if bank_id is not None:
        query = query.where(quiz_attempts.c.bank_id == bank_id)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(quiz_attempts.c.id)).all()
    return [Attempt(r.id, r.bank_id, r.seed, r.started_at, r.finished_at, r.score_percent) for r in rows]


def save_response(engine: Engine, attempt_id: int, question_id: str, response_json: str) -> None:
    if len(response_json) > 4000:
        raise TextFieldError(_("the answer is too long to store (at most {most} characters)").format(most=4000))

    values = {"attempt_id": attempt_id, "question_id": question_id, "response": response_json, "answered_at": _now()}
    _retrying_under(
        engine,
        quiz_attempts,
        attempt_id,
        lambda c: c.execute(_upsert(c, quiz_responses, values, ["attempt_id", "question_id"])),
    )


def load_responses(engine: Engine, attempt_id: int) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(quiz_responses.c.question_id, quiz_responses.c.response).where(
                quiz_responses.c.attempt_id == attempt_id
            )
        ).all()
    return {row.question_id: row.response for row in rows}


def finish_attempt(engine: Engine, attempt_id: int, score_percent: int) -> None:
    _retrying(
        engine,
        lambda c: c.execute(
            update(quiz_attempts)
            .where(quiz_attempts.c.id == attempt_id, quiz_attempts.c.finished_at.is_(None))
            .values(finished_at=_now(), score_percent=score_percent)
        ),
    )
