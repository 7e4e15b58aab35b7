"""One browser, one person: the sample never takes over the visitor's own link, and a quick scan
switched to the full assessment keeps its result, with an undo until the first new answer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from assessment.demo import demo_answers
from assessment.loader import load_model
from assessment.model import Mode
from storage import schema
from storage.engine import make_engine

from .conftest import StreamlitServer, open_app, settle, stored_respondent, wait_idle

pytestmark = pytest.mark.browser

BANNER = "Sample results: not your organisation"
RADIO = '[data-testid="stRadio"]'
OPTION = '[data-testid="stRadioOption"]'


def _respondents(server: StreamlitServer) -> int:
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(schema.respondents)).scalar_one())
    finally:
        engine.dispose()


def _rounds(server: StreamlitServer, token_round: int) -> list[tuple[int, str]]:
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        with engine.connect() as connection:
            respondent = connection.execute(
                select(schema.rounds.c.respondent_id).where(schema.rounds.c.id == token_round)
            ).scalar_one()
            rows = connection.execute(
                select(schema.rounds.c.number, schema.rounds.c.mode)
                .where(schema.rounds.c.respondent_id == respondent)
                .order_by(schema.rounds.c.number)
            ).all()
        return [(row.number, row.mode) for row in rows]
    finally:
        engine.dispose()


def test_the_sample_leaves_the_visitors_own_link_alone(new_page: Callable[..., Page], server: StreamlitServer) -> None:
    token, _round_id = stored_respondent(server, "full")
    page = new_page()
    open_app(page, f"/?t={token}", page.get_by_text(re.compile(r"^Welcome back\. Round 1")))
    before = _respondents(server)

    for _ in range(2):  # repeated demo clicks add nothing to the database
        page.get_by_role("link", name="Try it with sample answers").click()
        page.wait_for_url(re.compile(r"/results\?sample=1"))
        settle(page, page.get_by_text(BANNER).first)
        expect(page.get_by_text(BANNER)).to_have_count(2)  # at the top and at the bottom
        expect(page.get_by_role("button", name="Start a new round")).to_have_count(0)
        page.get_by_role("link", name="Leave the sample").first.click()
        settle(page, page.get_by_text(re.compile(r"^Welcome back\. Round 1")))
        # The visitor's own resume link is still the one this browser shows.
        expect(page.locator('[data-testid="stCode"]').first).to_contain_text(token)
    assert _respondents(server) == before


def test_a_quick_scan_switched_to_full_keeps_its_result_and_can_be_undone(
    new_page: Callable[..., Page], server: StreamlitServer
) -> None:
    model = load_model()
    quick_ids = set(model.item_ids(Mode.QUICK))
    answers = {k: v for k, v in demo_answers(model).items() if k in quick_ids}
    token, quick_round = stored_respondent(server, "quick", answers)
    page = new_page()
    open_app(page, f"/results?t={token}", page.get_by_text(re.compile("Switching keeps this quick-scan result")))

    page.get_by_role("button", name="Switch to the full assessment").click()
    settle(page, page.get_by_text(re.compile("You switched your quick scan to the full assessment")))
    assert _rounds(server, quick_round) == [(1, "quick"), (2, "full")]
    page.get_by_role("button", name="Undo the switch").click()
    page.wait_for_url(re.compile(r"/results\?"))
    settle(page, page.get_by_role("button", name="Switch to the full assessment"))
    assert _rounds(server, quick_round) == [(1, "quick")]

    # Switch again and answer a question only the full assessment asks: the switch stays.
    page.get_by_role("button", name="Switch to the full assessment").click()
    settle(page, page.get_by_role("button", name="Undo the switch"))
    open_app(page, f"/assessment?t={token}&step=1", page.get_by_role("button", name="Undo the switch"))
    full_only = [
        index
        for index, statement in enumerate(model.dimensions[0].statements)
        if not statement.quick and statement.id not in answers
    ]
    page.locator(RADIO).nth(full_only[0]).locator(OPTION).filter(has_text="Partly").click()
    wait_idle(page)
    page.get_by_role("button", name="Undo the switch").click()
    settle(page, page.get_by_text(re.compile("the switch can no longer be undone")))
    assert _rounds(server, quick_round) == [(1, "quick"), (2, "full")]

    # The quick-scan result is still there to look at.
    open_app(page, f"/results?t={token}", page.get_by_role("link", name="Round 1 (quick scan)"))
    page.get_by_role("link", name="Round 1 (quick scan)").click()
    settle(page, page.get_by_text(re.compile(r"You are looking at round 1, an earlier round")))
    expect(page.get_by_text(re.compile(r"Round 1, quick scan"))).to_be_visible()
