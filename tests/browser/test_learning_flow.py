"""From a gap to learning, in a real browser: results → lesson → quiz, a refresh mid-quiz, the path.

The right answers are read here from the quiz bank's TOML file (with tomllib), not from the
app's code, so a quiz that grades a right answer wrong fails this test.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from assessment.demo import demo_answers
from assessment.loader import load_model

from .conftest import (
    PROJECT,
    StreamlitServer,
    assert_no_horizontal_scroll,
    exact,
    main_text,
    open_app,
    settle,
    stored_respondent,
    wait_idle,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

pytestmark = pytest.mark.browser

TOKEN = r"[A-Za-z0-9_-]{32}"
START_TITLE = "Where does your organisation stand in social media?"
GAPS_TITLE = "All your gaps, in the order to tackle them"
REFRESH_AFTER = 3  # questions answered before the refresh


def bank_file(bank_id: str) -> dict:
    for path in sorted((PROJECT / "quizzes" / "bank").glob("*.toml")):
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        if document.get("id") == bank_id:
            return document
    raise AssertionError(f"no quiz bank file has id {bank_id!r}")


def query_value(url: str, name: str) -> str:
    found = re.search(rf"[?&]{name}=([^&#]+)", url)
    assert found, f"{name}= missing from {url}"
    return found.group(1)


def demo_results(page: Page, server: StreamlitServer) -> str:
    """A respondent with the sample answers, on their results page; returns the token."""
    token, _round_id = stored_respondent(server, "full", demo_answers(load_model()))
    open_app(page, f"/results?t={token}", page.get_by_role("heading", name=GAPS_TITLE))
    return token


def gap_blocks(page: Page) -> Locator:
    """Every gap of the full list shown: those of the sections opened (open_gap_sections)."""
    return page.locator('[class*="st-key-gap_"]')


def open_gap_sections(page: Page) -> None:
    """Open every section of the full gap list: a section's gaps are built when it is opened (a rerun)."""
    sections = page.locator('[class*="st-key-gaps_"]')
    for index in range(sections.count()):
        section = sections.nth(index)
        section.locator("summary").click()
        settle(page, section.locator('[class*="st-key-gap_"]').first)


# Answering one question the right way, by type --------------------------------------------------


def pick_from_dropdown(page: Page, box: Locator, text: str) -> None:
    if not page.locator('[role="listbox"]').is_visible():
        box.locator("input").click()
    page.locator('[role="option"]').filter(has_text=exact(text)).first.click()


def answer_rightly(page: Page, question: dict) -> None:
    kind = question["type"]
    form = page.locator('[data-testid="stForm"]')
    if kind == "single":
        text = next(o["text"] for o in question["options"] if o.get("correct"))
        form.locator('[data-testid="stRadioOption"]').filter(has_text=exact(text)).click()
    elif kind == "truefalse":
        form.locator('[data-testid="stRadioOption"]').filter(has_text=exact(str(question["answer"]))).click()
    elif kind == "multiple":
        for option in question["options"]:
            if option.get("correct"):
                form.locator('[data-testid="stCheckbox"]').filter(has_text=exact(option["text"])).click()
    elif kind == "ordering":
        box = form.locator('[data-testid="stMultiSelect"]')
        for item in question["items"]:
            pick_from_dropdown(page, box, item["text"])
        page.keyboard.press("Escape")
    elif kind == "matching":
        for pair in question["pairs"]:
            label = page.locator('[data-testid="stWidgetLabel"]').filter(has_text=exact(pair["left"]))
            box = form.locator('[data-testid="stSelectbox"]').filter(has=label)
            box.click()
            page.locator('[role="option"]').filter(has_text=exact(pair["right"])).first.click()
    elif kind == "short":
        # an answer is a text at full credit or a table {text, weight, feedback}; "*" is a wildcard
        answers = [a if isinstance(a, dict) else {"text": a} for a in question["accept"]]
        right = next(a["text"] for a in answers if a.get("weight", 100) >= 100 and "*" not in a["text"])
        form.locator("input").fill(right)
    elif kind == "numerical":
        number = next(n for n in question["numbers"] if n.get("weight", 100) >= 100 and not n.get("any_number"))
        value = number["value"] if "value" in number else number["min"]
        form.locator("input").fill(f"{value:g}")
    else:  # pragma: no cover - a new question type needs a line here
        raise AssertionError(f"the test cannot answer a {kind} question")
    form.get_by_role("button", name="Answer").click()


def progress(page: Page, answered: int, total: int) -> Locator:
    return page.locator('[data-testid="stProgress"]').get_by_text(f"{answered} of {total} answered", exact=True)


def right_verdict(where: Page | Locator) -> Locator:
    """The green "Right." verdict (an option's own feedback may also begin with "Right.")."""
    return where.get_by_test_id("stAlertContentSuccess").get_by_text("Right.", exact=True)


def question_heading(page: Page, number: int, total: int) -> Locator:
    return page.get_by_role("heading", name=f"Question {number} of {total}", exact=True)


# The way through ------------------------------------------------------------------------------------


def test_every_gap_leads_to_a_lesson_and_a_quiz(desktop_page: Page, server: StreamlitServer) -> None:
    page = desktop_page
    demo_results(page, server)
    assert gap_blocks(page).count() == 0, "a closed section's gaps are built only once it is opened"
    open_gap_sections(page)
    gaps = gap_blocks(page)
    assert gaps.count() > 0, "the sample answers should leave gaps"
    for index in range(gaps.count()):
        gap = gaps.nth(index)
        title = (gap.locator('[data-testid="stMarkdownContainer"]').first.text_content() or "").strip()
        assert gap.locator('a[href^="lessons?"][href*="lesson="]').count() >= 1, f"gap {title!r} links no lesson"
        assert gap.locator('a[href^="quiz?"][href*="quiz="]').count() >= 1, f"gap {title!r} links no quiz"


def test_from_a_gap_to_its_lesson_and_quiz_with_a_refresh_mid_quiz(
    desktop_page: Page, server: StreamlitServer, screenshot: Callable[[Page, str], Path]
) -> None:
    page = desktop_page
    token = demo_results(page, server)

    # The first gap of "Start here": follow its lesson.
    first_gap = page.locator(".st-key-start_here_1")
    lesson_link = first_gap.get_by_role("link", name=re.compile(r"^Lesson: "))
    link_text = lesson_link.first.locator('[data-testid="stMarkdownContainer"]').inner_text()  # without the icon
    lesson_title = link_text.strip().removeprefix("Lesson: ").strip()
    lesson_link.first.click()
    page.wait_for_url(re.compile(r"/lessons\?.*lesson="))
    settle(page, page.get_by_role("heading", name=lesson_title, exact=True))
    assert query_value(page.url, "t") == token, "the lesson page lost the resume token"
    expect(page.get_by_text(re.compile(r"min read"))).to_be_visible()
    # Its sources, named in full in the footnotes (so no second one-line list under them).
    expect(page.locator(".footnote li").first).to_contain_text("Source: ")
    expect(page.get_by_text(re.compile(r"^Sources: "))).to_have_count(0)
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Contents").click()
    expect(
        page.locator('[data-testid="stExpander"]').filter(has_text="Contents").get_by_role("link").first
    ).to_be_visible()
    # The lesson body, sanitised: no script (the site's own page scripts live in other st.html blocks).
    body = page.locator('[data-testid="stHtml"]').filter(has=page.locator("h2")).first.inner_html()
    assert "<script" not in body.lower()
    screenshot(page, "lesson-desktop")

    done_switch = page.get_by_role("switch", name="Mark as done")
    expect(done_switch).not_to_be_checked()
    page.locator("label").filter(has=done_switch).click()  # the input itself sits under its label
    expect(done_switch).to_be_checked()
    wait_idle(page)

    # Its quiz.
    quiz_link = page.get_by_role("link", name=re.compile(r"^Take the quiz: "))
    quiz_link.click()
    page.wait_for_url(re.compile(r"/quiz\?.*quiz="))
    bank = bank_file(query_value(page.url, "quiz"))
    questions, total = bank["questions"], len(bank["questions"])
    settle(page, page.get_by_role("heading", name=bank["title"], exact=True))
    page.get_by_role("button", name="Start the quiz").click()
    settle(page, question_heading(page, 1, total), progress(page, 0, total))

    def answer(number: int) -> None:
        """Answer question `number` (1-based) rightly and move on as the bank's feedback mode has it."""
        question = questions[number - 1]
        expect(question_heading(page, number, total)).to_be_visible()
        answer_rightly(page, question)
        if bank["feedback"] == "instant":
            settle(page, progress(page, number, total), right_verdict(page))
            last = number == total
            page.get_by_role("button", name="See my score" if last else "Next question").click()
        if number < total:
            settle(page, question_heading(page, number + 1, total), progress(page, number, total))

    for number in range(1, REFRESH_AFTER + 1):
        answer(number)
    screenshot(page, "quiz-desktop")

    # A refresh in the middle: the answers are in the database, the attempt carries on where it was.
    page.reload()
    page.locator('[data-testid="stApp"]').wait_for()
    settle(page, progress(page, REFRESH_AFTER, total), question_heading(page, REFRESH_AFTER + 1, total))
    assert query_value(page.url, "t") == token

    for number in range(REFRESH_AFTER + 1, total + 1):
        answer(number)

    summary = "Your score: 100 %."
    settle(page, page.get_by_text(summary, exact=True))
    review = page.locator('[data-testid="stExpander"]').filter(has_text="Review your last attempt")
    expect(right_verdict(review)).to_have_count(total)
    expect(page.get_by_role("button", name="Retake the quiz")).to_be_visible()
    expect(page.get_by_role("link", name=f"Back to the lesson: {lesson_title}", exact=True)).to_be_visible()
    screenshot(page, "quiz-score-desktop")

    # The learning path shows the lesson done and the best score.
    open_app(page, f"/path?t={token}", page.get_by_role("heading", name="My learning path"))
    expect(page.get_by_role("link", name=re.compile(rf"^\d+\. {re.escape(lesson_title)} ✓$"))).to_be_visible()
    expect(page.get_by_role("link", name=f"Quiz: {bank['title']} (best score 100 %)", exact=True).first).to_be_visible()
    expect(page.locator('[data-testid="stProgress"]')).to_contain_text(
        re.compile(r"^Lessons done: 1 of \d+ · quizzes passed: 1$")
    )
    screenshot(page, "path-desktop")
    assert "Traceback" not in main_text(page)


def test_lessons_quizzes_and_path_fit_a_phone(
    phone_page: Page, server: StreamlitServer, screenshot: Callable[[Page, str], Path]
) -> None:
    page = phone_page
    token = demo_results(page, server)

    open_app(page, f"/path?t={token}", page.get_by_role("heading", name="My learning path"))
    assert_no_horizontal_scroll(page, "learning path")
    screenshot(page, "path-phone")

    first_lesson = page.get_by_role("link", name=re.compile(r"^1\. ")).first
    first_lesson.click()
    page.wait_for_url(re.compile(r"/lessons\?.*lesson="))
    settle(page, page.get_by_text(re.compile(r"min read")))
    assert_no_horizontal_scroll(page, "lesson page")
    screenshot(page, "lesson-phone")

    page.get_by_role("link", name=re.compile(r"^Take the quiz: ")).click()
    page.wait_for_url(re.compile(r"/quiz\?.*quiz="))
    bank = bank_file(query_value(page.url, "quiz"))
    settle(page, page.get_by_role("button", name="Start the quiz"))
    page.get_by_role("button", name="Start the quiz").click()
    settle(page, question_heading(page, 1, len(bank["questions"])))
    assert_no_horizontal_scroll(page, "quiz question")
    screenshot(page, "quiz-phone")

    open_app(page, f"/lessons?t={token}", page.get_by_role("heading", name="Lessons", exact=True))
    page.get_by_label("Search lessons").fill("webcare")
    page.keyboard.press("Enter")
    settle(page, page.get_by_text(re.compile(r"^\d+ lessons? found$")))
    assert page.get_by_role("link").filter(has_text=re.compile("webcare|Webcare|conversation", re.I)).count() >= 1
    assert_no_horizontal_scroll(page, "lesson search")
    screenshot(page, "lessons-search-phone")


def test_a_quiz_opened_from_the_quiz_list_survives_a_refresh(desktop_page: Page, server: StreamlitServer) -> None:
    """A link to the page already open (the quiz list is the quiz page) must put the quiz in the address,
    or a refresh mid-quiz lands back on the list."""
    page = desktop_page
    token = demo_results(page, server)
    open_app(page, f"/quiz?t={token}", page.get_by_role("heading", name="Quizzes", exact=True))
    bank = bank_file("four-stages")
    total = len(bank["questions"])
    page.get_by_role("link", name=re.compile(rf"^{re.escape(bank['title'])} \(\d+ questions\)")).click()
    settle(page, page.get_by_role("heading", name=bank["title"], exact=True))
    page.wait_for_url(re.compile(r"[?&]quiz=four-stages"))
    page.get_by_role("button", name="Start the quiz").click()
    settle(page, question_heading(page, 1, total))
    answer_rightly(page, bank["questions"][0])
    if bank["feedback"] == "instant":
        settle(page, right_verdict(page))
        page.get_by_role("button", name="Next question").click()
    settle(page, question_heading(page, 2, total), progress(page, 1, total))

    page.reload()
    page.locator('[data-testid="stApp"]').wait_for()
    settle(page, page.get_by_role("heading", name=bank["title"], exact=True), question_heading(page, 2, total))
    assert query_value(page.url, "t") == token
