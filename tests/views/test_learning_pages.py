"""Lesson, quiz and learning-path pages on small content folders of the tests' own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from storage import db
from tests.views.conftest import APP

LESSON = """+++
id = "webcare"
title = "Conversation management and webcare"
summary = "Answer fast, keep criticism visible."
minutes = 7
level = "practice"
sources = ["000"]
quiz = "webcare"

[covers]
cells = ["conversation.crawl", "conversation.walk"]
checklist = ["check.answer-questions"]
+++

## Answer every question

KLM promises a reaction within one hour.<script>alert('x')</script>

## Key takeaways

- Leave criticism up.
"""

BANK = """id = "webcare"
title = "Webcare quiz"
lesson = "webcare"
feedback = "instant"

[[questions]]
id = "q1"
type = "single"
prompt = "How fast does KLM promise a first reaction?"
checks = ["conversation.walk"]
explanation = "One hour for a reaction, 24 hours for a solution."

  [[questions.options]]
  id = "a"
  text = "Within one hour"
  correct = true
  feedback = "Right."

  [[questions.options]]
  id = "b"
  text = "Within a week"

[[questions]]
id = "q2"
type = "truefalse"
prompt = "Deleting critical comments is good practice."
checks = ["check.answer-questions"]
answer = false
"""


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir()
    banks.mkdir()
    (lessons / "09-webcare.md").write_text(LESSON, encoding="utf-8")
    (banks / "webcare.toml").write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(banks))
    return lessons, banks


def open_page(token: str | None, page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if token:
        at.query_params["t"] = token
    at.query_params.update(params)
    at.run()
    at.switch_page(page)
    if token:
        at.query_params["t"] = token
    at.query_params.update(params)
    return at.run()


def test_lesson_list_search_and_page(content, engine) -> None:  # noqa: ANN001
    token, respondent, _round = db.create_respondent(engine, "full")
    at = open_page(token, "views/lessons.py")
    assert not at.exception
    assert at.title[0].value == "Lessons"
    at.text_input[0].set_value("klm hour").run()
    assert "1 lesson found" in [c.value for c in at.caption]

    at = open_page(token, "views/lessons.py", lesson="webcare")
    assert not at.exception
    assert at.title[0].value == "Conversation management and webcare"
    # The lesson's text is the page's one st.html without scripts (the frame adds script-only ones).
    html = next(h.proto.body for h in at.get("html") if not h.proto.unsafe_allow_javascript)
    assert "KLM promises a reaction within one hour." in html
    assert "<script" not in html and "alert(" not in html
    at.toggle(key="done:webcare").set_value(True).run()
    assert db.lessons_completed(engine, respondent.id) == {"webcare"}
    # The lesson's time reads the same on its page as in the list.
    timing = next(c.value for c in at.caption if c.value.startswith("Module ")).split(" · ")[-1]
    assert "min read" in timing
    listing = open_page(token, "views/lessons.py")
    assert any(c.value.endswith(" · " + timing) for c in listing.caption), [c.value for c in listing.caption]


def test_unknown_lesson_gets_a_message(content, engine) -> None:  # noqa: ANN001
    at = open_page(None, "views/lessons.py", lesson="nope")
    assert not at.exception
    assert "There is no lesson `nope`" in at.error[0].value


def test_quiz_answer_is_stored_and_survives_a_refresh(content, engine) -> None:  # noqa: ANN001
    token, respondent, _round = db.create_respondent(engine, "full")
    at = open_page(token, "views/quiz.py", quiz="webcare")
    assert not at.exception
    next(b for b in at.button if b.label == "Start the quiz").click().run()
    at.radio[0].set_value("a")
    next(b for b in at.button if b.label == "Answer").click().run()
    assert not at.exception
    assert at.success[0].value == "Right."
    (attempt,) = db.attempts(engine, respondent.id, "webcare")
    assert db.load_responses(engine, attempt.id) == {"q1": '"a"'}

    # A refresh is a new session: it carries on at the next open question.
    fresh = open_page(token, "views/quiz.py", quiz="webcare")
    assert not fresh.exception
    assert fresh.subheader[0].value == "Question 2 of 2"
    fresh.radio[0].set_value(False)
    next(b for b in fresh.button if b.label == "Answer").click().run()
    next(b for b in fresh.button if b.label == "See my score").click().run()
    assert not fresh.exception
    assert "Your last score: 100 %" in fresh.success[0].value
    (finished,) = db.attempts(engine, respondent.id, "webcare")
    assert finished.score_percent == 100

    next(b for b in fresh.button if b.label == "Retake the quiz").click().run()
    assert len(db.attempts(engine, respondent.id, "webcare")) == 2


def test_a_broken_bank_leaves_the_rest_and_shows_a_notice(content, engine) -> None:  # noqa: ANN001
    _lessons, banks = content
    (banks / "broken.toml").write_text(
        'id = "broken"\ntitle = "B"\nfeedback = "later"\nquestions = []\n', encoding="utf-8"
    )
    at = open_page(None, "views/quiz.py")
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    assert any(label.startswith("Webcare quiz") for label in labels)
    notice = "\n".join(code.value for code in at.code)
    assert 'broken.toml:3: feedback: expected "instant" or "end", got "later"' in notice


def test_learning_path_lists_the_lesson_for_a_gap(content, engine, model: Model) -> None:  # noqa: ANN001
    token, respondent, first_round = db.create_respondent(engine, "quick")
    for item_id in model.item_ids(Mode.QUICK):
        db.save_answer(
            engine,
            first_round.id,
            item_id,
            "fully"
            if model.section_of(item_id).value == "maturity"
            else ("5" if model.section_of(item_id).value == "tee" else "yes"),
        )
    gap_item = next(s.id for s in model.dimension("conversation").cell("crawl", Mode.QUICK))
    db.save_answer(engine, first_round.id, gap_item, "none")
    at = open_page(token, "views/path.py")
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    assert labels[0] == "1. Conversation management and webcare"
    assert any(c.value.startswith("Closes 1 of your gaps · ") and "min read" in c.value for c in at.caption)
    assert any(label.startswith("Quiz: Webcare quiz (not taken yet)") for label in labels)
    # Started and not finished: the path says so rather than "not taken yet".
    db.start_attempt(engine, respondent.id, "webcare")
    labels = [link.label for link in open_page(token, "views/path.py").get("page_link")]
    assert "Quiz: Webcare quiz (in progress)" in labels

    results = open_page(token, "views/results.py")
    links = [link.label for link in results.get("page_link")]
    assert "Lesson: Conversation management and webcare" in links
    assert "Quiz: Webcare quiz" in links


def test_a_quiz_answer_while_the_database_is_locked_gets_a_message_and_is_kept(  # noqa: ANN001
    content, engine, database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 20)
    token, respondent, _round = db.create_respondent(engine, "full")
    at = open_page(token, "views/quiz.py", quiz="webcare")
    next(b for b in at.button if b.label == "Start the quiz").click().run()
    at.radio[0].set_value("a")
    blocker = db.make_engine(f"sqlite:///{database}")
    try:
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            next(b for b in at.button if b.label == "Answer").click().run()
            connection.exec_driver_sql("COMMIT")
    finally:
        blocker.dispose()
    assert not at.exception
    assert any("busy" in w.value for w in at.warning)
    (attempt,) = db.attempts(engine, respondent.id, "webcare")
    assert db.load_responses(engine, attempt.id) == {}
    assert at.radio[0].value == "a"  # still chosen on the page

    next(b for b in at.button if b.label == "Answer").click().run()  # once the lock is gone
    assert not at.exception
    assert db.load_responses(engine, attempt.id) == {"q1": '"a"'}


def test_starting_a_quiz_in_a_tab_left_open_after_delete_gets_a_message(content, engine) -> None:  # noqa: ANN001
    token, respondent, _round = db.create_respondent(engine, "full")
    at = open_page(token, "views/quiz.py", quiz="webcare")
    db.delete_respondent(engine, respondent.id)  # from another tab
    next(b for b in at.button if b.label == "Start the quiz").click().run()
    assert not at.exception
    assert any("no assessment belongs" in e.value for e in at.error)
    with engine.connect() as connection:
        assert connection.execute(db.quiz_attempts.select()).first() is None


@pytest.mark.parametrize("page, param", [("views/quiz.py", "quiz"), ("views/lessons.py", "lesson")])
def test_an_unknown_id_from_the_url_cannot_put_a_link_on_the_page(content, engine, page: str, param: str) -> None:  # noqa: ANN001
    """The id is echoed in markdown: a crafted link must not turn it into a link or formatting of the site's own."""
    for crafted in ("[sign in again](https://evil.example/login)", "https://evil.example", "**urgent**"):
        at = open_page(None, page, **{param: crafted})
        assert not at.exception
        (message,) = at.error
        assert "evil" not in message.value and "*" not in message.value, message.value
        assert "no such" in message.value

    # What looks like an id is still shown, but as code, where "www." does not become a link.
    at = open_page(None, page, **{param: "www.evil.example"})
    assert "`www.evil.example`" in at.error[0].value
