"""The management dashboard in a real browser, on a desktop and a phone: a manager logs in through the
login page and sees their organisation's dashboard (the privacy note, the headline, the charts), the
page never scrolls sideways, and no participant's nickname appears; a small department is hidden.

The organisation, its wave and its respondents are made straight in the server's database through
the same services the site uses (tests/management_seed.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from assessment.loader import load_model
from services import accounts, organisations
from services import workshops as ws
from storage import schema
from storage.engine import make_engine
from tests.management_seed import PASSWORD, level_answers, organisation, respondent
from tests.room_seed import participant

from .conftest import DESKTOP, PHONE, StreamlitServer, assert_no_horizontal_scroll, main_text, open_app, settle

pytestmark = pytest.mark.browser

MANAGER = "dash.manager"
NICKNAMES = ("Zyxwort", "Quibbler")


@pytest.fixture(scope="module")
def organisation_id(server: StreamlitServer) -> Iterator[int]:
    """Harbour Museum: Sales 6, IT 2 (hidden) and Care 5 (hidden with it), and two workshop
    participants with nicknames (no department: hidden too), in its open wave; its manager's account."""
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        model = load_model()
        admin = accounts.create_user(engine, "dash.admin", None, "admin", PASSWORD).id
        manager = accounts.create_user(engine, MANAGER, None, "manager", PASSWORD).id
        trainer = accounts.create_user(engine, "dash.trainer", None, "trainer", PASSWORD).id
        org, code = organisation(engine, admin, "Harbour Museum")
        organisations.set_manager(engine, admin, manager, org, True)
        organisations.open_wave(engine, admin, org, "Spring 2027")
        for department, count, level in (("Sales", 6, 2), ("IT", 2, 1), ("Care", 5, 3)):
            for _ in range(count):
                respondent(engine, model, code, department, None, level_answers(model, level))
        workshop = ws.create_workshop(engine, trainer, "Kick-off", org, date(2026, 12, 3), "en", "full")
        for nickname in NICKNAMES:
            participant(engine, model, workshop.code, nickname, level_answers(model, 2))
    finally:
        engine.dispose()
    yield org
    # The browser tests share one server and its database: the site goes back to having no
    # organisation, as the workshop flow expects of a new install (its form is open only then).
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        with engine.begin() as connection:
            connection.execute(delete(schema.workshops).where(schema.workshops.c.organisation_id == org))
            connection.execute(delete(schema.organisations).where(schema.organisations.c.id == org))
    finally:
        engine.dispose()


def log_in(page: Page, username: str, password: str) -> None:
    open_app(page, "/login", page.get_by_role("heading", name="Log in", exact=True))
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    # Through the cookie route (/account/session) to a manager's first page, the dashboard.
    page.wait_for_url(re.compile(r"/dashboard"))
    settle(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_manager_sees_the_dashboard_on_a_desktop_and_a_phone(
    new_page: Callable[..., Page],
    server: StreamlitServer,
    organisation_id: int,
    viewport: dict[str, int],
    screenshot: Callable[[Page, str], Path],
) -> None:
    page = new_page(viewport)
    log_in(page, MANAGER, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    # Her only organisation is chosen by itself and named in the address.
    settle(page, page.get_by_text("The whole organisation", exact=True))
    assert re.search(rf"[?&]org={organisation_id}\b", page.url)
    text = main_text(page)
    assert "Privacy." in text and "no nicknames" in text
    assert re.search(r"Respondents\s+15\b", text), text[:2000]
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    # The heat map's description names the hidden departments and gives them no figure.
    assert "Not shown, to keep respondents anonymous (hidden (fewer than 5)): IT, Care, No department given." in text
    assert not any(nickname in text for nickname in NICKNAMES)
    assert_no_horizontal_scroll(page, f"the dashboard at {viewport['width']} px")
    screenshot(page, f"dashboard-{viewport['width']}")
