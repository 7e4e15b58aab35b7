"""Every page of the site, in Dutch and in Danish, shows no English string of the interface's
catalogue: each page is run through app.py's navigation with real data (a workshop in the language,
a participant who finished a quick round, an organisation with a measurement wave, an admin who sees
every staff page), and its whole rendered output (text, labels, options, help, tables and chart
specs) is searched for the English literal parts of every catalogue message whose translation
differs from the English. A hit names the page, the English and the message it came from."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from babel.messages.pofile import read_po
from google.protobuf import text_format
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import i18n
from assessment.model import Mode, Model
from content.catalogue import catalogue_path, read_catalogue, template_path
from identity import passwords
from services import accounts, organisations, respondents
from services import dashboard as dash
from services import workshops as ws
from tests.management_seed import PASSWORD, level_answers, organisation, respondent, user
from tests.room_seed import answer, maturity, participant
from tests.views.conftest import APP
from tests.views.workshop_pages import walk

LOCALES = Path(__file__).resolve().parents[2] / "locales"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A literal piece of an English message shorter than this is too common to point at one message
# ("Run", "Open", "Total" are also content, names or the same word in Dutch or Danish).
SHORTEST_PIECE = 10


@dataclass(frozen=True)
class English:
    piece: str
    message: str
    pattern: re.Pattern[str]


def english_pieces(language: str) -> list[English]:
    """The literal pieces of every catalogue message that no translation in `language` contains (a
    piece the language itself writes, such as "Dashboard", a name, or Danish "dimensions" as in "hver
    dimensions fase", is not English left behind)."""
    with open(template_path(LOCALES), "rb") as handle:
        template = read_po(handle)
    translated = read_catalogue(catalogue_path(LOCALES, language), language)
    kept = " ".join(
        text for m in translated if m.id for text in ([m.string] if isinstance(m.string, str) else m.string)
    )
    pieces: dict[str, English] = {}
    for message in template:
        if not message.id:
            continue
        forms = [message.id] if isinstance(message.id, str) else list(message.id)
        for form in forms:
            for piece in PLACEHOLDER.split(form):
                piece = piece.strip(" .,:;()\n*_-–—“”\"'")
                if len(piece) < SHORTEST_PIECE or piece in kept or piece in pieces:
                    continue
                pattern = re.compile(r"(?<![\w])" + re.escape(piece) + r"(?![\w])")
                pieces[piece] = English(piece, forms[0], pattern)
    return list(pieces.values())


# Chart spec properties that name data fields or settings, never text a reader sees.
SPEC_INTERNALS = frozenset(
    {"field", "type", "$schema", "mark", "as", "groupby", "name", "param", "sort", "scheme", "format",
     "timeUnit", "aggregate", "op", "calculate", "filter", "orient", "align", "baseline", "anchor",
     "interpolate", "stack", "shape", "expr", "test", "fields", "encodings", "bind", "select", "datum",
     "fontWeight", "strokeCap", "strokeDash", "color", "fill", "stroke", "font", "labelExpr", "key"}
)  # fmt: skip


def spec_texts(value: Any, key: str = "") -> Iterator[str]:
    """The strings of a Vega-Lite spec a reader can see: titles, labels, data values."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name not in SPEC_INTERNALS:
                yield from spec_texts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from spec_texts(item, key)
    elif isinstance(value, str):
        yield value


def rendered(at: AppTest) -> str:
    """Everything the run sent for the page and the sidebar: each element's protobuf as text (labels,
    values, options, help), each chart's visible strings and each table's cells."""
    parts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in walk(root):
            proto = getattr(node, "proto", None)
            if getattr(node, "type", "") == "vega_lite_chart":
                parts.extend(spec_texts(json.loads(proto.spec)))
                parts.append(proto.alt if hasattr(proto, "alt") else "")
            elif proto is not None:
                parts.append(text_format.MessageToString(proto, as_utf8=True))
            if getattr(node, "type", "") == "arrow_data_frame":
                frame = node.value
                parts.append(" | ".join(map(str, frame.columns)))
                parts.append(frame.to_string())
    return "\n".join(parts).replace("\\n", "\n").replace('\\"', '"').replace("\\'", "'")


DECIMAL_POINT = re.compile(r"(?<![\d.,:/-])\d{1,3}\.\d{1,2}(?![\d.])")


def shown_values(at: AppTest) -> str:
    """What the page writes as text for a reader: markdown, headings, captions, alerts, metrics and
    table cells (not chart specs or widths, which are numbers for the browser)."""
    parts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in walk(root):
            kind = getattr(node, "type", "")
            if kind == "arrow_data_frame":
                parts.append(node.value.to_string())
            elif kind == "metric":
                parts += [node.label, node.value, str(node.proto.delta)]
            elif isinstance(getattr(node, "value", None), str) and kind != "html":
                parts.append(node.value)
    return "\n".join(parts)


def decimal_points(at: AppTest) -> list[str]:
    """Numbers written with an English decimal point ("2.5") on a Dutch or Danish page."""
    return DECIMAL_POINT.findall(shown_values(at))


def english_left(at: AppTest, pieces: list[English]) -> list[str]:
    text = rendered(at)
    return [f"{p.piece!r} (from {p.message[:60]!r})" for p in pieces if p.pattern.search(text)]


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    dash.clear_cache()
    yield
    i18n.set_language("en")


def speak(language: str) -> None:
    """AppTest formats a widget's options (their format_func) again in the test's own thread when it
    runs the page a second time: that thread speaks the page's language too."""
    i18n.set_language(language)


@dataclass(frozen=True)
class Site:
    participant_token: str
    staff_token: str
    workshop_id: int
    organisation_id: int


def seed(engine: Engine, model: Model, language: str) -> Site:
    admin = user(engine, "root", "admin")
    staff_token, _user = accounts.authenticate(engine, "root", PASSWORD, None)
    org_id, code = organisation(engine, admin, "Fjordby")
    organisations.open_wave(engine, admin, org_id, "Spring 2027")
    for department in ("Sales", "IT"):
        for _ in range(6):
            respondent(engine, model, code, department, "Adviser", level_answers(model, 2))
    place = ws.create_organisation(engine, admin, "Havnegade", "retail", "10-49", language, [])
    workshop = ws.create_workshop(engine, admin, "Kick-off", place.id, seed_day(), language, "quick")
    for nickname, value in (("Zyxwort", "partly"), ("Quibbler", "fully"), ("Velmaroo", "none")):
        participant(engine, model, workshop.code, nickname, maturity(model, value))
    token, _respondent, _joined = ws.join_workshop(engine, workshop.code, "Tester")
    round_id = respondents.load_visit(engine, token).round.id
    quick = {s.id: "largely" for s in model.maturity_statements(Mode.QUICK)}
    answer(
        engine, round_id, quick | {t.id: "4" for t in model.tee_statements()} | {c.id: "yes" for c in model.checklist}
    )
    respondents.complete_round(engine, round_id, model)
    return Site(token, staff_token, workshop.id, org_id)


def seed_day():  # noqa: ANN201 - a date
    from datetime import date

    return date(2026, 12, 3)


def open_page(
    page: str, language: str, *, token: str | None = None, staff: str | None = None, **params: str
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = language
    if token:
        at.query_params["t"] = token
    if staff:
        at.session_state["staff_token"] = staff
    at.run()
    at.query_params.update(params)
    return at.switch_page(page).run()


PARTICIPANT_PAGES: tuple[tuple[str, dict[str, str]], ...] = (
    ("views/start.py", {}),
    ("views/assessment.py", {}),
    ("views/results.py", {}),
    ("views/path.py", {}),
    ("views/lessons.py", {}),
    ("views/lessons.py", {"lesson": "four-stages"}),
    ("views/quiz.py", {}),
    ("views/quiz.py", {"quiz": "four-stages"}),
    ("views/live.py", {}),
    ("views/join.py", {}),
)


def staff_pages(site: Site) -> tuple[tuple[str, dict[str, str]], ...]:
    workshop = {"w": str(site.workshop_id)}
    organisation_param = {"org": str(site.organisation_id)}
    return (
        ("views/login.py", {}),
        ("views/workshops.py", {}),
        ("views/room.py", workshop),
        ("views/live_presenter.py", workshop),
        ("views/workshop_results.py", workshop),
        ("views/assignments.py", workshop),
        ("views/dashboard.py", organisation_param),
        ("views/plan.py", organisation_param),
        ("views/organisation.py", organisation_param),
        ("views/users.py", {}),
        ("views/quiz_banks.py", {}),
    )


@pytest.mark.parametrize("language", ["nl", "da"])
def test_no_page_shows_english_from_the_catalogue(engine: Engine, model: Model, language: str) -> None:
    site = seed(engine, model, language)
    speak(language)
    pieces = english_pieces(language)
    assert len(pieces) > 500  # the check looks for something
    left: dict[str, list[str]] = {}
    visited = 0
    for page, params in PARTICIPANT_PAGES:
        at = open_page(page, language, token=site.participant_token, **params)
        assert not at.exception, (page, at.exception)
        left[f"{page} {params}"] = english_left(at, pieces) + decimal_points(at)
        visited += 1
    for page, params in staff_pages(site):
        at = open_page(page, language, staff=site.staff_token, **params)
        assert not at.exception, (page, at.exception)
        left[f"{page} {params}"] = english_left(at, pieces) + decimal_points(at)
        visited += 1
    assert visited == 21
    assert {page: hits for page, hits in left.items() if hits} == {}
