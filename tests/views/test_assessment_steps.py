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


def _page_links(app: AppTest) -> list[str]:
    return [e.proto.label for e in app.get("page_link")]


def test_a_pasted_resume_link_opens_the_welcome_like_the_link_itself(app: AppTest, engine) -> None:
    """Pasting the link of a finished round leads to the same place as opening it: the welcome on the
    start page, See results first (it opened the assessment's last step)."""
    token, _respondent, first_round = db.create_respondent(engine, "quick")
    db.complete_round(engine, first_round.id)
    app.run()
    box = next(t for t in app.text_input if t.key == "resume_paste")
    box.set_value(f"http://localhost:8501/?t={token}")
    next(b for b in app.button if b.label == "Continue").click().run()
    assert not app.exception
    assert app.query_params["t"] == token
    assert app.title[0].value.startswith("Where does your organisation stand")
    assert app.success[0].value.startswith("Welcome back. Round 1:")
    labels = _page_links(app)
    assert labels.index("See results") < labels.index("Continue the assessment")
    assert not [h for h in app.header if h.value], "the assessment opened instead of the welcome"


def test_a_pasted_link_that_does_not_work_says_so(app: AppTest) -> None:
    app.run()
    next(t for t in app.text_input if t.key == "resume_paste").set_value("http://localhost:8501/?t=abc")
    next(b for b in app.button if b.label == "Continue").click().run()
    assert not app.exception
    assert "That link does not work" in app.error[0].value
    assert "t" not in app.query_params
