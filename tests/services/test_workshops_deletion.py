"""Deleting a workshop's data and the retention rule (services.workshops), on SQLite and PostgreSQL:
only its trainer or an admin may; exactly that workshop's participants' data goes, nothing else;
purging deletes only the workshops held longer ago than the retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from identity import passwords
from services import respondents
from services import workshops as ws
from services.results import current_model
from storage import schema
from tests.workshop_fixtures import fill, make_workshop, user

COUNTED = (
    "respondents", "rounds", "answers", "lessons_done", "quiz_attempts", "quiz_responses",
    "workshop_participants", "workshop_assignments", "workshops", "organisations", "users",
)  # fmt: skip


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one()
            for name in COUNTED
        }


def assign(engine: Engine, workshop_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            schema.workshop_assignments.insert().values(
                workshop_id=workshop_id, kind="quiz", target="mini", due_on=None, created_at=datetime.now(timezone.utc)
            )
        )


def test_a_trainer_cannot_delete_another_trainers_workshop(engine: Engine) -> None:
    anna, ben = user(engine, "anna"), user(engine, "ben")
    workshop = make_workshop(engine, anna)
    fill(engine, current_model(), workshop)
    before = counts(engine)
    with pytest.raises(ws.NotAllowed):
        ws.delete_workshop(engine, ben, workshop.id)
    with pytest.raises(ws.NotAllowed):
        ws.delete_workshop(engine, user(engine, "mona", "manager"), workshop.id)
    assert counts(engine) == {**before, "users": before["users"] + 1}


def test_deleting_removes_exactly_that_workshops_participants_data(engine: Engine) -> None:
    model = current_model()
    anna, admin = user(engine, "anna"), user(engine, "root", "admin")
    doomed, kept = make_workshop(engine, anna), make_workshop(engine, anna, name="Kept")
    fill(engine, model, doomed)
    fill(engine, model, kept)
    assign(engine, doomed.id)
    assign(engine, kept.id)
    # A visitor without a workshop keeps everything too.
    _token, loner, first = respondents.start_assessment(engine, "quick")
    respondents.complete_round(engine, first.id, model)
    only_kept = counts(engine)

    deleted = ws.delete_workshop(engine, anna, doomed.id)
    assert (deleted.workshop_id, deleted.code, deleted.name, deleted.participants) == (
        doomed.id, doomed.code, doomed.name, 3,
    )  # fmt: skip
    after = counts(engine)
    # fill() makes the same rows in each workshop: exactly half of the participants' rows are gone.
    assert after["respondents"] == only_kept["respondents"] - 3
    assert after["workshop_participants"] == only_kept["workshop_participants"] - 3
    assert after["workshops"] == 1 and after["workshop_assignments"] == 1
    for table in ("answers", "lessons_done", "quiz_attempts", "quiz_responses"):
        assert after[table] * 2 == only_kept[table], table
    assert after["rounds"] == only_kept["rounds"] - 3
    assert (after["organisations"], after["users"]) == (only_kept["organisations"], only_kept["users"])
    assert [w.id for w in ws.visible_workshops(engine, admin)] == [kept.id]
    assert [p.nickname for p in ws.participants_of(engine, anna, kept.id)] == ["Ann", "-cmd", "Bo"]
    with engine.connect() as connection:
        assert connection.execute(
            select(schema.respondents.c.id).where(schema.respondents.c.id == loner.id)
        ).one_or_none()
    # An admin may delete any workshop; a second delete finds nothing.
    assert ws.delete_workshop(engine, admin, kept.id).participants == 3
    with pytest.raises(ws.UnknownWorkshop):
        ws.delete_workshop(engine, admin, kept.id)
    with pytest.raises(ws.NotAllowed):
        ws.delete_workshop(engine, anna, kept.id)


def test_purge_deletes_only_workshops_past_the_retention(engine: Engine) -> None:
    anna = user(engine, "anna")
    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
    old = make_workshop(engine, anna, held_on=date(2025, 12, 1), name="Old")  # 366 days before
    edge = make_workshop(engine, anna, held_on=date(2025, 12, 2), name="Edge")  # exactly 365: kept
    new = make_workshop(engine, anna, held_on=date(2026, 11, 1), name="New")
    fill(engine, current_model(), old)
    fill(engine, current_model(), new)
    purged = ws.purge_expired_workshops(engine, now, 365)
    assert [(p.workshop_id, p.participants) for p in purged] == [(old.id, 3)]
    assert {w.id for w in ws.workshops_of_trainer(engine, anna)} == {edge.id, new.id}
    assert ws.purge_expired_workshops(engine, now, 365) == []
    assert [p.workshop_id for p in ws.purge_expired_workshops(engine, now + timedelta(days=1), 365)] == [edge.id]
    with pytest.raises(ws.RetentionError):
        ws.purge_expired_workshops(engine, now, 0)


def test_retention_days_from_the_environment() -> None:
    assert ws.retention_days({}) == ws.RETENTION_DAYS == 365
    assert ws.retention_days({"SMM_WORKSHOP_RETENTION_DAYS": " 90 "}) == 90
    for bad in ("0", "-3", "a year", "1.5"):
        with pytest.raises(ws.RetentionError, match="SMM_WORKSHOP_RETENTION_DAYS"):
            ws.retention_days({"SMM_WORKSHOP_RETENTION_DAYS": bad})
