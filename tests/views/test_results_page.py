"""The results page, driven by AppTest with stored respondents: what it says first, where the change
since the last round sits, the grouped gaps, and the organisation's name."""

from __future__ import annotations

import csv
import io
import json
import re

from streamlit.testing.v1 import AppTest

from assessment.model import Mode, Model
from assessment.scoring import score
from learning.content import content_dirs, load_course
from learning.path import start_here
from reporting.export import answers_and_scores_csv, answers_and_scores_json
from reporting.numbers import MINUS
from tests.results_answers import ORGANISATION, round_one, round_two
from tests.stored import store_rounds


def stored(engine, model: Model, rounds: list[dict[str, str]], organisation: str | None = ORGANISATION) -> str:  # noqa: ANN001
    token, _last_round = store_rounds(engine, "full", rounds, organisation)
    return token


def results(app: AppTest, token: str) -> AppTest:
    app.query_params["t"] = token
    app.run()
    app.switch_page("views/results.py").run()
    assert not app.exception, app.exception
    return app


def normalised(model: Model, answers: dict[str, str]) -> dict[str, str | int]:
    return {k: int(v) if v.isdigit() else v for k, v in answers.items()}


def markdown(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown]


def test_headline_names_the_organisation_and_explains_the_stage(app: AppTest, engine, model: Model) -> None:
    results(app, stored(engine, model, [round_one(model)]))

    assert app.title[0].value == "Your organisation is at the Crawl stage"
    assert app.caption[0].value.startswith("**Walkers & Co\\. BV** · Round 1, full assessment: 105 of 105")
    explanation = next(text for text in markdown(app) if "needs" in text)
    assert explanation.startswith("- 7 of 10 dimensions are at Walk or beyond on their own")
    assert "\n- **Walk needs 36 points" in explanation
    assert "**Walk needs 36 points; you have 28** (8 short)." in explanation
    assert "Furthest behind at Walk:" in explanation


def test_the_headline_says_how_many_statements_were_not_applicable(app: AppTest, engine, model: Model) -> None:
    answers = round_one(model)
    flagged = [s.id for s in model.maturity_statements() if s.may_not_apply][:2]
    assert len(flagged) == 2, "the model marks at least two statements may_not_apply"
    answers.update({item_id: "na" for item_id in flagged})
    results(app, stored(engine, model, [answers]))

    assert "2 statements marked not applicable are left out of the scores." in app.caption[0].value


def test_organisation_text_cannot_format_the_page(app: AppTest, engine, model: Model) -> None:
    results(app, stored(engine, model, [round_one(model)], organisation="*Big* [x](http://e.test) :red[y]"))
    caption = app.caption[0].value
    assert caption.startswith("**\\*Big\\* \\[x\\]\\(http\\:")
    assert ":red[" not in caption


def test_start_here_comes_first_with_one_lesson_and_one_quiz_per_gap(app: AppTest, engine, model: Model) -> None:
    answers = round_one(model)
    results(app, stored(engine, model, [answers]))
    result = score(model, normalised(model, answers), Mode.FULL)
    course = load_course(model, *content_dirs())
    expected = start_here(result.gaps, course.lessons, course.banks)

    assert [h.value for h in app.header][:2] == ["Start here", "Maturity by dimension"]
    links = [link.value for link in app.get("page_link")]
    wanted = []
    for step in expected:
        assert step.lesson is not None and step.bank is not None
        wanted += [f"Lesson: {step.lesson.title}", f"Quiz: {step.bank.title}"]
    assert links[: len(wanted)] == wanted
    titles = [text for text in markdown(app) if text.startswith(("**1. ", "**2. ", "**3. "))][:3]
    assert [t[:5] for t in titles] == ["**1. ", "**2. ", "**3. "]
    assert all(" at Walk: " in title for title in titles)


GAP_SECTIONS = ("gaps_maturity", "gaps_tee", "gaps_checklist")


def opened(app: AppTest, *keys: str) -> AppTest:
    """Open expanders as a click does: their state is True and the page runs again."""
    for key in keys:
        app.session_state[key] = True
    app.run()
    assert not app.exception, app.exception
    return app


def numbered_gaps(app: AppTest) -> list[int]:
    """The numbers of the gaps written out on the page, "Start here" included."""
    return [int(text[2 : text.index(".")]) for text in markdown(app) if re.match(r"\*\*\d+\. ", text)]


def test_gaps_are_grouped_by_section_collapsed_and_worded(app: AppTest, engine, model: Model) -> None:
    answers = round_one(model)
    results(app, stored(engine, model, [answers]))
    result = score(model, normalised(model, answers), Mode.FULL)
    kinds = [gap.kind for gap in result.gaps]
    maturity, tee, checklist = (kinds.count(kind) for kind in ("maturity", "tee", "checklist"))

    labels = [e.label for e in app.expander]
    assert f"Maturity dimensions: gaps 1 to {maturity}" in labels
    assert f"The 4 T's: gaps {maturity + 1} to {maturity + tee}" in labels
    assert f"The checklist: gaps {maturity + tee + 1} to {len(kinds)}" in labels
    opened(app, *GAP_SECTIONS)
    text = "\n".join(markdown(app))
    unknown = model.dimensions[-1].name
    assert f"{unknown} at Walk: not known: answered don't know" in text
    assert f"{unknown} at Walk: 0 % in place" not in text
    assert ": not done (answered no)**" in text
    assert "(no)**" not in text


def test_closed_sections_are_not_built_until_opened(app: AppTest, engine, model: Model) -> None:
    """The gap list and the coverage tables are closed on arrival and built only when opened: most
    visitors never open them, and they were most of the page's work on every run."""
    answers = round_one(model)
    results(app, stored(engine, model, [answers]))
    result = score(model, normalised(model, answers), Mode.FULL)
    course = load_course(model, *content_dirs())
    steps = len(start_here(result.gaps, course.lessons, course.banks))
    maturity = [n for n, gap in enumerate(result.gaps, start=1) if gap.kind == "maturity"]
    tee = [n for n, gap in enumerate(result.gaps, start=1) if gap.kind == "tee"]
    links = len(app.get("page_link"))
    tables = len(app.dataframe)

    assert numbered_gaps(app) == list(range(1, steps + 1))  # "Start here" only
    assert not any("reached" in table.value.columns for table in app.dataframe)

    opened(app, "gaps_tee")
    assert numbered_gaps(app) == [*range(1, steps + 1), *tee]
    assert len(app.get("page_link")) > links  # the gaps' lessons and quizzes
    opened(app, "gaps_maturity")
    assert numbered_gaps(app) == [*range(1, steps + 1), *maturity, *tee]

    opened(app, "coverage_per_stage")
    assert len(app.dataframe) == tables + 2
    assert any("reached" in table.value.columns for table in app.dataframe)  # the stage table


def test_change_since_last_round_sits_under_the_radar_with_signs_and_stages(app: AppTest, engine, model: Model) -> None:
    results(app, stored(engine, model, [round_one(model), round_two(model)]))

    headers = [h.value for h in app.header]
    assert headers[headers.index("Maturity by dimension") + 1] == "Change since round 1"
    assert headers.index("Change since round 1") < headers.index("All your gaps, in the order to tackle them")
    assert "Stage: Crawl → Walk." in markdown(app)
    table = next(text for text in markdown(app) if text.startswith("| Measure |"))
    first, last = model.dimensions[0].name, model.dimensions[-1].name
    first_row = next(line for line in table.splitlines() if line.startswith(f"| {first} |"))
    last_row = next(line for line in table.splitlines() if line.startswith(f"| {last} |"))
    assert f":red[**{MINUS}" in first_row  # its Run cell went down
    assert ":green[**+" in last_row and "| Crawl → Walk |" in last_row
    # With a change table under the radar, the dimension figures are not repeated beside it: the only
    # table on arrival is the 4 T's (AppTest gives tables no ids, so they are told apart by columns).
    assert [list(table.value.columns) for table in app.dataframe] == [["tee", "tee_score", "answered", "unknown"]]


def test_page_csv_and_json_show_the_same_digits(app: AppTest, engine, model: Model) -> None:
    answers = round_one(model)
    results(app, stored(engine, model, [answers]))
    result = score(model, normalised(model, answers), Mode.FULL)
    rows = list(csv.DictReader(io.StringIO(answers_and_scores_csv(model, normalised(model, answers), result))))
    csv_values = {row["id"]: row["value"] for row in rows if row["record"] == "score"}
    shown = json.loads(answers_and_scores_json(model, normalised(model, answers), result, 1, None))["shown"]

    page = app.dataframe[0].value  # the dimension table under the radar
    for dimension, figure in zip(model.dimensions, page["score"], strict=True):
        assert figure == csv_values[f"dimension.{dimension.id}"] == f"{shown['dimensions'][dimension.id]['score']:.1f}"
    tees = next(d.value for d in app.dataframe if "tee_score" in d.value.columns)
    for tee, figure in zip(model.tees, tees["tee_score"], strict=True):
        assert figure == csv_values[f"tee.{tee.id}"] == str(shown["tees"][tee.id])
    compliance = next(m.value for m in app.metric if m.label == "Checklist compliance")
    assert compliance == f"{csv_values['checklist.compliance']} %" == f"{shown['checklist_compliance_percent']} %"
