"""The phone's live quiz page (views/live.py) in AppTest: no token, no workshop, no run, the
lobby, an open question answered once with its buttons disabled (also in a new session: a refresh),
a late answer refused, a late joiner told to wait, and the reveal with points and place.

The services' clock is set by the test (services.live reads it for the page and the trainer alike),
so a deadline passes when the test says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from quizzes.live import Action
from quizzes.model import Bank, Option, Question
from services import live, respondents
from tests.views.workshop_pages import PROJECT
from tests.workshop_fixtures import BANK, T0, Seated, join, make_workshop, user
from views import state

MULTI = Bank(
    id="multi",
    title="Pick several",
    lesson="",
    feedback="end",
    pass_percent=50,
    questions=(
        Question(
            id="m1",
            type="multiple",
            prompt="Pick A and C",
            options=(Option("a", "A", correct=True), Option("b", "B"), Option("c", "C", correct=True)),
        ),
    ),
)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    ticking = Clock()
    monkeypatch.setattr(live, "_now", ticking)
    return ticking


@pytest.fixture(autouse=True)
def the_test_bank(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The page finds the run's bank in the course; the course gets the fixtures' bank beside its own."""
    real = state.course

    def course(language: str | None = None):  # type: ignore[no-untyped-def]
        loaded = real(language)
        return type(loaded)(lessons=loaded.lessons, banks=(*loaded.banks, BANK, MULTI), problems=loaded.problems)

    monkeypatch.setattr(state, "course", course)
    yield


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "subheader", "metric")
    parts = []
    for kind in kinds:
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    return "\n".join(parts)


_ENTRY = """
import streamlit as st

from views import language

language.apply()
pages = [
    st.Page("views/live.py", url_path="live", default=True),
    st.Page("views/join.py", url_path="join"),
]
st.navigation(pages, position="hidden").run()
"""


@pytest.fixture(autouse=True)
def site(tmp_path: Path) -> None:
    """An entry point that opens the live page in a navigation that knows the join page it links to
    (as tests/views/workshop_pages.py does for the workshop pages)."""
    views = tmp_path / "site" / "views"
    views.mkdir(parents=True)
    for name in ("live.py", "join.py"):
        (views / name).symlink_to(PROJECT / "views" / name)
    (tmp_path / "site" / "entry_live.py").write_text(_ENTRY, encoding="utf-8")
    _SITE[0] = str(tmp_path / "site" / "entry_live.py")


_SITE = [""]


def phone(token: str | None) -> AppTest:
    at = AppTest.from_file(_SITE[0], default_timeout=60)
    if token is not None:
        at.query_params["t"] = token
    return at.run()


def option_buttons(at: AppTest, question_id: str) -> dict[str, bool]:
    """key suffix -> disabled, of the question's option buttons."""
    prefix = f"live_opt_{question_id}_"
    return {b.key.removeprefix(prefix): b.disabled for b in at.button if b.key and b.key.startswith(prefix)}


class Room:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine, self.clock = engine, clock
        self.trainer = user(engine, "anna")
        self.workshop = make_workshop(engine, self.trainer)
        self.ann: Seated = join(engine, self.workshop, "Ann")
        self.bo: Seated = join(engine, self.workshop, "_Bo_")
        self.run_id = 0

    def start(self) -> None:
        self.run_id = live.start_run(self.engine, self.trainer, self.workshop.id, BANK, seconds=10).run_id

    def press(self, action: Action) -> None:
        live.control(self.engine, self.trainer, self.run_id, action, BANK)


@pytest.fixture
def room(engine: Engine, clock: Clock) -> Room:
    return Room(engine, clock)


def test_without_a_token_the_page_sends_to_the_join_page(database: object) -> None:
    at = phone(None)
    assert not at.exception
    assert "played in a workshop" in texts(at)
    assert not at.button


def test_a_visit_in_no_workshop_and_an_unknown_token_are_told_to_join(engine: Engine, room: Room) -> None:
    room.start()
    token, _respondent, _round = respondents.start_assessment(engine, "quick")
    at = phone(token)
    assert not at.exception
    assert "played in a workshop" in texts(at)
    assert "This visit has not joined a workshop yet." in texts(at)
    unknown = phone("x" * 32)
    assert "This resume link does not work: no assessment belongs to this resume link" in texts(unknown)
    assert not unknown.button


def test_without_a_run_the_page_waits_for_the_trainer(room: Room) -> None:
    at = phone(room.ann.token)
    assert not at.exception
    assert "Waiting for the trainer to start a live quiz" in texts(at)
    room.start()
    at.run()  # what the waiting fragment's rerun does once the run is there
    assert "You are in, Ann." in texts(at)


def test_the_lobby_greets_the_player_with_the_nickname_escaped(room: Room) -> None:
    room.start()
    at = phone(room.bo.token)
    assert not at.exception
    assert "You are in, \\_Bo\\_." in texts(at)
    assert not option_buttons(at, "q1")


def test_an_answer_is_stored_once_and_the_buttons_stay_disabled_after_a_refresh(room: Room) -> None:
    room.start()
    phone(room.ann.token)  # takes the seat in the lobby
    room.press(Action.OPEN)
    at = phone(room.ann.token)
    assert not at.exception
    assert "Question 1 of 3" in [c.value for c in at.caption]
    assert option_buttons(at, "q1") == {"a": False, "b": False, "c": False}
    room.clock.advance(2)
    at.button(key="live_opt_q1_b").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Answer received"]
    assert option_buttons(at, "q1") == {"a": True, "b": True, "c": True}
    stored = live.player_view(room.engine, room.ann.token).answer
    assert stored is not None and stored.response == '"b"'
    # A second submission (a forged click on a disabled button) counts once: the first answer stays.
    ack = live.submit_answer(room.engine, room.ann.token, room.run_id, "q1", "a", BANK)
    assert not ack.first and ack.answer.response == '"b"'
    refreshed = phone(room.ann.token)  # a new session: the page rebuilt from storage
    assert [s.value for s in refreshed.success] == ["Answer received"]
    assert option_buttons(refreshed, "q1") == {"a": True, "b": True, "c": True}


def test_an_answer_after_the_deadline_is_refused_with_a_message(room: Room) -> None:
    room.start()
    phone(room.ann.token)
    room.press(Action.OPEN)
    at = phone(room.ann.token)
    room.clock.advance(11)  # the 10 s are up while the phone still shows the buttons
    at.button(key="live_opt_q1_a").click().run()
    assert not at.exception
    assert "Time was up: your answer was not counted." in [e.value for e in at.error]
    assert live.player_view(room.engine, room.ann.token).answer is None
    at.run()  # the follower's rerun: the question shows as closed
    assert "Time is up" in [w.value for w in at.warning]


def test_a_late_joiner_waits_for_the_next_question(room: Room) -> None:
    room.start()
    room.press(Action.OPEN)
    at = phone(room.bo.token)  # joins while q1 is open
    assert not at.exception
    assert "You joined during this question; the next one is yours." in texts(at)
    assert set(option_buttons(at, "q1").values()) == {True}
    with pytest.raises(live.AnswerRefused) as refused:
        live.submit_answer(room.engine, room.bo.token, room.run_id, "q1", "a", BANK)
    assert refused.value.reason is live.Refusal.NOT_YET


def test_the_reveal_shows_the_points_and_the_place(room: Room) -> None:
    room.start()
    phone(room.ann.token)
    phone(room.bo.token)
    room.press(Action.OPEN)
    room.clock.advance(0.2)
    live.submit_answer(room.engine, room.ann.token, room.run_id, "q1", "a", BANK)
    live.submit_answer(room.engine, room.bo.token, room.run_id, "q1", "c", BANK)
    room.clock.advance(11)
    room.press(Action.REVEAL)
    ann = phone(room.ann.token)
    assert not ann.exception
    assert "Right! 1,000 points for this question." in [s.value for s in ann.success]
    assert "place **1 of 2**" in texts(ann)
    bo = phone(room.bo.token)
    assert "Not right: 0 points for this question." in [e.value for e in bo.error]
    assert "place **2 of 2**" in texts(bo)


def test_the_podium_and_the_end_show_the_final_score_and_place(room: Room) -> None:
    room.start()
    phone(room.ann.token)
    phone(room.bo.token)
    room.press(Action.OPEN)
    live.submit_answer(room.engine, room.ann.token, room.run_id, "q1", "a", BANK)
    room.clock.advance(11)
    room.press(Action.REVEAL)
    for action in (Action.NEXT, Action.CLOSE, Action.REVEAL, Action.NEXT, Action.CLOSE, Action.REVEAL):
        room.press(action)
    room.press(Action.PODIUM)
    at = phone(room.ann.token)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Your final score": "1,000", "Your place": "1 of 2"}
    room.press(Action.END)
    at.run()  # the follower's rerun after the end: the result stays in this session
    assert "The quiz has ended" in texts(at)
    assert {m.label: m.value for m in at.metric} == {"Your final score": "1,000", "Your place": "1 of 2"}
    assert "Waiting for the trainer" in texts(at)
    later = phone(room.ann.token)  # a new session after the end: nothing to show but waiting
    assert "Waiting for the trainer" in texts(later) and not later.metric


def test_true_false_and_short_questions_are_answered_by_their_own_inputs(room: Room) -> None:
    room.start()
    phone(room.ann.token)
    room.press(Action.OPEN)
    room.press(Action.CLOSE)
    room.press(Action.REVEAL)
    room.press(Action.NEXT)
    at = phone(room.ann.token)
    assert "Question 2 of 3" in [c.value for c in at.caption]
    assert option_buttons(at, "q2") == {"true": False, "false": False}
    at.button(key="live_opt_q2_true").click().run()
    assert [s.value for s in at.success] == ["Answer received"]
    assert option_buttons(at, "q2") == {"true": True, "false": True}
    room.press(Action.CLOSE)
    room.press(Action.REVEAL)
    room.press(Action.NEXT)
    at.run()
    assert "Question 3 of 3" in [c.value for c in at.caption]
    at.button(key="live_submit_q3").click().run()
    assert "Answer the question first." in [w.value for w in at.warning]
    at.text_input(key="live_in_q3").set_value("yes")
    at.button(key="live_submit_q3").click().run()
    assert [s.value for s in at.success] == ["Answer received"]
    assert at.button(key="live_submit_q3").disabled
    stored = live.player_view(room.engine, room.ann.token).answer
    assert stored is not None and stored.response == '"yes"'


def test_a_multiple_choice_question_is_sent_with_its_ticks_once(room: Room) -> None:
    run = live.start_run(room.engine, room.trainer, room.workshop.id, MULTI, seconds=10)
    phone(room.ann.token)
    live.control(room.engine, room.trainer, run.run_id, Action.OPEN, MULTI)
    at = phone(room.ann.token)
    assert "Question 1 of 1" in [c.value for c in at.caption]
    at.checkbox(key="live_chk_m1_a").check()
    at.checkbox(key="live_chk_m1_c").check()
    at.button(key="live_submit_m1").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Answer received"]
    assert at.button(key="live_submit_m1").disabled
    assert [c.value for c in at.checkbox] == [True, False, True]
    assert all(c.disabled for c in at.checkbox)
    stored = live.player_view(room.engine, room.ann.token).answer
    assert stored is not None and stored.response == '["a", "c"]'
