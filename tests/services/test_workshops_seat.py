"""services.workshops.seat_of_participant: the join page's "where am I" (the workshop and the
nickname), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from identity import passwords
from services import accounts, respondents
from services import workshops as ws

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_a_participant_has_a_seat_with_their_nickname_and_a_visitor_none(engine: Engine) -> None:
    anna = accounts.create_user(engine, "anna", None, "trainer", "correct horse battery", now=T0).id
    organisation = ws.create_organisation(engine, anna, "Acme", "retail", "10-49", "en", now=T0)
    made = ws.create_workshop(engine, anna, "Kick-off", organisation.id, date(2026, 12, 3), "nl", "quick", now=T0)
    _token, joined, _workshop = ws.join_workshop(engine, made.code, "  Zoë  ", now=T0)
    seat = ws.seat_of_participant(engine, joined.id)
    assert seat is not None
    assert (seat.workshop.id, seat.workshop.code, seat.nickname) == (made.id, made.code, "Zoë")
    _other_token, alone, _round = respondents.start_assessment(engine, "quick", "", "")
    assert ws.seat_of_participant(engine, alone.id) is None
    assert ws.seat_of_participant(engine, 10_000) is None
