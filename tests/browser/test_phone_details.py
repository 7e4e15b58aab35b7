"""Phone and browser details: the page menu, the 4 T's scale, page addresses, no third-party requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from .conftest import PHONE, open_app, settle

pytestmark = pytest.mark.browser

START_TITLE = "Where does your organisation stand in social media?"
MENU = '[data-testid="stSidebar"]'


def menu_is_open(page: Page) -> bool:
    """The page menu (a drawer at phone width) is open and lies over the page."""
    return page.evaluate(
        """selector => {
            const menu = document.querySelector(selector);
            if (!menu || menu.getAttribute('data-collapsed') !== 'false') return false;
            const box = menu.getBoundingClientRect();
            return box.width > 0 && box.right > 0;
        }""",
        MENU,
    )


def open_menu(page: Page) -> None:
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    # Open, and done sliding in.
    page.wait_for_function(
        "selector => { const m = document.querySelector(selector);"
        " return m.getAttribute('data-collapsed') === 'false' && m.getBoundingClientRect().left >= -1; }",
        arg=MENU,
    )
    assert menu_is_open(page)


def wait_menu_closed(page: Page, where: str) -> None:
    try:
        page.wait_for_function(
            "selector => { const m = document.querySelector(selector);"
            " return !m || m.getAttribute('data-collapsed') === 'true'; }",
            arg=MENU,
            timeout=5_000,
        )
    except Exception as error:  # noqa: BLE001 - the message below says what is wrong
        raise AssertionError(f"{where}: the page menu is still open over the page") from error
    assert not menu_is_open(page), where


def test_the_page_menu_closes_after_a_choice_on_a_phone(new_page: Callable[..., Page]) -> None:
    page = new_page(PHONE)
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    assert not menu_is_open(page), "the menu is open on a first visit"

    open_menu(page)
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Lessons").click()
    settle(page, page.get_by_role("heading", name="Lessons", exact=True))
    assert page.url.endswith("/lessons"), page.url
    wait_menu_closed(page, "after choosing Lessons")

    # Streamlit stores the drawer's state in the browser: one left open must not come back open.
    open_menu(page)
    page.reload()
    settle(page, page.get_by_role("heading", name="Lessons", exact=True))
    wait_menu_closed(page, "after a reload with the menu left open")

    # Choosing the page already open changes nothing else, but the menu still closes.
    open_menu(page)
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Lessons").click()
    wait_menu_closed(page, "after choosing the page already open")
