"""A workshop's assignments on SQLite and PostgreSQL: who may assign and remove them, a re-assign
changing the due date, completion per assignment for the trainer, and a participant's own list
with done and overdue states."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, update

from identity import passwords
from services import accounts, learning
from services import assignments as asg
from services import workshops as ws
from storage import schema

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 12, 3)
BANKS = ("metrics", "social-basics")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, "correct horse battery", now=T0).id


@pytest.fixture
def room(engine: Engine) -> tuple[int, int, ws.StoredWorkshop]:
    """(trainer id, another trainer's id, the trainer's workshop)."""
    anna, ben = user(engine, "anna"), user(engine, "ben")
    org = ws.create_organisation(engine, anna, "Acme", "retail", "10-49", "nl", now=T0)
    return anna, ben, ws.create_workshop(engine, anna, "Kick-off", org.id, DAY, "en", "quick", now=T0)


def join(engine: Engine, workshop: ws.StoredWorkshop, nickname: str) -> int:
    _token, respondent, _workshop = ws.join_workshop(engine, workshop.code, nickname, now=T0)
    return respondent.id


def complete_first_round(engine: Engine, respondent_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(schema.rounds).where(schema.rounds.c.respondent_id == respondent_id).values(completed_at=T0)
        )


def finish_quiz(engine: Engine, respondent_id: int, bank_id: str) -> None:
    attempt = learning.start_attempt(engine, respondent_id, bank_id)
    learning.finish_attempt(engine, attempt.id, 40)


def test_the_trainer_assigns_and_a_second_assign_sets_the_new_due_date(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, workshop = room
    made = asg.assign(engine, anna, workshop.id, asg.QUIZ, "metrics", DAY + timedelta(days=7), BANKS, now=T0)
    assert (made.kind, made.target, made.due_on) == ("quiz", "metrics", date(2026, 12, 10))
    again = asg.assign(engine, anna, workshop.id, asg.QUIZ, "metrics", None, BANKS, now=T0)
    assert again.id == made.id and again.due_on is None
    asg.assign(engine, anna, workshop.id, asg.ASSESSMENT, "", DAY, BANKS, now=T0)
    found = asg.assignments_of(engine, anna, workshop.id)
    assert [(p.assignment.kind, p.assignment.target, p.assignment.due_on) for p in found] == [
        ("assessment", "", DAY),
        ("quiz", "metrics", None),
    ]


def test_bad_values_are_refused_with_every_problem_and_nothing_written(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, workshop = room
    with pytest.raises(asg.InvalidValues) as invalid:
        asg.assign(engine, anna, workshop.id, asg.QUIZ, "nope", DAY - timedelta(days=1), BANKS)
    assert {p.field for p in invalid.value.problems} == {"target", "due_on"}
    assert "metrics, social-basics" in str(invalid.value)
    assert asg.assignments_of(engine, anna, workshop.id) == []


def test_only_the_workshops_trainer_or_an_admin_assigns_removes_and_sees(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, ben, workshop = room
    manager = user(engine, "mona", "manager")
    for outsider in (ben, manager):
        with pytest.raises(asg.NotAllowed):
            asg.assign(engine, outsider, workshop.id, asg.ASSESSMENT, "", None, BANKS)
        with pytest.raises(asg.NotAllowed):
            asg.assignments_of(engine, outsider, workshop.id)
    with pytest.raises(asg.NotAllowed):  # a guessed id tells nothing
        asg.assignments_of(engine, ben, workshop.id + 100)
    root = user(engine, "root", "admin")
    made = asg.assign(engine, root, workshop.id, asg.ASSESSMENT, "", None, BANKS)
    with pytest.raises(asg.UnknownWorkshop):
        asg.assignments_of(engine, root, workshop.id + 100)
    with pytest.raises(asg.NotAllowed):
        asg.unassign(engine, ben, workshop.id, made.id)
    asg.unassign(engine, anna, workshop.id, made.id)
    assert asg.assignments_of(engine, anna, workshop.id) == []
    with pytest.raises(asg.UnknownAssignment):
        asg.unassign(engine, anna, workshop.id, made.id)


def test_an_assignment_of_another_workshop_cannot_be_removed_through_mine(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, ben, workshop = room
    org = ws.create_organisation(engine, ben, "Other", "retail", "1-9", "en", now=T0)
    theirs = ws.create_workshop(engine, ben, "Theirs", org.id, DAY, "en", "quick", now=T0)
    their_assignment = asg.assign(engine, ben, theirs.id, asg.ASSESSMENT, "", None, BANKS)
    with pytest.raises(asg.UnknownAssignment):
        asg.unassign(engine, anna, workshop.id, their_assignment.id)
    assert len(asg.assignments_of(engine, ben, theirs.id)) == 1


def test_completion_counts_the_workshops_participants_only(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, ben, workshop = room
    asg.assign(engine, anna, workshop.id, asg.ASSESSMENT, "", None, BANKS)
    asg.assign(engine, anna, workshop.id, asg.QUIZ, "metrics", None, BANKS)
    asg.assign(engine, anna, workshop.id, asg.QUIZ, "social-basics", None, BANKS)
    zoe, bo, kim = (join(engine, workshop, name) for name in ("Zoë", "Bo", "Kim"))
    complete_first_round(engine, zoe)
    complete_first_round(engine, bo)
    finish_quiz(engine, zoe, "metrics")
    finish_quiz(engine, zoe, "metrics")  # twice: still one person
    learning.start_attempt(engine, kim, "metrics")  # started, not finished
    finish_quiz(engine, bo, "other-bank")
    # Someone of another workshop who did everything does not count here.
    org = ws.create_organisation(engine, ben, "Other", "retail", "1-9", "en", now=T0)
    theirs = ws.create_workshop(engine, ben, "Theirs", org.id, DAY, "en", "quick", now=T0)
    outsider = join(engine, theirs, "Zoë")
    complete_first_round(engine, outsider)
    finish_quiz(engine, outsider, "social-basics")

    found = asg.assignments_of(engine, anna, workshop.id)
    assert [(p.assignment.target, p.completed, p.participants) for p in found] == [
        ("", 2, 3),
        ("metrics", 1, 3),
        ("social-basics", 0, 3),
    ]


def test_a_participant_sees_their_workshops_assignments_done_open_or_overdue(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, workshop = room
    due = date(2026, 12, 10)
    asg.assign(engine, anna, workshop.id, asg.ASSESSMENT, "", due, BANKS)
    asg.assign(engine, anna, workshop.id, asg.QUIZ, "metrics", due, BANKS)
    asg.assign(engine, anna, workshop.id, asg.QUIZ, "social-basics", None, BANKS)
    zoe = join(engine, workshop, "Zoë")
    finish_quiz(engine, zoe, "metrics")

    on_time = asg.assignments_for_respondent(engine, zoe, today=due)
    assert [(a.assignment.target, a.state) for a in on_time] == [
        ("", asg.OPEN),
        ("metrics", asg.DONE),
        ("social-basics", asg.OPEN),
    ]
    late = asg.assignments_for_respondent(engine, zoe, today=due + timedelta(days=1))
    assert [(a.assignment.target, a.overdue, a.done) for a in late] == [
        ("", True, False),
        ("metrics", False, True),
        ("social-basics", False, False),
    ]
    complete_first_round(engine, zoe)
    assert asg.assignments_for_respondent(engine, zoe, today=due + timedelta(days=1))[0].state == asg.DONE


def test_a_visitor_without_a_seat_has_no_assignments(engine: Engine, room: tuple[int, int, ws.StoredWorkshop]) -> None:
    anna, _ben, workshop = room
    asg.assign(engine, anna, workshop.id, asg.ASSESSMENT, "", None, BANKS)
    from services import respondents

    _token, alone, _round = respondents.start_assessment(engine, "quick", None, None)
    assert asg.assignments_for_respondent(engine, alone.id) == []
    assert asg.assignments_for_respondent(engine, 987654) == []
