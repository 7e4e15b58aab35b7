"""Downloads: the chart as PNG and SVG, answers and scores as CSV and JSON.

Each download names the organisation (when the respondent gave one), the round and the date, in
its file name (slugged) and in its content. Figures follow `reporting.numbers`: the CSV's
`value` column and the JSON's `shown` object hold exactly the digits the results page shows;
the CSV's `exact` column and the JSON's `scores` object (the shape of `python -m assessment
score`) keep the unrounded values, to 4 decimals, for anyone who recomputes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime
from typing import Any

import vl_convert as vlc
from babel.dates import format_date

from assessment.model import Mode, Model
from assessment.scoring import AnswerValue, Result
from i18n import _, current_language
from reporting.chart_locale import with_locale
from reporting.numbers import Kind, as_json, as_percent, plain

_SLUG_MAX = 40
# Letters that Unicode does not decompose into an ASCII letter and an accent.
_TRANSLITERATE = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "oe",
        "Ø": "OE",
        "ß": "ss",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)


def slug(text: str) -> str:
    """Text as a file-name part: ASCII letters and digits joined by hyphens ("Walkers & Co. BV" -> "walkers-co-bv")."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    joined = "-".join(words)
    return joined[:_SLUG_MAX].rstrip("-")


def download_stem(organisation: str | None, round_number: int, day: date) -> str:
    """The file name without extension: maturity-<organisation>-round-<n>-<yyyy-mm-dd>."""
    parts = ["maturity", slug(organisation or ""), f"round-{round_number}", day.isoformat()]
    return "-".join(part for part in parts if part)


def chart_subtitle(organisation: str | None, round_number: int, day: date, locale: str = "en") -> str:
    """The line under the exported chart's title: organisation, round and date."""
    parts = [organisation.strip()] if organisation and organisation.strip() else []
    parts.append(_("Round {n}").format(n=round_number))
    parts.append(format_date(day, format="long", locale=locale))
    return " · ".join(parts)


def chart_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """A Vega-Lite spec as PNG (scale 2: sharp on high-density screens and in print), its numbers and
    dates in the active language unless the spec names its own locale."""
    return vlc.vegalite_to_png(json.dumps(_localised(spec)), scale=scale)


def chart_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as SVG, formatted like `chart_png`."""
    return vlc.vegalite_to_svg(json.dumps(_localised(spec)))


def _localised(spec: dict[str, Any]) -> dict[str, Any]:
    return spec if "locale" in spec.get("config", {}) else with_locale(spec, current_language())


def shown_figures(result: Result) -> dict[str, object]:
    """The figures as the results page shows them, rounded by `reporting.numbers`."""
    return {
        "stage": result.stage,
        # null where nothing was applicable (every statement answered "not applicable").
        "stage_coverage_percent": {
            s.id: as_json(as_percent(s.coverage), Kind.PERCENT) if s.applicable else None for s in result.stages
        },
        "dimensions": {
            d.id: {
                "score": as_json(d.score, Kind.SCORE),
                "stage": d.stage,
                "coverage_percent": {
                    c.stage: as_json(as_percent(c.coverage), Kind.PERCENT) if c.applicable else None for c in d.cells
                },
            }
            for d in result.dimensions
        },
        "tees": {t.id: as_json(t.score, Kind.TEE) for t in result.tees},
        "checklist_compliance_percent": (
            None
            if result.checklist.compliance is None
            else as_json(as_percent(result.checklist.compliance), Kind.PERCENT)
        ),
    }


def answers_and_scores_json(
    model: Model,
    answers: dict[str, AnswerValue],
    result: Result,
    round_number: int,
    completed_at: datetime | None,
    organisation: str | None = None,
) -> str:
    """`shown` holds the figures as on the page; `scores` the exact ones (4 decimals), as the CLI gives them."""
    document = {
        "organisation": organisation or None,
        "round": round_number,
        "mode": result.mode.value,
        "completed_at": completed_at.isoformat() if completed_at else None,
        "answers": {item_id: answers[item_id] for item_id in model.item_ids(Mode.FULL) if item_id in answers},
        "shown": shown_figures(result),
        "scores": result.to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _exact(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def answers_and_scores_csv(
    model: Model,
    answers: dict[str, AnswerValue],
    result: Result,
    organisation: str | None = None,
    round_number: int | None = None,
    completed_at: datetime | None = None,
) -> str:
    """About rows (organisation, round, completion), one row per item asked (with its answer), then
    one row per score, in one flat table that opens cleanly in a spreadsheet. A score row's `value`
    is the figure as the results page shows it; `exact` is the same figure unrounded (4 decimals)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "id", "section", "dimension_or_group", "stage", "text", "answer", "value", "exact"])
    writer.writerow(["about", "organisation", "", "", "", "organisation", "", organisation or "", ""])
    writer.writerow(["about", "round", "", "", "", "round", "", "" if round_number is None else round_number, ""])
    writer.writerow(
        ["about", "completed_at", "", "", "", "completed", "", completed_at.isoformat() if completed_at else "", ""]
    )
    asked = set(model.item_ids(result.mode))
    for dimension in model.dimensions:
        for s in dimension.statements:
            if s.id in asked:
                writer.writerow(
                    ["answer", s.id, "maturity", dimension.id, s.stage, s.text, answers.get(s.id, ""), "", ""]
                )
    for tee in model.tees:
        for statement in tee.statements:
            if statement.id in asked:
                text = statement.text + (" (reverse-keyed)" if statement.reverse else "")
                writer.writerow(
                    ["answer", statement.id, "tee", tee.id, "", text, answers.get(statement.id, ""), "", ""]
                )
    for item in model.checklist:
        writer.writerow(["answer", item.id, "checklist", item.group, "", item.text, answers.get(item.id, ""), "", ""])
    writer.writerow(["score", "stage", "overall", "", result.stage or "", "organisation stage", "", "", ""])
    for stage in result.stages:
        # Empty where nothing at the stage was applicable, as for a checklist with nothing answered.
        percent = as_percent(stage.coverage) if stage.applicable else None
        writer.writerow(
            [
                "score",
                f"stage_coverage.{stage.id}",
                "maturity",
                "",
                stage.id,
                "stage coverage (%)",
                "",
                plain(percent, Kind.PERCENT),
                _exact(None if percent is None else float(percent)),
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
                plain(d.score, Kind.SCORE),
                _exact(d.score),
            ]
        )
    for t in result.tees:
        writer.writerow(
            ["score", f"tee.{t.id}", "tee", t.id, "", "score (0-100)", "", plain(t.score, Kind.TEE), _exact(t.score)]
        )
    compliance = result.checklist.compliance
    percent_c = None if compliance is None else as_percent(compliance)
    writer.writerow(
        [
            "score",
            "checklist.compliance",
            "checklist",
            "",
            "",
            "compliance (%)",
            "",
            plain(percent_c, Kind.PERCENT),
            _exact(None if percent_c is None else float(percent_c)),
        ]
    )
    return out.getvalue()
