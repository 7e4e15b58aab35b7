"""The results page of a round completed before the model changed: its stored scores, and a plain
notice that an earlier version of the model scored it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.loader import load_model, model_path
from assessment.model import Model
from assessment.scoring import score
from services.results import normalised
from tests.results_answers import round_one
from tests.stored import store_rounds

NOTICE = "with an earlier version of the assessment"


def _changed_model(model: Model, tmp_path: Path) -> Path:
    """The model with its crawl statements renamed: their answers no longer count, so the same answers
    no longer reach Crawl."""
    text = model_path().read_text(encoding="utf-8")
    for statement in model.maturity_statements():
        if statement.stage != "crawl":
            continue
        text = text.replace(f'id = "{statement.id}"', f'id = "{statement.id}9"')
    path = tmp_path / "changed-model.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _results(app: AppTest, token: str) -> AppTest:
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    assert not app.exception, app.exception
    return app


def test_a_round_completed_before_the_model_changed_keeps_its_result_and_says_so(
    app: AppTest, engine, model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _round_id = store_rounds(engine, "full", [round_one(model)])
    before = _results(AppTest.from_file(app._script_path, default_timeout=60), token)
    title = before.title[0].value
    assert not any(NOTICE in i.value for i in before.info)

    changed_path = _changed_model(model, tmp_path)
    changed = load_model(changed_path)
    answers = normalised(changed, round_one(model))
    assert score(changed, answers).stage != score(model, normalised(model, round_one(model))).stage

    monkeypatch.setenv("SMM_MODEL_PATH", str(changed_path))
    after = _results(app, token)
    assert after.title[0].value == title, "the stored scores, not the changed model's"
    notice = next(i.value for i in after.info if NOTICE in i.value)
    assert notice.startswith("Round 1 was taken on ")
    assert "Its scores are kept as they were then" in notice


def test_an_open_round_is_scored_by_the_current_model_without_a_notice(
    app: AppTest, engine, model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import respondents as visits

    token, _respondent, first = visits.start_assessment(engine, "full")
    for item_id, value in round_one(model).items():
        visits.save_answer(engine, first.id, item_id, value)
    monkeypatch.setenv("SMM_MODEL_PATH", str(_changed_model(model, tmp_path)))
    after = _results(app, token)
    assert not any(NOTICE in i.value for i in after.info)
    assert after.title[0].value == "Not yet at the Crawl stage", "scored by the changed model"
