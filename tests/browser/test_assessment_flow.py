"""A newcomer's way through the site in a real browser: start, answer everything, resume, results.

What the pages should show is worked out here from the model file (read with tomllib) and the
scoring rules in docs/scoring.md, not from the app's own code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    DESKTOP,
    PHONE,
    PROJECT,
    StreamlitServer,
    assert_no_horizontal_scroll,
    exact,
    main_text,
    open_app,
    settle,
    wait_idle,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

pytestmark = pytest.mark.browser

RADIO = '[data-testid="stRadio"]'
OPTION = '[data-testid="stRadioOption"]'
TOKEN = r"[A-Za-z0-9_-]{32}"
START_TITLE = "Where does your organisation stand in social media?"
STAGES = ("crawl", "walk", "run", "fly")
CHECKLIST_GROUPS = {"workshop": "Do's and don'ts", "facebook": "Your Facebook page", "accounts": "Accounts and policy"}

# Option labels as shown, and the value each one stores (the JSON download uses the values).
MATURITY_OPTIONS = {
    "Not at all": "none",
    "Partly": "partly",
    "Largely": "largely",
    "Fully": "fully",
    "Don't know": "dont_know",
}
TEE_OPTIONS = {"1 Strongly disagree": 1, "2": 2, "3": 3, "4": 4, "5 Strongly agree": 5, "Don't know": "dont_know"}
CHECKLIST_OPTIONS = {"Yes": "yes", "Partly": "partly", "No": "no", "Not applicable": "na"}
OPTIONS = {"maturity": MATURITY_OPTIONS, "tee": TEE_OPTIONS, "checklist": CHECKLIST_OPTIONS}
MATURITY_POINTS = {"none": 0, "partly": 1, "largely": 2, "fully": 3, "dont_know": 0}

# The answering pattern: cycled per stage (maturity), over all T statements and over the checklist.
# Crawl averages at least 2 points, walk less than 2, run more than 2: the organisation is at crawl
# although run alone would count as reached, so the "every earlier stage too" rule matters.
MATURITY_PATTERN = {
    "crawl": ("Fully", "Largely", "Fully", "Don't know"),
    "walk": ("Largely", "Partly", "Don't know", "Fully"),
    "run": ("Fully", "Largely"),
    "fly": ("Not at all", "Partly"),
}
TEE_PATTERN = tuple(TEE_OPTIONS)
CHECKLIST_PATTERN = tuple(CHECKLIST_OPTIONS)


# The model, read independently -------------------------------------------------------------------


def normalise(text: str) -> str:
    """Compare question labels as shown with the model's text: no markdown marks, single spaces."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`\\]", "", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Item:
    id: str
    section: str  # "maturity", "tee" or "checklist"
    label: str  # the question as shown (normalised); maturity statements start with "<Stage> · "
    stage: str | None = None
    quick: bool = False


@dataclass(frozen=True)
class Step:
    title: str
    items: tuple[Item, ...]


class Plan:
    """The model's questions in the order the full assessment asks them, and the answer for each."""

    def __init__(self, document: dict) -> None:
        self.document = document
        stage_names = {s["id"]: s["name"] for s in document["stages"]}
        self.stage_names = stage_names
        steps = []
        for dimension in document["dimensions"]:
            items = tuple(
                Item(
                    s["id"],
                    "maturity",
                    normalise(f"{stage_names[s['stage']]} · {s['text']}"),
                    s["stage"],
                    s.get("quick", False),
                )
                for s in dimension["statements"]
            )
            steps.append(Step(dimension["name"], items))
        tees = tuple(
            Item(s["id"], "tee", normalise(s["text"]), quick=s.get("quick", False))
            for t in document["tees"]
            for s in t["statements"]
        )
        steps.append(Step("The 4 T's", tees))
        for group, title in CHECKLIST_GROUPS.items():
            items = tuple(
                Item(c["id"], "checklist", normalise(c["text"])) for c in document["checklist"] if c["group"] == group
            )
            if items:
                steps.append(Step(title, items))
        self.steps = steps
        self.items = [item for step in steps for item in step.items]
        twice = [label for label, n in Counter(i.label for i in self.items).items() if n > 1]
        assert not twice, f"the model shows these questions twice, so answers cannot be told apart: {twice}"
        self.by_label = {item.label: item for item in self.items}
        self.choice = self._choose()

    def _choose(self) -> dict[str, str]:
        per_stage = Counter()
        choice = {}
        tee_count = checklist_count = 0
        for item in self.items:
            if item.section == "maturity":
                pattern = MATURITY_PATTERN[item.stage]
                choice[item.id] = pattern[per_stage[item.stage] % len(pattern)]
                per_stage[item.stage] += 1
            elif item.section == "tee":
                choice[item.id] = TEE_PATTERN[tee_count % len(TEE_PATTERN)]
                tee_count += 1
            else:
                choice[item.id] = CHECKLIST_PATTERN[checklist_count % len(CHECKLIST_PATTERN)]
                checklist_count += 1
        return choice

    def minutes(self, quick: bool) -> int:
        timing = self.document["timing"]
        maturity = sum(1 for i in self.items if i.section == "maturity" and (i.quick or not quick))
        tees = sum(1 for i in self.items if i.section == "tee" and (i.quick or not quick))
        checklist = sum(1 for i in self.items if i.section == "checklist")
        seconds = (
            maturity * timing["seconds_per_maturity"]
            + tees * timing["seconds_per_tee"]
            + checklist * timing["seconds_per_checklist"]
        )
        return max(1, round(seconds / 60))

    def quick_count(self) -> int:
        return sum(1 for i in self.items if i.section == "checklist" or i.quick)

    def stored_values(self, recorded: dict[str, str]) -> dict[str, object]:
        """What the site should have stored for the labels clicked: {item id: value}."""
        return {
            self.by_label[label].id: OPTIONS[self.by_label[label].section][choice] for label, choice in recorded.items()
        }

    def expected_stage(self, recorded: dict[str, str]) -> str | None:
        """docs/scoring.md: a stage is reached when its points over all dimensions are at least twice its
        number of statements; the organisation is at the highest stage reached with every earlier one."""
        values = self.stored_values(recorded)
        points = Counter()
        statements = Counter()
        for item in self.items:
            if item.section == "maturity":
                statements[item.stage] += 1
                points[item.stage] += MATURITY_POINTS.get(values.get(item.id), 0)  # unanswered counts 0
        reached = None
        for stage in STAGES:
            if not (statements[stage] and points[stage] >= 2 * statements[stage]):
                break
            reached = stage
        return reached


def model_file() -> Path:
    configured = os.environ.get("SMM_MODEL_PATH", "").strip()  # the server inherits the same environment
    return Path(configured) if configured else PROJECT / "assessment" / "model.toml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    path = model_file()
    if not path.exists():
        pytest.fail(f"the model file {path} does not exist")
    return Plan(tomllib.loads(path.read_text(encoding="utf-8")))


# Page helpers ------------------------------------------------------------------------------------


def progress(page: Page, answered: int, total: int):
    return page.locator('[data-testid="stProgress"]').get_by_text(f"{answered} of {total} answered", exact=True)


def step_caption(page: Page, number: int, count: int):
    return page.get_by_text(re.compile(rf"· step {number} of {count}$"))


def questions_shown(page: Page, plan: Plan, step: Step) -> list[str]:
    labels = [normalise(t) for t in page.locator(RADIO).locator('[data-testid="stWidgetLabel"]').all_inner_texts()]
    unknown = [label for label in labels if label not in plan.by_label]
    assert not unknown, f"questions on the page that are not in the model file: {unknown}"
    assert labels == [item.label for item in step.items], f"step {step.title!r} shows other questions"
    return labels


def answer_step(page: Page, plan: Plan, step: Step, recorded: dict[str, str], answered: int, total: int) -> int:
    """Click the planned option of every question on the page, one at a time, watching the progress grow."""
    questions_shown(page, plan, step)
    radios = page.locator(RADIO)
    for index, item in enumerate(step.items):
        label = plan.choice[item.id]
        radios.nth(index).locator(OPTION).filter(has_text=exact(label)).click()
        recorded[item.label] = label
        answered += 1
        settle(page, progress(page, answered, total))
    return answered


def selected_answers(page: Page) -> dict[str, str | None]:
    """{question: the option shown as selected, or None} for every radio question on the page."""
    pairs = page.locator(RADIO).evaluate_all(
        """radios => radios.map(radio => {
            const label = radio.querySelector('[data-testid="stWidgetLabel"]').innerText;
            const checked = radio.querySelector('[data-testid="stRadioOption"]:has(input:checked)');
            return [label, checked ? checked.innerText : null];
        })"""
    )
    return {normalise(label): None if value is None else normalise(value) for label, value in pairs}


def check_kept(page: Page, plan: Plan, step: Step, recorded: dict[str, str]) -> None:
    questions_shown(page, plan, step)
    expected = {item.label: recorded[item.label] for item in step.items}
    assert selected_answers(page) == expected, f"step {step.title!r} lost answers"


def open_step(page: Page, token: str, number: int, count: int) -> None:
    open_app(page, f"/assessment?t={token}&step={number}", step_caption(page, number, count))


def press(page: Page, name: str, *expected) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settle(page, *expected)


# 1-4: the whole way through --------------------------------------------------------------------------


def test_newcomer_takes_the_full_assessment_resumes_and_sees_the_results(
    new_page: Callable[..., Page],
    server: StreamlitServer,
    restart_server: Callable[[], None],
    plan: Plan,
    screenshot: Callable[[Page, str], Path],
) -> None:
    steps, total = plan.steps, len(plan.items)
    assert len(steps) >= 5, "the model is too small to test resuming midway"
    resume_after, restart_after = 3, len(steps) // 2 + 1

    # 1. The start page: what it is, how long it takes, what is stored.
    page = new_page(DESKTOP)
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Quick scan")).to_contain_text(f"about {plan.minutes(quick=True)} min")
    expect(metrics.filter(has_text="Full assessment")).to_contain_text(f"about {plan.minutes(quick=False)} min")
    page.get_by_text("What is stored, and who can see it").click()
    expect(page.get_by_text("No name, e-mail address or IP address")).to_be_visible()
    expect(page.get_by_text("only people who hold your resume link")).to_be_visible()
    screenshot(page, "start-desktop")

    version = page.locator(RADIO).filter(has_text="Which version?")
    version.locator(OPTION).filter(has_text=f"Full assessment (about {plan.minutes(quick=False)} min)").click()
    page.get_by_label("Organisation (optional)").fill("Acme Rotterdam")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(rf"/assessment\?t={TOKEN}"))
    settle(page, progress(page, 0, total), step_caption(page, 1, len(steps)))
    token = re.search(rf"[?&]t=({TOKEN})(&|$)", page.url).group(1)
    assert page.url == f"{server.url}/assessment?t={token}&step=1"
    expect(page.get_by_text("Full assessment · round 1 · step 1 of", exact=False)).to_be_visible()

    # 2-3. Every question of every step, through the radios; resume in a new browser and after a restart.
    recorded: dict[str, str] = {}
    answered = 0
    for number, step in enumerate(steps, start=1):
        expect(page.get_by_role("heading", name=step.title, exact=True)).to_be_visible()
        answered = answer_step(page, plan, step, recorded, answered, total)

        if number == resume_after:
            # Close the tab; the address bar's link opens the answers again in a browser with no cookies.
            link = page.url
            assert re.search(rf"\?t={token}(&|$)", link), link
            page.context.close()
            page = new_page(DESKTOP)
            assert f"step={number}" in link, link
            open_app(page, link, step_caption(page, number, len(steps)), progress(page, answered, total))
            for back in range(number, 0, -1):
                check_kept(page, plan, steps[back - 1], recorded)
                if back > 1:
                    press(page, "← Back", step_caption(page, back - 1, len(steps)))
            screenshot(page, "assessment-desktop")  # step 1, its answers selected
            open_step(page, token, number, len(steps))

        if number == restart_after:
            restart_server()
            page.context.close()
            page = new_page(DESKTOP)
            # The resume link as the site shows it leads to the start page, which welcomes the person back.
            open_app(
                page,
                f"/?t={token}",
                page.get_by_text(f"Welcome back. Round 1: {answered} of {total} questions answered."),
            )
            expect(page.locator('[data-testid="stCode"]')).to_contain_text(f"{server.url}/?t={token}")
            page.get_by_text("Organisation and job title").click()
            expect(page.get_by_label("Organisation (optional)")).to_have_value("Acme Rotterdam")
            page.get_by_role("link", name="Continue the assessment").click()
            # It opens the first step with an open question: the next one, which shows nothing selected.
            settle(page, step_caption(page, number + 1, len(steps)), progress(page, answered, total))
            assert page.url == f"{server.url}/assessment?t={token}&step={number + 1}"
            assert set(selected_answers(page).values()) == {None}, "an unanswered step shows answers"
            for earlier in range(1, number + 1):
                open_step(page, token, earlier, len(steps))
                check_kept(page, plan, steps[earlier - 1], recorded)
            open_step(page, token, number, len(steps))

        if number < len(steps):
            expect(step_caption(page, number, len(steps))).to_be_visible()  # still here: Next moves on
            press(page, "Next →", step_caption(page, number + 1, len(steps)))

    assert answered == total and len(recorded) == total

    # 4. Results: the stage worked out here, the radar and its table, gaps, downloads.
    expect(page.get_by_role("button", name="Next →")).to_have_count(0)
    page.get_by_role("button", name="See my results").click()
    page.wait_for_url(re.compile(rf"/results\?t={token}$"))
    stage = plan.expected_stage(recorded)
    title = (
        f"Your organisation is at the {plan.stage_names[stage]} stage"
        if stage
        else f"Not yet at the {plan.stage_names['crawl']} stage"
    )
    settle(
        page,
        page.get_by_role("heading", name=title, exact=True),
        page.get_by_role("heading", name="Downloads", exact=True),
    )
    expect(page.get_by_text(f"{total} of {total} questions answered")).to_be_visible()

    chart = page.locator('[data-testid="stVegaLiteChart"]')
    expect(chart).to_have_count(1)
    expect(chart.locator("svg.marks, canvas.marks").first).to_be_visible()
    # The table that goes with the chart (beside it, or under it on narrow layouts) is the next one after it.
    table = chart.locator('xpath=following::*[@data-testid="stDataFrame"][1]')
    expect(table).to_be_visible()
    for dimension in plan.document["dimensions"]:
        expect(table.locator('[role="gridcell"]').filter(has_text=exact(dimension["name"]))).to_have_count(1)
    expect(page.get_by_role("heading", name="All your gaps, in the order to tackle them", exact=True)).to_be_visible()
    # Walk is not reached, so the first gap is a dimension at crawl or walk.
    first_stages = "|".join(re.escape(plan.stage_names[s]) for s in ("crawl", "walk"))
    first_gap = page.locator(".st-key-start_here_1").get_by_text(re.compile(r"^1\. "))
    in_place = r"\d+ % in place( \(\d+ answered don't know\))?|not known: .+|not answered yet"
    expect(first_gap).to_have_text(re.compile(rf"^1\. .+ at ({first_stages}): ({in_place})$"))

    names = ("Radar chart, PNG", "Radar chart, SVG", "Answers and scores, CSV", "Answers and scores, JSON")
    for name in names:
        expect(page.locator('[data-testid="stDownloadButton"]').get_by_role("button", name=name)).to_be_enabled()
    with page.expect_download() as json_download:
        page.get_by_role("button", name="Answers and scores, JSON").click()
    document = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert re.fullmatch(
        r"maturity-acme-rotterdam-round-1-\d{4}-\d{2}-\d{2}\.json", json_download.value.suggested_filename
    )
    assert document["organisation"] == "Acme Rotterdam"
    assert document["mode"] == "full"
    assert document["answers"] == plan.stored_values(recorded)
    assert document["scores"]["stage"] == stage
    # The command line, given the download, works out the same numbers as the page.
    rescored = subprocess.run(
        [sys.executable, "-m", "assessment", "score", json_download.value.path()],
        cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert rescored.returncode == 0, rescored.stderr
    assert json.loads(rescored.stdout) == document["scores"]
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Radar chart, PNG").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    screenshot(page, "results-desktop")

    # The same results on a phone.
    phone = new_page(PHONE)
    open_app(phone, f"/results?t={token}", phone.get_by_role("heading", name=title, exact=True))
    expect(phone.locator('[data-testid="stVegaLiteChart"]').locator("svg.marks, canvas.marks").first).to_be_visible()
    assert_no_horizontal_scroll(phone, "results page")
    screenshot(phone, "results-phone")


def test_a_completed_step_waits_for_next(desktop_page: Page, plan: Plan) -> None:
    """Answering the last question of a step must not move the page on by itself (it once did while the
    URL had no &step=, so the Next press that followed skipped a whole step)."""
    page = desktop_page
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    total = len(plan.items)
    page.get_by_role("button", name="Start the assessment").click()  # the full assessment is preselected
    page.wait_for_url(re.compile(rf"/assessment\?t={TOKEN}"))
    settle(page, progress(page, 0, total))
    answer_step(page, plan, plan.steps[0], {}, 0, total)
    wait_idle(page)
    assert step_caption(page, 1, len(plan.steps)).is_visible(), (
        "after answering step 1, without pressing Next, the page shows: " + main_text(page)[:200]
    )
    press(page, "Next →", step_caption(page, 2, len(plan.steps)))
    expect(page.get_by_role("heading", name=plan.steps[1].title, exact=True)).to_be_visible()


# 5. Broken resume links ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/assessment", "/results"])
@pytest.mark.parametrize(
    ("token", "message"),
    [("abc", "malformed"), ("0123456789abcdefghijklmnopqrstuv", "no assessment belongs")],
    ids=["malformed", "unknown"],
)
def test_a_broken_resume_link_gets_a_clear_message(desktop_page: Page, path: str, token: str, message: str) -> None:
    page = desktop_page
    open_app(page, f"{path}?t={token}", page.get_by_text("This resume link does not work"))
    expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(message)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert "Traceback" not in main_text(page)
    if path == "/":
        expect(page.get_by_role("button", name="Start the assessment")).to_be_visible()
    else:
        expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()


# 6. Phone width -----------------------------------------------------------------------------------------


def test_phone_width_start_and_assessment_fit_the_screen(
    phone_page: Page, plan: Plan, screenshot: Callable[[Page, str], Path]
) -> None:
    page = phone_page
    open_app(page, "/", page.get_by_role("heading", name=START_TITLE))
    assert_no_horizontal_scroll(page, "start page")
    screenshot(page, "start-phone")

    version = page.locator(RADIO).filter(has_text="Which version?")
    version.locator(OPTION).filter(has_text="Quick scan").click()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url(re.compile(rf"/assessment\?t={TOKEN}"))
    total = plan.quick_count()
    settle(page, progress(page, 0, total))
    expect(page.get_by_text("Quick scan · round 1 · step 1 of", exact=False)).to_be_visible()

    radios = page.locator(RADIO)
    quick_first = [i for i in plan.steps[0].items if i.quick]
    expect(radios).to_have_count(len(quick_first))
    for index in range(len(quick_first)):
        for option in radios.nth(index).locator(OPTION).all():
            expect(option).to_be_visible()
            box = option.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (
                f"option {option.inner_text()!r} of question {index + 1} sticks out of the screen: {box}"
            )
    radios.first.locator(OPTION).filter(has_text=exact("Largely")).click()
    settle(page, progress(page, 1, total))
    assert_no_horizontal_scroll(page, "assessment page")
    screenshot(page, "assessment-phone")

    # Next, from the bottom of the step, opens the next step at its top (its title in view), not
    # where the last one was scrolled to.
    main = page.locator('[data-testid="stMain"]')
    page.get_by_role("button", name="Next →").scroll_into_view_if_needed()
    assert main.evaluate("element => element.scrollTop") > 0, "step 1 should be taller than a phone screen"
    page.get_by_role("button", name="Next →").click()
    settle(page, page.get_by_text("Quick scan · round 1 · step 2 of", exact=False))
    expect(page.get_by_role("heading", name=plan.steps[1].title, exact=True)).to_be_in_viewport()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0 && window.scrollY === 0"
    )
