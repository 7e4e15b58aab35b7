"""Queries for management (issue 15): organisation members, settings and managers, measurement
waves and their responses, the target profile and the 90-day plan.

Every function takes a Connection, so a use case composes several in one transaction
(`services/management.py`). Nothing here commits, validates or checks who may do what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import (
    organisation_departments,
    organisation_job_titles,
    organisation_managers,
    organisation_members,
    organisation_targets,
    organisations,
    plan_actions,
    summary_layouts,
    wave_responses,
    waves,
)
from storage.sql import insert_or_ignore


@dataclass(frozen=True)
class StoredMember:
    respondent_id: int
    organisation_id: int
    department: str | None
    job_title: str | None
    joined_at: datetime


@dataclass(frozen=True)
class OrganisationSettings:
    id: int
    name: str
    sector: str
    default_language: str
    anonymity_threshold: int
    invite_code: str | None
    invite_open: bool
    departments: tuple[str, ...]
    job_titles: tuple[str, ...]


@dataclass(frozen=True)
class StoredWave:
    id: int
    organisation_id: int
    name: str
    threshold: int
    opened_at: datetime
    closed_at: datetime | None
    statistics: str | None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class StoredResponse:
    department: str | None
    job_title: str | None
    summary: str


@dataclass(frozen=True)
class StoredTarget:
    dimension_id: str
    target_stage: str | None
    importance: int


@dataclass(frozen=True)
class StoredAction:
    id: int
    organisation_id: int
    wave_id: int | None
    dimension_id: str | None
    title: str
    detail: str
    owner: str
    due_on: date | None
    status: str
    source: str
    lesson_id: str | None
    bank_id: str | None
    baseline: float | None
    created_at: datetime
    updated_at: datetime


# Members ----------------------------------------------------------------------------------------


def member_of(connection: Connection, respondent_id: int) -> StoredMember | None:
    row = connection.execute(
        select(organisation_members).where(organisation_members.c.respondent_id == respondent_id)
    ).first()
    return None if row is None else StoredMember(**row._mapping)


def put_member(
    connection: Connection,
    respondent_id: int,
    organisation_id: int,
    department: str | None,
    job_title: str | None,
    at: datetime,
) -> None:
    """The respondent answers for this organisation from now on, in this department and job title."""
    if not insert_or_ignore(
        connection,
        organisation_members,
        {
            "respondent_id": respondent_id,
            "organisation_id": organisation_id,
            "department": department,
            "job_title": job_title,
            "joined_at": at,
        },
        ["respondent_id"],
    ):
        connection.execute(
            update(organisation_members)
            .where(organisation_members.c.respondent_id == respondent_id)
            .values(organisation_id=organisation_id, department=department, job_title=job_title)
        )


def member_count(connection: Connection, organisation_id: int) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(organisation_members)
            .where(organisation_members.c.organisation_id == organisation_id)
        ).scalar_one()
    )


# Settings ---------------------------------------------------------------------------------------


def _names(connection: Connection, table: Table, organisation_id: int) -> tuple[str, ...]:
    return tuple(
        connection.execute(
            select(table.c.name).where(table.c.organisation_id == organisation_id).order_by(table.c.position)
        ).scalars()
    )


def settings_of(connection: Connection, organisation_id: int) -> OrganisationSettings | None:
    row = connection.execute(select(organisations).where(organisations.c.id == organisation_id)).first()
    if row is None:
        return None
    return OrganisationSettings(
        id=row.id,
        name=row.name,
        sector=row.sector,
        default_language=row.default_language,
        anonymity_threshold=row.anonymity_threshold,
        invite_code=row.invite_code,
        invite_open=row.invite_open,
        departments=_names(connection, organisation_departments, organisation_id),
        job_titles=_names(connection, organisation_job_titles, organisation_id),
    )


def organisation_by_invite(connection: Connection, code: str) -> OrganisationSettings | None:
    found = connection.execute(select(organisations.c.id).where(organisations.c.invite_code == code)).scalar()
    return None if found is None else settings_of(connection, found)


def invite_code_taken(connection: Connection, code: str) -> bool:
    return connection.execute(select(organisations.c.id).where(organisations.c.invite_code == code)).first() is not None


def set_invite(connection: Connection, organisation_id: int, code: str | None, open_: bool, at: datetime) -> None:
    connection.execute(
        update(organisations)
        .where(organisations.c.id == organisation_id)
        .values(invite_code=code, invite_open=open_, updated_at=at)
    )


def set_threshold(connection: Connection, organisation_id: int, threshold: int, at: datetime) -> None:
    connection.execute(
        update(organisations)
        .where(organisations.c.id == organisation_id)
        .values(anonymity_threshold=threshold, updated_at=at)
    )


def set_lists(
    connection: Connection, organisation_id: int, departments: Sequence[str], job_titles: Sequence[str], at: datetime
) -> None:
    """Replace the organisation's department and job title lists (in the order given)."""
    for table, names in ((organisation_departments, departments), (organisation_job_titles, job_titles)):
        connection.execute(delete(table).where(table.c.organisation_id == organisation_id))
        if names:
            connection.execute(
                insert(table),
                [{"organisation_id": organisation_id, "position": i, "name": name} for i, name in enumerate(names)],
            )
    connection.execute(update(organisations).where(organisations.c.id == organisation_id).values(updated_at=at))


# Managers ---------------------------------------------------------------------------------------


def managed_organisations(connection: Connection, user_id: int) -> list[int]:
    return list(
        connection.execute(
            select(organisation_managers.c.organisation_id)
            .where(organisation_managers.c.user_id == user_id)
            .order_by(organisation_managers.c.organisation_id)
        ).scalars()
    )


def managers_of(connection: Connection, organisation_id: int) -> list[int]:
    return list(
        connection.execute(
            select(organisation_managers.c.user_id)
            .where(organisation_managers.c.organisation_id == organisation_id)
            .order_by(organisation_managers.c.user_id)
        ).scalars()
    )


def set_manager(connection: Connection, user_id: int, organisation_id: int, manages: bool) -> None:
    if manages:
        insert_or_ignore(
            connection,
            organisation_managers,
            {"user_id": user_id, "organisation_id": organisation_id},
            ["user_id", "organisation_id"],
        )
    else:
        connection.execute(
            delete(organisation_managers).where(
                and_(
                    organisation_managers.c.user_id == user_id,
                    organisation_managers.c.organisation_id == organisation_id,
                )
            )
        )


# Waves ------------------------------------------------------------------------------------------


def _wave(row: object) -> StoredWave:
    mapping = row._mapping  # type: ignore[attr-defined]
    return StoredWave(
        id=mapping["id"],
        organisation_id=mapping["organisation_id"],
        name=mapping["name"],
        threshold=mapping["threshold"],
        opened_at=mapping["opened_at"],
        closed_at=mapping["closed_at"],
        statistics=mapping["statistics"],
    )


def insert_wave(
    connection: Connection, organisation_id: int, name: str, threshold: int, at: datetime, user_id: int | None
) -> StoredWave:
    wave_id = connection.execute(
        insert(waves).values(
            organisation_id=organisation_id, name=name, threshold=threshold, opened_at=at, opened_by_user_id=user_id
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    return StoredWave(wave_id, organisation_id, name, threshold, at, None, None)


def wave_by_id(connection: Connection, wave_id: int) -> StoredWave | None:
    row = connection.execute(select(waves).where(waves.c.id == wave_id)).first()
    return None if row is None else _wave(row)


def waves_of(connection: Connection, organisation_id: int) -> list[StoredWave]:
    """The organisation's waves, oldest first."""
    rows = connection.execute(
        select(waves).where(waves.c.organisation_id == organisation_id).order_by(waves.c.opened_at, waves.c.id)
    ).all()
    return [_wave(row) for row in rows]


def open_wave_of(connection: Connection, organisation_id: int) -> StoredWave | None:
    row = connection.execute(
        select(waves)
        .where(waves.c.organisation_id == organisation_id, waves.c.closed_at.is_(None))
        .order_by(waves.c.opened_at.desc())
    ).first()
    return None if row is None else _wave(row)


def open_waves_by_size(connection: Connection) -> list[tuple[StoredWave, int]]:
    """Every organisation's open wave with its number of responses, the largest first."""
    counted = (
        select(wave_responses.c.wave_id, func.count().label("responses")).group_by(wave_responses.c.wave_id).subquery()
    )
    rows = connection.execute(
        select(waves, counted.c.responses)
        .join(counted, counted.c.wave_id == waves.c.id)
        .where(waves.c.closed_at.is_(None))
        .order_by(counted.c.responses.desc(), waves.c.id)
    ).all()
    return [(_wave(row), int(row.responses)) for row in rows]


def close_wave(connection: Connection, wave_id: int, at: datetime, statistics: str | None) -> None:
    connection.execute(update(waves).where(waves.c.id == wave_id).values(closed_at=at, statistics=statistics))


def latest_closed_statistics(connection: Connection, excluding_organisation: int) -> list[tuple[int, str, int, str]]:
    """Per other organisation its latest closed wave's statistics: (organisation id, sector, wave id, JSON)."""
    latest = (
        select(waves.c.organisation_id, func.max(waves.c.closed_at).label("closed_at"))
        .where(waves.c.closed_at.is_not(None), waves.c.statistics.is_not(None))
        .group_by(waves.c.organisation_id)
        .subquery()
    )
    rows = connection.execute(
        select(waves.c.organisation_id, organisations.c.sector, waves.c.id, waves.c.statistics)
        .join(
            latest,
            and_(latest.c.organisation_id == waves.c.organisation_id, latest.c.closed_at == waves.c.closed_at),
        )
        .join(organisations, organisations.c.id == waves.c.organisation_id)
        .where(waves.c.organisation_id != excluding_organisation)
        .order_by(waves.c.organisation_id)
    ).all()
    return [(row.organisation_id, row.sector, row.id, row.statistics) for row in rows]


# Responses --------------------------------------------------------------------------------------


def put_response(
    connection: Connection,
    wave_id: int,
    respondent_id: int,
    round_id: int,
    department: str | None,
    job_title: str | None,
    at: datetime,
    summary: str,
) -> None:
    """The respondent's contribution to the wave: this round's, replacing an earlier one."""
    values = {
        "round_id": round_id,
        "department": department,
        "job_title": job_title,
        "completed_at": at,
        "summary": summary,
    }
    if not insert_or_ignore(
        connection,
        wave_responses,
        {"wave_id": wave_id, "respondent_id": respondent_id, **values},
        ["wave_id", "respondent_id"],
    ):
        connection.execute(
            update(wave_responses)
            .where(wave_responses.c.wave_id == wave_id, wave_responses.c.respondent_id == respondent_id)
            .values(**values)
        )


@dataclass(frozen=True)
class KeyedResponse:
    respondent_id: int
    completed_at: datetime
    response: StoredResponse


def responses_since(connection: Connection, wave_id: int, after: datetime | None) -> list[KeyedResponse]:
    """The wave's responses completed after `after` (all of them for None), with whose they are: what
    a reader holding the responses up to `after` needs to be up to date (a replaced response has the
    later completion)."""
    query = select(
        wave_responses.c.respondent_id,
        wave_responses.c.completed_at,
        wave_responses.c.department,
        wave_responses.c.job_title,
        wave_responses.c.summary,
    ).where(wave_responses.c.wave_id == wave_id)
    if after is not None:
        query = query.where(wave_responses.c.completed_at > after)
    return [
        KeyedResponse(row.respondent_id, row.completed_at, StoredResponse(row.department, row.job_title, row.summary))
        for row in connection.execute(query)
    ]


def responses_of(connection: Connection, wave_id: int) -> list[StoredResponse]:
    rows = connection.execute(
        select(wave_responses.c.department, wave_responses.c.job_title, wave_responses.c.summary).where(
            wave_responses.c.wave_id == wave_id
        )
    ).all()
    return [StoredResponse(row.department, row.job_title, row.summary) for row in rows]


def response_stamp(connection: Connection, wave_id: int) -> tuple[int, datetime | None]:
    """How many responses the wave has and the latest completion: it changes whenever they do
    (a respondent deleting their data lowers the count)."""
    row = connection.execute(
        select(func.count(), func.max(wave_responses.c.completed_at)).where(wave_responses.c.wave_id == wave_id)
    ).one()
    return int(row[0]), row[1]


def response_counts(connection: Connection, wave_ids: Iterable[int]) -> dict[int, int]:
    ids = list(wave_ids)
    if not ids:
        return {}
    rows = connection.execute(
        select(wave_responses.c.wave_id, func.count())
        .where(wave_responses.c.wave_id.in_(ids))
        .group_by(wave_responses.c.wave_id)
    ).all()
    found = {wave_id: 0 for wave_id in ids}
    found.update({row[0]: int(row[1]) for row in rows})
    return found


def ensure_layout(connection: Connection, layout_hash: str, items: Sequence[str]) -> None:
    insert_or_ignore(connection, summary_layouts, {"hash": layout_hash, "items": "\n".join(items)}, ["hash"])


def layouts(connection: Connection, hashes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = connection.execute(select(summary_layouts).where(summary_layouts.c.hash.in_(wanted))).all()
    return {row.hash: tuple(row.items.split("\n")) for row in rows}


# Targets ----------------------------------------------------------------------------------------


def targets_of(connection: Connection, organisation_id: int) -> list[StoredTarget]:
    rows = connection.execute(
        select(organisation_targets).where(organisation_targets.c.organisation_id == organisation_id)
    ).all()
    return [StoredTarget(row.dimension_id, row.target_stage, row.importance) for row in rows]


def set_targets(connection: Connection, organisation_id: int, targets: Sequence[StoredTarget]) -> None:
    connection.execute(delete(organisation_targets).where(organisation_targets.c.organisation_id == organisation_id))
    if targets:
        connection.execute(
            insert(organisation_targets),
            [
                {
                    "organisation_id": organisation_id,
                    "dimension_id": t.dimension_id,
                    "target_stage": t.target_stage,
                    "importance": t.importance,
                }
                for t in targets
            ],
        )


# The plan ---------------------------------------------------------------------------------------


def actions_of(connection: Connection, organisation_id: int) -> list[StoredAction]:
    rows = connection.execute(
        select(plan_actions)
        .where(plan_actions.c.organisation_id == organisation_id)
        .order_by(plan_actions.c.due_on.is_(None), plan_actions.c.due_on, plan_actions.c.id)
    ).all()
    return [StoredAction(**row._mapping) for row in rows]


def action_by_id(connection: Connection, action_id: int) -> StoredAction | None:
    row = connection.execute(select(plan_actions).where(plan_actions.c.id == action_id)).first()
    return None if row is None else StoredAction(**row._mapping)


def insert_action(connection: Connection, values: dict[str, object]) -> int:
    return int(connection.execute(insert(plan_actions).values(**values)).inserted_primary_key[0])  # type: ignore[index]


def update_action(connection: Connection, action_id: int, values: dict[str, object]) -> None:
    connection.execute(update(plan_actions).where(plan_actions.c.id == action_id).values(**values))


def delete_action(connection: Connection, action_id: int) -> None:
    connection.execute(delete(plan_actions).where(plan_actions.c.id == action_id))
