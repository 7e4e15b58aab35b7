"""The room's figures in words and tables, for the presenter's page: translated when called, rounded by
`reporting.numbers` like every other figure a person reads."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.model import MATURITY_VALUES, NOT_APPLICABLE, Model
from assessment.scoring import Gap
from i18n import _
from reporting.numbers import Kind, fmt
from reporting.room import UNANSWERED, DimensionSpread, RoomFigures, StatementAnswers
from reporting.tables import stage_name


def gap_label(model: Model, gap: Gap) -> str:
    """A common gap in words, without anyone's figures."""
    if gap.kind == "maturity" and gap.dimension and gap.stage:
        return _("{dimension} at {stage}").format(
            dimension=model.dimension(gap.dimension).name, stage=model.stage(gap.stage).name
        )
    if gap.kind == "tee" and gap.tee:
        return _("{tee} below 75 of 100").format(tee=model.tee(gap.tee).name)
    item = model.checklist_item(gap.item or "")
    return _("Checklist: {text}").format(text=item.text.rstrip(". "))


Columns = dict[str, list[object]]


def stage_label(model: Model, stage: str | None) -> str:
    return stage_name(model, stage)


def answer_label(value: str) -> str:
    """A maturity answer as the room's tables head it."""
    words = {
        "none": _("not in place"),
        "partly": _("partly in place"),
        "largely": _("largely in place"),
        "fully": _("fully in place"),
        "dont_know": _("don't know"),
        NOT_APPLICABLE: _("not applicable"),
        UNANSWERED: _("not answered"),
    }
    return words.get(value, value)


def stage_table(model: Model, figures: RoomFigures) -> Columns:
    return {
        _("Stage"): [stage_label(model, s.stage) for s in figures.stages],
        _("Participants"): [s.count for s in figures.stages],
    }


def stage_description(model: Model, figures: RoomFigures) -> str:
    """One sentence naming the largest group; when several stages tie for it, all of them."""
    largest = max(stage.count for stage in figures.stages)
    tied = [stage_label(model, stage.stage) for stage in figures.stages if stage.count == largest]
    return _(
        "Bar chart of how many finished participants are at each stage; the largest group: {stage} ({count})."
    ).format(stage=", ".join(tied), count=largest)


def spread_table(model: Model, spreads: Sequence[DimensionSpread], locale: str = "en") -> Columns:
    return {
        _("Dimension"): [model.dimension(d.dimension).name for d in spreads],
        _("Median"): [fmt(d.median, Kind.SCORE, locale) for d in spreads],
        _("Q1"): [fmt(d.q1, Kind.SCORE, locale) for d in spreads],
        _("Q3"): [fmt(d.q3, Kind.SCORE, locale) for d in spreads],
        _("Spread (Q3 − Q1)"): [fmt(d.spread, Kind.SCORE, locale) for d in spreads],
    }


def radar_description(model: Model, figures: RoomFigures, locale: str = "en") -> str:
    ranked = sorted(figures.dimensions, key=lambda d: -d.median)
    return _(
        "Radar chart of the room's median score per dimension, from 0 (centre) to 4 (outer ring), with the band "
        "from the first to the third quartile shaded: the middle half of the participants. Highest median: "
        "{high} ({high_value}); lowest: {low} ({low_value})."
    ).format(
        high=model.dimension(ranked[0].dimension).name,
        high_value=fmt(ranked[0].median, Kind.SCORE, locale),
        low=model.dimension(ranked[-1].dimension).name,
        low_value=fmt(ranked[-1].median, Kind.SCORE, locale),
    )


def statement_table(model: Model, rows: Sequence[StatementAnswers]) -> Columns:
    """One dimension's statements, a column per answer (not applicable only when a statement takes it)."""
    taken = {value for row in rows for value, _count in row.counts}
    values = [value for value in (*MATURITY_VALUES, NOT_APPLICABLE, UNANSWERED) if value in taken]
    table: Columns = {_("Statement"): [_item_text(model, row.statement) for row in rows]}
    for value in values:
        table[answer_label(value)] = [dict(row.counts).get(value) for row in rows]
    table[_("Asked")] = [row.asked for row in rows]
    return table


def _item_text(model: Model, item_id: str) -> str:
    found = model.item(item_id)
    return found.text if found is not None else item_id


def gap_table(model: Model, figures: RoomFigures) -> Columns:
    return {
        _("Gap"): [gap_label(model, g.gap) for g in figures.gaps],
        _("Participants"): [g.participants for g in figures.gaps],
        _("Lesson to teach next"): [g.lesson.title if g.lesson else _("no lesson yet") for g in figures.gaps],
    }
