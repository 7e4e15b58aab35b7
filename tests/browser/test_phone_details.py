"""Phone and browser details: the page menu, the 4 T's scale, page addresses, no third-party requests."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE, open_app, settle

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
    button = page.locator('[data-testid="stExpandSidebarButton"]')
    word = button.evaluate("element => getComputedStyle(element, '::after').content")
    assert word == '"Menu"', f"the menu button shows only '>>' (its ::after content is {word})"

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


def test_a_whole_visit_requests_nothing_from_another_server(new_page: Callable[..., Page], server) -> None:
    """The privacy note promises no third parties: favicon, fonts and icons come from the site itself.
    Every request of a visit (start, assessment, results, lessons, a quiz) is recorded; any other
    server is refused, so the test does not wait on a network this machine may not have."""
    page = new_page(DESKTOP)
    own = re.compile(rf"^(data:|blob:|about:|{re.escape(server.url)}/)")
    elsewhere: list[str] = []
    requested: list[str] = []

    def watch(route, request) -> None:  # noqa: ANN001 - Playwright's route and request
        requested.append(request.url)
        if own.match(request.url):
            route.continue_()
        else:
            elsewhere.append(request.url)
            route.abort()

    page.context.route("**/*", watch)
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/assessment\?t="))
    settle(page, page.get_by_text(re.compile(r"· step 1 of \d+$")))
    page.locator('[data-testid="stRadioOption"]').first.click()
    settle(page, page.get_by_text(re.compile(r"^1 of \d+ answered$")))
    token = re.search(r"[?&]t=([A-Za-z0-9_-]{32})", page.url).group(1)
    open_app(page, f"/assessment?t={token}&step=11", page.get_by_role("heading", name="The 4 T's", exact=True))
    open_app(page, f"/results?t={token}", page.get_by_role("heading", name="Downloads", exact=True))
    open_app(page, "/lessons", page.get_by_role("heading", name="Lessons", exact=True))
    open_app(page, "/lessons?lesson=four-ts-dos-donts", page.get_by_role("heading", name="The 4 T's, do's and don'ts"))
    open_app(page, "/quiz", page.get_by_role("heading", name="Quizzes", exact=True))
    open_app(page, f"/quiz?quiz=four-ts-dos-donts&t={token}", page.get_by_role("button", name="Start the quiz"))
    page.get_by_role("button", name="Start the quiz").first.click()
    settle(page, page.get_by_role("heading", name=re.compile(r"^Question 1 of")))
    page.wait_for_load_state("networkidle")

    assert any("/_stcore/" in url for url in requested), "no request was recorded: the watch did not work"
    favicon = page.evaluate("() => document.querySelector('link[rel~=\"icon\"]')?.href ?? null")
    # The site's own icon, inline in the page (views/frame.py) or from the site's address.
    assert favicon and favicon.startswith(("data:image/png;base64,", f"{server.url}/")), f"the favicon is {favicon}"
    assert not elsewhere, f"requests to other servers: {sorted(set(elsewhere))}"


@pytest.mark.parametrize("path", ["start", "assessment", "results", "path", "lessons", "quiz"])
def test_every_page_opens_at_its_own_address(desktop_page: Page, path: str) -> None:
    """A trainer writes a page's address on a slide: it opens that page, not a 'Page not found' dialog."""
    page = desktop_page
    open_app(page, f"/{path}")
    expect(page.get_by_text(re.compile("page not found", re.IGNORECASE))).to_have_count(0)
    assert page.url.split("?")[0].rstrip("/").endswith(f"/{path}"), page.url
    if path == "start":
        expect(page.get_by_role("heading", name=START_TITLE)).to_be_visible()


def test_a_pasted_resume_link_opens_the_welcome_at_the_top_on_a_phone(new_page: Callable[..., Page], server) -> None:
    first = new_page(PHONE)
    open_app(first, "/", first.get_by_role("heading", name=START_TITLE))
    first.get_by_role("button", name="Start the assessment").click()
    first.wait_for_url(re.compile(r"/assessment\?t="))
    token = re.search(r"[?&]t=([A-Za-z0-9_-]{32})", first.url).group(1)

    page = new_page(PHONE)
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    expect(page.get_by_role("button", name="Continue", exact=True)).to_be_visible()
    box = page.get_by_label("Paste your resume link to continue where you left off")
    box.fill(f"{server.url}/?t={token}")
    box.press("Enter")
    welcome = page.get_by_text(re.compile(r"^Welcome back\. Round 1: 0 of \d+ questions answered\.$"))
    settle(page, welcome)
    assert page.url == f"{server.url}/?t={token}", page.url
    expect(welcome).to_be_in_viewport()


def scale_layout(page: Page, radio_index: int) -> str:
    """'line' when a radio's options sit on one line, 'list' when they stand one under another in
    order, else a description of where they are."""
    boxes = page.locator('[data-testid="stRadio"]').nth(radio_index).locator('[data-testid="stRadioOption"]').all()
    places = [(round(b["x"]), round(b["y"]), round(b["width"])) for b in (o.bounding_box() for o in boxes)]
    xs, ys = [p[0] for p in places], [p[1] for p in places]
    if max(ys) - min(ys) <= 2 and xs == sorted(xs):
        return "line"
    if max(xs) - min(xs) <= 2 and ys == sorted(ys) and len(set(ys)) == len(ys):
        return "list"
    return f"mixed: (x, y, width) = {places}"


@pytest.mark.parametrize(
    ("viewport", "expected"), [(PHONE, {"line", "list"}), (DESKTOP, {"line"})], ids=["phone", "desktop"]
)
def test_the_four_ts_scale_keeps_its_order_on_a_phone(new_page: Callable[..., Page], viewport, expected) -> None:
    """At 390 px the six answers of the 1-5 scale wrapped, '5 Strongly agree' under '1 Strongly disagree'."""
    page = new_page(viewport)
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(r"/assessment\?t="))
    token = re.search(r"[?&]t=([A-Za-z0-9_-]{32})", page.url).group(1)
    open_app(page, f"/assessment?t={token}&step=11", page.get_by_role("heading", name="The 4 T's", exact=True))
    radios = page.locator('[data-testid="stRadio"]')
    assert radios.count() >= 4
    for index in range(radios.count()):
        options = radios.nth(index).locator('[data-testid="stRadioOption"]')
        expect(options).to_have_count(6)
        expect(options.first).to_have_text("1 Strongly disagree")
        layout = scale_layout(page, index)
        assert layout in expected, f"question {index + 1} of the 4 T's at {viewport['width']} px: {layout}"


TOOLBARS_OVER_NEIGHBOURS_JS = """() => {
  const overlaps = [];
  const rect = e => e.getBoundingClientRect();
  // A closed expander keeps laying out its content (clipped, not removed): that content is not shown.
  const shown = e => {
    const r = rect(e);
    return r.width > 0 && r.height > 0 && getComputedStyle(e).opacity !== '0' && !e.closest('details:not([open])');
  };
  for (const bar of document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementToolbar"]')) {
    if (!shown(bar)) continue;
    const own = bar.closest('[data-testid="stElementContainer"]');
    const b = rect(bar);
    for (const other of document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]')) {
      if (other === own || other.contains(own) || own.contains(other) || !shown(other)) continue;
      const o = rect(other);
      if (b.left < o.right && o.left < b.right && b.top < o.bottom - 1 && o.top < b.bottom - 1) {
        const where = r => `y=${Math.round(r.top)}..${Math.round(r.bottom)}`;
        overlaps.push(`toolbar at ${where(b)} over "${other.innerText.slice(0, 50)}" at ${where(o)}`);
      }
    }
  }
  return overlaps;
}"""


def test_table_toolbars_leave_the_text_above_readable_on_a_touch_phone(chromium, server) -> None:
    """On a touch screen a table's toolbar is always shown, above the table: it lay over the line before it."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=server.url)
    try:
        page = context.new_page()
        open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
        page.get_by_role("link", name="Try it with sample answers").click()
        page.wait_for_url(re.compile(r"/results\?sample=1"))
        settle(page, page.get_by_role("heading", name="Downloads", exact=True))
        tables = page.locator('[data-testid="stDataFrame"]')
        assert tables.count() >= 2, "the results page should show tables"
        # The toolbars fade in once the tables are drawn.
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(table => {
                if (table.getBoundingClientRect().height === 0) return true;  // in a closed expander
                const bar = table.closest('[data-testid="stElementContainer"]')
                    .querySelector('[data-testid="stElementToolbar"]');
                return bar && getComputedStyle(bar).opacity === '1';
            })"""
        )
        overlaps = page.evaluate(TOOLBARS_OVER_NEIGHBOURS_JS)
        assert not overlaps, "table toolbars cover other content:\n" + "\n".join(overlaps)
    finally:
        context.close()
