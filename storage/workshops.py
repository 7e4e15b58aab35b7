"""Queries for organisations, workshops and the participants who joined them.

Every function takes a Connection, so a use case composes several in one transaction
(`services/workshops.py`). Nothing here commits, retries, validates or checks who may do what:
that is the caller's job. Values are plain rows; the services turn them into the domain values of
`workshops` (which storage may not import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.respondents import delete_respondent
from storage.schema import (
    answers,
    live_answers,
    live_players,
    live_runs,
    organisation_departments,
    organisations,
    rounds,
    workshop_assignments,
    workshop_participants,
    workshops,
)


@dataclass(frozen=True)
class StoredOrganisation:
    id: int
    name: str
    sector: str
    size_band: str
    default_language: str
    departments: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class StoredWorkshop:
    id: int
    organisation_id: int
    trainer_user_id: int
    name: str
    held_on: date
    language: str
    mode: str
    code: str
    open: bool
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class StoredParticipant:
    respondent_id: int
    workshop_id: int
    nickname: str
    joined_at: datetime


@dataclass(frozen=True)
class ParticipantSummary:
    nickname: str
    joined_at: datetime
    finished_rounds: int


# Organisations ----------------------------------------------------------------------------------


def insert_organisation(
    connection: Connection,
    name: str,
    sector: str,
    size_band: str,
    default_language: str,
    departments: tuple[str, ...],
    at: datetime,
) -> StoredOrganisation:
    organisation_id = connection.execute(
        insert(organisations).values(
            name=name,
            sector=sector,
            size_band=size_band,
            default_language=default_language,
            created_at=at,
            updated_at=at,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    if departments:
        connection.execute(
            insert(organisation_departments),
            [
                {"organisation_id": organisation_id, "position": position, "name": name}
                for position, name in enumerate(departments)
            ],
        )
    return StoredOrganisation(organisation_id, name, sector, size_band, default_language, departments, at)


def _departments(connection: Connection, organisation_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {organisation_id: [] for organisation_id in organisation_ids}
    if organisation_ids:
        rows = connection.execute(
            select(organisation_departments.c.organisation_id, organisation_departments.c.name)
            .where(organisation_departments.c.organisation_id.in_(organisation_ids))
            .order_by(organisation_departments.c.organisation_id, organisation_departments.c.position)
        ).all()
        for row in rows:
            found[row.organisation_id].append(row.name)
    return {organisation_id: tuple(names) for organisation_id, names in found.items()}


def _organisations(connection: Connection, where: Any = None) -> list[StoredOrganisation]:
    query = select(organisations).order_by(func.lower(organisations.c.name), organisations.c.id)
    if where is not None:
        query = query.where(where)
    rows = connection.execute(query).all()
    departments = _departments(connection, [row.id for row in rows])
    return [
        StoredOrganisation(
            row.id, row.name, row.sector, row.size_band, row.default_language, departments[row.id], row.created_at
        )
        for row in rows
    ]


def all_organisations(connection: Connection) -> list[StoredOrganisation]:
    """Every organisation, by name without case."""
    return _organisations(connection)


def organisation_by_id(connection: Connection, organisation_id: int) -> StoredOrganisation | None:
    found = _organisations(connection, organisations.c.id == organisation_id)
    return found[0] if found else None


# Workshops --------------------------------------------------------------------------------------


def _workshop(row: Any) -> StoredWorkshop:
    return StoredWorkshop(
        row.id,
        row.organisation_id,
        row.trainer_user_id,
        row.name,
        row.held_on,
        row.language,
        row.mode,
        row.code,
        row.open,
        row.created_at,
        row.closed_at,
    )


def code_taken(connection: Connection, code: str) -> bool:
    """A workshop's code, or an organisation's invitation code: the join page takes both."""
    if connection.execute(select(workshops.c.id).where(workshops.c.code == code)).first() is not None:
        return True
    return connection.execute(select(organisations.c.id).where(organisations.c.invite_code == code)).first() is not None


def insert_workshop(
    connection: Connection,
    organisation_id: int,
    trainer_user_id: int,
    name: str,
    held_on: date,
    language: str,
    mode: str,
    code: str,
    at: datetime,
) -> StoredWorkshop:
    workshop_id = connection.execute(
        insert(workshops).values(
            organisation_id=organisation_id,
            trainer_user_id=trainer_user_id,
            name=name,
            held_on=held_on,
            language=language,
            mode=mode,
            code=code,
            open=True,
            created_at=at,
            closed_at=None,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    return StoredWorkshop(
        workshop_id, organisation_id, trainer_user_id, name, held_on, language, mode, code, True, at, None
    )


_WORKSHOP_ORDER = (workshops.c.held_on.desc(), workshops.c.id.desc())


def workshop_by_id(connection: Connection, workshop_id: int) -> StoredWorkshop | None:
    row = connection.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
    return None if row is None else _workshop(row)


def workshop_by_code(connection: Connection, code: str) -> StoredWorkshop | None:
    row = connection.execute(select(workshops).where(workshops.c.code == code)).first()
    return None if row is None else _workshop(row)


def workshops_of_trainer(connection: Connection, user_id: int) -> list[StoredWorkshop]:
    """A trainer's workshops, newest date first."""
    rows = connection.execute(
        select(workshops).where(workshops.c.trainer_user_id == user_id).order_by(*_WORKSHOP_ORDER)
    ).all()
    return [_workshop(row) for row in rows]


def all_workshops(connection: Connection) -> list[StoredWorkshop]:
    """Every workshop, newest date first (for admins)."""
    return [_workshop(row) for row in connection.execute(select(workshops).order_by(*_WORKSHOP_ORDER)).all()]


def set_open(connection: Connection, workshop_id: int, open_: bool, at: datetime) -> None:
    """Open or close a workshop; closing records when (closed_at keeps the last closing)."""
    values: dict[str, object] = {"open": open_}
    if not open_:
        values["closed_at"] = at
    connection.execute(update(workshops).where(workshops.c.id == workshop_id).values(**values))


# Participants -----------------------------------------------------------------------------------


def seat_of(connection: Connection, respondent_id: int) -> StoredParticipant | None:
    """The workshop seat of a respondent, if they joined one."""
    row = connection.execute(
        select(workshop_participants).where(workshop_participants.c.respondent_id == respondent_id)
    ).first()
    return None if row is None else StoredParticipant(row.respondent_id, row.workshop_id, row.nickname, row.joined_at)


def nickname_keys(connection: Connection, workshop_id: int) -> set[str]:
    rows = connection.execute(
        select(workshop_participants.c.nickname_key).where(workshop_participants.c.workshop_id == workshop_id)
    ).all()
    return {row.nickname_key for row in rows}


def insert_participant(
    connection: Connection, workshop_id: int, respondent_id: int, nickname: str, key: str, at: datetime
) -> StoredParticipant:
    connection.execute(
        insert(workshop_participants).values(
            workshop_id=workshop_id, respondent_id=respondent_id, nickname=nickname, nickname_key=key, joined_at=at
        )
    )
    return StoredParticipant(respondent_id, workshop_id, nickname, at)


def participants_of(connection: Connection, workshop_id: int) -> list[ParticipantSummary]:
    """A workshop's participants in the order they joined, each with how many rounds they finished."""
    finished = (
        select(func.count())
        .select_from(rounds)
        .where(rounds.c.respondent_id == workshop_participants.c.respondent_id, rounds.c.completed_at.is_not(None))
        .scalar_subquery()
    )
    rows = connection.execute(
        select(workshop_participants.c.nickname, workshop_participants.c.joined_at, finished.label("finished"))
        .where(workshop_participants.c.workshop_id == workshop_id)
        .order_by(workshop_participants.c.joined_at, workshop_participants.c.respondent_id)
    ).all()
    return [ParticipantSummary(row.nickname, row.joined_at, row.finished) for row in rows]


# The room (services.room) -------------------------------------------------------------------------


@dataclass(frozen=True)
class FinishedRound:
    """A participant's latest completed round: what the room is drawn from. No nickname."""

    round_id: int
    mode: str
    model_version: str | None
    scores: str | None  # JSON (assessment.stored_result); None when the round stored none
    answers: dict[str, str]


def joined_count(connection: Connection, workshop_id: int) -> int:
    return connection.execute(
        select(func.count())
        .select_from(workshop_participants)
        .where(workshop_participants.c.workshop_id == workshop_id)
    ).scalar_one()


def finished_rounds(connection: Connection, workshop_id: int) -> list[FinishedRound]:
    """Each participant's latest completed round (one per participant who completed any), by round id,
    with its stored scores and answers: two queries whatever the size of the room."""
    latest = (
        select(rounds.c.respondent_id, func.max(rounds.c.number).label("number"))
        .where(rounds.c.completed_at.is_not(None))
        .group_by(rounds.c.respondent_id)
        .subquery()
    )
    rows = connection.execute(
        select(rounds.c.id, rounds.c.mode, rounds.c.model_version, rounds.c.scores)
        .join(latest, (latest.c.respondent_id == rounds.c.respondent_id) & (latest.c.number == rounds.c.number))
        .join(workshop_participants, workshop_participants.c.respondent_id == rounds.c.respondent_id)
        .where(workshop_participants.c.workshop_id == workshop_id)
        .order_by(rounds.c.id)
    ).all()
    found: dict[int, dict[str, str]] = {row.id: {} for row in rows}
    if found:
        for answer in connection.execute(
            select(answers.c.round_id, answers.c.item_id, answers.c.value).where(answers.c.round_id.in_(list(found)))
        ).all():
            found[answer.round_id][answer.item_id] = answer.value
    return [FinishedRound(row.id, row.mode, row.model_version, row.scores, found[row.id]) for row in rows]


# Deleting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletedWorkshop:
    """What deleting a workshop removed."""

    workshop_id: int
    code: str
    name: str
    participants: int


def delete_workshop(connection: Connection, workshop: StoredWorkshop) -> DeletedWorkshop:
    """Delete a workshop's participants (their respondents and every row of theirs: rounds, answers,
    lessons, quiz attempts and responses, seats, live quiz seats and answers), then its live quiz
    runs, its assignments and the workshop itself. Children first, so it does not depend on ON DELETE
    CASCADE. Nothing of another workshop is touched."""
    seated = [
        row.respondent_id
        for row in connection.execute(
            select(workshop_participants.c.respondent_id).where(workshop_participants.c.workshop_id == workshop.id)
        ).all()
    ]
    for respondent_id in seated:
        delete_respondent(connection, respondent_id)
    runs = select(live_runs.c.id).where(live_runs.c.workshop_id == workshop.id)
    connection.execute(delete(live_answers).where(live_answers.c.run_id.in_(runs)))
    connection.execute(delete(live_players).where(live_players.c.run_id.in_(runs)))
    connection.execute(delete(live_runs).where(live_runs.c.workshop_id == workshop.id))
    connection.execute(delete(workshop_assignments).where(workshop_assignments.c.workshop_id == workshop.id))
    connection.execute(delete(workshop_participants).where(workshop_participants.c.workshop_id == workshop.id))
    connection.execute(delete(workshops).where(workshops.c.id == workshop.id))
    return DeletedWorkshop(workshop.id, workshop.code, workshop.name, len(seated))


def workshops_held_before(connection: Connection, day: date) -> list[StoredWorkshop]:
    """Workshops whose date is before `day`, oldest first."""
    rows = connection.execute(
        select(workshops).where(workshops.c.held_on < day).order_by(workshops.c.held_on, workshops.c.id)
    ).all()
    return [_workshop(row) for row in rows]
