"""The workshop results page, run on its own: it refuses visitors, another trainer's workshop
(no data of it shown), shows a trainer's own participants and quiz numbers, and deletes a
workshop's data only when its join code is typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from identity import passwords
from services import accounts
from services import workshops as ws
from services.results import current_model
from tests.views.conftest import APP, page_alone
from tests.views.workshop_pages import page_selectboxes
from tests.workshop_fixtures import COURSE, PASSWORD, fill, make_workshop, user


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def mini_course(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page reads the course with the small quiz the participants took (the page runs in this process)."""
    from views import state

    monkeypatch.setattr(state, "course", lambda language=None: COURSE)


def login(engine: Engine, username: str) -> str:
    token, _user = accounts.authenticate(engine, username, PASSWORD, None)
    return token


def page(token: str | None = None, workshop_id: int | str | None = None) -> AppTest:
    """The page as a visitor reaches it: through the app's navigation with a login, on its own without
    one (a visitor's navigation has no such page, so only the page's own check stands)."""
    if not token:
        at = page_alone("workshop_results.py")
        if workshop_id is not None:
            at.query_params["w"] = str(workshop_id)
        return at.run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    if workshop_id is not None:
        at.query_params["w"] = str(workshop_id)
    return at.switch_page("views/workshop_results.py").run()


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text, tables included."""
    parts = [e.value for kind in (at.title, at.header, at.subheader, at.text, at.caption, at.markdown) for e in kind]
    parts += [str(e.value) for kind in (at.error, at.warning, at.info, at.success) for e in kind]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [str(box.options) for box in page_selectboxes(at)]
    return "\n".join(parts)


def test_the_page_refuses_without_a_login(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    fill(engine, current_model(), workshop)
    at = page(workshop_id=workshop.id)
    assert not at.exception
    assert at.warning and not at.dataframe and not at.title
    assert "Ann" not in shown_text(at) and workshop.code not in shown_text(at)


def test_another_trainers_workshop_is_refused_with_no_data(database: Path, engine: Engine) -> None:
    anna, ben = user(engine, "anna"), user(engine, "ben")
    theirs = make_workshop(engine, anna, name="Anna's secret session")
    fill(engine, current_model(), theirs)
    mine = make_workshop(engine, ben, name="Ben's own")
    for asked in (theirs.id, theirs.id + 1000, "drop table"):
        at = page(login(engine, "ben"), asked)
        assert not at.exception
        assert at.error, asked
        text = shown_text(at)
        assert "Anna's secret session" not in text and theirs.code not in text
        assert "Ann" not in text.replace("Anna", "") and "-cmd" not in text
        assert not at.dataframe and not at.download_button
        assert page_selectboxes(at)[0].value is None  # nothing chosen: the trainer picks one of theirs
        assert page_selectboxes(at)[0].options == ["Choose a workshop…", f"Ben's own · 2026-12-03 · {mine.code}"]


def test_a_trainer_sees_their_workshops_participants_and_quiz_numbers(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    fill(engine, current_model(), workshop)
    at = page(login(engine, "anna"), workshop.id)
    assert not at.exception
    assert not at.error
    people = at.dataframe[0].value
    assert list(people["Nickname"]) == ["Ann", "-cmd", "Bo"]
    assert list(people["Lessons done"]) == [2, 0, 0]
    quiz_column = next(c for c in people.columns if c.startswith("Best score"))
    assert people[quiz_column].tolist()[:2] == [100, 33]
    text = shown_text(at)
    assert "3 finished attempts" in text and "2 participants" in text
    assert "hardest was question 1" in text  # q1 and q2 both 33 %: the first
    (chart,) = at.get("vega_lite_chart")
    assert "Percent correct" in chart.proto.spec
    summary = at.dataframe[1].value
    assert summary["Finished attempts"].tolist() == [3]
    labels = {button.label for button in at.get("download_button")}
    assert "All tables, CSV (zip)" in labels and "Participants, CSV" in labels
    # The address carries the workshop; choosing it again from the list changes nothing.
    assert page_selectboxes(at)[0].value == workshop.id


def test_choosing_a_workshop_in_the_list_shows_it(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    fill(engine, current_model(), workshop)
    at = page(login(engine, "anna"))
    assert not at.dataframe
    page_selectboxes(at)[0].set_value(workshop.id).run()
    assert not at.exception
    assert at.query_params["w"] == [str(workshop.id)] or at.query_params["w"] == str(workshop.id)
    assert list(at.dataframe[0].value["Nickname"]) == ["Ann", "-cmd", "Bo"]


def test_deleting_needs_the_workshops_join_code(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna, name="Doomed")
    kept = make_workshop(engine, anna, name="Kept")
    fill(engine, current_model(), workshop)
    at = page(login(engine, "anna"), workshop.id)
    code_box = next(box for box in at.text_input if box.label == "Type the workshop's join code to confirm")
    delete = next(button for button in at.button if button.label == "Delete this workshop's data")
    code_box.input(kept.code)  # another workshop's code
    delete.click().run()
    assert "nothing was deleted" in at.error[0].value
    assert {w.id for w in ws.workshops_of_trainer(engine, anna)} == {workshop.id, kept.id}

    code_box = next(box for box in at.text_input if box.label == "Type the workshop's join code to confirm")
    code_box.input(f" {workshop.code.lower()} ")  # typed as a participant would: any case, spaces
    next(button for button in at.button if button.label == "Delete this workshop's data").click().run()
    assert not at.exception
    assert "Deleted workshop Doomed" in at.success[0].value and "3 participants" in at.success[0].value
    assert {w.id for w in ws.workshops_of_trainer(engine, anna)} == {kept.id}
    assert not at.dataframe and page_selectboxes(at)[0].value is None
