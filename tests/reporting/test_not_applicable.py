"""A cell or stage whose every statement was answered "not applicable" shows no percentage: "n/a" in
the tables, null in the JSON figures and the radar's tooltip, an empty cell in the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assessment.loader import load_model
from assessment.model import Mode, Model
from assessment.scoring import Result, score
from reporting.export import answers_and_scores_csv, shown_figures
from reporting.radar import RadarSeries, _series_rows
from reporting.tables import dimension_table, stage_table
from tests.assessment.conftest import SYNTHETIC_TOML, replace_once

# The synthetic model with c.fly.1, the one statement of content at fly, marked may_not_apply too.
FLY_MAY_NOT_APPLY = replace_once(
    SYNTHETIC_TOML, 'id = "c.fly.1"\nstage = "fly"\n', 'id = "c.fly.1"\nstage = "fly"\nmay_not_apply = true\n'
)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path: Path = tmp_path_factory.mktemp("model") / "model.toml"
    path.write_text(FLY_MAY_NOT_APPLY, encoding="utf-8")
    return load_model(path)


@pytest.fixture(scope="module")
def result(model: Model) -> Result:
    answers = {s.id: "fully" for s in model.maturity_statements()}
    answers["c.fly.1"] = "na"
    return score(model, answers, Mode.FULL)


def test_the_cell_is_not_applicable_and_the_stage_still_is(result: Result) -> None:
    content = result.dimension("content")
    assert [c.applicable for c in content.cells] == [True, True, True, False]
    assert all(s.applicable for s in result.stages)  # people's fly statement still counts at fly


def test_tables_say_n_a_for_the_cell(model: Model, result: Result) -> None:
    rows = {row["dimension"]: row for row in dimension_table(model, result).rows}
    content, people = rows[model.dimension("content").name], rows[model.dimension("people").name]
    assert content["fly"] == "n/a" and content["run"] == "100"
    assert people["fly"] == "100"
    assert all(row["coverage"] != "n/a" for row in stage_table(model, result).rows)


def test_json_and_radar_give_null_for_the_cell(model: Model, result: Result) -> None:
    figures = shown_figures(result)
    assert figures["dimensions"]["content"]["coverage_percent"]["fly"] is None  # type: ignore[index]
    assert figures["dimensions"]["people"]["coverage_percent"]["fly"] == 100  # type: ignore[index]
    names = {stage.id: stage.name for stage in model.stages}
    rows = _series_rows(model, RadarSeries("Round 1", result), 0, names)
    content = next(row for row in rows if row["dimension"] == model.dimension("content").name)
    assert content["Fly %"] is None


def test_a_stage_with_nothing_applicable_is_n_a_and_reached(tmp_path: Path) -> None:
    # Both fly statements (people's and content's) may not apply, and both are answered so.
    both = replace_once(
        FLY_MAY_NOT_APPLY, 'id = "p.fly.1"\nstage = "fly"\n', 'id = "p.fly.1"\nstage = "fly"\nmay_not_apply = true\n'
    )
    path = tmp_path / "model.toml"
    path.write_text(both, encoding="utf-8")
    model = load_model(path)
    answers = {s.id: "fully" for s in model.maturity_statements()}
    answers["c.fly.1"] = answers["p.fly.1"] = "na"
    result = score(model, answers, Mode.FULL)
    fly = result.stages[-1]
    assert not fly.applicable and fly.reached and result.stage == "fly"
    assert [row["coverage"] for row in stage_table(model, result).rows][-1] == "n/a"
    assert shown_figures(result)["stage_coverage_percent"]["fly"] is None  # type: ignore[index]
    rows = list(csv.reader(io.StringIO(answers_and_scores_csv(model, answers, result))))
    fly_row = next(row for row in rows if row[:2] == ["score", "stage_coverage.fly"])
    assert fly_row[7] == "" and fly_row[8] == ""
