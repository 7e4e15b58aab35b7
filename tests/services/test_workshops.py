"""Organisations and workshops' use cases on SQLite and PostgreSQL: creating them with unique codes,
who sees and closes what, joining by a typed code and nickname, rejoining, and a participant's
seat going with "Delete my data"."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from identity import passwords
from services import accounts, respondents
from services import workshops as ws
from storage import schema
from storage.errors import TokenError
from workshops import codes, joining, nicknames

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 12, 3)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, PASSWORD, now=T0).id


def organisation(engine: Engine, by: int) -> ws.StoredOrganisation:
    return ws.create_organisation(engine, by, "Acme  Retail", "retail", "10-49", "nl", ["Sales", "Support"], now=T0)


def workshop(engine: Engine, trainer: int, org: int, mode: str = "quick", language: str = "da") -> ws.StoredWorkshop:
    return ws.create_workshop(engine, trainer, "Kick-off", org, DAY, language, mode, now=T0)


@pytest.fixture
def room(engine: Engine) -> tuple[int, int, ws.StoredWorkshop]:
    """(trainer id, another trainer's id, the trainer's workshop)."""
    anna, ben = user(engine, "anna"), user(engine, "ben")
    return anna, ben, workshop(engine, anna, organisation(engine, anna).id)


def spaced(code: str) -> str:
    """The code as a participant might type it: lower case, a space in the middle, spaces around."""
    return f"  {code[:3].lower()} {code[3:].lower()} "


def test_an_organisation_is_created_cleaned_with_its_departments_and_listed(engine: Engine) -> None:
    anna = user(engine, "anna")
    made = organisation(engine, anna)
    assert (made.name, made.sector, made.size_band, made.default_language, made.departments) == (
        "Acme Retail", "retail", "10-49", "nl", ("Sales", "Support"),
    )  # fmt: skip
    assert ws.list_organisations(engine) == [made]
    with pytest.raises(ws.InvalidValues) as invalid:
        ws.create_organisation(engine, anna, "<b>x</b>", "mining", "10-49", "nl", ["A", "a"])
    assert {p.field for p in invalid.value.problems} == {"name", "sector", "departments"}
    manager = user(engine, "mona", "manager")
    with pytest.raises(ws.NotAllowed):
        ws.create_organisation(engine, manager, "Other", "retail", "1-9", "en")
    assert len(ws.list_organisations(engine)) == 1


def test_a_workshop_gets_a_canonical_code_and_codes_do_not_repeat(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = user(engine, "anna")
    org = organisation(engine, anna).id
    first = workshop(engine, anna, org)
    assert codes.is_code(first.code) and first.open and first.closed_at is None
    assert (first.name, first.held_on, first.language, first.mode, first.trainer_user_id) == (
        "Kick-off", DAY, "da", "quick", anna,
    )  # fmt: skip
    # The next draws hit the taken code twice before a free one: it is drawn again.
    draws = iter([first.code, first.code, "XYZ234"])
    monkeypatch.setattr(ws, "new_code", lambda: next(draws))
    second = workshop(engine, anna, org)
    assert second.code == "XYZ234"
    with pytest.raises(ws.UnknownOrganisation):
        workshop(engine, anna, org + 100)
    with pytest.raises(ws.InvalidValues):
        ws.create_workshop(engine, anna, "x" * 121, org, DAY, "da", "quick")


def test_a_trainer_sees_only_their_own_workshops_and_an_admin_all(engine: Engine) -> None:
    anna, ben, root = user(engine, "anna"), user(engine, "ben"), user(engine, "root", "admin")
    org = organisation(engine, anna).id
    annas, bens = workshop(engine, anna, org), workshop(engine, ben, org)
    assert ws.workshops_of_trainer(engine, anna) == [annas]
    assert ws.visible_workshops(engine, ben) == [bens]
    assert {w.id for w in ws.visible_workshops(engine, root)} == {annas.id, bens.id}
    assert ws.workshop_by_code(engine, spaced(bens.code)) == bens


def test_close_and_reopen_by_the_trainer_or_an_admin_only(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, ben, mine = room
    root = user(engine, "root", "admin")
    with pytest.raises(ws.NotAllowed):
        ws.close_workshop(engine, ben, mine.id)
    with pytest.raises(ws.NotAllowed):  # no such workshop: the same refusal, nothing told
        ws.close_workshop(engine, ben, mine.id + 100)
    with pytest.raises(ws.NotAllowed):
        ws.participants_of(engine, ben, mine.id)
    closed = ws.close_workshop(engine, anna, mine.id, now=T0)
    assert not closed.open and closed.closed_at == T0
    assert ws.close_workshop(engine, anna, mine.id).closed_at == T0  # closing twice changes nothing
    assert ws.reopen_workshop(engine, root, mine.id).open
    assert ws.close_workshop(engine, root, mine.id).open is False
    with pytest.raises(ws.UnknownWorkshop):
        ws.reopen_workshop(engine, root, mine.id + 100)


def test_joining_by_a_typed_code_gives_a_respondent_with_the_workshops_language_and_mode(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, mine = room
    token, respondent, joined = ws.join_workshop(engine, spaced(mine.code), "  Zoë   K ", now=T0)
    assert joined == mine and respondent.language == "da"
    visit = respondents.load_visit(engine, token)
    assert visit.respondent == respondent
    assert [(r.number, r.mode) for r in visit.rounds] == [(1, "quick")]
    assert ws.workshop_of_participant(engine, respondent.id) == mine
    [seat] = ws.participants_of(engine, anna, mine.id)
    assert (seat.nickname, seat.joined_at, seat.finished_rounds) == ("Zoë K", T0, 0)
    respondents.complete_round(engine, visit.round.id)
    assert [p.finished_rounds for p in ws.participants_of(engine, anna, mine.id)] == [1]


def test_a_full_mode_workshop_opens_a_full_round(engine: Engine) -> None:
    anna = user(engine, "anna")
    full = workshop(engine, anna, organisation(engine, anna).id, mode="full", language="en")
    token, _respondent, _ = ws.join_workshop(engine, full.code, "Bo")
    assert [r.mode for r in respondents.load_visit(engine, token).rounds] == ["full"]


def test_closed_unknown_and_malformed_codes_are_refused_with_their_messages(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, mine = room
    ws.close_workshop(engine, anna, mine.id)
    with pytest.raises(joining.JoinError) as closed:
        ws.join_workshop(engine, mine.code, "Bo")
    assert closed.value.reason == joining.CLOSED and "closed" in str(closed.value)
    unknown_code = "ABC234" if mine.code != "ABC234" else "ABC235"
    with pytest.raises(joining.JoinError) as unknown:
        ws.join_workshop(engine, unknown_code, "Bo")
    assert unknown.value.reason == joining.UNKNOWN and "No workshop has this code" in str(unknown.value)
    with pytest.raises(codes.CodeError) as look_alike:
        ws.join_workshop(engine, "ABC2O4", "Bo")
    assert look_alike.value.reason == codes.LOOK_ALIKE
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.respondents)).scalar_one() == 0


def test_duplicate_and_html_nicknames_are_refused(engine: Engine, room: tuple[int, int, ws.StoredWorkshop]) -> None:
    anna, ben, mine = room
    ws.join_workshop(engine, mine.code, "Zoë")
    for same in ("zoe", "ZOË", " Zoe "):
        with pytest.raises(nicknames.NicknameError) as taken:
            ws.join_workshop(engine, mine.code, same)
        assert taken.value.reason == nicknames.TAKEN and "already called" in str(taken.value)
    with pytest.raises(nicknames.NicknameError) as html:
        ws.join_workshop(engine, mine.code, "<b>Bo</b>")
    assert html.value.reason == nicknames.HTML
    # The same nickname in another workshop is fine.
    other = workshop(engine, ben, organisation(engine, ben).id)
    ws.join_workshop(engine, other.code, "Zoe")
    assert [p.nickname for p in ws.participants_of(engine, anna, mine.id)] == ["Zoë"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.respondents)).scalar_one() == 2


def test_rejoining_with_the_same_token_keeps_the_seat_and_the_answers(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, mine = room
    token, respondent, _ = ws.join_workshop(engine, mine.code, "Zoë")
    round_id = respondents.load_visit(engine, token).round.id
    respondents.save_answer(engine, round_id, "strategy.crawl.1", "fully")
    again, same, _ = ws.join_workshop(engine, mine.code.lower(), "Zoë", token=token)
    assert (again, same.id) == (token, respondent.id)
    # Another nickname typed on the way back changes nothing: the seat is kept as it was.
    assert ws.join_workshop(engine, mine.code, "Someone", token=token)[0] == token
    assert [p.nickname for p in ws.participants_of(engine, anna, mine.id)] == ["Zoë"]
    assert respondents.load_visit(engine, token).answers == {"strategy.crawl.1": "fully"}


def test_a_visit_without_a_workshop_joins_with_its_rounds_and_keeps_its_language(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, ben, mine = room
    token, before, _ = respondents.start_assessment(engine, "full", language="en")
    joined_token, respondent, _ = ws.join_workshop(engine, mine.code, "Bo", token=token)
    assert (joined_token, respondent.id, respondent.language) == (token, before.id, "en")
    assert ws.workshop_of_participant(engine, before.id) == mine
    # A participant of this workshop who joins another gets a new visit there: nothing moves.
    other = workshop(engine, ben, organisation(engine, ben).id)
    there, elsewhere, _ = ws.join_workshop(engine, other.code, "Bo", token=token)
    assert there != token and elsewhere.id != before.id
    assert ws.workshop_of_participant(engine, before.id) == mine
    assert [p.nickname for p in ws.participants_of(engine, anna, mine.id)] == ["Bo"]


def test_delete_my_data_removes_the_seat_and_frees_the_nickname(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    anna, _ben, mine = room
    _token, respondent, _ = ws.join_workshop(engine, mine.code, "Zoë")
    respondents.delete_respondent(engine, respondent.id)
    assert ws.participants_of(engine, anna, mine.id) == []
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.workshop_participants)).scalar_one() == 0
    ws.join_workshop(engine, mine.code, "Zoe")


def test_an_unknown_token_joins_as_a_new_visit_and_a_malformed_one_is_refused(
    engine: Engine, room: tuple[int, int, ws.StoredWorkshop]
) -> None:
    _anna, _ben, mine = room
    stale = "A" * 32  # well formed, but nobody's (say, deleted)
    token, _respondent, _ = ws.join_workshop(engine, mine.code, "Bo", token=stale)
    assert token != stale and respondents.load_visit(engine, token).round.mode == "quick"
    with pytest.raises(TokenError):
        ws.join_workshop(engine, mine.code, "Cy", token="not a token")
