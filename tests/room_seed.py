"""A workshop room for the room view's tests: a trainer's workshop and participants who joined it by
its code, each with answers written in one transaction and, when finished, a completed round."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone

from sqlalchemy import Engine

from assessment.model import Mode, Model
from services import accounts, respondents
from services import workshops as ws
from storage import respondents as store

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


def user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, PASSWORD, now=T0).id


def workshop(engine: Engine, trainer: int, mode: str = "full") -> ws.StoredWorkshop:
    org = ws.create_organisation(engine, trainer, "Acme Retail", "retail", "10-49", "en", now=T0)
    return ws.create_workshop(engine, trainer, "Kick-off", org.id, date(2026, 12, 3), "en", mode, now=T0)


def maturity(model: Model, value: str, **per_dimension: str) -> dict[str, str]:
    """The same answer to every maturity statement, except whole dimensions given their own."""
    return {s.id: per_dimension.get(s.dimension, value) for s in model.maturity_statements(Mode.FULL)}


def answer(engine: Engine, round_id: int, answers: Mapping[str, str]) -> None:
    with engine.begin() as connection:
        for item_id, value in answers.items():
            store.save_answer(connection, round_id, item_id, value, store.now())


def participant(
    engine: Engine, model: Model, code: str, nickname: str, answers: Mapping[str, str], finish: bool = True
) -> tuple[str, int]:
    """Join under a nickname, answer, and (by default) complete the round; the token and the round's id."""
    token, _respondent, _workshop = ws.join_workshop(engine, code, nickname)
    round_id = respondents.load_visit(engine, token).round.id
    answer(engine, round_id, answers)
    if finish:
        respondents.complete_round(engine, round_id, model)
    return token, round_id
