"""Queries for the respondent aggregate: respondents, their rounds and the answers in each round.

Every function takes a Connection, so a use case composes several in one transaction
(`services/`). Nothing here commits, retries or validates text: that is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Integer, MetaData, Table, bindparam, delete, insert, literal, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from storage.schema import answers, metadata, respondents, retired_answers, rounds
from storage.sql import upsert


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Respondent:
    id: int
    organisation: str | None
    job_title: str | None
    language: str | None
    created_at: datetime


@dataclass(frozen=True)
class Round:
    id: int
    respondent_id: int
    number: int
    mode: str
    started_at: datetime
    completed_at: datetime | None
    # The model version its stored scores were computed with (or, without scores, that it was taken
    # with: see storage.schema.rounds) and when; None while nothing is stored.
    model_version: str | None = None
    scored_at: datetime | None = None


@dataclass(frozen=True)
class StoredScores:
    model_version: str | None
    scored_at: datetime | None
    scores: str | None  # JSON (assessment.stored_result); None when the round has none yet


_RESPONDENT_COLUMNS = (
    respondents.c.id,
    respondents.c.organisation,
    respondents.c.job_title,
    respondents.c.language,
    respondents.c.created_at,
)


def insert_respondent(
    connection: Connection,
    token_hash: str,
    organisation: str | None,
    job_title: str | None,
    language: str | None,
    at: datetime,
) -> Respondent:
    respondent_id = connection.execute(
        insert(respondents).values(
            token_hash=token_hash,
            organisation=organisation,
            job_title=job_title,
            language=language,
            created_at=at,
            updated_at=at,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    return Respondent(respondent_id, organisation, job_title, language, at)


# The reads every page run makes are built once, with bound parameters: building a select costs
# several times what SQLite takes to run it.
_BY_TOKEN_HASH = select(*_RESPONDENT_COLUMNS).where(respondents.c.token_hash == bindparam("token_hash"))
# Every column of a round but its scores, which only the results of that one round need.
_ROUND_COLUMNS = tuple(c for c in rounds.c if c.name != "scores")
_ROUNDS_OF = (
    select(*_ROUND_COLUMNS).where(rounds.c.respondent_id == bindparam("respondent_id")).order_by(rounds.c.number)
)
_ANSWERS_OF = select(answers.c.item_id, answers.c.value).where(answers.c.round_id == bindparam("round_id"))


def by_token_hash(connection: Connection, token_hash: str) -> Respondent | None:
    row = connection.execute(_BY_TOKEN_HASH, {"token_hash": token_hash}).first()
    return None if row is None else Respondent(row.id, row.organisation, row.job_title, row.language, row.created_at)


def exists(connection: Connection, respondent_id: int) -> bool:
    return connection.execute(select(respondents.c.id).where(respondents.c.id == respondent_id)).first() is not None


def update_profile(
    connection: Connection, respondent_id: int, organisation: str | None, job_title: str | None, at: datetime
) -> None:
    connection.execute(
        update(respondents)
        .where(respondents.c.id == respondent_id)
        .values(organisation=organisation, job_title=job_title, updated_at=at)
    )


def set_language(connection: Connection, respondent_id: int, language: str | None, at: datetime) -> None:
    connection.execute(
        update(respondents).where(respondents.c.id == respondent_id).values(language=language, updated_at=at)
    )


# Rounds ------------------------------------------------------------------------------------------


def _round(row: object) -> Round:
    r: Any = row
    return Round(r.id, r.respondent_id, r.number, r.mode, r.started_at, r.completed_at, r.model_version, r.scored_at)


_WITH_ROUNDS = (
    select(*(c.label(f"respondent__{c.name}") for c in _RESPONDENT_COLUMNS), *_ROUND_COLUMNS)
    .join_from(respondents, rounds, rounds.c.respondent_id == respondents.c.id)
    .where(respondents.c.token_hash == bindparam("token_hash"))
    .order_by(rounds.c.number)
)


def with_rounds(connection: Connection, token_hash: str) -> tuple[Respondent, list[Round]] | None:
    """The respondent a token hash belongs to and their rounds, oldest first, in one query (a page
    reads them on every run); None when there is no such respondent or it has no round."""
    rows = connection.execute(_WITH_ROUNDS, {"token_hash": token_hash}).all()
    if not rows:
        return None
    first = rows[0]
    respondent = Respondent(
        first.respondent__id,
        first.respondent__organisation,
        first.respondent__job_title,
        first.respondent__language,
        first.respondent__created_at,
    )
    return respondent, [_round(row) for row in rows]


def rounds_of(connection: Connection, respondent_id: int) -> list[Round]:
    """All rounds of a respondent, oldest first."""
    rows = connection.execute(_ROUNDS_OF, {"respondent_id": respondent_id}).all()
    return [_round(r) for r in rows]


def latest_round(connection: Connection, respondent_id: int) -> Round | None:
    row = connection.execute(
        select(*_ROUND_COLUMNS).where(rounds.c.respondent_id == respondent_id).order_by(rounds.c.number.desc()).limit(1)
    ).first()
    return None if row is None else _round(row)


def round_by_id(connection: Connection, round_id: int) -> Round | None:
    row = connection.execute(select(*_ROUND_COLUMNS).where(rounds.c.id == round_id)).first()
    return None if row is None else _round(row)


def insert_round(connection: Connection, respondent_id: int, number: int, mode: str, at: datetime) -> Round:
    round_id = connection.execute(
        insert(rounds).values(respondent_id=respondent_id, number=number, mode=mode, started_at=at)
    ).inserted_primary_key[0]  # type: ignore[index]
    return Round(round_id, respondent_id, number, mode, at, None)


def complete_round(connection: Connection, round_id: int, at: datetime) -> None:
    """First completion only: a later edit keeps the first completion time."""
    connection.execute(
        update(rounds).where(rounds.c.id == round_id, rounds.c.completed_at.is_(None)).values(completed_at=at)
    )


def store_scores(
    connection: Connection, round_id: int, model_version: str, scores: str, at: datetime, only_if_none: bool = False
) -> bool:
    """Keep a round's scores (JSON) with the model version that computed them. `only_if_none`: only
    when it has none yet, so two readers scoring the same old round store it once. True when stored."""
    statement = update(rounds).where(rounds.c.id == round_id)
    if only_if_none:
        statement = statement.where(rounds.c.scores.is_(None))
    done = connection.execute(statement.values(model_version=model_version, scores=scores, scored_at=at))
    return bool(done.rowcount)


_SCORES_OF = select(rounds.c.model_version, rounds.c.scored_at, rounds.c.scores).where(
    rounds.c.id == bindparam("round_id")
)


def stored_scores(connection: Connection, round_id: int) -> StoredScores | None:
    """A round's stored scores and their model version; None when there is no such round."""
    row = connection.execute(_SCORES_OF, {"round_id": round_id}).first()
    return None if row is None else StoredScores(row.model_version, row.scored_at, row.scores)


def delete_round(connection: Connection, round_id: int) -> None:
    connection.execute(delete(retired_answers).where(retired_answers.c.round_id == round_id))
    connection.execute(delete(answers).where(answers.c.round_id == round_id))
    connection.execute(delete(rounds).where(rounds.c.id == round_id))


# Answers ----------------------------------------------------------------------------------------


def answers_of(connection: Connection, round_id: int) -> dict[str, str]:
    rows = connection.execute(_ANSWERS_OF, {"round_id": round_id}).all()
    return {row.item_id: row.value for row in rows}


@dataclass(frozen=True)
class RetiredAnswer:
    """An answer as it was before a migration changed its item id (storage.schema.retired_answers)."""

    item_id: str
    value: str
    retired_by: str
    moved_to: str | None


def retired_answers_of(connection: Connection, round_id: int) -> list[RetiredAnswer]:
    """A round's retired answers, oldest migration first."""
    rows = connection.execute(
        select(
            retired_answers.c.item_id, retired_answers.c.value, retired_answers.c.retired_by, retired_answers.c.moved_to
        )
        .where(retired_answers.c.round_id == round_id)
        .order_by(retired_answers.c.retired_by, retired_answers.c.item_id)
    ).all()
    return [RetiredAnswer(r.item_id, r.value, r.retired_by, r.moved_to) for r in rows]


def save_answer(connection: Connection, round_id: int, item_id: str, value: str, at: datetime) -> None:
    values = {"round_id": round_id, "item_id": item_id, "value": value, "answered_at": at}
    upsert(connection, answers, values, ["round_id", "item_id"])


def clear_answer(connection: Connection, round_id: int, item_id: str) -> None:
    connection.execute(delete(answers).where(answers.c.round_id == round_id, answers.c.item_id == item_id))


def copy_answers(connection: Connection, from_round_id: int, to_round_id: int) -> None:
    """The answers of one round into another, each with its original answer time."""
    connection.execute(
        insert(answers).from_select(
            ["round_id", "item_id", "value", "answered_at"],
            select(literal(to_round_id, Integer), answers.c.item_id, answers.c.value, answers.c.answered_at).where(
                answers.c.round_id == from_round_id
            ),
        )
    )


def answered_since(connection: Connection, round_id: int, since: datetime) -> bool:
    """Whether any answer in the round was given at or after `since`."""
    return (
        connection.execute(
            select(answers.c.item_id).where(answers.c.round_id == round_id, answers.c.answered_at >= since).limit(1)
        ).first()
        is not None
    )


# Deleting ---------------------------------------------------------------------------------------


def owned_tables(schema: MetaData = metadata) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table with a path of foreign keys to `respondents`, each with a condition that selects
    one respondent's rows (bound parameter `respondent_id`), parents before children."""
    root = schema.tables["respondents"]
    owned: dict[str, ColumnElement[bool]] = {root.name: root.c.id == bindparam("respondent_id")}
    found: list[tuple[Table, ColumnElement[bool]]] = [(root, owned[root.name])]
    for table in schema.sorted_tables:
        if table.name in owned:
            continue
        conditions = []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name in owned:
                conditions.append(fk.parent.in_(select(fk.column).where(owned[parent.name])))
        if conditions:
            owned[table.name] = or_(*conditions)
            found.append((table, owned[table.name]))
    return found


def delete_respondent(connection: Connection, respondent_id: int, schema: MetaData = metadata) -> None:
    """Remove a respondent and every row that refers to them, directly or through other rows, as
    the schema's foreign keys say. Children first, so it does not depend on ON DELETE CASCADE."""
    for table, condition in reversed(owned_tables(schema)):
        connection.execute(delete(table).where(condition), {"respondent_id": respondent_id})
