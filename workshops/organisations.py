"""Organisation and Workshop values, and their validation.

`check_organisation` and `check_workshop` collect every problem, each a FieldProblem naming its
field (one message per field; departments get one per bad department), so a form shows all its
mistakes at once. `make_organisation` and `make_workshop` return the frozen value or raise
InvalidValues carrying all the problems. Names are trimmed and their runs of spaces collapsed
before they are checked and stored; < and > and control characters are refused in them.

Ids are storage's: a Workshop refers to its organisation by `organisation_id`.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from workshops.codes import is_code, new_code

NAME_MAX = 120
DEPARTMENT_MAX = 60
DEPARTMENTS_MAX = 50

# Stable ids, stored; the English labels are the pages' to translate.
SECTORS = {
    "government": "Government and public sector",
    "education": "Education",
    "healthcare": "Healthcare and social care",
    "nonprofit": "Non-profit and charities",
    "business_services": "Business services",
    "retail": "Retail and consumer goods",
    "hospitality": "Hospitality, travel and leisure",
    "manufacturing": "Manufacturing and construction",
    "media": "Media, culture and communication",
    "technology": "Technology",
    "other": "Other",
}
# Employees, the EU's bands for micro, small, medium and large enterprises.
SIZE_BANDS = ("1-9", "10-49", "50-249", "250+")
LANGUAGES = ("en", "nl", "da")
MODES = ("quick", "full")


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidValues(ValueError):
    """Values that do not make an Organisation or a Workshop; carries every problem."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Organisation:
    name: str
    sector: str
    size_band: str
    language: str
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workshop:
    name: str
    organisation_id: int
    date: datetime.date
    language: str
    mode: str
    code: str
    open: bool = True

    def closed(self) -> Workshop:
        return dataclasses.replace(self, open=False)

    def reopened(self) -> Workshop:
        return dataclasses.replace(self, open=True)


def clean_name(text: str) -> str:
    """A name trimmed, NFC, with every run of spaces (and line breaks) made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_departments(text: str) -> list[str]:
    """Departments typed one per line (a text area), empty lines left out."""
    return [line for line in (clean_name(raw) for raw in text.splitlines()) if line]


def check_organisation(
    name: str, sector: str, size_band: str, language: str, departments: Sequence[str] = ()
) -> list[FieldProblem]:
    problems = _check_name("name", name, NAME_MAX)
    if sector not in SECTORS:
        problems.append(FieldProblem("sector", f"choose one of the sectors ({', '.join(SECTORS)}), not '{sector}'"))
    if size_band not in SIZE_BANDS:
        problems.append(
            FieldProblem("size_band", f"choose one of {', '.join(SIZE_BANDS)} employees, not '{size_band}'")
        )
    problems += _check_language(language)
    problems += _check_departments(departments)
    return problems


def make_organisation(
    name: str, sector: str, size_band: str, language: str, departments: Sequence[str] = ()
) -> Organisation:
    problems = check_organisation(name, sector, size_band, language, departments)
    if problems:
        raise InvalidValues(problems)
    return Organisation(
        clean_name(name), sector, size_band, language, tuple(clean_name(department) for department in departments)
    )


def check_workshop(
    name: str, organisation_id: int, date: object, language: str, mode: str, code: str | None = None
) -> list[FieldProblem]:
    problems = _check_name("name", name, NAME_MAX)
    if isinstance(organisation_id, bool) or not isinstance(organisation_id, int) or organisation_id < 1:
        problems.append(FieldProblem("organisation_id", "choose the organisation the workshop is for"))
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        problems.append(FieldProblem("date", "choose the date of the workshop"))
    problems += _check_language(language)
    if mode not in MODES:
        problems.append(
            FieldProblem("mode", f"choose the quick scan (quick) or the full assessment (full), not '{mode}'")
        )
    if code is not None and not is_code(code):
        problems.append(FieldProblem("code", f"'{code}' is not a join code (6 characters of the code alphabet)"))
    return problems


def make_workshop(
    name: str,
    organisation_id: int,
    date: datetime.date,
    language: str,
    mode: str,
    code: str | None = None,
    open: bool = True,
) -> Workshop:
    """A validated Workshop; a fresh code is drawn when none is given (storage checks it is free)."""
    problems = check_workshop(name, organisation_id, date, language, mode, code)
    if problems:
        raise InvalidValues(problems)
    return Workshop(clean_name(name), organisation_id, date, language, mode, code or new_code(), open)


def _check_name(field: str, text: str, maximum: int, what: str = "a name") -> list[FieldProblem]:
    if not isinstance(text, str):
        return [FieldProblem(field, f"must be {what} (text)")]
    name = clean_name(text)
    if not name:
        return [FieldProblem(field, f"{what} is needed")]
    if len(name) > maximum:
        return [FieldProblem(field, f"{what} has at most {maximum} characters; this one has {len(name)}")]
    if "<" in name or ">" in name:
        return [FieldProblem(field, f"{what} cannot contain < or > (no HTML)")]
    control = next((c for c in name if unicodedata.category(c)[0] == "C"), None)
    if control is not None:
        return [FieldProblem(field, f"{what} cannot contain the control character U+{ord(control):04X}")]
    return []


def _check_language(language: str) -> list[FieldProblem]:
    if language in LANGUAGES:
        return []
    return [FieldProblem("language", f"choose one of the languages {', '.join(LANGUAGES)}, not '{language}'")]


def _check_departments(departments: Sequence[str]) -> list[FieldProblem]:
    if isinstance(departments, str):
        return [FieldProblem("departments", "must be a list of department names, not one text")]
    problems: list[FieldProblem] = []
    if len(departments) > DEPARTMENTS_MAX:
        problems.append(
            FieldProblem("departments", f"at most {DEPARTMENTS_MAX} departments; this list has {len(departments)}")
        )
    seen: dict[str, int] = {}
    for number, department in enumerate(departments, start=1):
        found = _check_name("departments", department, DEPARTMENT_MAX, what=f"department {number}")
        if found:
            problems += found
            continue
        key = clean_name(department).casefold()
        if key in seen:
            problems.append(
                FieldProblem("departments", f"department {number} repeats department {seen[key]} ('{department}')")
            )
        else:
            seen[key] = number
    return problems
