"""A phone follows a live quiz by itself, in both follow modes (SMM_LIVE_FOLLOW=poll and push): a
site of its own per mode; the trainer's controls go through the services straight to the database
(as the presenter page of another process would), and the phone page, without a click, shows the
question, then the reveal, then the final score. A refresh keeps the stored answer."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.loader import load_model
from learning.content import load_course
from quizzes.live import Action
from quizzes.model import Bank
from services import accounts, live
from services import workshops as ws
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.browser.conftest import PHONE, UI_TIMEOUT_MS, StreamlitServer, free_port

pytestmark = pytest.mark.browser

# Generous: the page must move by itself within this; poll mode needs about a second.
FOLLOWS_WITHIN_MS = 10_000


@pytest.fixture(scope="module", params=["poll", "push"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    work = tmp_path_factory.mktemp(f"live-{request.param}")
    database = work / "live.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    running = StreamlitServer(free_port(), database, work)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMM_LIVE_FOLLOW", request.param)
        running.start()
    try:
        yield running
    finally:
        running.stop()


def first_single_choice_bank() -> Bank:
    course = load_course(load_model())
    return next(b for b in course.banks if len(b.questions) >= 2 and b.questions[0].type == "single")


def test_a_phone_follows_the_trainer_by_itself(site: StreamlitServer, chromium: Browser) -> None:
    engine = make_engine(f"sqlite:///{site.database}")
    bank = first_single_choice_bank()
    trainer = accounts.create_user(engine, "trainer", None, "trainer", "correct horse battery").id
    org = ws.create_organisation(engine, trainer, "Acme", "retail", "10-49", "en", [])
    workshop = ws.create_workshop(engine, trainer, "Kick-off", org.id, date.today(), "en", "quick")
    token, _respondent, _workshop = ws.join_workshop(engine, workshop.code, "Ann")
    context = chromium.new_context(viewport=PHONE, base_url=site.url)
    context.set_default_timeout(UI_TIMEOUT_MS)
    try:
        page: Page = context.new_page()
        page.goto(f"/live?t={token}")
        expect(page.get_by_text("Waiting for the trainer to start a live quiz")).to_be_visible()
        run = live.start_run(engine, trainer, workshop.id, bank, seconds=120, question_count=2)
        expect(page.get_by_text("You are in, Ann.")).to_be_visible(timeout=FOLLOWS_WITHIN_MS)

        def press(action: Action) -> None:
            live.control(engine, trainer, run.run_id, action, bank)

        press(Action.OPEN)
        expect(page.get_by_text("Question 1 of 2", exact=True)).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        right = next(o for o in bank.questions[0].options if o.correct)
        page.locator(f".st-key-live_opt_{bank.questions[0].id}_{right.id} button").click()
        expect(page.get_by_text("Answer received")).to_be_visible()
        page.reload()
        expect(page.get_by_text("Answer received")).to_be_visible()
        expect(page.locator(f".st-key-live_opt_{bank.questions[0].id}_{right.id} button")).to_be_disabled()
        press(Action.CLOSE)
        press(Action.REVEAL)
        expect(page.get_by_text("Right!")).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        expect(page.get_by_text("place 1 of 1")).to_be_visible()
        press(Action.NEXT)
        expect(page.get_by_text("Question 2 of 2", exact=True)).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        press(Action.CLOSE)
        press(Action.REVEAL)
        press(Action.PODIUM)
        expect(page.get_by_text("Your final score")).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        press(Action.END)
        expect(page.get_by_text("The quiz has ended")).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
    finally:
        with contextlib.suppress(Exception):
            context.close()
        engine.dispose()


def test_the_sites_log_has_no_error(site: StreamlitServer) -> None:
    assert "Traceback" not in site.stderr(), site.stderr()[-2000:]
