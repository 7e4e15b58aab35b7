"""The live quiz's presenter page in AppTest: refused without a staff login and for another trainer's
workshop; the form starts a run; each phase shows its elements (the run is driven through
services.live between runs, since a fragment's timer does not rerun under AppTest); a control pressed
on a view the run has moved on from changes nothing and says so; the top-five setting.

A logged-in trainer reaches the page through app.py's navigation; without a login the page runs on
its own (it is not in a visitor's navigation), so its own check is what is tested."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assessment.loader import load_model
from learning.content import content_dirs, load_course
from quizzes.attempt import encode
from quizzes.model import Bank, Option, Question, ShortAnswer
from services import live
from services import workshops as ws
from tests.views.conftest import APP, page_alone
from tests.views.workshop_pages import cheap_passwords, page_selectboxes, staff_token, workshop
from views import live_presenter_widgets as sections

PAGE = "views/live_presenter.py"
NICKNAMES = ("Zyxwort", "Quibbler", "Velma_roo")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_passwords(monkeypatch)


@pytest.fixture(scope="module")
def bank() -> Bank:
    lesson_dir, bank_dir = content_dirs()
    course = load_course(load_model(), lesson_dir, bank_dir)
    return next(b for b in course.banks if b.id == "fun-quiz")


def open_page(token: str | None, **params: str) -> AppTest:
    if token is None:
        at = page_alone("live_presenter.py")
        at.query_params.update(params)
        return at.run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    at.query_params.update(params)
    return at.switch_page(PAGE).run()


def walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def rendered(at: AppTest) -> str:
    """Every element of the page as its protobuf text: labels, values, table data, chart specs."""
    return "\n".join(str(getattr(node, "proto", "")) for node in walk(at._tree))


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def charts(at: AppTest) -> int:
    return sum(1 for node in walk(at._tree) if getattr(node, "type", "") == "vega_lite_chart")


@pytest.fixture
def room(engine: Engine) -> tuple[int, str, ws.StoredWorkshop]:
    """A trainer's id and login token, and their workshop."""
    anna, token = staff_token(engine, "anna")
    return anna, token, workshop(engine, anna)


def players(engine: Engine, mine: ws.StoredWorkshop, names: tuple[str, ...] = NICKNAMES) -> list[str]:
    """Participants who joined the workshop and took a seat in its run; their resume tokens."""
    tokens = []
    for name in names:
        token, _respondent, _w = ws.join_workshop(engine, mine.code, name)
        live.join_run(engine, token)
        tokens.append(token)
    return tokens


# Who may see the page ---------------------------------------------------------------------------


def test_refused_without_a_login_and_for_a_participant(
    engine: Engine, room: tuple[int, str, ws.StoredWorkshop]
) -> None:
    _anna, _token, mine = room
    token, _respondent, _w = ws.join_workshop(engine, mine.code, "Zyxwort")
    for params in ({"w": str(mine.id)}, {"w": str(mine.id), "t": token}):
        at = open_page(None, **params)
        assert not at.exception
        assert any("Log in with your account" in w.value for w in at.warning)
        assert not at.button and not page_selectboxes(at) and mine.code not in rendered(at)


def test_another_trainers_workshop_is_refused(engine: Engine, room: tuple[int, str, ws.StoredWorkshop]) -> None:
    _anna, _token, mine = room
    ben, ben_token = staff_token(engine, "ben")
    workshop(engine, ben, name="Ben's")
    at = open_page(ben_token, w=str(mine.id))
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"You cannot run a live quiz in workshop {mine.id}: only its trainer or an admin can, and there may "
        "be no such workshop. Choose one of your workshops."
    ]
    assert not at.button and mine.code not in rendered(at)
    at = open_page(ben_token, w="12a")
    assert [e.value for e in at.error] == [
        "The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."
    ]
    at = open_page(ben_token)  # the list holds ben's own workshop only
    assert not at.exception and len(page_selectboxes(at)[0].options) == 1 and not at.button


# Starting a run -----------------------------------------------------------------------------------


def test_the_form_starts_a_run(engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank) -> None:
    _anna, token, mine = room
    at = open_page(token, w=str(mine.id))
    assert not at.exception and at.title[0].value == "Live quiz"
    start = at.button(key="live_start")
    assert start.disabled  # no quiz chosen yet
    assert at.number_input(key="live_seconds").value == 20
    assert at.checkbox(key="live_streak").value is False
    at.selectbox(key="live_bank").set_value(bank.id).run()
    count = at.number_input(key=f"live_count_{bank.id}")
    assert count.value == len(bank.questions)
    count.set_value(3)
    at.number_input(key="live_seconds").set_value(30)
    at.checkbox(key="live_streak").check()
    at.button(key="live_start").click().run()
    assert not at.exception
    going = live.current_run(engine, mine.id)
    assert going is not None
    assert (going.bank_id, going.question_count, going.seconds, going.streak_bonus) == (bank.id, 3, 30, True)
    assert going.phase is live.Phase.LOBBY
    # The page now shows the lobby: the join code, nobody yet, and the lobby's controls.
    assert mine.code in rendered(at)
    assert [m.value for m in at.metric] == ["0"]
    assert buttons(at) == ["Open the first question", "End the quiz"]


def test_a_second_window_cannot_start_a_second_run(
    engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank
) -> None:
    anna, token, mine = room
    at = open_page(token, w=str(mine.id))
    at.selectbox(key="live_bank").set_value(bank.id).run()
    live.start_run(engine, anna, mine.id, bank)  # another window started one meanwhile
    at.button(key="live_start").click().run()
    assert not at.exception and not at.error
    assert len(live.runs_of_workshop(engine, anna, mine.id)) == 1
    assert "Open the first question" in buttons(at)


def test_the_top_five_setting(engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank) -> None:
    anna, token, mine = room
    at = open_page(token, w=str(mine.id))
    assert at.toggle[0].label == "Show the top five between questions" and at.toggle[0].value is True
    at.toggle[0].set_value(False).run()
    assert not at.exception
    assert live.leaderboard_shown(engine, anna, mine.id) is False
    assert at.toggle[0].value is False
    assert [s.value for s in at.success] == ["The top five is not shown."]
    # Changed elsewhere (another window): the page draws it from storage, and does not write it back.
    live.set_leaderboard(engine, anna, mine.id, True)
    at.run()
    assert at.toggle[0].value is True and live.leaderboard_shown(engine, anna, mine.id) is True
    # A run without the top five offers no "Show the top five" after the reveal.
    live.set_leaderboard(engine, anna, mine.id, False)
    run = live.start_run(engine, anna, mine.id, bank, question_count=2)
    live.control(engine, anna, run.run_id, live.Action.OPEN, bank)
    live.control(engine, anna, run.run_id, live.Action.CLOSE, bank)
    live.control(engine, anna, run.run_id, live.Action.REVEAL, bank)
    at.run()
    assert buttons(at) == ["Next question", "End the quiz"]
    assert at.toggle[0].value is False


# A run, phase by phase ------------------------------------------------------------------------


def test_each_phase_shows_its_elements(engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank) -> None:
    anna, token, mine = room
    run = live.start_run(engine, anna, mine.id, bank, question_count=2)
    ann, quib, velma = players(engine, mine)
    at = open_page(token, w=str(mine.id))
    assert not at.exception
    # Lobby: the code, the QR code and link, the players (a nickname's "_" escaped in Markdown).
    assert mine.code in rendered(at)
    assert [m.value for m in at.metric] == ["3"]
    assert r"Zyxwort · Quibbler · Velma\_roo" in markdown(at)

    # The first question, opened by the page's own button.
    at.button(key="live_control_open").click().run()
    assert not at.exception
    now = live.current_run(engine, mine.id)
    assert now is not None and now.phase is live.Phase.OPEN and now.question_index == 0
    first = bank.questions[0]
    text = markdown(at)
    assert "Question 1 of 2" in text and first.prompt in text
    assert all(option.text in text for option in first.options)
    assert "0 of 3 players answered" in text
    assert any(m.value.isdigit() and 0 < int(m.value) <= 20 for m in at.markdown)  # the countdown
    assert buttons(at) == ["Close now", "End the quiz"]
    assert not charts(at)  # no distribution while answers come in

    right = next(o.id for o in first.options if o.correct)
    wrong = next(o.id for o in first.options if not o.correct)
    live.submit_answer(engine, ann, run.run_id, first.id, right, bank)
    live.submit_answer(engine, quib, run.run_id, first.id, right, bank)
    live.submit_answer(engine, velma, run.run_id, first.id, wrong, bank)
    at.run()
    assert "3 of 3 players answered" in markdown(at)

    # Closed: the chart, its sentence and its table; not yet the right answer.
    at.button(key="live_control_close").click().run()
    assert not at.exception
    assert charts(at) == 1
    right_text = next(o.text for o in first.options if o.correct)
    assert any(f"3 answers to question 1; given most: “{right_text}” (2)." == c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Answers", "Answer"]
    assert dict(zip(table["Answer"], table["Answers"], strict=True)) == {
        o.text: {right: 2, wrong: 1}.get(o.id, 0) for o in first.options
    }
    assert not at.success and buttons(at) == ["Reveal the answer", "End the quiz"]

    # Reveal: the right answer marked in the table, said, and explained.
    at.button(key="live_control_reveal").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Right", "Answers", "Answer"]
    assert [mark for text_, mark in zip(table["Answer"], table["Right"], strict=True) if text_ == right_text] == ["✓"]
    assert list(table["Right"]).count("✓") == 1
    assert [s.value for s in at.success] == [f"**Right answer:** {right_text}"]
    assert [i.value for i in at.info] == [first.explanation]
    assert any("67% of the answers were right." in c.value for c in at.caption)
    assert buttons(at) == ["Show the top five", "Next question", "End the quiz"]

    # The top five: the two who were right share no place (their times differ) but lead Velma.
    at.button(key="live_control_leaderboard").click().run()
    assert not at.exception
    text = markdown(at)
    assert "Top five after question 1" in text
    standings = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(standings) == 3 and standings[-1] == r"**3.** Velma\_roo · 0"
    assert buttons(at) == ["Next question", "End the quiz"]

    # The last question, left unanswered, then the podium: only those with points stand on it.
    at.button(key="live_control_next").click().run()
    assert "Question 2 of 2" in markdown(at)
    live.control(engine, anna, run.run_id, live.Action.CLOSE, bank)
    at.run()
    assert any(c.value == "Nobody answered question 2." for c in at.caption) and not charts(at)
    live.control(engine, anna, run.run_id, live.Action.REVEAL, bank)
    at.run()
    assert buttons(at) == ["Show the top five", "Show the podium", "End the quiz"]
    at.button(key="live_control_podium").click().run()
    assert not at.exception
    text = markdown(at)
    assert "The podium" in text and "Zyxwort" in text and "Quibbler" in text and "Velma" not in text
    assert buttons(at) == ["End the quiz"]

    # Ending asks for a tick first.
    assert at.button(key="live_control_end").disabled
    at.checkbox(key=f"live_end_sure_{run.run_id}").check().run()
    at.button(key="live_control_end").click().run()
    assert not at.exception
    assert live.current_run(engine, mine.id) is None
    assert live.runs_of_workshop(engine, anna, mine.id)[0].phase is live.Phase.ENDED
    assert any("The live quiz has ended" in s.value for s in at.success)
    links = [node.proto for node in walk(at._tree) if getattr(node, "type", "") == "page_link"]
    assert [(link.label, link.page, link.query_string) for link in links] == [
        ("The workshop's results", "workshop-results", f"w={mine.id}")
    ]
    assert at.button(key="live_start")  # the form for the next one


def test_a_stale_control_changes_nothing(
    engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sections, "NOTICE_SECONDS", 3600)  # no test of how long: that it outlives a redraw
    anna, token, mine = room
    run = live.start_run(engine, anna, mine.id, bank, question_count=3)
    players(engine, mine, ("Zyxwort",))
    live.control(engine, anna, run.run_id, live.Action.OPEN, bank)
    live.control(engine, anna, run.run_id, live.Action.CLOSE, bank)
    live.control(engine, anna, run.run_id, live.Action.REVEAL, bank)
    at = open_page(token, w=str(mine.id))
    assert buttons(at) == ["Show the top five", "Next question", "End the quiz"]
    # Another window shows the top five; this one, not yet redrawn, presses "Next question".
    moved = live.control(engine, anna, run.run_id, live.Action.LEADERBOARD, bank)
    at.button(key="live_control_next").click().run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [
        "The quiz had already moved on; nothing was changed. Here is where it is now."
    ]
    after = live.current_run(engine, mine.id)
    assert after is not None and (after.phase, after.version) == (live.Phase.LEADERBOARD, moved.version)
    # The page redraws itself every second: the message stays for a few seconds all the same.
    at.run()
    assert [i.value for i in at.info] == [
        "The quiz had already moved on; nothing was changed. Here is where it is now."
    ]
    # Pressed again on the view that is shown now, it works.
    at.button(key="live_control_next").click().run()
    after = live.current_run(engine, mine.id)
    assert after is not None and after.phase is live.Phase.OPEN and after.question_index == 1
    assert not at.info


def test_an_open_question_past_its_deadline_shows_its_answers(
    engine: Engine, room: tuple[int, str, ws.StoredWorkshop], bank: Bank
) -> None:
    anna, token, mine = room
    run = live.start_run(engine, anna, mine.id, bank, seconds=5)
    players(engine, mine, ("Zyxwort",))
    opened = live.control(engine, anna, run.run_id, live.Action.OPEN, bank, now=live._now() - timedelta(seconds=6))
    assert opened.deadline_at is not None
    at = open_page(token, w=str(mine.id))
    assert not at.exception
    assert buttons(at) == ["Reveal the answer", "End the quiz"]
    assert any(c.value == "Nobody answered question 1." for c in at.caption)


# What to show, on its own ---------------------------------------------------------------------


SINGLE = Question(
    "s",
    "single",
    "Pick",
    options=(Option("a", "Apple", correct=True), Option("b", "Pear"), Option("c", "Plum")),
)
MULTIPLE = Question(
    "m",
    "multiple",
    "Pick all",
    options=(Option("a", "Red", correct=True), Option("b", "Blue", correct=True), Option("c", "Grey")),
)


def test_bars_of_a_single_answer_count_each_option_with_zeros() -> None:
    bars = sections.distribution_bars(SINGLE, {encode("a"): 3, encode("c"): 1, "not json": 2})
    assert bars == [
        sections.Bar("Apple", 3, True),
        sections.Bar("Pear", 0, False),
        sections.Bar("Plum", 1, False),
        sections.Bar("Answers that no longer fit the question", 2, None),
    ]


def test_bars_of_a_multiple_answer_count_each_pick() -> None:
    bars = sections.distribution_bars(MULTIPLE, {encode(["a", "b"]): 2, encode(["c"]): 1, encode(["a"]): 1})
    assert [(b.label, b.count, b.right) for b in bars] == [("Red", 3, True), ("Blue", 2, True), ("Grey", 1, False)]


def test_bars_of_true_false_and_of_short_answers() -> None:
    truefalse = Question("t", "truefalse", "True?", answer=False)
    assert sections.distribution_bars(truefalse, {encode(True): 1, encode(False): 4}) == [
        sections.Bar("True", 1, False),
        sections.Bar("False", 4, True),
    ]
    short = Question("x", "short", "Say yes", accept=(ShortAnswer("yes"),))
    bars = sections.distribution_bars(short, {encode("Yes"): 1, encode(" yes"): 2, encode("no"): 1})
    assert [(b.label, b.count, b.right) for b in bars] == [("Yes", 3, True), ("no", 1, False)]


def test_many_distinct_answers_end_in_one_bar() -> None:
    short = Question("x", "short", "Say a word", accept=(ShortAnswer("yes"),))
    answers = {encode(f"word{n:02d}"): 1 for n in range(sections.BARS_SHOWN + 3)}
    bars = sections.distribution_bars(short, answers)
    assert len(bars) == sections.BARS_SHOWN + 1 and bars[-1] == sections.Bar("Other answers", 3, None)


def test_two_answers_with_the_same_words_keep_two_bars() -> None:
    twins = Question("d", "single", "Pick", options=(Option("a", "Same", correct=True), Option("b", "Same")))
    assert [b.label for b in sections.distribution_bars(twins, {})] == ["Same", "Same (2)"]


def test_the_sentence_names_every_answer_given_most() -> None:
    bars = [sections.Bar("Apple", 2, True), sections.Bar("Pear", 2, False), sections.Bar("Plum", 0, False)]
    assert sections.chart_sentence(4, bars, 4, 0.5, reveal=False) == (
        "4 answers to question 4; given most: “Apple”, “Pear” (2)."
    )
    assert sections.chart_sentence(4, bars, 4, 0.5, reveal=True).endswith("50% of the answers were right.")
    assert sections.chart_sentence(1, [sections.Bar("Apple", 1, True)], 1, 1.0, reveal=False) == (
        "1 answer to question 1; given most: “Apple” (1)."
    )
    assert sections.chart_sentence(2, bars, 0, None, reveal=True) == "Nobody answered question 2."


def test_places_group_shared_places_and_the_countdown_rounds_up() -> None:
    standings = [live.Standing("Ann", 900, 1), live.Standing("Bo", 900, 1), live.Standing("Cy", 500, 3)]
    assert sections.places(standings) == [(1, standings[:2]), (3, standings[2:])]
    assert [sections.countdown(s) for s in (20.0, 19.01, 0.2, 0.0)] == [20, 20, 1, 0]


def test_the_player_list_escapes_markdown_and_counts_the_rest() -> None:
    assert sections.player_list(["*bold*", "[x](y)", "Ann"], limit=2) == r"\*bold\* · \[x\]\(y\) · and 1 more"


def test_ordering_and_matching_questions(engine: Engine, room: tuple[int, str, ws.StoredWorkshop]) -> None:
    """Questions without options: their parts while open (in an order that gives nothing away), their
    distinct answers in the chart once closed, the right one marked on the reveal."""
    anna, token, mine = room
    lesson_dir, bank_dir = content_dirs()
    strategy = next(b for b in load_course(load_model(), lesson_dir, bank_dir).banks if b.id == "building-a-strategy")
    ordering, _single, matching = strategy.questions[:3]
    assert (ordering.type, matching.type) == ("ordering", "matching")
    run = live.start_run(engine, anna, mine.id, strategy, question_count=3)
    (zed,) = players(engine, mine, ("Zyxwort",))
    live.control(engine, anna, run.run_id, live.Action.OPEN, strategy)
    at = open_page(token, w=str(mine.id))
    assert not at.exception
    text = markdown(at)
    assert "Put in order:" in text and all(item.text in text for item in ordering.items)
    live.submit_answer(engine, zed, run.run_id, ordering.id, [item.id for item in ordering.items], strategy)
    for action in (live.Action.CLOSE, live.Action.REVEAL):
        live.control(engine, anna, run.run_id, action, strategy)
    at.run()
    assert not at.exception and charts(at) == 1
    table = at.dataframe[0].value
    assert list(table["Right"]) == ["✓"] and list(table["Answers"]) == [1]
    assert list(table["Answer"]) == [" → ".join(item.text for item in ordering.items)]
    for action in (live.Action.NEXT, live.Action.CLOSE, live.Action.REVEAL, live.Action.NEXT):
        live.control(engine, anna, run.run_id, action, strategy)
    at.run()
    text = markdown(at)
    assert "Match each of these:" in text and all(pair.left in text and pair.right in text for pair in matching.pairs)
    live.control(engine, anna, run.run_id, live.Action.CLOSE, strategy)
    at.run()
    assert not at.exception and any(c.value == "Nobody answered question 3." for c in at.caption)
