"""Downloads: the chart as PNG and SVG, answers and scores as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import altair as alt
import vl_convert as vlc

from assessment.model import Mode, Model
from assessment.scoring import AnswerValue, Result


def _spec_json(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    return json.dumps(chart) if isinstance(chart, dict) else chart.to_json()


def chart_png(chart: alt.TopLevelMixin | dict[str, Any], scale: float = 2.0) -> bytes:
    """An Altair chart or a Vega-Lite spec as PNG (scale 2: sharp on high-density screens and in print)."""
    return vlc.vegalite_to_png(_spec_json(chart), scale=scale)


def chart_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    return vlc.vegalite_to_svg(_spec_json(chart))


def answers_and_scores_json(
    model: Model, answers: dict[str, AnswerValue], result: Result, round_number: int, completed_at: datetime | None
) -> str:
    document = {
        "round": round_number,
        "mode": result.mode.value,
        "completed_at": completed_at.isoformat() if completed_at else None,
        "answers": {item_id: answers[item_id] for item_id in model.item_ids(Mode.FULL) if item_id in answers},
        "scores": result.to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def answers_and_scores_csv(model: Model, answers: dict[str, AnswerValue], result: Result) -> str:
    """One row per item asked (with its answer), then one row per score, in one flat table
    that opens cleanly in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "id", "section", "dimension_or_group", "stage", "text", "answer", "value"])
    asked = set(model.item_ids(result.mode))
    for dimension in model.dimensions:
        for s in dimension.statements:
            if s.id in asked:
                writer.writerow(["answer", s.id, "maturity", dimension.id, s.stage, s.text, answers.get(s.id, ""), ""])
    for tee in model.tees:
        for statement in tee.statements:
            if statement.id in asked:
                text = statement.text + (" (reverse-keyed)" if statement.reverse else "")
                writer.writerow(["answer", statement.id, "tee", tee.id, "", text, answers.get(statement.id, ""), ""])
    for item in model.checklist:
        writer.writerow(["answer", item.id, "checklist", item.group, "", item.text, answers.get(item.id, ""), ""])
    writer.writerow(["score", "stage", "overall", "", result.stage or "", "organisation stage", "", ""])
    for stage in result.stages:
        writer.writerow(
            [
                "score",
                f"stage_coverage.{stage.id}",
                "maturity",
                "",
                stage.id,
                "stage coverage",
                "",
                f"{float(stage.coverage):.4f}",
            ]
        )
    for d in result.dimensions:
        writer.writerow(
            [
                "score",
                f"dimension.{d.id}",
                "maturity",
                d.id,
                d.stage or "",
                "dimension score (0-4)",
                "",
                f"{d.score:.4f}",
            ]
        )
    for t in result.tees:
        writer.writerow(
            ["score", f"tee.{t.id}", "tee", t.id, "", "score (0-100)", "", "" if t.score is None else f"{t.score:.2f}"]
        )
    compliance = result.checklist.compliance
    writer.writerow(
        [
            "score",
            "checklist.compliance",
            "checklist",
            "",
            "",
            "compliance (0-1)",
            "",
            "" if compliance is None else f"{compliance:.4f}",
        ]
    )
    return out.getvalue()
