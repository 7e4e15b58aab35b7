"""What a page shows is what is stored: answers the browser holds without a callback, two tabs on one
resume link, the open questions of an unfinished round. The browser suite covers the same with a
real server restart; these tests pin the rules in-process."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from services import respondents as visits
from views.answer_widgets import answer_key, item_of_key


def _radio(app: AppTest, item_id: str):  # noqa: ANN202 - AppTest's Radio element
    return next(r for r in app.radio if item_of_key(r.key or "") == item_id)


def _tab(app_file: str, token: str) -> AppTest:
    tab = AppTest.from_file(app_file, default_timeout=60)
    tab.query_params["t"] = token
    tab.query_params["step"] = "1"
    tab.run()
    tab.switch_page("views/assessment.py").run()
    assert not tab.exception
    return tab


def test_a_value_the_browser_holds_without_a_callback_is_stored(app: AppTest, any_engine, model: Model) -> None:
    """A new server session (after a restart) gets the browser's widget values with its first run and
    has no callback registered for them: the run itself stores what the radio shows."""
    token, _respondent, first_round = visits.start_assessment(any_engine, "full")
    first = model.dimensions[0].statements[0].id
    app.session_state[answer_key(first_round.id, first, None)] = "largely"  # as the browser re-sends it
    app.query_params["t"] = token
    app.query_params["step"] = "1"
    app.run()
    app.switch_page("views/assessment.py").run()
    assert not app.exception
    assert visits.round_answers(any_engine, first_round.id) == {first: "largely"}
    assert _radio(app, first).value == "largely"
    assert app.get("progress")[0].proto.text == f"1 of {len(model.item_ids(Mode.FULL))} answered"


def test_a_second_tab_shows_what_is_stored_and_never_writes_back_its_old_answer(
    app: AppTest, any_engine, model: Model
) -> None:
    token, _respondent, first_round = visits.start_assessment(any_engine, "full")
    first, second = (s.id for s in model.dimensions[0].statements[:2])
    tab_a = _tab(app._script_path, token)
    _radio(tab_a, first).set_value("fully").run()
    tab_b = _tab(app._script_path, token)
    assert _radio(tab_b, first).value == "fully"
    _radio(tab_b, first).set_value("none").run()
    _radio(tab_b, second).set_value("partly").run()

    # Tab A still shows "fully"; its next run (an answer to another question) shows B's answers and
    # leaves them stored.
    third = model.dimensions[0].statements[2].id
    _radio(tab_a, third).set_value("largely").run()
    assert not tab_a.exception
    assert _radio(tab_a, first).value == "none"
    assert _radio(tab_a, second).value == "partly"
    assert visits.round_answers(any_engine, first_round.id) == {first: "none", second: "partly", third: "largely"}


def test_an_answer_given_in_a_stale_tab_is_the_newest_and_is_stored(app: AppTest, engine, model: Model) -> None:
    """Only an answer a tab merely still displays must not be written back; one clicked there is new."""
    token, _respondent, first_round = visits.start_assessment(engine, "full")
    first = model.dimensions[0].statements[0].id
    tab_a = _tab(app._script_path, token)
    visits.save_answer(engine, first_round.id, first, "none")  # from another tab, unseen by tab A
    _radio(tab_a, first).set_value("partly").run()
    assert visits.round_answers(engine, first_round.id) == {first: "partly"}
    assert _radio(tab_a, first).value == "partly"


def test_the_last_step_links_to_every_step_with_open_questions(app: AppTest, engine, model: Model) -> None:
    token, _respondent, first_round = visits.start_assessment(engine, "quick")
    value_for = {"maturity": "fully", "tee": "3", "checklist": "yes"}
    for item_id in model.item_ids(Mode.QUICK)[3:]:
        visits.save_answer(engine, first_round.id, item_id, value_for[model.section_of(item_id).value])
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/assessment.py").run()
    app.query_params["step"] = "14"
    app.run()
    assert not app.exception
    links = [link for link in app.get("page_link") if "open question" in link.proto.label]
    assert [link.proto.label for link in links] == [
        f"Step 1, {model.dimensions[0].name}: 3 open questions",
    ]


def test_the_quiz_page_survives_odd_question_numbers(app: AppTest, engine) -> None:
    token, _respondent, _round = visits.start_assessment(engine, "full")
    bank = "four-stages"
    app.query_params["t"] = token
    app.query_params["quiz"] = bank
    app.run()
    app.switch_page("views/quiz.py").run()
    next(b for b in app.button if b.label == "Start the quiz").click().run()
    for odd in ("²", "①", "9" * 5000, "-1", "0", "1.5", " 1"):
        app.query_params["q"] = odd
        app.run()
        assert not app.exception, odd
        assert app.subheader[0].value.startswith("Question 1 of"), odd


def test_this_is_not_me_forgets_the_link_in_this_browser_and_deletes_nothing(app: AppTest, engine) -> None:
    token, respondent, _round = visits.start_assessment(engine, "full")
    app.query_params["t"] = token
    app.run()
    assert any("Welcome back" in s.value for s in app.success)
    app.button(key="not_me").click().run()
    assert not app.exception
    assert "t" not in app.query_params
    assert "token" not in app.session_state
    assert any(b.label == "Start the assessment" for b in app.button)
    assert visits.find_respondent(engine, token).id == respondent.id
