"""The room page in AppTest: refused without a login and for another trainer's workshop, the counts only
with two finished participants, the charts and their tables with three, and no nickname anywhere.

The page is not in app.py's navigation yet, so it runs in a small site of its own: a main script beside a
views/ folder of links to the real pages (the page and the pages it links to), so page links resolve
as they do in app.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import views.state  # noqa: F401 - the project's views package, before the small site puts its folder on sys.path
from assessment.model import Model
from identity import passwords
from services import accounts
from tests.room_seed import PASSWORD, maturity, participant, user, workshop

VIEWS = Path(__file__).resolve().parents[2] / "views"
NICKNAMES = ("Zyxwort", "Quibbler", "Velmaroo", "Ottoline")

SITE = """
import streamlit as st

from views import language

language.apply()
st.set_page_config(page_title="Room")
pages = [
    st.Page("views/room.py", title="Room", url_path="room", default=True),
    st.Page("views/lessons.py", title="Lessons", url_path="lessons"),
    st.Page("views/login.py", title="Log in", url_path="login"),
]
st.navigation(pages, position="hidden").run()
"""


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "views").mkdir(parents=True)
    for name in ("room.py", "lessons.py", "login.py"):
        (root / "views" / name).symlink_to(VIEWS / name)
    (root / "app.py").write_text(SITE, encoding="utf-8")
    return root / "app.py"


def open_room(site: Path, token: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(str(site), default_timeout=60)
    if token is not None:
        at.session_state["staff_token"] = token
    at.query_params.update(params)
    return at.run()


def login(engine: Engine, name: str, role: str = "trainer") -> tuple[int, str]:
    user_id = user(engine, name, role)
    token, _user = accounts.authenticate(engine, name, PASSWORD, None)
    return user_id, token


def walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def rendered(at: AppTest) -> str:
    """Every element of the page, as its protobuf text: labels, values, table data, chart specs."""
    return "\n".join(str(getattr(node, "proto", "")) for node in walk(at._tree))


def kinds(at: AppTest) -> set[str]:
    return {getattr(node, "type", "") for node in walk(at._tree)}


@pytest.fixture
def room(engine: Engine, model: Model) -> tuple[str, int, str]:
    """A trainer's token, their workshop's id and its code."""
    anna, token = login(engine, "anna")
    mine = workshop(engine, anna)
    return token, mine.id, mine.code


def test_refused_without_a_login(site: Path, engine: Engine, model: Model, room: tuple[str, int, str]) -> None:
    _token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully"), strict=False):
        participant(engine, model, code, nickname, maturity(model, value))
    at = open_room(site, None, w=str(workshop_id))
    assert not at.exception
    assert any("Log in with your account" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe and not at.title and not at.selectbox


def test_another_trainers_workshop_is_refused(
    site: Path, engine: Engine, model: Model, room: tuple[str, int, str]
) -> None:
    _token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully"), strict=False):
        participant(engine, model, code, nickname, maturity(model, value))
    ben, ben_token = login(engine, "ben")
    workshop(engine, ben)
    at = open_room(site, ben_token, w=str(workshop_id))
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"You cannot see the room of workshop {workshop_id}: only its trainer or an admin can, and there may be "
        "no such workshop. Choose one of your workshops."
    ]
    assert not at.metric and not at.dataframe and "Kick-off" not in rendered(at)

    # Without ?w=, the list holds ben's own workshop only; a number that is no number says so.
    at = open_room(site, ben_token)
    assert not at.exception and len(at.selectbox[0].options) == 1 and not at.metric
    at = open_room(site, ben_token, w="12a")
    assert [e.value for e in at.error] == [
        "The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."
    ]
    assert not at.metric


def test_two_finished_show_the_counts_only(
    site: Path, engine: Engine, model: Model, room: tuple[str, int, str]
) -> None:
    token, workshop_id, code = room
    participant(engine, model, code, NICKNAMES[0], maturity(model, "none"))
    participant(engine, model, code, NICKNAMES[1], maturity(model, "fully"))
    participant(engine, model, code, NICKNAMES[2], maturity(model, "fully"), finish=False)
    at = open_room(site, token, w=str(workshop_id))
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [("Joined", "3"), ("Finished", "2")]
    assert "The room's picture appears when three participants have finished." in at.info[0].value
    assert not at.dataframe and not at.expander
    assert "vega_lite_chart" not in kinds(at)
    assert not any(nickname in rendered(at) for nickname in NICKNAMES)


def test_three_finished_show_the_room_without_names(
    site: Path, engine: Engine, model: Model, room: tuple[str, int, str]
) -> None:
    token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully", "partly"), strict=True):
        participant(engine, model, code, nickname, maturity(model, value))
    # Chosen from the list rather than given in the address: the address then names it.
    at = open_room(site, token)
    assert not at.metric
    at.selectbox(key="room_workshop").select(workshop_id).run()
    assert not at.exception
    assert at.query_params["w"] == str(workshop_id)
    assert [(m.label, m.value) for m in at.metric] == [("Joined", "4"), ("Finished", "4")]
    page = rendered(at)
    charts = [node.proto for node in walk(at._tree) if getattr(node, "type", "") == "vega_lite_chart"]
    assert len(charts) == 2  # the stage bars (Altair) and the radar
    # Each chart's sentence, and its numbers in a table.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Bar chart of how many finished participants are at each stage") for c in captions)
    assert any(c.startswith("Radar chart of the room's median score per dimension") for c in captions)
    tables = {tuple(frame.value.columns): frame.value for frame in at.dataframe}
    stages = tables[("Stage", "Participants")]
    assert list(stages["Participants"]) == [2, 0, 0, 0, 2]  # none and partly: not yet; largely and fully: Fly
    spreads = tables[("Dimension", "Median", "Q1", "Q3", "Spread (Q3 − Q1)")]
    # Every dimension scores 0, 4/3, 8/3 and 4: Q1 at position 0.75, Q3 at 2.25.
    assert spreads.iloc[0].tolist() == [model.dimensions[0].name, "2.0", "1.0", "3.0", "2.0"]
    assert len(spreads) == len(model.dimensions)
    assert ("Gap", "Participants", "Lesson to teach next") in tables
    assert at.header[0].value == "Where the room disagrees most"
    assert len(at.expander) == len(model.dimensions)
    assert any("Lesson:" in str(node.proto) for node in walk(at._tree) if getattr(node, "type", "") == "page_link")
    assert not any(nickname in page for nickname in NICKNAMES)

    # The same room by its address, as the fragment re-reads it.
    at = open_room(site, token, w=str(workshop_id))
    assert not at.exception and [m.value for m in at.metric] == ["4", "4"]
