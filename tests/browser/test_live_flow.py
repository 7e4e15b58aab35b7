"""A live quiz from end to end in a real browser (issue 14): a trainer logs in, opens the presenter page
of a workshop and starts a live run of a quiz bank; four participants (two phones, two desktops) join
by the code and open their live page, and the presenter's lobby lists them; the trainer opens each
question, the participants answer, one reloads in the middle and keeps seat and answer, a fifth joins
during the first question and plays from the second; the presenter shows the answers' chart and table,
the right answer, the top five and the podium; the phones follow by themselves (no reload) and show
right or wrong, points and place; the workshop's results page and its Excel file hold the same scores.

The trainer and the workshop are made through the services (the workshop flow covers making them in
the browser); everything else goes through the browser. The ranking expected on the presenter, the
phones and in the Excel file is worked out here from the points the phones show, not from the site's
code. The site follows in its default mode (SMM_LIVE_FOLLOW unset: push), as the server fixture runs
it; tests/browser/test_live_follow.py covers both modes for one phone.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Locator, Page, expect

from assessment.loader import load_model
from identity.rules import Role
from learning.content import load_course
from quizzes.model import Bank, Question
from services import accounts
from services import workshops as ws
from storage.engine import make_engine
from storage.migrate import upgrade

from .conftest import (
    DESKTOP,
    PHONE,
    StreamlitServer,
    assert_no_horizontal_scroll,
    deprecation_warnings,
    exact,
    free_port,
    main_text,
    open_app,
    settle,
)
from .test_workshop_flow import choose, log_in

pytestmark = pytest.mark.browser

TRAINER = ("trainer.live", "live-trainer-password-789", "Lena Live")
ORGANISATION = "Tram Depot"
WORKSHOP = "Live Friday"
BANK_ID = "fun-quiz"  # its first questions are all single choice
QUESTIONS = 4
SECONDS = 60  # long enough for five browsers and a reload; the trainer closes each question early
TOKEN = r"[A-Za-z0-9_-]{32}"
FOLLOWS_WITHIN_MS = 15_000  # a phone moves by itself within this (push: well under a second; poll: about one)
PRESENTER_WITHIN_MS = 10_000  # the presenter redraws itself every second
CHART = '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'  # the presenter's one chart and table
TABLE = '[data-testid="stMain"] [data-testid="stDataFrame"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The site as the session's `server` fixture runs it (serve.py, SMM_LIVE_FOLLOW as the environment has
    it), on a database of its own."""
    work = tmp_path_factory.mktemp("live-flow")
    database = work / "live-flow.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    running = StreamlitServer(free_port(), database, work)
    running.start()
    try:
        yield running
    finally:
        running.stop()
    warnings = deprecation_warnings(work)
    if warnings:
        pytest.fail("the server logged deprecation warnings:\n" + "\n".join(warnings[:5]), pytrace=False)


@dataclass
class Player:
    nickname: str
    viewport: dict[str, int]
    # The option (its id in the bank) this player clicks on each question; None: no click.
    picks: tuple[str | None, ...]
    late: bool = False  # joins during question 1, plays from question 2
    page: Page | None = None
    token: str = ""
    points: list[int | None] = field(default_factory=list)  # per question, as the phone showed it at the reveal
    score: int = 0  # the score the phone showed last
    place: int = 0  # the place the phone showed last


def players() -> list[Player]:
    # Question 1: four different options; question 2: three the same; question 3: one gives no answer.
    return [
        Player("Otter17", PHONE, ("c", "c", "a", "d")),
        Player("Heron Blue", DESKTOP, ("a", "c", "d", "b")),
        Player("Kestrel_9", PHONE, ("b", "a", "d", "d")),
        Player("Lynx.3", DESKTOP, ("d", "c", None, "d")),
        Player("Wren-X", PHONE, (None, "b", "d", "d"), late=True),
    ]


def fun_quiz() -> Bank:
    bank = load_course(load_model()).bank(BANK_ID)
    assert bank is not None, f"the course has no quiz bank {BANK_ID!r}"
    return bank


def competition_places(scores: dict[str, int]) -> dict[str, int]:
    """Places as a quiz gives them: highest score first, equal scores share a place, the next skips (1, 1, 3)."""
    return {name: 1 + sum(1 for other in scores.values() if other > score) for name, score in scores.items()}


def number(text: str) -> int:
    return int(text.replace(",", "").replace("\u202f", "").replace("\xa0", ""))


# Helpers ------------------------------------------------------------------------------------------


def join(page: Page, player: Player, code: str) -> None:
    """Join the workshop by its code, then open the live page with the resume token."""
    open_app(page, "/join", page.get_by_role("heading", name="Join a workshop", exact=True))
    page.get_by_role("textbox", name="Workshop code").fill(code.lower())
    page.get_by_role("textbox", name="Nickname").fill(player.nickname)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    settle(page, page.get_by_text(f"You joined {WORKSHOP} as {player.nickname}.", exact=True))
    found = re.search(rf"[?&]t=({TOKEN})(&|$)", page.url)
    assert found, f"after joining, the address holds no resume token: {page.url}"
    player.token = found.group(1)
    open_app(page, f"/live?t={player.token}", page.get_by_role("heading", name="Live quiz", exact=True))


def option_button(page: Page, question: Question, option_id: str) -> Locator:
    return page.locator(f".st-key-live_opt_{question.id}_{option_id} button")


def expect_all_disabled(page: Page, question: Question, who: str) -> None:
    for option in question.options:
        expect(option_button(page, question, option.id), f"{who}: option {option.id} enabled").to_be_disabled()


def caption(page: Page, index: int) -> Locator:
    return page.get_by_text(f"Question {index + 1} of {QUESTIONS}", exact=True)


def grid(table: Locator) -> list[dict[str, str]]:
    """The rows of an st.dataframe (its accessible table) as {column heading: cell text}."""
    expect(table.locator('[role="gridcell"]').first).to_be_attached()
    return table.evaluate(
        """table => {
            const heads = [...table.querySelectorAll('[role="columnheader"]')].map(h => h.innerText.trim());
            return [...table.querySelectorAll('[role="row"]')]
                .map(row => [...row.querySelectorAll('[role="gridcell"]')].map(c => c.innerText.trim()))
                .filter(cells => cells.length)
                .map(cells => Object.fromEntries(cells.map((c, i) => [heads[heads.length - cells.length + i], c])));
        }"""
    )


def presenter_press(presenter: Page, label: str, *expected: Locator) -> None:
    presenter.get_by_role("button", name=label, exact=True).click()
    settle(presenter, *expected, timeout=PRESENTER_WITHIN_MS)


# The test -----------------------------------------------------------------------------------------


def test_a_live_quiz_from_the_lobby_to_the_excel_export(
    new_page: Callable[..., Page], server: StreamlitServer, screenshot: Callable[[Page, str], Path]
) -> None:
    bank = fun_quiz()
    questions = bank.questions[:QUESTIONS]
    people = players()
    for question in questions:
        assert question.type == "single", f"{question.id} is {question.type}: the plan clicks single-choice buttons"
    for index, question in enumerate(questions):
        ids = {option.id: option.correct for option in question.options}
        picks = [p.picks[index] for p in people if p.picks[index] is not None]
        assert all(pick in ids for pick in picks), f"{question.id}: the plan picks {picks}, the options are {ids}"
        assert any(ids[pick] for pick in picks) and not all(ids[pick] for pick in picks), (
            f"{question.id}: the plan needs a right and a wrong answer, picks {picks}"
        )

    engine = make_engine(f"sqlite:///{server.database}")
    try:
        trainer_user = accounts.create_user(engine, TRAINER[0], TRAINER[2], Role.TRAINER, TRAINER[1])
        organisation = ws.create_organisation(engine, trainer_user.id, ORGANISATION, "retail", "10-49", "en", [])
        workshop = ws.create_workshop(engine, trainer_user.id, WORKSHOP, organisation.id, date.today(), "en", "quick")
    finally:
        engine.dispose()
    code = workshop.code

    # 1. The trainer logs in and starts a live run of the fun quiz on the presenter page.
    presenter = new_page(DESKTOP)
    log_in(presenter, TRAINER[0], TRAINER[1], "workshops", "Workshops")
    open_app(
        presenter,
        f"/live-presenter?w={workshop.id}",
        presenter.get_by_role("heading", name="Live quiz", exact=True),
        presenter.get_by_text("Start a live quiz", exact=True),
    )
    main = presenter.locator('[data-testid="stMain"]')
    choose(presenter, main, "Quiz", bank.title)
    seconds = presenter.get_by_role("spinbutton", name="Seconds per question")
    seconds.fill(str(SECONDS))
    seconds.press("Enter")
    count = presenter.get_by_role("spinbutton", name="Number of questions")
    expect(count).to_be_enabled()
    count.fill(str(QUESTIONS))
    count.press("Enter")
    settle(presenter)
    expect(seconds).to_have_value(str(SECONDS))
    expect(count).to_have_value(str(QUESTIONS))
    top_five = presenter.locator('[data-testid="stCheckbox"]').filter(has_text="Show the top five between questions")
    expect(top_five.locator("input")).to_be_checked()  # the workshop's default
    presenter.get_by_role("button", name="Start the live quiz").click()
    players_box = presenter.locator(".st-key-live_players")
    settle(presenter, players_box, presenter.get_by_text("Waiting for the first player…"))
    expect(presenter.locator(".join-code")).to_have_text(code)
    expect(presenter.get_by_text(f"Live quiz · {bank.title} · {WORKSHOP}")).to_be_visible()

    # 2. Four join by the code and open their live page; the lobby lists them without a reload.
    seated = [p for p in people if not p.late]
    for player in seated:
        player.page = new_page(player.viewport)
        join(player.page, player, code)
        expect(player.page.get_by_text(f"You are in, {player.nickname}.", exact=False)).to_be_visible()
        if player.viewport is PHONE:
            assert_no_horizontal_scroll(player.page, f"lobby of {player.nickname}")
    for player in seated:
        expect(players_box.get_by_text(player.nickname, exact=False)).to_be_visible(timeout=PRESENTER_WITHIN_MS)
    players_metric = presenter.locator('[data-testid="stMetric"]').filter(has_text="Players")
    expect(players_metric.locator('[data-testid="stMetricValue"]')).to_have_text("4", timeout=PRESENTER_WITHIN_MS)
    settle(presenter)
    screenshot(presenter, "live-presenter-lobby")
    screenshot(seated[0].page, "live-phone-lobby")

    late = next(p for p in people if p.late)
    reloader = people[1]
    for index, question in enumerate(questions):
        last = index == len(questions) - 1
        # 3. The trainer opens the question; every phone shows it by itself.
        opener = "Open the first question" if index == 0 else "Next question"
        presenter_press(
            presenter,
            opener,
            caption(presenter, index),
            presenter.locator(".st-key-live_countdown"),
        )
        in_game = [p for p in people if p.page is not None]
        for player in in_game:
            expect(caption(player.page, index)).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
            expect(player.page.get_by_text(question.prompt, exact=False).first).to_be_visible()
            expect(option_button(player.page, question, question.options[0].id)).to_be_enabled()
        if index == 0:
            settle(people[0].page)
            screenshot(people[0].page, "live-phone-open-390")
            screenshot(people[1].page, "live-phone-open-1280")

        # 4. Each answers; the answer is received and the buttons disabled.
        for player in in_game:
            pick = player.picks[index]
            if pick is None:
                continue
            page = player.page
            option_button(page, question, pick).click()
            settle(page, page.get_by_text("Answer received", exact=True))
            expect_all_disabled(page, question, player.nickname)
            chosen_text = next(o.text for o in question.options if o.id == pick)
            expect(page.get_by_text(f"Your answer: {chosen_text}", exact=True)).to_be_visible()
            if player.viewport is PHONE:
                assert_no_horizontal_scroll(page, f"question {index + 1} answered by {player.nickname}")
            if index == 0 and player is reloader:
                # A reload in the middle of the question: the same seat, the answer still received.
                page.reload()
                settle(page, caption(page, index), page.get_by_text("Answer received", exact=True))
                expect_all_disabled(page, question, f"{player.nickname} after a reload")
                expect(page.get_by_text(f"Your answer: {chosen_text}", exact=True)).to_be_visible()
        if index == 0:
            screenshot(people[0].page, "live-phone-answered-390")
            screenshot(people[1].page, "live-phone-answered-1280")
            # A fifth joins during the question: told the next one is theirs, the buttons disabled.
            late.page = new_page(late.viewport)
            join(late.page, late, code)
            settle(
                late.page,
                caption(late.page, index),
                late.page.get_by_text("You joined during this question; the next one is yours.", exact=True),
            )
            expect_all_disabled(late.page, question, f"{late.nickname}, joined late")
            screenshot(late.page, "live-phone-late-joiner-390")
        answered = sum(1 for p in people if p.picks[index] is not None)
        expect(presenter.get_by_text(f"{answered} of {len(people)} players answered", exact=True)).to_be_visible(
            timeout=PRESENTER_WITHIN_MS
        )

        # 5. The trainer closes: the chart and its table count what was clicked; the phones say time is up.
        presenter_press(presenter, "Close now", presenter.locator(TABLE))
        expect(presenter.locator(CHART)).to_be_visible()
        expect(presenter.locator(CHART).locator("svg.marks, canvas.marks").first).to_be_visible()
        clicked = {option.id: sum(1 for p in people if p.picks[index] == option.id) for option in question.options}
        expected_rows = {option.text: str(clicked[option.id]) for option in question.options}
        chart_counts = sorted(
            int(text)
            for text in presenter.locator(CHART).locator(".mark-text.role-mark text").all_text_contents()
            if text.strip().isdigit()
        )
        assert chart_counts == sorted(clicked.values()), (
            f"question {index + 1}: the chart's counts {chart_counts}, clicked {clicked}"
        )
        rows = grid(presenter.locator(TABLE))
        assert {row["Answer"]: row["Answers"] for row in rows} == expected_rows, (
            f"question {index + 1}: the presenter's table {rows} is not what was clicked {expected_rows}"
        )
        for player in people:
            expect(player.page.get_by_text("Time is up", exact=True)).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        if index == 0:
            screenshot(presenter, "live-presenter-chart")

        # 6. The reveal: the presenter marks the right answer; each phone says right or wrong with its points.
        presenter_press(presenter, "Reveal the answer", presenter.get_by_text("Right answer:", exact=False).first)
        table = presenter.locator(TABLE)
        # The grid redraws its cells after the run: wait for the reveal's column and its mark.
        expect(table.locator('[role="columnheader"]').filter(has_text=exact("Right"))).to_be_attached()
        expect(table.locator('[role="gridcell"]').filter(has_text=exact("✓")).first).to_be_attached()
        rows = grid(table)
        marked = {row["Answer"] for row in rows if row.get("Right") == "✓"}
        assert marked == {o.text for o in question.options if o.correct}, (
            f"question {index + 1}: marked {marked} in {rows}"
        )
        assert {row["Answer"]: row["Answers"] for row in rows} == expected_rows
        for player in people:
            page = player.page
            expect(page.get_by_text("Right answer:", exact=False).first).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
            expect(caption(page, index)).to_be_visible()
            settle(page)
            text = main_text(page)
            pick = player.picks[index]
            if player.late and index == 0:
                assert "You joined during this question; the next one is yours." in text, text
                player.points.append(None)
            elif pick is None:
                assert "No answer: 0 points for this question." in text, f"{player.nickname}:\n{text}"
                player.points.append(0)
            elif next(o.correct for o in question.options if o.id == pick):
                found = re.search(r"Right! ([\d,]+) points? for this question\.", text)
                assert found, f"{player.nickname} answered right on question {index + 1}, the phone shows:\n{text}"
                player.points.append(number(found.group(1)))
                assert player.points[-1] > 0, f"{player.nickname}: a right answer with no points"
            else:
                assert "Not right: 0 points for this question." in text, f"{player.nickname}:\n{text}"
                player.points.append(0)
            found = re.search(r"Your score: ([\d,]+) points? · place (\d+) of (\d+)", text)
            assert found, f"{player.nickname}: no score and place on the reveal:\n{text}"
            player.score = number(found.group(1))
            assert player.score == sum(p or 0 for p in player.points), (
                f"{player.nickname}: the score {player.score} is not the sum of the points shown {player.points}"
            )
            assert int(found.group(3)) == len(people), f"{player.nickname}: {found.group(0)}"
            player.place = int(found.group(2))
            if player.viewport is PHONE:
                assert_no_horizontal_scroll(page, f"reveal of question {index + 1} for {player.nickname}")
        scores = {p.nickname: p.score for p in people}
        places = competition_places(scores)
        for player in people:
            assert player.place == places[player.nickname], (
                f"question {index + 1}: {player.nickname}'s phone says place {player.place}, "
                f"the scores the phones show {scores} give {places[player.nickname]}"
            )
        if index == 0:
            screenshot(people[0].page, "live-phone-reveal-390")
            screenshot(reloader.page, "live-phone-reveal-1280")
            screenshot(presenter, "live-presenter-reveal")

        # 7. The top five: everyone (five players), with the points the phones show.
        presenter_press(
            presenter,
            "Show the top five",
            presenter.get_by_text(f"Top five after question {index + 1}", exact=True),
        )
        lines = presenter.locator(".st-key-live_standings p").all_inner_texts()
        board = []
        for line in lines:
            found = re.fullmatch(r"(\d+)\. (.+) · ([\d,]+)", line.strip())
            assert found, f"a line of the top five reads {line!r}"
            board.append((int(found.group(1)), found.group(2), number(found.group(3))))
        assert sorted(board) == sorted((places[n], n, s) for n, s in scores.items()), (
            f"after question {index + 1} the presenter's top five is {board}; the phones show {scores}"
        )
        assert [entry[0] for entry in board] == sorted(entry[0] for entry in board), f"not in order: {board}"
        if last:
            screenshot(presenter, "live-presenter-leaderboard")
            assert_no_horizontal_scroll(presenter, "presenter's top five")

    # 8. The podium: the expected first place (ties share it); the phones show the final score and place.
    scores = {p.nickname: p.score for p in people}
    places = competition_places(scores)
    presenter_press(presenter, "Show the podium", presenter.locator(".st-key-live_podium"))
    podium = presenter.locator(".st-key-live_podium")
    firsts = sorted(name for name, place in places.items() if place == 1)
    first_column = podium.locator('[data-testid="stColumn"]').filter(has_text="Place 1").first
    expect(first_column).to_be_visible()
    column_text = first_column.inner_text()
    for name in firsts:
        assert name in column_text, (
            f"{name} has the best score {scores}, the podium's first place shows {column_text!r}"
        )
    best = max(scores.values())
    assert re.search(rf"\b{best:,} points?\b|\b{best} points?\b", column_text), f"first place: {column_text!r}"
    for name, place in places.items():
        on_podium = place <= 3 and scores[name] > 0
        assert (name in podium.inner_text()) == on_podium, f"{name} (place {place}, {scores[name]} points) on podium?"
    screenshot(presenter, "live-presenter-podium")
    for player in people:
        page = player.page
        final = page.locator('[data-testid="stMetric"]').filter(has_text="Your final score")
        expect(final).to_be_visible(timeout=FOLLOWS_WITHIN_MS)
        expect(final.locator('[data-testid="stMetricValue"]')).to_have_text(
            re.compile(rf"^{player.score:,}$|^{player.score}$")
        )
        place = page.locator('[data-testid="stMetric"]').filter(has_text="Your place")
        expect(place.locator('[data-testid="stMetricValue"]')).to_have_text(
            f"{places[player.nickname]} of {len(people)}"
        )
    screenshot(people[0].page, "live-phone-final-390")
    screenshot(people[1].page, "live-phone-final-1280")

    # 9. The end: the presenter says so and links the results; the phones too.
    presenter.locator('[data-testid="stCheckbox"]').filter(has_text="Yes, end the quiz now").locator("label").click()
    end = presenter.get_by_role("button", name="End the quiz", exact=True)
    expect(end).to_be_enabled()
    end.click()
    settle(
        presenter,
        presenter.get_by_text("The live quiz has ended.", exact=False),
        presenter.get_by_text("Start a live quiz", exact=True),
    )
    for player in people:
        expect(player.page.get_by_text("The quiz has ended", exact=True)).to_be_visible(timeout=FOLLOWS_WITHIN_MS)

    # 10. The workshop's results (the presenter links them): the run with its players, and the Excel file.
    presenter.get_by_role("link", name="The workshop's results").click()
    presenter.wait_for_url(re.compile(rf"/workshop-results\?w={workshop.id}$"))
    settle(
        presenter,
        presenter.get_by_role("heading", name="Workshop results", exact=True),
        presenter.get_by_role("heading", name="Live quizzes", exact=True),
        presenter.get_by_role("heading", name="Downloads", exact=True),
    )
    live_heading = presenter.get_by_role("heading", name="Live quizzes", exact=True)
    expect(
        live_heading.locator("xpath=following::*").get_by_role("heading", name=bank.title, exact=True)
    ).to_be_visible()
    facts = re.compile(rf"· {len(people)} players · {QUESTIONS} of {QUESTIONS} questions asked$")
    expect(live_heading.locator("xpath=following::*").get_by_text(facts)).to_be_visible()
    ranking = live_heading.locator('xpath=following::*[@data-testid="stDataFrame"][1]')
    shown = {row["Nickname"]: (number(row["Points"]), int(row["Place"])) for row in grid(ranking)}
    assert shown == {name: (score, places[name]) for name, score in scores.items()}, (
        f"the results page's ranking {shown}; the phones showed {scores}"
    )
    screenshot(presenter, "live-workshop-results")
    excel = presenter.locator('[data-testid="stDownloadButton"]').get_by_role("button", name="All tables, Excel")
    with presenter.expect_download() as download:
        excel.click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Live ranking" in book.sheetnames, book.sheetnames
    rows = list(book["Live ranking"].iter_rows(values_only=True))
    heading, body = rows[0], [row for row in rows[1:] if any(cell is not None for cell in row)]
    columns = {name: position for position, name in enumerate(heading)}
    in_book = {row[columns["Nickname"]]: (row[columns["Points"]], row[columns["Place"]]) for row in body}
    assert in_book == {name: (score, places[name]) for name, score in scores.items()}, (
        f"the Live ranking sheet holds {in_book}; the phones showed {scores}"
    )
    assert {row[columns["Quiz id"]] for row in body} == {bank.id}
    assert "Traceback" not in server.stderr(), server.stderr()
