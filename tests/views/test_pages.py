"""Every page renders, the assessment can be completed through the UI, and bad input gets messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from assessment.scoring import score
from storage import db
from views.steps import build_steps


def _texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "header", "markdown", "caption", "info", "success", "error", "warning")
        for e in at.get(kind)
        if isinstance(getattr(e, "value", None), str)
    ]
    return "\n".join(parts)


def test_start_page_renders_with_times_and_privacy(app: AppTest, model: Model) -> None:
    app.run()
    assert not app.exception
    assert app.title[0].value.startswith("Where does your organisation stand")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Quick scan"] == f"about {model.estimated_minutes(Mode.QUICK)} min"
    assert metrics["Full assessment"] == f"about {model.estimated_minutes(Mode.FULL)} min"
    assert "Who can see it" in _texts(app)


def test_assessment_and_results_without_a_session_point_to_start(app: AppTest) -> None:
    app.run()
    for page in ("views/assessment.py", "views/results.py"):
        app.switch_page(page).run()
        assert not app.exception
        assert "start" in _texts(app).lower()


def test_starting_creates_a_respondent_and_opens_the_first_step(app: AppTest, engine, model: Model) -> None:
    app.run()
    app.text_input[0].set_value("Acme Rotterdam")
    app.button[0].click().run()
    assert not app.exception
    token = app.query_params["t"]
    respondent = db.find_respondent(engine, token)
    assert respondent.organisation == "Acme Rotterdam"
    assert app.header[0].value == model.dimensions[0].name


def _start(app: AppTest, mode: str) -> str:
    app.run()
    app.radio[0].set_value(mode)
    app.button[0].click().run()
    assert not app.exception
    return app.query_params["t"]


def _answer_step(app: AppTest, model: Model, choose) -> None:  # noqa: ANN001 - a small callable
    for radio in app.radio:
        if not radio.key or not radio.key.startswith("answer:"):
            continue
        item_id = radio.key.split(":", 2)[2]
        radio.set_value(choose(model, item_id))
    app.run()
    assert not app.exception


def _pattern(model: Model, item_id: str) -> object:
    """Crawl fully, walk largely, run partly, fly none: reaches walk exactly."""
    item = model.item(item_id)
    section = model.section_of(item_id)
    if section.value == "maturity":
        return {"crawl": "fully", "walk": "largely", "run": "partly", "fly": "none"}[item.stage]
    if section.value == "tee":
        return 2 if getattr(item, "reverse", False) else 4
    return "partly" if item.group == "facebook" else "yes"


def test_completing_the_full_assessment_shows_the_expected_stage(app: AppTest, any_engine, model: Model) -> None:
    engine = any_engine
    token = _start(app, "full")
    steps = build_steps(model, Mode.FULL)
    for index, _step in enumerate(steps):
        _answer_step(app, model, _pattern)
        label = "See my results" if index == len(steps) - 1 else "Next →"
        next(b for b in app.button if b.label == label).click().run()
        assert not app.exception
    assert app.title[0].value == "Your organisation is at the Walk stage"

    respondent = db.find_respondent(engine, token)
    (only_round,) = db.list_rounds(engine, respondent.id)
    assert only_round.completed_at is not None
    stored = db.load_answers(engine, only_round.id)
    assert set(stored) == set(model.item_ids(Mode.FULL))
    answers = {k: (int(v) if v.isdigit() else v) for k, v in stored.items()}
    result = score(model, answers, Mode.FULL)
    assert result.stage == "walk"
    assert result.gaps[0].kind == "maturity" and result.gaps[0].stage == "run"
    assert "All your gaps, in the order to tackle them" in [h.value for h in app.header]


def test_quick_scan_asks_only_quick_statements(app: AppTest, model: Model) -> None:
    _start(app, "quick")
    keys = [r.key for r in app.radio if r.key and r.key.startswith("answer:")]
    expected = [s.id for s in model.dimensions[0].statements if s.quick]
    assert [k.split(":", 2)[2] for k in keys] == expected


def test_resume_link_restores_answers_in_a_new_session(app: AppTest, any_engine, model: Model) -> None:
    token = _start(app, "full")
    first = model.dimensions[0].statements[0].id
    next(r for r in app.radio if r.key and r.key.endswith(first)).set_value("largely").run()

    fresh = AppTest.from_file(str(Path(app._script_path)), default_timeout=60)
    fresh.query_params["t"] = token
    fresh.run()
    fresh.switch_page("views/assessment.py").run()
    assert not fresh.exception
    radio = next(r for r in fresh.radio if r.key and r.key.endswith(first))
    assert radio.value == "largely"


def test_results_page_renders_radar_tables_and_downloads(app: AppTest, engine, model: Model) -> None:
    token, respondent, first_round = db.create_respondent(engine, "full")
    for item_id in model.item_ids(Mode.FULL):
        db.save_answer(engine, first_round.id, item_id, str(_pattern(model, item_id)))
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    assert not app.exception
    assert app.title[0].value == "Your organisation is at the Walk stage"
    headers = [h.value for h in app.header]
    for expected in ("Maturity by dimension", "The 4 T's", "Do's and don'ts", "Downloads"):
        assert expected in headers
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    assert "Radar chart of" in _texts(app)
    assert len(app.get("download_button")) == 4


def test_new_round_shows_change_since_last(app: AppTest, engine, model: Model) -> None:
    token, respondent, first_round = db.create_respondent(engine, "quick")
    for item_id in model.item_ids(Mode.QUICK):
        db.save_answer(engine, first_round.id, item_id, str(_pattern(model, item_id)))
    second = db.start_round(engine, respondent.id, "quick")
    crawl_items = [s.id for d in model.dimensions for s in d.cell("run", Mode.QUICK)]
    for item_id in crawl_items:
        db.save_answer(engine, second.id, item_id, "fully")
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    assert not app.exception
    assert "Change since round 1" in [h.value for h in app.header]
    assert "Stage: Walk → Run." in _texts(app)


def test_malformed_and_unknown_tokens_get_clear_messages(app: AppTest) -> None:
    app.query_params["t"] = "not-a-token<script>"
    app.run()
    assert not app.exception
    assert any("malformed" in e.value for e in app.error)
    app.query_params["t"] = "A" * 32
    app.run()
    assert any("no assessment belongs" in e.value for e in app.error)


def test_html_in_organisation_is_refused_and_nothing_is_stored(app: AppTest, engine) -> None:
    app.run()
    app.text_input[0].set_value("<script>alert(1)</script>Acme")
    app.button[0].click().run()
    assert not app.exception
    assert any("HTML" in e.value for e in app.error)
    with engine.connect() as connection:
        assert connection.execute(db.respondents.select()).first() is None


def test_delete_my_data_removes_everything(app: AppTest, engine) -> None:
    token, respondent, first_round = db.create_respondent(engine, "quick")
    db.save_answer(engine, first_round.id, "anything", "fully")
    app.query_params["t"] = token
    app.run()
    app.checkbox(key="confirm_delete").check().run()
    next(b for b in app.button if b.label == "Delete my data").click().run()
    assert not app.exception
    assert "Your data has been deleted" in _texts(app)
    with engine.connect() as connection:
        assert connection.execute(db.answers.select()).first() is None
        assert connection.execute(db.rounds.select()).first() is None


def test_broken_content_file_shows_a_readable_error_page(app: AppTest, tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "model.toml"
    broken.write_text('schema_version = 1\n[meta]\ntitle = "x"\nintroo = "typo"\n', encoding="utf-8")
    monkeypatch.setenv("SMM_MODEL_PATH", str(broken))
    app.run()
    assert not app.exception
    assert app.title[0].value == "The site's content has problems"
    listing = app.code[0].value
    assert "model.toml:4: meta.introo: unknown key" in listing
    assert "missing required key 'intro'" in listing


def test_answering_in_a_tab_left_open_after_delete_gets_a_message(app: AppTest, any_engine, model: Model) -> None:
    """Delete my data in one tab, then answer in another still showing the assessment: the callback's
    write finds its round gone. The page says so; the session is not stuck on that answer afterwards."""
    engine = any_engine
    token = _start(app, "full")
    respondent = db.find_respondent(engine, token)
    db.delete_respondent(engine, respondent.id)  # from the other tab

    first = model.dimensions[0].statements[0].id
    next(r for r in app.radio if r.key and r.key.endswith(first)).set_value("largely").run()
    assert not app.exception
    assert any("no assessment belongs" in e.value for e in app.error)
    assert not app.session_state["pending_answers"]
    with engine.connect() as connection:
        assert connection.execute(db.answers.select()).first() is None

    # A new assessment in the same session saves normally.
    app.switch_page("views/start.py").run()
    app.query_params.clear()
    app.run()
    new_token = _start(app, "full")
    next(r for r in app.radio if r.key and r.key.endswith(first)).set_value("fully").run()
    assert not app.exception
    (new_round,) = db.list_rounds(engine, db.find_respondent(engine, new_token).id)
    assert db.load_answers(engine, new_round.id) == {first: "fully"}


def test_switching_to_full_while_the_database_is_locked_gets_a_message(
    app: AppTest, engine, database: Path, monkeypatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 20)
    token, respondent, _round = db.create_respondent(engine, "quick")
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    switch = next(b for b in app.button if b.label == "Switch this round to the full assessment")
    blocker = db.make_engine(f"sqlite:///{database}")
    try:
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            switch.click().run()
            connection.exec_driver_sql("COMMIT")
    finally:
        blocker.dispose()
    assert not app.exception
    assert any("busy" in e.value for e in app.error)
    assert db.list_rounds(engine, respondent.id)[0].mode == "quick"


def test_an_unreachable_database_gets_a_message_not_a_traceback(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens on port 1: the connection is refused at once, as when PostgreSQL is down.
    monkeypatch.setenv("SMM_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    app.query_params["t"] = "A" * 32
    app.run()
    assert not app.exception
    assert app.title[-1].value == "The database cannot be reached right now"
    assert "Everything you answered before was saved" in _texts(app)


def _page_link_labels(app: AppTest) -> list[str]:
    return [element.proto.label for element in app.get("page_link")]


def test_a_returning_visitor_is_led_back_in_first_thing(app: AppTest, engine) -> None:
    token, _respondent, first_round = db.create_respondent(engine, "quick")
    app.query_params["t"] = token
    app.run()
    assert not app.exception
    assert app.success[0].value.startswith("Welcome back. Round 1: 0 of")
    labels = _page_link_labels(app)
    assert labels.index("Continue the assessment") < labels.index("See results"), "an open round: back to it first"

    db.complete_round(engine, first_round.id)
    app.run()
    labels = _page_link_labels(app)
    assert labels.index("See results") < labels.index("Continue the assessment"), "a finished round: results first"
