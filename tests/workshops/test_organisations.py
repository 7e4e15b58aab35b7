"""Organisation and Workshop values: validation collects every problem, with its field."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from workshops.codes import is_code
from workshops.organisations import (
    LANGUAGES,
    SECTORS,
    SIZE_BANDS,
    FieldProblem,
    InvalidValues,
    Organisation,
    Workshop,
    check_organisation,
    check_workshop,
    make_organisation,
    make_workshop,
    split_departments,
)

DAY = datetime.date(2026, 12, 3)


def fields(problems: list[FieldProblem]) -> list[str]:
    return [problem.field for problem in problems]


def test_the_fixed_lists() -> None:
    assert SIZE_BANDS == ("1-9", "10-49", "50-249", "250+")
    assert LANGUAGES == ("en", "nl", "da")
    assert "other" in SECTORS
    assert all(key.isidentifier() and key.islower() for key in SECTORS)


def test_a_valid_organisation() -> None:
    organisation = make_organisation(
        "  Gemeente   Utrecht ", "government", "250+", "nl", ["Communicatie", " Sociaal  domein"]
    )
    assert organisation == Organisation(
        "Gemeente Utrecht", "government", "250+", "nl", ("Communicatie", "Sociaal domein")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        organisation.name = "x"  # type: ignore[misc]


def test_departments_are_optional() -> None:
    assert make_organisation("Bakkerij", "retail", "1-9", "da").departments == ()


def test_every_organisation_problem_is_collected() -> None:
    problems = check_organisation("", "farming", "5-10", "de", ["Sales", "x" * 61, "sales", " "])
    assert fields(problems) == ["name", "sector", "size_band", "language", "departments", "departments", "departments"]
    messages = [problem.message for problem in problems]
    assert messages[0] == "a name is needed"
    assert "not 'farming'" in messages[1] and "government" in messages[1]
    assert messages[2] == "choose one of 1-9, 10-49, 50-249, 250+ employees, not '5-10'"
    assert messages[3] == "choose one of the languages en, nl, da, not 'de'"
    assert messages[4] == "department 2 has at most 60 characters; this one has 61"
    assert messages[5] == "department 3 repeats department 1 ('sales')"
    assert messages[6] == "department 4 is needed"
    with pytest.raises(InvalidValues) as caught:
        make_organisation("", "farming", "5-10", "de", ["Sales", "x" * 61, "sales", " "])
    assert list(caught.value.problems) == problems
    assert str(caught.value).splitlines()[0] == "name: a name is needed"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 121, "a name has at most 120 characters; this one has 121"),
        ("<b>Acme</b>", "a name cannot contain < or > (no HTML)"),
        ("Acme\x00", "a name cannot contain the control character U+0000"),
    ],
)
def test_name_problems(name: str, message: str) -> None:
    assert check_organisation(name, "media", "10-49", "en") == [FieldProblem("name", message)]


def test_a_name_of_120_characters_after_collapsing_spaces_is_fine() -> None:
    assert check_organisation("x" * 60 + "     " + "y" * 59, "media", "10-49", "en") == []


def test_at_most_50_departments() -> None:
    departments = [f"Department {number}" for number in range(51)]
    assert check_organisation("Acme", "media", "10-49", "en", departments) == [
        FieldProblem("departments", "at most 50 departments; this list has 51")
    ]
    assert check_organisation("Acme", "media", "10-49", "en", departments[:50]) == []


def test_departments_as_one_text_are_refused_and_split_by_lines() -> None:
    assert fields(check_organisation("Acme", "media", "10-49", "en", "Sales")) == ["departments"]
    assert split_departments("Sales\n\n  Human   resources \r\nIT\n") == ["Sales", "Human resources", "IT"]


def test_a_valid_workshop_gets_a_fresh_code_and_is_open() -> None:
    workshop = make_workshop(" Kick-off ", 7, DAY, "da", "quick")
    assert (workshop.name, workshop.organisation_id, workshop.date, workshop.language, workshop.mode) == (
        "Kick-off",
        7,
        DAY,
        "da",
        "quick",
    )
    assert is_code(workshop.code)
    assert workshop.open


def test_a_workshop_keeps_a_given_code_and_closes_and_reopens() -> None:
    workshop = make_workshop("Kick-off", 7, DAY, "en", "full", code="ABC234")
    assert workshop.code == "ABC234"
    closed = workshop.closed()
    assert closed == Workshop("Kick-off", 7, DAY, "en", "full", "ABC234", open=False)
    assert closed.reopened() == workshop


def test_every_workshop_problem_is_collected() -> None:
    when = datetime.datetime(2026, 12, 3, 9, 0)
    problems = check_workshop("w" * 121, 0, when, "fr", "medium", code="abc234")
    assert fields(problems) == ["name", "organisation_id", "date", "language", "mode", "code"]
    assert problems[0].message == "a name has at most 120 characters; this one has 121"
    assert problems[1].message == "choose the organisation the workshop is for"
    assert problems[2].message == "choose the date of the workshop"
    assert problems[4].message == "choose the quick scan (quick) or the full assessment (full), not 'medium'"
    assert problems[5].message == "'abc234' is not a join code (6 characters of the code alphabet)"
    with pytest.raises(InvalidValues) as caught:
        make_workshop("w" * 121, 0, when, "fr", "medium", code="abc234")
    assert len(caught.value.problems) == 6


@pytest.mark.parametrize("organisation_id", [True, -1, "7", None])
def test_the_organisation_id_is_a_positive_whole_number(organisation_id: object) -> None:
    assert fields(check_workshop("Kick-off", organisation_id, DAY, "en", "quick")) == ["organisation_id"]  # type: ignore[arg-type]


@pytest.mark.parametrize("date", [None, "2026-12-03"])
def test_the_date_is_a_date(date: object) -> None:
    assert fields(check_workshop("Kick-off", 1, date, "en", "quick")) == ["date"]
