"""Tables for the results page and its downloads: plain data frames from a Result."""

from __future__ import annotations

import pandas as pd

from assessment.model import Model
from assessment.scoring import Result
from i18n import _


def _stage_name(model: Model, stage_id: str | None) -> str:
    return model.stage(stage_id).name if stage_id else _("Not yet at Crawl")


def stage_table(model: Model, result: Result) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                _("Stage"): model.stage(s.id).name,
                _("Points"): s.points,
                _("Of"): 3 * s.statements,
                _("Needed"): 2 * s.statements,
                _("Coverage %"): round(float(s.coverage) * 100),
                _("Reached"): "✓" if s.reached else "✗",
            }
            for s in result.stages
        ]
    )


def tee_table(model: Model, result: Result) -> pd.DataFrame:
    """Scores and counts only: what each T means is long text, which a data grid cuts off, so the
    page shows it beside the table in full."""
    rows = []
    for tee in model.tees:
        scored = result.tee(tee.id)
        rows.append(
            {
                _("T"): tee.name,
                _("Score (0-100)"): None if scored.score is None else round(scored.score),
                _("Answered"): scored.answered,
                _("Don't know"): scored.unknown,
            }
        )
    return pd.DataFrame(rows)


def comparison_table(model: Model, before: Result, after: Result) -> pd.DataFrame:
    """Change since the previous round: dimensions, the 4 T's and the checklist."""
    rows = []
    for dimension in model.dimensions:
        old, new = before.dimension(dimension.id).score, after.dimension(dimension.id).score
        rows.append(
            {
                _("Measure"): dimension.name,
                _("Before"): round(old, 2),
                _("Now"): round(new, 2),
                _("Change"): round(new - old, 2),
            }
        )
    for tee in model.tees:
        old_t, new_t = before.tee(tee.id).score, after.tee(tee.id).score
        rows.append(
            {
                _("Measure"): f"{tee.name} (0-100)",
                _("Before"): None if old_t is None else round(old_t),
                _("Now"): None if new_t is None else round(new_t),
                _("Change"): None if old_t is None or new_t is None else round(new_t - old_t),
            }
        )
    old_c, new_c = before.checklist.compliance, after.checklist.compliance
    rows.append(
        {
            _("Measure"): _("Checklist compliance %"),
            _("Before"): None if old_c is None else round(old_c * 100),
            _("Now"): None if new_c is None else round(new_c * 100),
            _("Change"): None if old_c is None or new_c is None else round((new_c - old_c) * 100),
        }
    )
    return pd.DataFrame(rows)


def stage_change_sentence(model: Model, before: Result, after: Result) -> str:
    old, new = _stage_name(model, before.stage), _stage_name(model, after.stage)
    if before.stage == after.stage:
        return _("Stage unchanged: {stage}.").format(stage=new)
    return _("Stage: {old} → {new}.").format(old=old, new=new)
