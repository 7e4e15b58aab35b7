"""The join page (views/join.py): joining by the link's ?code= or a typed code, each refusal naming
its field with what was typed kept, a seated visitor seeing their seat (also after a refresh and on
a rejoin), and the visit taking the workshop's language unless the visitor chose one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from services import accounts, organisations, respondents
from services import workshops as ws
from tests import management_seed
from tests.test_i18n import write_catalogue
from tests.views import workshop_pages as pages


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    pages.cheap_passwords(monkeypatch)


@pytest.fixture
def room(engine: Engine) -> ws.StoredWorkshop:
    trainer, _token = pages.staff_token(engine, "anna")
    return pages.workshop(engine, trainer, name="Kick-off", language="en", mode="quick")


@pytest.fixture
def dutch_room(engine: Engine) -> ws.StoredWorkshop:
    trainer, _token = pages.staff_token(engine, "bram")
    return pages.workshop(engine, trainer, name="Aftrap", language="nl", mode="quick")


def open_join(tmp_path: Path, **params: str) -> AppTest:
    at = pages.page(tmp_path / "site", "join.py")
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def join(at: AppTest, nickname: str, code: str | None = None) -> AppTest:
    if code is not None:
        at.text_input(key="join_code").set_value(code)
    at.text_input(key="join_nickname").set_value(nickname)
    (button,) = [b for b in at.button if b.label == "Join"]
    return button.click().run()


def seat_of(engine: Engine, token: str) -> Any:
    return ws.seat_of_participant(engine, respondents.find_respondent(engine, token).id)


def test_the_links_code_fills_the_form_and_joining_seats_the_visitor(
    tmp_path: Path, engine: Engine, room: ws.StoredWorkshop
) -> None:
    at = open_join(tmp_path, code=room.code)
    assert not at.exception
    assert at.text_input(key="join_code").value == room.code
    join(at, "Zoë")
    assert not at.exception and not at.error
    token = at.query_params["t"]
    seat = seat_of(engine, token)
    assert (seat.workshop.id, seat.nickname) == (room.id, "Zoë")
    assert at.success[0].value == r"You joined Kick\-off as Zoë."
    (link,) = [p for p in at.get("page_link") if "assessment" in p.proto.page]
    assert link.proto.label == "Start the self-assessment" and link.proto.query_string == f"t={token}"
    assert any(f"/?t={token}" in c.value for c in at.code)  # the resume link
    assert not at.text_input  # no form any more


def test_a_typed_code_in_lower_case_with_a_space_joins(tmp_path: Path, engine: Engine, room: ws.StoredWorkshop) -> None:
    at = open_join(tmp_path)
    assert at.text_input(key="join_code").value == ""
    join(at, "Bo", code=f" {room.code[:3].lower()} {room.code[3:].lower()} ")
    assert not at.exception and not at.error
    assert seat_of(engine, at.query_params["t"]).nickname == "Bo"


def test_a_closed_workshop_is_named_and_what_was_typed_kept(
    tmp_path: Path, engine: Engine, room: ws.StoredWorkshop
) -> None:
    ws.close_workshop(engine, room.trainer_user_id, room.id)
    at = join(open_join(tmp_path, code=room.code), "Zoë")
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Workshop code:") and "closed" in error.value
    assert (at.text_input(key="join_code").value, at.text_input(key="join_nickname").value) == (room.code, "Zoë")
    assert "t" not in at.query_params


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("ABC2O4", "Did you mean Q or D?"),
        ("abc1", "Did you mean J or 7?"),
        ("ABC23", "a code has 6 characters; you typed 5"),
        ("ABCDEF", "no workshop has this code"),
        ("", "type the code your trainer shows"),
    ],
)
def test_a_code_that_is_not_one_says_why(tmp_path: Path, engine: Engine, typed: str, says: str) -> None:
    at = join(open_join(tmp_path), "Zoë", code=typed)
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Workshop code:") and says in error.value
    assert at.text_input(key="join_nickname").value == "Zoë"


def test_a_nickname_someone_has_is_refused(tmp_path: Path, engine: Engine, room: ws.StoredWorkshop) -> None:
    ws.join_workshop(engine, room.code, "Zoe")
    at = join(open_join(tmp_path, code=room.code), "ZOË")
    assert not at.exception
    (error,) = at.error
    assert error.value == "Nickname: someone in this workshop is already called ZOË; please choose another."
    assert at.text_input(key="join_nickname").value == "ZOË"
    assert "t" not in at.query_params


@pytest.mark.parametrize(
    ("nickname", "says"),
    [
        ("<b>Zoë</b>", "Nickname: < and > are not allowed (no HTML)."),
        ("x" * 25, "Nickname: at most 24 characters; this one has 25."),
        ("[me](https://example.org)", "Nickname: '\\[' is not allowed"),
        ("", "Nickname: choose a nickname."),
    ],
)
def test_a_nickname_the_rules_refuse_is_named(
    tmp_path: Path, engine: Engine, room: ws.StoredWorkshop, nickname: str, says: str
) -> None:
    at = join(open_join(tmp_path, code=room.code), nickname)
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith(says)
    assert at.text_input(key="join_nickname").value == nickname
    assert "t" not in at.query_params


def test_a_refresh_and_a_rejoin_keep_the_seat(tmp_path: Path, engine: Engine, room: ws.StoredWorkshop) -> None:
    at = join(open_join(tmp_path, code=room.code), "Zoë")
    token = at.query_params["t"]
    refreshed = open_join(tmp_path, t=token, code=room.code)  # a new browser session: only the URL
    assert not refreshed.exception
    assert refreshed.success[0].value == r"You joined Kick\-off as Zoë."
    assert not refreshed.text_input
    again, _respondent, _workshop = ws.join_workshop(engine, room.code, "Someone else", token)
    assert again == token and seat_of(engine, token).nickname == "Zoë"


def test_a_seated_visitor_with_another_workshops_code_may_start_fresh(
    tmp_path: Path, engine: Engine, room: ws.StoredWorkshop
) -> None:
    other = pages.workshop(engine, room.trainer_user_id, name="Second")
    at = join(open_join(tmp_path, code=room.code), "Zoë")
    first = at.query_params["t"]
    elsewhere = open_join(tmp_path, t=first, code=other.code)
    assert "already in the workshop Kick\\-off as Zoë" in elsewhere.info[0].value
    (forget,) = [b for b in elsewhere.button if b.label.startswith("Forget this seat")]
    forget.click().run()
    assert "t" not in elsewhere.query_params
    join(elsewhere, "Bo", code=other.code)
    second = elsewhere.query_params["t"]
    assert second != first
    assert seat_of(engine, second).workshop.id == other.id and seat_of(engine, first).workshop.id == room.id


def test_an_assessment_visit_joins_with_its_answers_and_takes_the_workshops_language(
    tmp_path: Path, engine: Engine, dutch_room: ws.StoredWorkshop, dutch: None
) -> None:
    room = dutch_room
    token, _respondent, _round = respondents.start_assessment(engine, "quick")
    at = open_join(tmp_path, t=token, code=room.code)
    assert at.title[0].value == DUTCH["Join a workshop"]  # no language kept yet: the link's workshop's
    join(at, "Zoë")
    assert not at.exception and not at.error
    assert at.query_params["t"] == token
    assert seat_of(engine, token).workshop.id == room.id
    assert at.title[0].value == DUTCH["Join a workshop"]  # read again after the join, not the old "none"


DUTCH = {"Join a workshop": "Doe mee aan een workshop", "Language": "Taal"}


@pytest.fixture
def dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_catalogue(tmp_path / "locales", "nl", DUTCH)
    monkeypatch.setenv("SMM_LOCALE_DIR", str(tmp_path / "locales"))
    monkeypatch.delenv("SMM_LANGUAGE", raising=False)


def test_the_visit_takes_the_workshops_language(
    tmp_path: Path, engine: Engine, dutch_room: ws.StoredWorkshop, dutch: None
) -> None:
    room = dutch_room
    at = open_join(tmp_path, code=room.code)
    assert at.title[0].value == DUTCH["Join a workshop"]  # the workshop's link sets the language
    join(at, "Zoë")
    assert not at.exception
    token = at.query_params["t"]
    assert respondents.find_respondent(engine, token).language == "nl"
    assert at.title[0].value == DUTCH["Join a workshop"]
    assert open_join(tmp_path, t=token).title[0].value == DUTCH["Join a workshop"]  # the resume link too


def test_a_language_the_visitor_chose_stays_theirs(
    tmp_path: Path, engine: Engine, dutch_room: ws.StoredWorkshop, dutch: None
) -> None:
    room = dutch_room
    at = open_join(tmp_path, code=room.code, lang="en")
    join(at, "Zoë")
    assert not at.exception
    token = at.query_params["t"]
    assert at.title[0].value == "Join a workshop"
    assert respondents.find_respondent(engine, token).language == "en"
    assert open_join(tmp_path, t=token).title[0].value == "Join a workshop"


def test_joining_and_the_trainers_page_on_sqlite_and_postgresql(tmp_path: Path, any_engine: Engine) -> None:
    trainer, staff_token = pages.staff_token(any_engine, "anna")
    made = pages.workshop(any_engine, trainer)
    at = join(open_join(tmp_path, code=made.code), "Zoë")
    assert not at.exception and not at.error
    assert seat_of(any_engine, at.query_params["t"]).nickname == "Zoë"
    trainers = pages.page(tmp_path / "site", "workshops.py")
    trainers.session_state["staff_token"] = staff_token
    trainers.query_params["w"] = str(made.id)
    trainers.run()
    assert not trainers.exception
    assert trainers.metric[0].value == "1"  # Zoë is in


# Joining an organisation by its invitation code -----------------------------------------------------


@pytest.fixture
def invitation(engine: Engine) -> tuple[int, str]:
    """An organisation open for joining, with departments and job titles: its id and invitation code."""
    admin, _token = pages.staff_token(engine, "ada", role="admin")
    return management_seed.organisation(engine, admin, "Acme", ("Sales", "IT"), ("Manager", "Adviser"))


def membership(engine: Engine, token: str) -> organisations.Membership | None:
    return organisations.membership_of(engine, respondents.find_respondent(engine, token).id)


def test_an_invitation_code_joins_the_organisation_without_a_nickname_then_a_department(
    tmp_path: Path, engine: Engine, invitation: tuple[int, str]
) -> None:
    organisation, code = invitation
    at = open_join(tmp_path, code=code)
    assert at.text_input(key="join_code").value == code
    (button,) = [b for b in at.button if b.label == "Join"]
    button.click().run()
    assert not at.exception and not at.error
    token = at.query_params["t"]
    joined = membership(engine, token)
    assert joined is not None and joined.organisation.id == organisation
    assert (joined.department, joined.job_title) == (None, None)
    assert at.title[0].value == "Your organisation" and at.success[0].value == "You joined Acme."
    assert "code" not in at.query_params  # the visit is in ?t= now
    (link,) = [p for p in at.get("page_link") if "assessment" in p.proto.page]
    assert link.proto.query_string == f"t={token}"
    assert at.selectbox(key="member_department").options == ["Not given", "Sales", "IT"]
    at.selectbox(key="member_department").set_value("IT")
    at.selectbox(key="member_job_title").set_value("Adviser")
    [b for b in at.button if b.label == "Save"][0].click().run()
    assert not at.exception and not at.error
    saved = membership(engine, token)
    assert saved is not None and (saved.department, saved.job_title) == ("IT", "Adviser")
    assert at.success[-1].value == "Saved."


def test_a_closed_invitation_reads_as_an_unknown_code(
    tmp_path: Path, engine: Engine, invitation: tuple[int, str]
) -> None:
    organisation, code = invitation
    admin = accounts.find_user(engine, "ada").id
    organisations.set_invite(engine, admin, organisation, False)
    at = open_join(tmp_path, code=code)
    [b for b in at.button if b.label == "Join"][0].click().run()
    assert not at.exception
    (error,) = at.error
    assert error.value == "Workshop code: no workshop has this code. Check it with your trainer."
    assert "t" not in at.query_params


def test_a_member_coming_back_changes_their_job_title(
    tmp_path: Path, engine: Engine, invitation: tuple[int, str]
) -> None:
    _organisation, code = invitation
    token, _respondent, _joined = organisations.join_by_invite(engine, code, "Sales", "Manager")
    at = open_join(tmp_path, t=token)
    assert not at.exception
    assert at.success[0].value == "You are a member of Acme."
    assert at.selectbox(key="member_department").value == "Sales"
    assert at.selectbox(key="member_job_title").value == "Manager"
    at.selectbox(key="member_job_title").set_value("")
    [b for b in at.button if b.label == "Save"][0].click().run()
    saved = membership(engine, token)
    assert saved is not None and (saved.department, saved.job_title) == ("Sales", None)
    # A member may still join a workshop with its code.
    assert at.text_input(key="member_join_code").value == ""


def test_a_workshop_participant_of_an_organisation_with_lists_chooses_a_department(
    tmp_path: Path, engine: Engine, invitation: tuple[int, str]
) -> None:
    organisation, _code = invitation
    admin = accounts.find_user(engine, "ada").id
    room = ws.create_workshop(engine, admin, "Kick-off", organisation, pages.DAY, "en", "quick")
    at = join(open_join(tmp_path, code=room.code), "Zoë")
    assert not at.exception and not at.error
    at.selectbox(key="member_department").set_value("Sales")
    [b for b in at.button if b.label == "Save"][0].click().run()
    saved = membership(engine, at.query_params["t"])
    assert saved is not None and saved.department == "Sales"
