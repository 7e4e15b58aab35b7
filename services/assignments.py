"""Use cases of a workshop's assignments: a trainer (of the workshop) or an admin assigns the
self-assessment or a quiz bank with an optional due date, removes one, and sees how many of the
workshop's participants completed each; a participant sees what their workshop assigned, each done,
open or overdue.

The rules (kinds, bank ids, the due date) are in `workshops.assignments`; who may do what is
`services.workshops.owned_workshop`'s check. Assigning what is already assigned changes its due
date: one row per workshop, kind and target.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from services.workshops import NotAllowed, UnknownWorkshop, owned_workshop
from storage import assignments as store
from storage import workshops as workshops_store
from storage.assignments import StoredAssignment
from storage.engine import reading, transaction
from workshops.assignments import ASSESSMENT, DONE, KINDS, OPEN, OVERDUE, QUIZ, make_assignment, status
from workshops.organisations import InvalidValues

__all__ = [
    "ASSESSMENT",
    "DONE",
    "KINDS",
    "OPEN",
    "OVERDUE",
    "QUIZ",
    "AssignmentProgress",
    "InvalidValues",
    "NotAllowed",
    "OwnAssignment",
    "StoredAssignment",
    "UnknownAssignment",
    "UnknownWorkshop",
    "assign",
    "assignments_for_respondent",
    "assignments_of",
    "unassign",
]


class UnknownAssignment(Exception):
    def __init__(self, assignment_id: int) -> None:
        super().__init__(f"this workshop has no assignment with id {assignment_id}; it may have been removed already")
        self.assignment_id = assignment_id


@dataclass(frozen=True)
class AssignmentProgress:
    """An assignment as its trainer sees it: how many of the workshop's participants completed it."""

    assignment: StoredAssignment
    completed: int
    participants: int


@dataclass(frozen=True)
class OwnAssignment:
    """An assignment as a participant sees it: `state` is DONE, OVERDUE or OPEN."""

    assignment: StoredAssignment
    state: str

    @property
    def done(self) -> bool:
        return self.state == DONE

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


def _now() -> datetime:
    return datetime.now(timezone.utc)


def assign(
    engine: Engine,
    user_id: int,
    workshop_id: int,
    kind: str,
    target: str,
    due_on: date | None,
    bank_ids: Collection[str] = (),
    now: datetime | None = None,
) -> StoredAssignment:
    """Assign the self-assessment (target "") or the quiz bank `target` (one of `bank_ids`, the
    site's banks) to a workshop, due on `due_on` or with no deadline. Assigning it again sets the new
    due date. NotAllowed for anyone but the workshop's trainer or an admin; InvalidValues with every
    problem; nothing is written then."""
    at = now or _now()

    def work(connection: Connection) -> StoredAssignment:
        workshop = owned_workshop(connection, user_id, workshop_id, "assign work to this workshop")
        value = make_assignment(kind, target, due_on, workshop.held_on, bank_ids)
        found = store.assignment_of(connection, workshop.id, value.kind, value.target)
        if found is not None:
            if found.due_on != value.due_on:
                store.set_due_on(connection, found.id, value.due_on)
            return StoredAssignment(
                found.id, found.workshop_id, found.kind, found.target, value.due_on, found.created_at
            )
        return store.insert_assignment(connection, workshop.id, value.kind, value.target, value.due_on, at)

    try:
        return transaction(engine, work)
    except IntegrityError:  # the same assignment made at once by another click: now it is found
        return transaction(engine, work)


def unassign(engine: Engine, user_id: int, workshop_id: int, assignment_id: int) -> None:
    """Remove one of the workshop's assignments (the participants' answers and attempts stay).
    NotAllowed as for `assign`; UnknownAssignment when the workshop has no such assignment."""

    def work(connection: Connection) -> None:
        workshop = owned_workshop(connection, user_id, workshop_id, "remove this workshop's assignments")
        if not store.delete_assignment(connection, workshop.id, assignment_id):
            raise UnknownAssignment(assignment_id)

    transaction(engine, work)


def assignments_of(engine: Engine, user_id: int, workshop_id: int) -> list[AssignmentProgress]:
    """The workshop's assignments, each with how many of its participants completed it (the
    assessment: a completed round; a quiz: a finished attempt of the bank). NotAllowed as for `assign`."""

    def work(connection: Connection) -> list[AssignmentProgress]:
        workshop = owned_workshop(connection, user_id, workshop_id, "see this workshop's assignments")
        found = store.assignments_of(connection, workshop.id)
        if not found:
            return []
        participants = store.participant_count(connection, workshop.id)
        assessed = store.assessment_completers(connection, workshop.id)
        quizzed = store.quiz_completers(connection, workshop.id)
        return [
            AssignmentProgress(a, assessed if a.kind == ASSESSMENT else quizzed.get(a.target, 0), participants)
            for a in found
        ]

    return reading(engine, work)


def assignments_for_respondent(engine: Engine, respondent_id: int, today: date | None = None) -> list[OwnAssignment]:
    """What the respondent's workshop assigned, each DONE, OVERDUE or OPEN on `today` (UTC by
    default); empty for a respondent with no workshop seat."""
    day = today or _now().date()

    def work(connection: Connection) -> list[OwnAssignment]:
        seat = workshops_store.seat_of(connection, respondent_id)
        if seat is None:
            return []
        found = store.assignments_of(connection, seat.workshop_id)
        if not found:
            return []
        assessed = store.has_completed_round(connection, respondent_id)
        finished = store.finished_bank_ids(connection, respondent_id)
        return [
            OwnAssignment(a, status(assessed if a.kind == ASSESSMENT else a.target in finished, a.due_on, day))
            for a in found
        ]

    return reading(engine, work)
