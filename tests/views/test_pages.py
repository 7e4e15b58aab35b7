"""Every page renders, the assessment can be completed through the UI, and bad input gets messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from assessment.scoring import score
from services import respondents as visits
from storage import engine as storage_engine
from storage import schema
from storage.engine import make_engine
from tests.views.conftest import list_rounds
from views.answer_widgets import item_of_key
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
    respondent = visits.find_respondent(engine, token)
    assert respondent.organisation == "Acme Rotterdam"
    assert app.header[0].value == model.dimensions[0].name


def _start(app: AppTest, mode: str) -> str:
    app.run()
    app.radio[0].set_value(mode)
    app.button[0].click().run()
    assert not app.exception
    return app.query_params["t"]


def _radio(app: AppTest, item_id: str):  # noqa: ANN202 - AppTest's Radio element
    """The radio asking `item_id` (its key also names the stored answer it was drawn from)."""
    return next(r for r in app.radio if item_of_key(r.key or "") == item_id)


def _answer_step(app: AppTest, model: Model, choose) -> None:  # noqa: ANN001 - a small callable
    for radio in app.radio:
        item_id = item_of_key(radio.key or "")
        if item_id is None:
            continue
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

    respondent = visits.find_respondent(engine, token)
    (only_round,) = list_rounds(engine, respondent.id)
    assert only_round.completed_at is not None
    stored = visits.round_answers(engine, only_round.id)
    assert set(stored) == set(model.item_ids(Mode.FULL))
    answers = {k: (int(v) if v.isdigit() else v) for k, v in stored.items()}
    result = score(model, answers, Mode.FULL)
    assert result.stage == "walk"
    assert result.gaps[0].kind == "maturity" and result.gaps[0].stage == "run"
    assert "All your gaps, in the order to tackle them" in [h.value for h in app.header]


def test_quick_scan_asks_only_quick_statements(app: AppTest, model: Model) -> None:
    _start(app, "quick")
    items = [item_of_key(r.key or "") for r in app.radio if item_of_key(r.key or "")]
    expected = [s.id for s in model.dimensions[0].statements if s.quick]
    assert items == expected


def test_resume_link_restores_answers_in_a_new_session(app: AppTest, any_engine, model: Model) -> None:
    token = _start(app, "full")
    first = model.dimensions[0].statements[0].id
    _radio(app, first).set_value("largely").run()

    fresh = AppTest.from_file(str(Path(app._script_path)), default_timeout=60)
    fresh.query_params["t"] = token
    fresh.run()
    fresh.switch_page("views/assessment.py").run()
    assert not fresh.exception
    radio = _radio(fresh, first)
    assert radio.value == "largely"


def test_results_page_renders_radar_tables_and_downloads(app: AppTest, engine, model: Model) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "full")
    for item_id in model.item_ids(Mode.FULL):
        visits.save_answer(engine, first_round.id, item_id, str(_pattern(model, item_id)))
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
    token, respondent, first_round = visits.start_assessment(engine, "quick")
    for item_id in model.item_ids(Mode.QUICK):
        visits.save_answer(engine, first_round.id, item_id, str(_pattern(model, item_id)))
    second = visits.start_new_round(engine, respondent.id, "quick", seen_round_number=1)
    crawl_items = [s.id for d in model.dimensions for s in d.cell("run", Mode.QUICK)]
    for item_id in crawl_items:
        visits.save_answer(engine, second.id, item_id, "fully")
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
        assert connection.execute(schema.respondents.select()).first() is None


def test_delete_my_data_removes_everything(app: AppTest, engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, first_round.id, "anything", "fully")
    app.query_params["t"] = token
    app.run()
    app.checkbox(key="confirm_delete").check().run()
    next(b for b in app.button if b.label == "Delete my data").click().run()
    assert not app.exception
    assert "Your data has been deleted" in _texts(app)
    with engine.connect() as connection:
        assert connection.execute(schema.answers.select()).first() is None
        assert connection.execute(schema.rounds.select()).first() is None


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
    respondent = visits.find_respondent(engine, token)
    visits.delete_respondent(engine, respondent.id)  # from the other tab

    first = model.dimensions[0].statements[0].id
    _radio(app, first).set_value("largely").run()
    assert not app.exception
    assert any("no assessment belongs" in e.value for e in app.error)
    assert not app.session_state["pending_answers"]
    with engine.connect() as connection:
        assert connection.execute(schema.answers.select()).first() is None

    # A new assessment in the same session saves normally.
    app.switch_page("views/start.py").run()
    app.query_params.clear()
    app.run()
    new_token = _start(app, "full")
    _radio(app, first).set_value("fully").run()
    assert not app.exception
    (new_round,) = list_rounds(engine, visits.find_respondent(engine, new_token).id)
    assert visits.round_answers(engine, new_round.id) == {first: "fully"}


def test_switching_to_full_while_the_database_is_locked_gets_a_message(
    app: AppTest, engine, database: Path, monkeypatch
) -> None:
    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", 20)
    token, respondent, _round = visits.start_assessment(engine, "quick")
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    switch = next(b for b in app.button if b.label == "Switch to the full assessment")
    blocker = make_engine(f"sqlite:///{database}")
    try:
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            switch.click().run()
            connection.exec_driver_sql("COMMIT")
    finally:
        blocker.dispose()
    assert not app.exception
    assert any("busy" in e.value for e in app.error)
    assert list_rounds(engine, respondent.id)[0].mode == "quick"


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
    token, _respondent, first_round = visits.start_assessment(engine, "quick")
    app.query_params["t"] = token
    app.run()
    assert not app.exception
    assert app.success[0].value.startswith("Welcome back. Round 1: 0 of")
    labels = _page_link_labels(app)
    assert labels.index("Continue the assessment") < labels.index("See results"), "an open round: back to it first"

    visits.complete_round(engine, first_round.id)
    app.run()
    labels = _page_link_labels(app)
    assert labels.index("See results") < labels.index("Continue the assessment"), "a finished round: results first"


def test_a_schema_behind_the_code_gets_a_page_naming_the_upgrade_command(
    app: AppTest, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    behind = database.with_name("behind.sqlite3")
    monkeypatch.setenv("SMM_SQLITE_PATH", str(behind))  # a database nobody has upgraded yet
    app.run()
    assert not app.exception
    assert app.title[0].value == "The site is being updated"
    assert "python -m storage upgrade" in _texts(app)
    assert not app.button, "no start form on a database that cannot store it"


def test_two_tabs_showing_round_1_that_both_start_a_new_round_get_one_round_2(app: AppTest, engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "quick")
    visits.complete_round(engine, first_round.id)
    tabs = []
    for _ in range(2):
        tab = AppTest.from_file(str(Path(app._script_path)), default_timeout=60)
        tab.query_params["t"] = token
        tab.run()
        tab.switch_page("views/results.py").run()
        tabs.append(tab)
    for tab in tabs:
        next(b for b in tab.button if b.label == "Start a new round").click().run()
        assert not tab.exception
    assert [r.number for r in list_rounds(engine, respondent.id)] == [1, 2]


def test_switching_a_quick_scan_to_full_keeps_the_quick_round(app: AppTest, engine) -> None:
    token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    next(b for b in app.button if b.label == "Switch to the full assessment").click().run()
    assert not app.exception
    kept, full = list_rounds(engine, respondent.id)
    assert (kept.mode, full.mode, full.number) == ("quick", "full", 2) and kept.completed_at is not None
    assert visits.round_answers(engine, full.id) == {"strategy.crawl.1": "partly"}
    assert app.query_params["t"] == token


def test_the_profile_form_asks_for_a_job_title(app: AppTest, engine) -> None:
    token, respondent, _round = visits.start_assessment(engine, "full", "Acme", "Trainer")
    app.query_params["t"] = token
    app.run()
    field = next(t for t in app.text_input if t.label == "Your job title (optional)")
    assert field.value == "Trainer"
    field.set_value("<b>Boss</b>")
    next(b for b in app.button if b.label == "Save").click().run()
    assert any("Job title contains HTML (<b>); please use plain text" in e.value for e in app.error)
    assert visits.find_respondent(engine, token).job_title == "Trainer"


def test_a_double_submit_of_the_start_form_makes_one_respondent(app: AppTest, engine) -> None:
    """The second click's run can interrupt the first after it stored the respondent and before it
    remembered the token; the form then shows again and is submitted again. Simulated by forgetting
    the token between two submits of the same browser session."""
    app.run()
    app.button[0].click().run()
    first = app.query_params["t"]
    del app.session_state["token"]
    app.query_params.clear()
    app.switch_page("views/start.py").run()
    app.button[0].click().run()
    assert not app.exception
    assert app.query_params["t"] == first
    with engine.connect() as connection:
        assert len(connection.execute(schema.respondents.select()).all()) == 1


def test_a_switch_to_full_can_be_undone_until_a_new_answer(app: AppTest, engine) -> None:
    token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    visits.complete_round(engine, quick.id)
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    assert any("Switching keeps this quick-scan result as round 1" in m.value for m in app.markdown)
    next(b for b in app.button if b.label == "Switch to the full assessment").click().run()
    assert not app.exception
    assert any("You switched your quick scan" in m.value for m in app.markdown)

    next(b for b in app.button if b.label == "Undo the switch").click().run()
    assert not app.exception
    assert [(r.number, r.mode) for r in list_rounds(engine, respondent.id)] == [(1, "quick")]
    assert app.title[0].value.startswith(("Your organisation is at", "Not yet at"))  # back on the results
    assert any(b.label == "Switch to the full assessment" for b in app.button)


def test_a_switch_with_a_new_answer_stays_and_the_quick_result_stays_viewable(app: AppTest, engine) -> None:
    token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    visits.complete_round(engine, quick.id)
    full = visits.switch_to_full(engine, respondent.id, quick.id, quick.number)
    visits.save_answer(engine, full.id, "strategy.crawl.2", "fully")  # a question only the full round asks
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/assessment.py").run()
    next(b for b in app.button if b.label == "Undo the switch").click().run()
    assert not app.exception
    assert any("can no longer be undone" in w.value for w in app.warning)
    assert [r.mode for r in list_rounds(engine, respondent.id)] == ["quick", "full"]

    app.switch_page("views/results.py")
    app.query_params["round"] = "1"
    app.run()
    assert not app.exception
    assert any("You are looking at round 1, an earlier round" in i.value for i in app.info)
    assert "quick scan" in _texts(app)
    assert not any(b.label == "Start a new round" for b in app.button)


def test_the_sample_is_labelled_stores_nothing_and_leaves_the_visitor_alone(app: AppTest, engine) -> None:
    token, respondent, _round = visits.start_assessment(engine, "full")
    app.query_params["t"] = token
    app.run()  # the visitor's own link is remembered in this browser session
    app.switch_page("views/results.py")
    app.query_params.clear()
    app.query_params["sample"] = "1"
    app.run()
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert sum("Sample results: not your organisation" in w for w in warnings) == 2  # top and bottom
    assert not any(b.label == "Start a new round" for b in app.button)
    with engine.connect() as connection:
        assert len(connection.execute(schema.respondents.select()).all()) == 1
    assert app.session_state["token"] == token

    app.switch_page("views/start.py")
    app.query_params.clear()
    app.run()
    assert any("Welcome back" in s.value for s in app.success)  # still the visitor's own
