"""A participant's workshop and assignments on the start page and the learning path, and the
retention statement of workshop data on the start page (views/assignment_widgets.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from babel.dates import format_date
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from identity import passwords
from services import accounts, learning
from services import assignments as asg
from services import respondents as visits
from services import workshops as ws
from tests.views.conftest import APP

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
HELD = date.today() - timedelta(days=30)  # a past workshop: its assessment, due the next day, is overdue
DUE = HELD + timedelta(days=1)
BANK = "conversation-webcare"  # a bank of the site's own content


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def seated(engine: Engine) -> tuple[str, int, ws.StoredWorkshop]:
    """(resume token, respondent id, workshop) of a participant whose workshop assigned the
    assessment (overdue) and a quiz they finished."""
    anna = accounts.create_user(engine, "anna", None, "trainer", "correct horse battery").id
    org = ws.create_organisation(engine, anna, "Acme", "retail", "10-49", "en", now=T0)
    workshop = ws.create_workshop(engine, anna, "Kick-off *day*", org.id, HELD, "en", "quick", now=T0)
    asg.assign(engine, anna, workshop.id, asg.ASSESSMENT, "", DUE, {BANK})
    asg.assign(engine, anna, workshop.id, asg.QUIZ, BANK, None, {BANK})
    token, respondent, _w = ws.join_workshop(engine, workshop.code, "Zoë")
    attempt = learning.start_attempt(engine, respondent.id, BANK)
    learning.finish_attempt(engine, attempt.id, 80)
    return token, respondent.id, workshop


def open_page(token: str | None, page: str = "views/start.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.query_params["t"] = token
    at.run()
    if page != "views/start.py":
        at.switch_page(page)
        if token:
            at.query_params["t"] = token
        at.run()
    return at


def links(at: AppTest) -> list[tuple[str, str]]:
    return [(link.label, link.proto.page) for link in at.get("page_link")]


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


@pytest.mark.parametrize("page", ["views/start.py", "views/path.py"])
def test_a_seated_participant_sees_their_workshop_and_what_is_assigned(
    engine: Engine, seated: tuple[str, int, ws.StoredWorkshop], page: str
) -> None:
    token, _respondent, _workshop = seated
    at = open_page(token, page)
    assert not at.exception
    assert "Your workshop: Kick\\-off \\*day\\*" in markdown(at)  # escaped: no emphasis from user text
    labels = [label for label, _page in links(at)]
    assessment = next(label for label in labels if label.startswith("Self-assessment"))
    assert assessment.endswith(f"due {format_date(DUE, format='medium', locale='en')} · overdue")
    quiz = next(label for label in labels if label.startswith("Quiz: Conversation management and webcare"))
    assert quiz.endswith("no due date · done")
    pages = dict(links(at))
    assert pages[assessment] == "assessment" and pages[quiz] == "quiz"


def test_a_visitor_without_a_workshop_sees_no_workshop(
    engine: Engine, seated: tuple[str, int, ws.StoredWorkshop]
) -> None:
    token, _respondent, _round = visits.start_assessment(engine, "quick")
    at = open_page(token)
    assert not at.exception
    assert "Your workshop" not in markdown(at)
    assert not any(label.startswith(("Self-assessment", "Quiz: ")) for label, _p in links(at))
    assert "Your workshop" not in markdown(open_page(None))


def test_the_start_page_states_how_long_workshop_data_is_kept(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMM_WORKSHOP_RETENTION_DAYS", raising=False)
    captions = [c.value for c in open_page(None).caption]
    assert any(
        "Workshop data (nicknames, answers, lesson progress and quiz results of participants) is kept until the "
        "trainer deletes it, and at the latest 365 days after the workshop's date." in c
        for c in captions
    )
    monkeypatch.setenv("SMM_WORKSHOP_RETENTION_DAYS", "90")
    assert any("at the latest 90 days after" in c.value for c in open_page(None).caption)
