"""Nothing lost whatever the server does under an open tab: a restart (a redeploy mid-workshop), a server
that hangs and is killed while a click is in flight, and a second tab on the same resume link.

Each test clicks in the tab that stayed open, then reads the database and opens the resume link in a
new browser context: what the open tab shows ticked must be what is stored."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from assessment.loader import load_model
from assessment.model import Mode
from services import respondents as visits
from storage.engine import make_engine

from .conftest import StreamlitServer, open_app, settle, stored_respondent, wait_idle

RADIO = '[data-testid="stRadio"]'
OPTION = '[data-testid="stRadioOption"]'


def _stored(server: StreamlitServer, round_id: int) -> dict[str, str]:
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        return visits.round_answers(engine, round_id)
    finally:
        engine.dispose()


def _eventually_stored(server: StreamlitServer, round_id: int, expected: dict[str, str]) -> dict[str, str]:
    deadline = time.monotonic() + 15
    while True:
        stored = _stored(server, round_id)
        if all(stored.get(k) == v for k, v in expected.items()) or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)


def _click(page: Page, question: int, option: str) -> None:
    page.locator(RADIO).nth(question).locator(OPTION).filter(has_text=option).click()


def _ticked(page: Page) -> list[str | None]:
    return page.locator(RADIO).evaluate_all(
        """radios => radios.map(radio => {
            const checked = radio.querySelector('[data-testid="stRadioOption"]:has(input:checked)');
            return checked ? checked.innerText.trim() : null;
        })"""
    )


def _shown_in_a_new_browser(new_page: Callable[..., Page], token: str) -> list[str | None]:
    fresh = new_page()
    open_app(fresh, f"/assessment?t={token}&step=1", fresh.locator(RADIO).first)
    return _ticked(fresh)


def _first_step_items() -> list[str]:
    return [s.id for s in load_model().dimensions[0].statements]


def test_the_first_click_after_a_restart_is_stored(
    server: StreamlitServer, new_page: Callable[..., Page], restart_server: Callable[[], None]
) -> None:
    token, round_id = stored_respondent(server)
    items = _first_step_items()
    page = new_page()
    open_app(page, f"/assessment?t={token}&step=1", page.locator(RADIO).first)
    _click(page, 0, "Largely")
    assert _eventually_stored(server, round_id, {items[0]: "largely"}) == {items[0]: "largely"}

    restart_server()
    wait_idle(page, timeout=60_000)  # the tab reconnects to the new process by itself
    _click(page, 1, "Partly")
    expected = {items[0]: "largely", items[1]: "partly"}
    assert _eventually_stored(server, round_id, expected) == expected
    wait_idle(page)
    _click(page, 2, "Fully")
    expected[items[2]] = "fully"
    assert _eventually_stored(server, round_id, expected) == expected
    settle(page, page.get_by_text(f"3 of {len(load_model().item_ids(Mode.FULL))} answered"))
    assert _ticked(page)[:4] == ["Largely", "Partly", "Fully", None]
    assert _shown_in_a_new_browser(new_page, token)[:4] == ["Largely", "Partly", "Fully", None]


def test_a_click_sent_to_a_hung_server_that_is_killed_is_stored_when_the_tab_reconnects(
    server: StreamlitServer, new_page: Callable[..., Page]
) -> None:
    token, round_id = stored_respondent(server)
    items = _first_step_items()
    page = new_page()
    open_app(page, f"/assessment?t={token}&step=1", page.locator(RADIO).first)
    server.freeze()
    try:
        _click(page, 0, "Partly")
        _click(page, 1, "Largely")  # a burst: neither reaches a running server
        page.wait_for_timeout(500)
    finally:
        server.kill()
    assert _stored(server, round_id) == {}
    server.start()
    wait_idle(page, timeout=60_000)
    shown = _ticked(page)
    stored = _eventually_stored(server, round_id, {items[0]: "partly", items[1]: "largely"})
    # Whatever the tab shows ticked is stored; nothing is shown ticked and missing.
    for item_id, label in zip(items, shown, strict=False):
        if label is not None:
            assert stored.get(item_id) == label.lower(), (item_id, label, stored)
    assert stored == {items[0]: "partly", items[1]: "largely"}
    assert _shown_in_a_new_browser(new_page, token)[:3] == ["Partly", "Largely", None]


def test_two_tabs_on_one_link_show_what_is_stored_and_never_write_back_an_old_answer(
    server: StreamlitServer, new_page: Callable[..., Page]
) -> None:
    token, round_id = stored_respondent(server)
    items = _first_step_items()
    tab_a, tab_b = new_page(), new_page()
    open_app(tab_a, f"/assessment?t={token}&step=1", tab_a.locator(RADIO).first)
    _click(tab_a, 0, "Fully")
    _eventually_stored(server, round_id, {items[0]: "fully"})
    open_app(tab_b, f"/assessment?t={token}&step=1", tab_b.locator(RADIO).first)
    expect(tab_b.locator(RADIO).first.locator("input:checked")).to_have_count(1)
    _click(tab_b, 0, "Not at all")
    _click(tab_b, 1, "Partly")
    _eventually_stored(server, round_id, {items[0]: "none", items[1]: "partly"})

    wait_idle(tab_a)
    _click(tab_a, 2, "Largely")  # tab A still shows "Fully" for the first question
    expected = {items[0]: "none", items[1]: "partly", items[2]: "largely"}
    assert _eventually_stored(server, round_id, expected) == expected
    settle(tab_a, tab_a.get_by_text(f"3 of {len(load_model().item_ids(Mode.FULL))} answered"))
    assert _ticked(tab_a)[:3] == ["Not at all", "Partly", "Largely"]
    assert _stored(server, round_id) == expected
