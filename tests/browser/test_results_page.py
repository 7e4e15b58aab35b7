"""The results page in a real browser: the "Start here" list, the radar's size, the change since last round.

Respondents are stored straight into the server's SQLite file, with the answers of
tests/results_answers.py: round 1 at Crawl although most dimensions are at Walk, round 2 at Walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from assessment.loader import load_model
from assessment.model import Model
from storage.engine import make_engine
from tests.results_answers import ORGANISATION, round_one, round_two
from tests.stored import store_rounds

from .conftest import PHONE, StreamlitServer, assert_no_horizontal_scroll, open_app, settle

pytestmark = pytest.mark.browser

START_HERE = "Start here"


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


def store(server: StreamlitServer, rounds: list[dict[str, str]]) -> str:
    """A respondent of ORGANISATION with these rounds, each completed; returns the resume token."""
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        token, _last_round = store_rounds(engine, "full", rounds, ORGANISATION)
    finally:
        engine.dispose()
    return token


def open_results(page: Page, token: str) -> None:
    open_app(page, f"/results?t={token}", page.get_by_role("heading", name=START_HERE))
    expect(chart(page).locator("svg.marks, canvas.marks").first).to_be_visible()


def chart(page: Page) -> Locator:
    return page.locator('[data-testid="stVegaLiteChart"]')


def headings(page: Page) -> list[str]:
    return [
        text.strip() for text in page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h2').all_inner_texts()
    ]


def test_start_here_lists_three_gaps_with_one_lesson_and_one_quiz(
    desktop_page: Page, server: StreamlitServer, model: Model, screenshot: Callable[[Page, str], Path]
) -> None:
    page = desktop_page
    token = store(server, [round_one(model)])
    open_results(page, token)

    assert headings(page)[:2] == ["Your organisation is at the Crawl stage", START_HERE]
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text(ORGANISATION, exact=False).first).to_be_visible()
    expect(main.get_by_text("Walk needs 36 points; you have 28")).to_be_visible()

    items = page.locator('[class*="st-key-start_here_"]')
    expect(items).to_have_count(3)
    for number in (1, 2, 3):
        item = page.locator(f".st-key-start_here_{number}")
        expect(item.get_by_text(re.compile(rf"^{number}\. .+ at Walk: "))).to_be_visible()
        lessons = item.locator('a[href*="lesson="]')
        quizzes = item.locator('a[href*="quiz="]')
        expect(lessons).to_have_count(1)
        expect(quizzes).to_have_count(1)
        assert f"t={token}" in (lessons.get_attribute("href") or "")
        assert f"t={token}" in (quizzes.get_attribute("href") or "")
    screenshot(page, "results-one-round-desktop")

    # The chart download names the organisation, in its file name and in the picture.
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Radar chart, SVG").click()
    name = svg_download.value.suggested_filename
    assert re.fullmatch(r"maturity-walkers-co-bv-round-1-\d{4}-\d{2}-\d{2}\.svg", name), name
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert "Maturity by dimension (0-4)" in svg
    assert "Walkers &amp; Co. BV · Round 1 · " in svg

    # The first lesson opens with the resume token kept.
    first_lesson = page.locator(".st-key-start_here_1").locator('a[href*="lesson="]')
    link_text = first_lesson.locator('[data-testid="stMarkdownContainer"]').inner_text()  # without the icon
    title = link_text.strip().removeprefix("Lesson: ").strip()
    first_lesson.click()
    page.wait_for_url(re.compile(r"/lessons\?.*lesson="))
    settle(page, page.get_by_role("heading", name=title, exact=True))
    assert f"t={token}" in page.url


def test_the_radar_is_the_largest_thing_on_the_page(desktop_page: Page, server: StreamlitServer, model: Model) -> None:
    page = desktop_page
    token = store(server, [round_one(model)])
    open_results(page, token)

    box = chart(page).bounding_box()
    column = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert box is not None and column is not None
    assert box["height"] >= 500, f"the radar is {box['height']:.0f} px high"
    assert box["width"] >= 0.9 * (column["width"] - 2 * 48), f"the radar is {box['width']:.0f} px of {column['width']}"
    others = page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]')
    for index in range(others.count()):
        element = others.nth(index)
        if element.locator('[data-testid="stVegaLiteChart"]').count():
            continue
        other = element.bounding_box()
        if other is None:
            continue
        assert other["width"] <= box["width"] + 1, f"element {index} is wider than the radar"
        assert other["width"] * other["height"] < box["width"] * box["height"], f"element {index} is larger"


def test_two_rounds_show_the_change_right_under_the_radar(
    desktop_page: Page, new_page: Callable[..., Page], server: StreamlitServer, model: Model,
    screenshot: Callable[[Page, str], Path],
) -> None:  # fmt: skip
    page = desktop_page
    token = store(server, [round_one(model), round_two(model)])
    open_results(page, token)

    titles = headings(page)
    assert titles[0] == "Your organisation is at the Walk stage"
    radar_at = titles.index("Maturity by dimension")
    assert titles[radar_at + 1] == "Change since round 1", titles
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Stage: Crawl → Walk.")).to_be_visible()
    changes = main.locator("table").first
    expect(changes.get_by_text(re.compile(r"^\+\d\.\d$")).first).to_be_visible()
    expect(changes.get_by_text(re.compile(r"^\u2212\d\.\d$")).first).to_be_visible()
    expect(changes.get_by_text("Crawl → Walk").first).to_be_visible()
    screenshot(page, "results-two-rounds-desktop")

    phone = new_page(PHONE)
    open_results(phone, token)
    screenshot(phone, "results-two-rounds-phone")
    assert_no_horizontal_scroll(phone, "results page, two rounds")
    box = chart(phone).bounding_box()
    assert box is not None and box["width"] >= 330


def test_one_round_on_a_phone(new_page: Callable[..., Page], server: StreamlitServer, model: Model,
                              screenshot: Callable[[Page, str], Path]) -> None:  # fmt: skip
    phone = new_page(PHONE)
    token = store(server, [round_one(model)])
    open_results(phone, token)
    assert_no_horizontal_scroll(phone, "results page, one round")
    expect(phone.locator('[class*="st-key-start_here_"]')).to_have_count(3)
    screenshot(phone, "results-one-round-phone")
