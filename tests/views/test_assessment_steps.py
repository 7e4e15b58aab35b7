"""The assessment's 4 T's step and the start page's resume box, through AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from storage import db
from views.steps import build_steps

NEGATIVE = "worded negatively"


def _open_tees_step(app: AppTest, engine, model: Model, mode: Mode) -> None:  # noqa: ANN001
    token, _respondent, _round = db.create_respondent(engine, mode.value)
    number = next(i for i, s in enumerate(build_steps(model, mode), start=1) if s.kind == "tees")
    app.query_params["t"] = token
    app.query_params["step"] = str(number)
    app.switch_page("views/assessment.py").run()
    assert not app.exception


def test_the_four_ts_step_is_grouped_by_t_with_a_description_of_each(app: AppTest, engine, model: Model) -> None:
    _open_tees_step(app, engine, model, Mode.FULL)
    assert [s.value for s in app.subheader] == [t.name for t in model.tees]
    texts = [m.value for m in app.markdown]
    for tee in model.tees:
        assert tee.description in texts, f"no description for {tee.name}"
    # Each T's statements come right after its heading: the radios are in the model's order.
    radio_ids = [r.key.split(":", 2)[2] for r in app.radio if r.key and r.key.startswith("answer:")]
    assert radio_ids == [s.id for s in model.tee_statements(Mode.FULL)]
    assert any(s.reverse for s in model.tee_statements(Mode.FULL))
    assert any(NEGATIVE in c.value for c in app.caption), "the full step has reverse-keyed statements: say so"


def test_the_quick_four_ts_step_does_not_warn_about_negative_statements_it_does_not_ask(
    app: AppTest, engine, model: Model
) -> None:
    _open_tees_step(app, engine, model, Mode.QUICK)
    assert not any(s.reverse for s in model.tee_statements(Mode.QUICK)), "the model changed: adapt this test"
    assert [s.value for s in app.subheader] == [t.name for t in model.tees if t.in_mode(Mode.QUICK)]
    assert not any(NEGATIVE in c.value for c in app.caption)
