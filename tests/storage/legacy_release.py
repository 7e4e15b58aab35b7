"""A database as the release before Alembic made it: its tables (schema_version 2), frozen here
as that release defined them, and some data in every table. Never built from storage.schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

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
    UniqueConstraint,
    insert,
)

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
    Column("organisation", String(120)),
    Column("role", String(80)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("mode", String(8), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    UniqueConstraint("respondent_id", "number", name="uq_rounds_respondent_number"),
)
answers = Table(
    "answers",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(80), nullable=False),
    Column("value", String(16), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("round_id", "item_id"),
)
lessons_done = Table(
    "lessons_done",
    metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", String(80), nullable=False),
    Column("done_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("respondent_id", "lesson_id"),
)
quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("bank_id", String(80), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("score_percent", Integer),
)
quiz_responses = Table(
    "quiz_responses",
    metadata,
    Column("attempt_id", Integer, ForeignKey("quiz_attempts.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("response", String(4000), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("attempt_id", "question_id"),
)


@dataclass(frozen=True)
class LegacyData:
    """What `make_legacy_database` stored, to be found again after the upgrade."""

    token_hashes: dict[int, str]  # respondent id -> token hash
    profiles: dict[int, tuple[str | None, str | None]]  # respondent id -> (organisation, role)
    rounds: dict[int, tuple[int, int, str, bool]]  # round id -> (respondent id, number, mode, completed)
    answers: dict[tuple[int, str], str]
    lessons_done: set[tuple[int, str]]
    attempts: dict[int, tuple[int, str, int, int | None]]  # id -> (respondent id, bank, seed, score)
    responses: dict[tuple[int, str], str]


def make_legacy_database(engine: Engine) -> LegacyData:
    """The release's schema with schema_version 2, and two respondents with rounds, answers,
    lessons and quiz attempts."""
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    with engine.begin() as connection:
        metadata.create_all(connection)
        connection.execute(insert(schema_version).values(version=2))
        connection.execute(
            insert(respondents),
            [
                {"id": 1, "token_hash": "a" * 64, "organisation": "Acme", "role": "Marketing lead",
                 "created_at": start, "updated_at": start},
                {"id": 2, "token_hash": "b" * 64, "organisation": None, "role": None,
                 "created_at": start, "updated_at": start},
            ],
        )  # fmt: skip
        connection.execute(
            insert(rounds),
            [
                {"id": 1, "respondent_id": 1, "number": 1, "mode": "quick", "started_at": start,
                 "completed_at": start + timedelta(minutes=9)},
                {"id": 2, "respondent_id": 1, "number": 2, "mode": "full", "started_at": start + timedelta(days=30),
                 "completed_at": None},
                {"id": 3, "respondent_id": 2, "number": 1, "mode": "full", "started_at": start, "completed_at": None},
            ],
        )  # fmt: skip
        answer_rows = {
            (1, "strategy.crawl.1"): "largely",
            (1, "tee.trust.1"): "4",
            (2, "strategy.crawl.1"): "fully",
            (2, "checklist.policy"): "yes",
            (3, "strategy.crawl.1"): "dont_know",
        }
        connection.execute(
            insert(answers),
            [{"round_id": r, "item_id": i, "value": v, "answered_at": start} for (r, i), v in answer_rows.items()],
        )
        connection.execute(
            insert(lessons_done),
            [
                {"respondent_id": 1, "lesson_id": "four-stages", "done_at": start},
                {"respondent_id": 2, "lesson_id": "webcare", "done_at": start},
            ],
        )
        connection.execute(
            insert(quiz_attempts),
            [
                {"id": 1, "respondent_id": 1, "bank_id": "four-stages", "seed": 42, "started_at": start,
                 "finished_at": start, "score_percent": 75},
                {"id": 2, "respondent_id": 2, "bank_id": "webcare", "seed": 7, "started_at": start,
                 "finished_at": None, "score_percent": None},
            ],
        )  # fmt: skip
        connection.execute(
            insert(quiz_responses),
            [
                {"attempt_id": 1, "question_id": "q1", "response": '"a"', "answered_at": start},
                {"attempt_id": 2, "question_id": "q2", "response": '["x", "y"]', "answered_at": start},
            ],
        )
        if connection.dialect.name == "postgresql":
            # The rows above name their ids; new rows must not collide with them.
            for table in ("respondents", "rounds", "quiz_attempts"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
    return LegacyData(
        token_hashes={1: "a" * 64, 2: "b" * 64},
        profiles={1: ("Acme", "Marketing lead"), 2: (None, None)},
        rounds={1: (1, 1, "quick", True), 2: (1, 2, "full", False), 3: (2, 1, "full", False)},
        answers=answer_rows,
        lessons_done={(1, "four-stages"), (2, "webcare")},
        attempts={1: (1, "four-stages", 42, 75), 2: (2, "webcare", 7, None)},
        responses={(1, "q1"): '"a"', (2, "q2"): '["x", "y"]'},
    )
