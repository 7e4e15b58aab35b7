"""Tables for the results page: plain rows from a Result.

Column names are stable ids ("stage", "score", ...), never translated text, so a page can pick,
order and label columns with `column_labels` in the visitor's language and the tests can name
them. Figures are text rounded by `reporting.numbers`, so every table shows the same digits as
the chart, the CSV and the JSON.

The tables are a handful of rows of text and counts, so they are plain lists, not pandas frames:
building a frame and having Streamlit convert it to Arrow cost about 2.5 ms per table on every run
of the results page, against about 0.5 ms for these rows turned into Arrow by the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import STAGE_IDS, Model
from assessment.scoring import Result
from i18n import _
from reporting.numbers import Kind, as_percent, change, fmt, signed

MISSING = "–"

Cell = str | int
Row = dict[str, Cell]


@dataclass(frozen=True)
class Table:
    """Rows under stable column ids, every row with every column, in `columns` order."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if tuple(row) != self.columns:
                raise ValueError(f"row columns {tuple(row)} are not the table's {self.columns}")

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> list[Cell]:
        """One column's cells, top to bottom."""
        return [row[column] for row in self.rows]


def _table(columns: tuple[str, ...], rows: list[Row]) -> Table:
    return Table(columns, tuple(rows))


def column_labels(model: Model) -> dict[str, str]:
    """Column id -> heading, in the current language."""
    labels = {
        "dimension": _("Dimension"),
        "stage": _("Stage"),
        "score": _("Score (0-4)"),
        "reached": _("Reached"),
        "coverage": _("Coverage %"),
        "points": _("Points"),
        "needed": _("Needed"),
        "of": _("Of"),
        "tee": _("T"),
        "tee_score": _("Score (0-100)"),
        "answered": _("Answered"),
        "unknown": _("Don't know"),
        "measure": _("Measure"),
        "before": _("Before"),
        "now": _("Now"),
        "change": _("Change"),
        "stage_change": _("Stage"),
    }
    labels |= {stage.id: _("{stage} %").format(stage=stage.name) for stage in model.stages}
    return labels


def stage_name(model: Model, stage_id: str | None) -> str:
    """The stage's name from the model; no stage reads "Not yet at <first stage>", named by the model."""
    if stage_id:
        return model.stage(stage_id).name
    return _("Not yet at {stage}").format(stage=model.stage(STAGE_IDS[0]).name)


def dimension_table(model: Model, result: Result, locale: str = "en") -> Table:
    """One row per dimension, key columns first (what a phone shows without scrolling the grid):
    dimension, stage, score, then the coverage of each stage in %."""
    rows = []
    for dimension in model.dimensions:
        scored = result.dimension(dimension.id)
        row: Row = {
            "dimension": dimension.name,
            "stage": stage_name(model, scored.stage),
            "score": fmt(scored.score, Kind.SCORE, locale),
        }
        for cell in scored.cells:
            # A cell whose every statement was answered "not applicable" has no coverage to show.
            row[cell.stage] = fmt(as_percent(cell.coverage), Kind.PERCENT, locale) if cell.applicable else _("n/a")
        rows.append(row)
    return _table(("dimension", "stage", "score", *STAGE_IDS), rows)


def stage_table(model: Model, result: Result, locale: str = "en") -> Table:
    return _table(
        ("stage", "reached", "coverage", "points", "needed", "of"),
        [
            {
                "stage": model.stage(s.id).name,
                "reached": "✓" if s.reached else "✗",
                "coverage": fmt(as_percent(s.coverage), Kind.PERCENT, locale) if s.applicable else _("n/a"),
                "points": s.points,
                "needed": 2 * s.statements,
                "of": 3 * s.statements,
            }
            for s in result.stages
        ],
    )


def tee_table(model: Model, result: Result, locale: str = "en") -> Table:
    """Scores and counts only: what each T means is long text, which a data grid cuts off, so the
    page shows it beside the table in full."""
    rows: list[Row] = []
    for tee in model.tees:
        scored = result.tee(tee.id)
        rows.append(
            {
                "tee": tee.name,
                "tee_score": fmt(scored.score, Kind.TEE, locale, missing=_("not enough answers")),
                "answered": scored.answered,
                "unknown": scored.unknown,
            }
        )
    return _table(("tee", "tee_score", "answered", "unknown"), rows)


def _direction(difference: object) -> str:
    if difference is None:
        return "none"
    return "up" if difference > 0 else "down" if difference < 0 else "same"  # type: ignore[operator]


def comparison_table(model: Model, before: Result, after: Result, locale: str = "en") -> Table:
    """Change since the previous round: dimensions (with their stage change), the 4 T's and the
    checklist. "change" is signed text of the difference of the figures shown; "direction" is
    up, down, same or none (a round without a figure), for colouring."""
    rows: list[Row] = []
    for dimension in model.dimensions:
        old, new = before.dimension(dimension.id), after.dimension(dimension.id)
        difference = change(old.score, new.score, Kind.SCORE)
        old_stage, new_stage = stage_name(model, old.stage), stage_name(model, new.stage)
        rows.append(
            {
                "measure": dimension.name,
                "before": fmt(old.score, Kind.SCORE, locale),
                "now": fmt(new.score, Kind.SCORE, locale),
                "change": signed(difference, Kind.SCORE, locale),
                "direction": _direction(difference),
                "stage_change": new_stage if old.stage == new.stage else f"{old_stage} → {new_stage}",
            }
        )
    for tee in model.tees:
        old_t, new_t = before.tee(tee.id).score, after.tee(tee.id).score
        difference = change(old_t, new_t, Kind.TEE)
        rows.append(
            {
                "measure": _("{tee} (0-100)").format(tee=tee.name),
                "before": fmt(old_t, Kind.TEE, locale, missing=MISSING),
                "now": fmt(new_t, Kind.TEE, locale, missing=MISSING),
                "change": signed(difference, Kind.TEE, locale, missing=MISSING),
                "direction": _direction(difference),
                "stage_change": "",
            }
        )
    old_c, new_c = before.checklist.compliance, after.checklist.compliance
    old_p = None if old_c is None else as_percent(old_c)
    new_p = None if new_c is None else as_percent(new_c)
    difference = change(old_p, new_p, Kind.PERCENT)
    rows.append(
        {
            "measure": _("Checklist compliance %"),
            "before": fmt(old_p, Kind.PERCENT, locale, missing=MISSING),
            "now": fmt(new_p, Kind.PERCENT, locale, missing=MISSING),
            "change": signed(difference, Kind.PERCENT, locale, missing=MISSING),
            "direction": _direction(difference),
            "stage_change": "",
        }
    )
    return _table(("measure", "before", "now", "change", "direction", "stage_change"), rows)


def stage_change_sentence(model: Model, before: Result, after: Result) -> str:
    old, new = stage_name(model, before.stage), stage_name(model, after.stage)
    if before.stage == after.stage:
        return _("Stage unchanged: {stage}.").format(stage=new)
    return _("Stage: {old} → {new}.").format(old=old, new=new)
