"""The room page in AppTest: refused without a login and for another trainer's workshop, the counts only
with two finished participants, the charts and their tables with three, and no nickname anywhere.

A logged-in trainer reaches the page through app.py's navigation; without a login the page runs on
its own (it is not in a visitor's navigation), so its own check is what is tested."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assessment.model import Model
from identity import passwords
from services import accounts
from tests.room_seed import PASSWORD, maturity, participant, user, workshop
from tests.views.conftest import APP, page_alone
from tests.views.workshop_pages import page_selectboxes

VIEWS = Path(__file__).resolve().parents[2] / "views"
NICKNAMES = ("Zyxwort", "Quibbler", "Velmaroo", "Ottoline")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def open_room(token: str | None, **params: str) -> AppTest:
    """The room page as a visitor reaches it: through the app's navigation with a login, on its own
    without one (the navigation has no room page then, so only the page's own check stands)."""
    if token is None:
        at = page_alone("room.py")
        at.query_params.update(params)
        return at.run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    at.query_params.update(params)
    return at.switch_page("views/room.py").run()


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


def test_refused_without_a_login(engine: Engine, model: Model, room: tuple[str, int, str]) -> None:
    _token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully"), strict=False):
        participant(engine, model, code, nickname, maturity(model, value))
    at = open_room(None, w=str(workshop_id))
    assert not at.exception
    assert any("Log in with your account" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe and not at.title and not page_selectboxes(at)


def test_another_trainers_workshop_is_refused(engine: Engine, model: Model, room: tuple[str, int, str]) -> None:
    _token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully"), strict=False):
        participant(engine, model, code, nickname, maturity(model, value))
    ben, ben_token = login(engine, "ben")
    workshop(engine, ben)
    at = open_room(ben_token, w=str(workshop_id))
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"You cannot see the room of workshop {workshop_id}: only its trainer or an admin can, and there may be "
        "no such workshop. Choose one of your workshops."
    ]
    assert not at.metric and not at.dataframe and "Kick-off" not in rendered(at)

    # Without ?w=, the list holds ben's own workshop only; a number that is no number says so.
    at = open_room(ben_token)
    assert not at.exception and len(page_selectboxes(at)[0].options) == 1 and not at.metric
    at = open_room(ben_token, w="12a")
    assert [e.value for e in at.error] == [
        "The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."
    ]
    assert not at.metric


def test_two_finished_show_the_counts_only(engine: Engine, model: Model, room: tuple[str, int, str]) -> None:
    token, workshop_id, code = room
    participant(engine, model, code, NICKNAMES[0], maturity(model, "none"))
    participant(engine, model, code, NICKNAMES[1], maturity(model, "fully"))
    participant(engine, model, code, NICKNAMES[2], maturity(model, "fully"), finish=False)
    at = open_room(token, w=str(workshop_id))
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [("Joined", "3"), ("Finished", "2")]
    assert "The room's picture appears when three participants have finished." in at.info[0].value
    assert not at.dataframe and not at.expander
    assert "vega_lite_chart" not in kinds(at)
    assert not any(nickname in rendered(at) for nickname in NICKNAMES)


def test_three_finished_show_the_room_without_names(engine: Engine, model: Model, room: tuple[str, int, str]) -> None:
    token, workshop_id, code = room
    for nickname, value in zip(NICKNAMES, ("none", "largely", "fully", "partly"), strict=True):
        participant(engine, model, code, nickname, maturity(model, value))
    # Chosen from the list rather than given in the address: the address then names it.
    at = open_room(token)
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
    at = open_room(token, w=str(workshop_id))
    assert not at.exception and [m.value for m in at.metric] == ["4", "4"]
