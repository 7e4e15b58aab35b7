"""Queries for a workshop's assignments and how far its participants got with them.

Every function takes a Connection, so a use case composes several in one transaction
(`services/assignments.py`). Nothing here commits, validates or checks who may do what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import quiz_attempts, rounds, workshop_assignments, workshop_participants

ASSESSMENT = "assessment"  # the kind whose completion is a completed round (see workshops.assignments)


@dataclass(frozen=True)
class StoredAssignment:
    id: int
    workshop_id: int
    kind: str
    target: str
    due_on: date | None
    created_at: datetime


def _assignment(row: Any) -> StoredAssignment:
    return StoredAssignment(row.id, row.workshop_id, row.kind, row.target, row.due_on, row.created_at)


def assignments_of(connection: Connection, workshop_id: int) -> list[StoredAssignment]:
    """A workshop's assignments: the assessment first, then quizzes, each in the order assigned."""
    rows = connection.execute(
        select(workshop_assignments)
        .where(workshop_assignments.c.workshop_id == workshop_id)
        .order_by((workshop_assignments.c.kind != ASSESSMENT), workshop_assignments.c.id)
    ).all()
    return [_assignment(row) for row in rows]


def assignment_of(connection: Connection, workshop_id: int, kind: str, target: str) -> StoredAssignment | None:
    row = connection.execute(
        select(workshop_assignments).where(
            workshop_assignments.c.workshop_id == workshop_id,
            workshop_assignments.c.kind == kind,
            workshop_assignments.c.target == target,
        )
    ).first()
    return None if row is None else _assignment(row)


def insert_assignment(
    connection: Connection, workshop_id: int, kind: str, target: str, due_on: date | None, at: datetime
) -> StoredAssignment:
    assignment_id = connection.execute(
        insert(workshop_assignments).values(
            workshop_id=workshop_id, kind=kind, target=target, due_on=due_on, created_at=at
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    return StoredAssignment(assignment_id, workshop_id, kind, target, due_on, at)


def set_due_on(connection: Connection, assignment_id: int, due_on: date | None) -> None:
    connection.execute(
        update(workshop_assignments).where(workshop_assignments.c.id == assignment_id).values(due_on=due_on)
    )


def delete_assignment(connection: Connection, workshop_id: int, assignment_id: int) -> bool:
    """Delete one of the workshop's assignments; False when the workshop has no such assignment."""
    result = connection.execute(
        delete(workshop_assignments).where(
            workshop_assignments.c.id == assignment_id, workshop_assignments.c.workshop_id == workshop_id
        )
    )
    return bool(result.rowcount)


def participant_count(connection: Connection, workshop_id: int) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(workshop_participants)
            .where(workshop_participants.c.workshop_id == workshop_id)
        ).scalar_one()
    )


def assessment_completers(connection: Connection, workshop_id: int) -> int:
    """How many of the workshop's participants have a completed round (any round)."""
    completed = select(rounds.c.id).where(
        rounds.c.respondent_id == workshop_participants.c.respondent_id, rounds.c.completed_at.is_not(None)
    )
    return int(
        connection.execute(
            select(func.count())
            .select_from(workshop_participants)
            .where(workshop_participants.c.workshop_id == workshop_id, completed.exists())
        ).scalar_one()
    )


def quiz_completers(connection: Connection, workshop_id: int) -> dict[str, int]:
    """Bank id -> how many of the workshop's participants finished an attempt of it."""
    rows = connection.execute(
        select(quiz_attempts.c.bank_id, func.count(func.distinct(quiz_attempts.c.respondent_id)).label("people"))
        .join(workshop_participants, workshop_participants.c.respondent_id == quiz_attempts.c.respondent_id)
        .where(workshop_participants.c.workshop_id == workshop_id, quiz_attempts.c.finished_at.is_not(None))
        .group_by(quiz_attempts.c.bank_id)
    ).all()
    return {row.bank_id: int(row.people) for row in rows}


def has_completed_round(connection: Connection, respondent_id: int) -> bool:
    query = select(rounds.c.id).where(rounds.c.respondent_id == respondent_id, rounds.c.completed_at.is_not(None))
    return connection.execute(query.limit(1)).first() is not None


def finished_bank_ids(connection: Connection, respondent_id: int) -> set[str]:
    rows = connection.execute(
        select(quiz_attempts.c.bank_id)
        .where(quiz_attempts.c.respondent_id == respondent_id, quiz_attempts.c.finished_at.is_not(None))
        .distinct()
    ).all()
    return {row.bank_id for row in rows}
