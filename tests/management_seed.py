"""Organisations with measurement waves for the management tests: respondents who join by the
organisation's invitation code with a department and job title, answer in one transaction, and
complete their round through the same use case as the site, so their response lands in the open wave."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from sqlalchemy import Engine

from assessment.model import STAGE_IDS, Mode, Model
from services import accounts, organisations, respondents
from services import workshops as ws
from storage import respondents as store

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


def user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, PASSWORD, now=T0).id


def organisation(
    engine: Engine,
    admin: int,
    name: str,
    departments: tuple[str, ...] = ("Sales", "IT", "Care"),
    job_titles: tuple[str, ...] = ("Manager", "Adviser"),
    sector: str = "retail",
) -> tuple[int, str]:
    """An organisation with its lists and an open invitation; its id and invitation code."""
    created = ws.create_organisation(engine, admin, name, sector, "50-249", "en", list(departments), now=T0)
    organisations.set_lists(engine, admin, created.id, departments, job_titles)
    code = organisations.set_invite(engine, admin, created.id, True)
    assert code is not None
    return created.id, code


def level_answers(model: Model, level: int, **per_dimension: int) -> dict[str, str]:
    """Every statement of the first `level` stages "fully" in place, the rest "none" (a dimension may
    get its own level); the T's 4 of 5, the checklist "yes"."""
    answers = {}
    for statement in model.maturity_statements(Mode.FULL):
        reached = per_dimension.get(statement.dimension, level)
        answers[statement.id] = "fully" if STAGE_IDS.index(statement.stage) < reached else "none"
    for tee_statement in model.tee_statements():
        answers[tee_statement.id] = "2" if tee_statement.reverse else "4"
    for item in model.checklist:
        answers[item.id] = "yes"
    return answers


def respondent(
    engine: Engine,
    model: Model,
    code: str,
    department: str | None,
    job_title: str | None,
    answers: Mapping[str, str],
    finish: bool = True,
) -> tuple[str, int]:
    """Join by invitation, answer, and (by default) complete the round; the token and the round's id."""
    token, _respondent, _organisation = organisations.join_by_invite(engine, code, department, job_title)
    round_id = respondents.load_visit(engine, token).round.id
    with engine.begin() as connection:
        for item_id, value in answers.items():
            store.save_answer(connection, round_id, item_id, value, store.now())
    if finish:
        respondents.complete_round(engine, round_id, model)
    return token, round_id
