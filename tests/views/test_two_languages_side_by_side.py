"""A Danish workshop and a Dutch workshop on one server: a participant of each joins by code, takes
the quick scan step by step, reads a lesson, answers a quiz question and sees the results, each in
the workshop's language, the two sessions run in turns; and a visitor who switches language in the
middle of the assessment keeps every answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import i18n
from assessment.loader import load_model, model_path
from assessment.model import Mode, Model
from identity import passwords
from learning.content import load_course
from services import respondents as visits
from services import workshops as ws
from tests.management_seed import user
from tests.views.conftest import APP
from tests.views.test_every_page_translated import English, english_left, english_pieces, rendered
from views.answer_widgets import item_of_key
from views.steps import build_steps

LANGUAGES = ("da", "nl")


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    i18n.set_language("en")


def tr(language: str, message: str) -> str:
    return i18n.translations(language).gettext(message)


class Visit:
    """One participant's browser session, run in the session's language (AppTest formats widget
    options again in the test's thread, so that thread speaks the session's language as it runs)."""

    def __init__(self, language: str, token: str) -> None:
        self.language = language
        self.at = AppTest.from_file(APP, default_timeout=90)
        self.at.query_params["t"] = token  # no ?lang=: the language comes with the workshop's token
        self.model = load_model(model_path(), language)
        self.pieces: list[English] = english_pieces(language)

    def run(self, action: Any = None) -> AppTest:
        i18n.set_language(self.language)
        (action or self.at).run()
        assert not self.at.exception, self.at.exception
        assert english_left(self.at, self.pieces) == []
        return self.at

    def button(self, english: str) -> Any:
        label = tr(self.language, english)
        return next(b for b in self.at.button if b.label == label)


def _answer(model: Model, item_id: str) -> str:
    section = model.section_of(item_id).value
    if section == "maturity":
        return {"crawl": "fully", "walk": "largely", "run": "partly", "fly": "none"}[model.item(item_id).stage]
    return "4" if section == "tee" else "yes"


def test_a_danish_and_a_dutch_workshop_side_by_side(engine: Engine, model: Model) -> None:
    trainer = user(engine, "trainer")
    visits_by_language: dict[str, Visit] = {}
    for language, town in (("da", "Aarhus"), ("nl", "Gent")):
        place = ws.create_organisation(engine, trainer, town, "retail", "10-49", language, [])
        room = ws.create_workshop(engine, trainer, f"Workshop {town}", place.id, date(2026, 12, 3), language, "quick")
        token, respondent, _joined = ws.join_workshop(engine, room.code, f"Deltager {town}")
        assert respondent.language == language  # joining keeps the workshop's language with the token
        visits_by_language[language] = Visit(language, token)

    # The start page, each in its own language.
    for language, visit in visits_by_language.items():
        at = visit.run()
        assert at.title[0].value == tr(language, "Where does your organisation stand in social media?")

    # The assessment, step by step, the two sessions taking turns.
    steps = build_steps(model, Mode.QUICK)
    for visit in visits_by_language.values():
        visit.run(visit.at.switch_page("views/assessment.py"))
        assert visit.at.header[0].value == visit.model.dimensions[0].name != model.dimensions[0].name
    for index in range(len(steps)):
        for visit in visits_by_language.values():
            for radio in visit.at.radio:
                item_id = item_of_key(radio.key or "")
                if item_id:
                    radio.set_value(_answer(model, item_id))
            visit.run()
            last = index == len(steps) - 1
            visit.run(visit.button("See my results" if last else "Next →").click())

    for language, visit in visits_by_language.items():
        stage = visit.model.stage("walk").name
        assert visit.at.title[0].value == tr(language, "Your organisation is at the {stage} stage").format(stage=stage)
        page = rendered(visit.at)
        first = visit.model.dimensions[0].name
        assert first in page and (model.dimensions[0].name not in page or first == model.dimensions[0].name)

    # A lesson and a quiz question, in the same turns.
    for language, visit in visits_by_language.items():
        course = load_course(visit.model, language=language)
        lesson = next(lesson for lesson in course.lessons if lesson.id == "four-stages")
        visit.at.query_params["lesson"] = "four-stages"
        visit.run(visit.at.switch_page("views/lessons.py"))
        assert lesson.title in rendered(visit.at) and lesson.title != "The four stages of social business"
        del visit.at.query_params["lesson"]

        bank = next(bank for bank in course.banks if bank.id == "cases")
        visit.at.query_params["quiz"] = "cases"
        visit.run(visit.at.switch_page("views/quiz.py"))
        visit.run(visit.button("Start the quiz").click())
        question = bank.questions[0]
        assert question.prompt in rendered(visit.at)
        visit.at.radio[0].set_value(question.options[0].id)
        visit.run(visit.button("Answer").click())
        assert question.options[0].feedback in rendered(visit.at)

    for visit in visits_by_language.values():
        visit.run(visit.at.switch_page("views/results.py"))


def test_switching_language_in_the_middle_of_the_assessment_keeps_every_answer(engine: Engine, model: Model) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "nl"
    i18n.set_language("nl")
    at.run()
    at.radio[0].set_value("quick")
    at.button[0].click().run()
    assert not at.exception
    token = at.query_params["t"]
    steps = build_steps(model, Mode.QUICK)
    given: dict[str, str] = {}
    for _step in steps[:2]:
        for radio in at.radio:
            item_id = item_of_key(radio.key or "")
            if item_id:
                radio.set_value(_answer(model, item_id))
                given[item_id] = _answer(model, item_id)
        at.run()
        next(b for b in at.button if b.label == tr("nl", "Next →")).click().run()
    for radio in at.radio:  # half of the third step, then the switch
        item_id = item_of_key(radio.key or "")
        if item_id and len(given) % 2:
            radio.set_value(_answer(model, item_id))
            given[item_id] = _answer(model, item_id)
        elif item_id:
            given.setdefault("__skipped__", item_id)
    at.run()
    skipped = given.pop("__skipped__", None)

    i18n.set_language("da")
    at.selectbox(key="language_selector").set_value("da").run()
    assert not at.exception
    assert at.query_params["lang"] == "da"
    danish = load_model(model_path(), "da")
    assert at.header[0].value == danish.dimensions[2].name  # still the third step, now in Danish
    shown = {item_of_key(r.key or ""): r.value for r in at.radio if item_of_key(r.key or "")}
    for item_id, value in shown.items():
        assert value == given.get(item_id), item_id  # kept on the page, unanswered ones still empty
    respondent = visits.find_respondent(engine, token)
    assert respondent.language == "da"
    stored = visits.load_visit(engine, token).answers
    assert {k: str(v) for k, v in stored.items()} == given  # nothing lost in storage either
    assert skipped is None or skipped not in stored

    # Back to the first step in Danish: the answers given in Dutch are there.
    for _step in range(2):
        next(b for b in at.button if b.label == tr("da", "← Back")).click().run()
    assert at.header[0].value == danish.dimensions[0].name
    first_step = {item_of_key(r.key or ""): r.value for r in at.radio if item_of_key(r.key or "")}
    assert first_step and all(first_step[item] == given[item] for item in first_step)


def test_the_workshop_link_opens_the_join_page_in_the_workshop_language(engine: Engine) -> None:
    trainer = user(engine, "trainer")
    place = ws.create_organisation(engine, trainer, "Aarhus", "retail", "10-49", "da", [])
    room = ws.create_workshop(engine, trainer, "Workshop Aarhus", place.id, date(2026, 12, 3), "da", "quick")
    heading = tr("da", "Join a workshop")

    english_phone = AppTest.from_file(APP, default_timeout=90)
    english_phone.context["locale"] = "en-US"
    english_phone.query_params["code"] = room.code  # the link or QR code on the projector
    i18n.set_language("da")
    english_phone.run()
    english_phone.switch_page("views/join.py").run()
    assert not english_phone.exception
    assert english_phone.title[0].value == heading != "Join a workshop"

    chose_english = AppTest.from_file(APP, default_timeout=90)
    chose_english.query_params["code"] = room.code
    chose_english.query_params["lang"] = "en"  # the visitor's own choice wins
    i18n.set_language("en")
    chose_english.run()
    chose_english.switch_page("views/join.py").run()
    assert chose_english.title[0].value == "Join a workshop"

    unknown = AppTest.from_file(APP, default_timeout=90)
    unknown.context["locale"] = "nl-NL"
    unknown.query_params["code"] = "ZZZZZZ"  # no such workshop: the browser's language
    i18n.set_language("nl")
    unknown.run()
    assert unknown.title[0].value == tr("nl", "Where does your organisation stand in social media?")


def _frame_css(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)


def test_streamlits_own_english_is_replaced_in_dutch_and_danish(engine: Engine) -> None:
    for language, more in (("da", "Mere"), ("nl", "Meer")):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["lang"] = language
        i18n.set_language(language)
        at.run()
        css = _frame_css(at)
        assert '[data-testid="InputInstructions"] { display: none; }' in css  # "Press Enter to apply"
        assert f'::after {{ content: "{more}";' in css  # the top menu's "2 more"
    english = AppTest.from_file(APP, default_timeout=90)
    i18n.set_language("en")
    english.run()
    assert "InputInstructions" not in _frame_css(english)
