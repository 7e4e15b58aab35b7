"""The trainer's workshops page (views/workshops.py): who may open it, creating an organisation and
a workshop through its forms, every problem of a form listed with what was typed kept, the chosen
workshop's code, QR code and link (also on the projector), closing and reopening, and another
trainer's workshop refused."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from services import workshops as ws
from tests.views import workshop_pages as pages
from tests.views.workshop_pages import page_selectboxes, shown_text, walk
from workshops import joining


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    pages.cheap_passwords(monkeypatch)


def qr_codes(at: AppTest) -> list[str]:
    """The SVG of every image the page shows (the QR codes come as SVG images)."""
    prefix = "data:image/svg+xml;base64,"
    found = []
    for element in walk(at.main):
        value = getattr(element, "value", None)
        if isinstance(value, list):
            found += [base64.b64decode(v[len(prefix) :]).decode() for v in value if str(v).startswith(prefix)]
    return found


def shows_qr_of(at: AppTest, code: str) -> bool:
    return joining.qr_svg(joining.join_url("http://localhost:8501", code)) in qr_codes(at)


def open_page(tmp_path: Path, token: str | None = None, **params: str) -> AppTest:
    at = pages.page(tmp_path / "site", "workshops.py")
    if token is not None:
        at.session_state["staff_token"] = token
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def button(at: AppTest, label: str) -> Any:
    (found,) = [b for b in at.button if b.label == label]
    return found


def test_without_a_login_the_page_shows_nothing_but_the_way_to_log_in(tmp_path: Path, engine: Engine) -> None:
    trainer, _token = pages.staff_token(engine, "anna")
    made = pages.workshop(engine, trainer)
    at = open_page(tmp_path, w=str(made.id))
    assert not at.exception
    assert "Log in" in at.warning[0].value
    assert not at.title and not at.text_input and not at.dataframe
    assert made.code not in shown_text(at)


def test_a_participants_resume_token_opens_nothing(tmp_path: Path, engine: Engine) -> None:
    trainer, _token = pages.staff_token(engine, "anna")
    made = pages.workshop(engine, trainer)
    participant, _respondent, _workshop = ws.join_workshop(engine, made.code, "Zoe")
    at = open_page(tmp_path, t=participant, w=str(made.id))
    assert not at.exception
    assert "Log in" in at.warning[0].value
    assert not at.title and not at.text_input
    assert made.code not in shown_text(at)


def test_a_manager_is_refused_by_role(tmp_path: Path, engine: Engine) -> None:
    _manager, token = pages.staff_token(engine, "mia", role="manager")
    at = open_page(tmp_path, token)
    assert not at.exception
    assert "cannot open this page" in at.error[0].value
    assert not at.text_input


def test_a_trainer_creates_an_organisation_then_a_workshop_and_sees_its_code(tmp_path: Path, engine: Engine) -> None:
    trainer, token = pages.staff_token(engine, "anna")
    at = open_page(tmp_path, token)
    assert not at.exception
    assert at.title[0].value == "Workshops"

    at.text_input(key="org_name").set_value("Acme  Retail")
    at.selectbox(key="org_sector").set_value("retail")
    at.selectbox(key="org_size").set_value("10-49")
    at.text_area(key="org_departments").set_value("Sales\n\nSupport\n")
    at.selectbox(key="org_language").set_value("nl")
    button(at, "Create the organisation").click().run()
    assert not at.exception
    (organisation,) = ws.list_organisations(engine)
    assert (organisation.name, organisation.sector, organisation.size_band, organisation.departments) == (
        "Acme Retail", "retail", "10-49", ("Sales", "Support"),
    )  # fmt: skip
    assert "Organisation created" in at.success[0].value
    assert at.text_input(key="org_name").value == ""  # the form is empty for the next one
    assert at.selectbox(key="ws_org").value == organisation.id  # and the new one is chosen for a workshop

    at.text_input(key="ws_name").set_value("Kick-off")
    at.selectbox(key="ws_language").set_value("da")
    at.radio(key="ws_mode").set_value("full")
    button(at, "Create the workshop").click().run()
    assert not at.exception
    (made,) = ws.visible_workshops(engine, trainer)
    assert (made.name, made.organisation_id, made.language, made.mode, made.open) == (
        "Kick-off", organisation.id, "da", "full", True,
    )  # fmt: skip
    assert at.query_params["w"] == str(made.id)
    text = shown_text(at)
    assert f"join code {made.code}" in at.success[0].value
    assert f">{made.code}</div>" in text  # the code, large
    assert f"/join?code={made.code}" in text  # the link under the QR code
    assert shows_qr_of(at, made.code)
    assert f"room?w={made.id}" in text and f"workshop-results?w={made.id}" in text
    assert f"assignments?w={made.id}" in text


def test_the_chosen_workshop_stays_chosen_after_a_refresh(tmp_path: Path, engine: Engine) -> None:
    trainer, token = pages.staff_token(engine, "anna")
    first = pages.workshop(engine, trainer, "First")
    second = pages.workshop(engine, trainer, "Second")
    at = open_page(tmp_path, token)
    assert second.code not in shown_text(at).replace(second.code, "", 1)  # only in the table
    at.selectbox(key="workshop_pick").set_value(second.id).run()
    assert at.query_params["w"] == str(second.id)
    again = open_page(tmp_path, token, w=str(second.id))
    assert not again.exception
    assert again.selectbox(key="workshop_pick").value == second.id
    assert f"/join?code={second.code}" in shown_text(again)
    assert f"/join?code={first.code}" not in shown_text(again)


def test_another_trainers_workshop_is_refused_and_nothing_of_it_shown(tmp_path: Path, engine: Engine) -> None:
    anna, token = pages.staff_token(engine, "anna")
    ben, _ben_token = pages.staff_token(engine, "ben")
    pages.workshop(engine, anna, "Mine")
    theirs = pages.workshop(engine, ben, "Secret plans")
    at = open_page(tmp_path, token, w=str(theirs.id))
    assert not at.exception
    assert f"Workshop {theirs.id} is not one of your workshops" in at.error[0].value
    text = shown_text(at)
    assert theirs.code not in text and "Secret plans" not in text and not shows_qr_of(at, theirs.code)
    assert not [b for b in at.button if b.label == "Close the workshop"]


@pytest.mark.parametrize("raw", ["abc", "1 OR 1=1", "[x](https://example.org)", "-3"])
def test_a_workshop_id_that_is_no_number_is_refused_plainly(tmp_path: Path, engine: Engine, raw: str) -> None:
    _anna, token = pages.staff_token(engine, "anna")
    at = open_page(tmp_path, token, w=raw)
    assert not at.exception
    assert "must be a workshop's number" in at.error[0].value
    assert "](https" not in at.error[0].value  # a crafted link is not echoed as one


def test_an_admin_sees_any_trainers_workshop(tmp_path: Path, engine: Engine) -> None:
    anna, _anna_token = pages.staff_token(engine, "anna")
    _admin, token = pages.staff_token(engine, "root", role="admin")
    theirs = pages.workshop(engine, anna)
    at = open_page(tmp_path, token, w=str(theirs.id))
    assert not at.exception and not at.error
    assert f">{theirs.code}</div>" in shown_text(at) and shows_qr_of(at, theirs.code)
    assert at.subheader[0].value == "All workshops"


def test_closing_and_reopening_show_the_state(tmp_path: Path, engine: Engine) -> None:
    anna, token = pages.staff_token(engine, "anna")
    made = pages.workshop(engine, anna)
    at = open_page(tmp_path, token, w=str(made.id))
    assert "Open:" in at.success[0].value
    button(at, "Close the workshop").click().run()
    assert not at.exception
    assert not ws.visible_workshops(engine, anna)[0].open
    assert "Closed:" in at.warning[0].value
    assert "The workshop is closed." in at.success[0].value
    button(at, "Reopen the workshop").click().run()
    assert ws.visible_workshops(engine, anna)[0].open
    assert any("Open:" in s.value for s in at.success)


def test_every_problem_of_the_organisation_form_is_listed_and_what_was_typed_kept(
    tmp_path: Path, engine: Engine
) -> None:
    _anna, token = pages.staff_token(engine, "anna")
    at = open_page(tmp_path, token)
    at.text_input(key="org_name").set_value("  ")
    at.text_area(key="org_departments").set_value("Sales\nsales\n<b>IT</b>")
    button(at, "Create the organisation").click().run()
    assert not at.exception
    (error,) = at.error
    for field in ("Organisation name: a name is needed", "Sector: choose one", "Size: choose one", "Departments:"):
        assert field in error.value
    assert error.value.count("Departments:") == 2  # the repeat and the HTML, each named
    assert at.text_area(key="org_departments").value == "Sales\nsales\n<b>IT</b>"
    assert ws.list_organisations(engine) == []


def test_an_over_long_workshop_name_is_named_with_its_length_and_kept(tmp_path: Path, engine: Engine) -> None:
    anna, token = pages.staff_token(engine, "anna")
    pages.workshop(engine, anna)
    at = open_page(tmp_path, token)
    long_name = "Workshop " + "x" * 130
    at.text_input(key="ws_name").set_value(long_name)
    button(at, "Create the workshop").click().run()
    assert not at.exception
    (error,) = at.error
    assert "Workshop name: at most 120 characters; this one has 139" in error.value
    assert "Organisation: choose the organisation" in error.value  # every problem at once
    assert at.text_input(key="ws_name").value == long_name
    assert len(ws.visible_workshops(engine, anna)) == 1


def test_the_projector_shows_only_the_name_code_qr_and_link(tmp_path: Path, engine: Engine) -> None:
    anna, token = pages.staff_token(engine, "anna")
    made = pages.workshop(engine, anna, name="Team *day* [x](https://example.org)")
    at = open_page(tmp_path, token, w=str(made.id), project="1")
    assert not at.exception
    assert at.title[0].value == r"Team \*day\* \[x\]\(https\://example\.org\)"
    text = shown_text(at)
    assert f">{made.code}</div>" in text and f"/join?code={made.code}" in text
    assert shows_qr_of(at, made.code)
    assert not at.text_input and not at.dataframe and not page_selectboxes(at)
    assert [b.label for b in at.button] == ["Leave the projector view"]
    button(at, "Leave the projector view").click().run()
    assert "project" not in at.query_params
    assert at.title[0].value == "Workshops"


def test_the_projector_button_opens_the_projector_view(tmp_path: Path, engine: Engine) -> None:
    anna, token = pages.staff_token(engine, "anna")
    made = pages.workshop(engine, anna)
    at = open_page(tmp_path, token, w=str(made.id))
    button(at, "Show on the projector").click().run()
    assert at.query_params["project"] == "1"
    assert not at.text_input
