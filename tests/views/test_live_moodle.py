"""The live quiz with what Moodle's questions hold: on the phone, a matching question offers its
distractor and shows its image and its prompt's lines as written; a short answer at half credit is
partly right with partial points; on the projector, the distractor is among the choices and the image
is under the prompt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from quizzes.live import Action
from quizzes.model import Bank, Image, Pair, Question, ShortAnswer
from services import live
from services import workshops as ws
from tests.views.conftest import APP
from tests.views.workshop_pages import PROJECT, cheap_passwords, staff_token, workshop
from views import state

DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UWCgAAAABJRU5ErkJggg=="

BANK = Bank(
    id="moodle-live",
    title="Moodle live",
    lesson="",
    feedback="end",
    pass_percent=50,
    questions=(
        Question(
            id="m",
            type="matching",
            prompt="Match each animal\nto its Dutch name.",
            pairs=(Pair("p1", "Cat", "Kat"), Pair("p2", "Dog", "Hond")),
            distractors=("Paard",),
            images=(Image("dot.png", "image/png", DOT, "A black dot"),),
        ),
        Question(
            id="s",
            type="short",
            prompt="Which animal says miaow?",
            accept=(ShortAnswer("Cat"), ShortAnswer("C*t", 50.0, "Close.")),
            explanation="Cats say miaow.\nDogs do not.",
        ),
    ),
)

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
_SITE = [""]


@pytest.fixture(autouse=True)
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The phone's live page in a navigation of its own (as tests/views/test_live_page.py), and the
    test's bank in the course beside the site's own."""
    views = tmp_path / "site" / "views"
    views.mkdir(parents=True)
    for name in ("live.py", "join.py"):
        (views / name).symlink_to(PROJECT / "views" / name)
    (tmp_path / "site" / "entry_live.py").write_text(_ENTRY, encoding="utf-8")
    _SITE[0] = str(tmp_path / "site" / "entry_live.py")
    cheap_passwords(monkeypatch)
    real = state.course

    def course(language: str | None = None):  # type: ignore[no-untyped-def]
        loaded = real(language)
        return type(loaded)(lessons=loaded.lessons, banks=(*loaded.banks, BANK), problems=loaded.problems)

    monkeypatch.setattr(state, "course", course)
    yield


def phone(token: str) -> AppTest:
    at = AppTest.from_file(_SITE[0], default_timeout=60)
    at.query_params["t"] = token
    return at.run()


def projector(token: str, workshop_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    at.query_params["w"] = str(workshop_id)
    return at.switch_page("views/live_presenter.py").run()


def test_matching_with_a_distractor_and_an_image_then_a_short_answer_at_half_credit(engine: Engine) -> None:
    anna, staff = staff_token(engine, "anna")
    mine = workshop(engine, anna)
    player, _respondent, _w = ws.join_workshop(engine, mine.code, "Ann")
    run = live.start_run(engine, anna, mine.id, BANK, seconds=30)
    at = phone(player)
    live.control(engine, anna, run.run_id, Action.OPEN, BANK)

    at = phone(player)
    assert not at.exception
    assert "Match each animal  \nto its Dutch name." in [m.value for m in at.markdown]
    (image,) = at.get("image")
    assert image.captions == ["A black dot"]
    boxes = [box for box in at.selectbox if box.label in ("Cat", "Dog")]
    assert [sorted(box.options) for box in boxes] == [["Hond", "Kat", "Paard"]] * 2
    boxes[0].select_index(boxes[0].options.index("Paard"))
    boxes[1].select_index(boxes[1].options.index("Hond"))
    at.button(key="live_submit_m").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Answer received"]
    stored = live.player_view(engine, player).answer
    assert stored is not None and stored.response == '{"p1": "~1", "p2": "p2"}' and stored.credit == 0.5

    screen = projector(staff, mine.id)
    assert not screen.exception
    shown = "\n".join(m.value for m in screen.markdown)
    assert "with one of these:" in shown and "- Paard" in shown
    assert [i.captions for i in screen.get("image")] == [["A black dot"]]

    for action in (Action.CLOSE, Action.REVEAL, Action.NEXT):
        live.control(engine, anna, run.run_id, action, BANK)
    at = phone(player)
    at.text_input(key="live_in_s").set_value("coat")
    at.button(key="live_submit_s").click().run()
    stored = live.player_view(engine, player).answer
    assert stored is not None and stored.credit == 0.5
    live.control(engine, anna, run.run_id, Action.CLOSE, BANK)
    live.control(engine, anna, run.run_id, Action.REVEAL, BANK)
    at = phone(player)
    assert not at.exception
    assert [w.value for w in at.warning][0].startswith("Partly right: ")
    assert "Close." in [c.value for c in at.caption]  # the feedback of the answer that counted
    assert "**Right answer:** Cat" in [m.value for m in at.markdown]  # not the pattern
    assert "Cats say miaow.  \nDogs do not." in [i.value for i in at.info]
