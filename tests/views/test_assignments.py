"""The trainer's assignments page (views/assignments.py) in AppTest: refused without a login and
for another trainer's workshop, and a trainer assigning the self-assessment and a quiz and seeing
how many participants completed them. The page is in the app's navigation (app.py
lists it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from assessment.loader import load_model
from identity import passwords
from learning.content import content_dirs, load_course
from services import accounts
from services import assignments as asg
from services import workshops as ws
from storage import schema
from tests.views.conftest import APP, page_alone
from tests.views.workshop_pages import page_selectboxes

VIEWS = Path(APP).parent / "views"
PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def login(engine: Engine, name: str, role: str = "trainer") -> tuple[int, str]:
    made = accounts.create_user(engine, name, None, role, PASSWORD)
    token, _user = accounts.authenticate(engine, name, PASSWORD, None)
    return made.id, token


def workshop_of(engine: Engine, trainer: int, name: str = "Kick-off") -> ws.StoredWorkshop:
    org = ws.create_organisation(engine, trainer, "Acme", "retail", "10-49", "en", now=T0)
    return ws.create_workshop(engine, trainer, name, org.id, DAY, "en", "quick", now=T0)


def open_page(token: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.session_state["staff_token"] = token
    at.run()
    at.switch_page("views/assignments.py")
    at.query_params.update(params)
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_without_a_login_the_page_is_refused_and_shows_nothing(engine: Engine) -> None:
    """Not in a visitor's navigation, and the page on its own refuses too."""
    trainer, _token = login(engine, "anna")
    workshop = workshop_of(engine, trainer)
    at = page_alone("assignments.py")
    at.query_params["w"] = str(workshop.id)
    at.run()
    assert not at.exception
    assert any("Log in" in w.value for w in at.warning)
    assert not page_selectboxes(at) and not at.button and "Kick-off" not in texts(at)


def test_another_trainers_workshop_is_refused_by_its_id(engine: Engine) -> None:
    anna, _anna_token = login(engine, "anna")
    _ben, ben_token = login(engine, "ben")
    theirs = workshop_of(engine, anna, "Anna's secret workshop")
    asg.assign(engine, anna, theirs.id, asg.ASSESSMENT, "", None)
    for bad in (str(theirs.id), "9999", "abc"):
        at = open_page(ben_token, w=bad)
        assert not at.exception
        assert at.error and "No workshop of yours" in at.error[0].value
        assert "secret" not in texts(at) and not at.get("progress") and not page_selectboxes(at)


def test_the_trainer_assigns_and_sees_completion(engine: Engine) -> None:
    anna, token = login(engine, "anna")
    workshop = workshop_of(engine, anna, "*Kick* [off](https://x.example)")
    _t, zoe, _w = ws.join_workshop(engine, workshop.code, "Zoë")
    ws.join_workshop(engine, workshop.code, "Bo")
    with engine.begin() as connection:
        connection.execute(update(schema.rounds).where(schema.rounds.c.respondent_id == zoe.id).values(completed_at=T0))
    at = open_page(token, w=str(workshop.id))
    assert not at.exception
    assert "\\*Kick\\* \\[off\\]\\(https\\:" in texts(at)  # the name is escaped: no markup, no link
    assert "Nothing is assigned yet." in texts(at)

    page_selectboxes(at)[0].set_value("assessment:")
    at.checkbox[0].check()
    at.date_input[0].set_value(date(2026, 12, 10))
    at.button[0].click()  # the form's submit button
    at.run()
    assert not at.exception and at.success, texts(at)
    bars = at.get("progress")
    assert len(bars) == 1
    assert "1 of 2 participants completed it" in bars[0].proto.text
    assigned = asg.assignments_of(engine, anna, workshop.id)
    assert [(p.assignment.kind, p.assignment.due_on, p.completed) for p in assigned] == [
        ("assessment", date(2026, 12, 10), 1)
    ]

    quiz = next(option for option in page_selectboxes(at)[0].options if option.startswith("Quiz: "))
    page_selectboxes(at)[0].set_value(f"quiz:{_bank_id(at, quiz)}")
    at.checkbox[0].uncheck()
    at.button[0].click()
    at.run()
    assert len(at.get("progress")) == 2 and not at.exception

    remove = next(b for b in at.button if b.key == f"remove-{assigned[0].assignment.id}")
    remove.click()
    at.run()
    assert len(at.get("progress")) == 1
    assert [p.assignment.kind for p in asg.assignments_of(engine, anna, workshop.id)] == ["quiz"]


def _bank_id(at: AppTest, title: str) -> str:
    lessons, banks = content_dirs()
    course = load_course(load_model(), lessons, banks)
    return next(bank.id for bank in course.banks if f"Quiz: {bank.title}" == title)
