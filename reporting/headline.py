"""Why the organisation is at its stage: the figures behind the results page's headline.

The organisation's stage is pooled (docs/scoring.md, section 1): the next stage is reached when
the points of all its statements together reach 2 x its statements. A dimension's own stage uses
the same rule on the dimension's cells alone. So most dimensions can be at Walk while the
organisation is not, when a few dimensions are far enough behind to pull the pool under the
line; and a dimension can be below the organisation's stage when others make up for it.

`stage_gap` gives the numbers for the first case (points needed and got at the next stage, and
which dimensions' cells at that stage are furthest from "largely in place"); `lagging` gives
the dimensions of the second. `explain` words both for the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list

from assessment.model import STAGE_IDS, Model
from assessment.scoring import Result
from i18n import _, ngettext

_REACHED_AVERAGE = 2  # "largely in place", as in assessment.scoring
_NAMED_BEHIND = 3  # at most this many dimensions are named as furthest behind


@dataclass(frozen=True)
class CellShortfall:
    """One dimension's cell at the stage to reach next, when it is not reached on its own."""

    dimension: str
    points: int
    needed: int

    @property
    def short(self) -> int:
        return self.needed - self.points


@dataclass(frozen=True)
class StageGap:
    """How far the organisation is from its next stage."""

    stage: str  # the first stage not reached: the one to reach next
    points: int  # points at that stage, over every dimension
    needed: int  # 2 x the statements at that stage
    dimensions_there: tuple[str, ...]  # dimensions whose own stage is this stage or later, in model order
    behind: tuple[CellShortfall, ...]  # cells at this stage not reached: most points short first, then model order

    @property
    def short(self) -> int:
        return self.needed - self.points


def stage_gap(result: Result) -> StageGap | None:
    """The numbers behind "you are not at the next stage yet"; None when every stage is reached."""
    index = next((i for i, s in enumerate(result.stages) if not s.reached), None)
    if index is None:
        return None
    stage = result.stages[index]
    there = tuple(d.id for d in result.dimensions if d.stage is not None and STAGE_IDS.index(d.stage) >= index)
    cells = [
        CellShortfall(d.id, d.cells[index].points, _REACHED_AVERAGE * d.cells[index].statements)
        for d in result.dimensions
        if d.cells[index].statements and not d.cells[index].reached
    ]
    order = {d.id: i for i, d in enumerate(result.dimensions)}
    cells.sort(key=lambda cell: (-cell.short, order[cell.dimension]))
    return StageGap(stage.id, stage.points, _REACHED_AVERAGE * stage.statements, there, tuple(cells))


def lagging(result: Result) -> tuple[str, ...]:
    """Dimensions whose own stage is below the organisation's (none when the organisation has no stage)."""
    if result.stage is None:
        return ()
    level = STAGE_IDS.index(result.stage)
    return tuple(d.id for d in result.dimensions if d.stage is None or STAGE_IDS.index(d.stage) < level)


def most_dimensions_are_there(result: Result, gap: StageGap) -> bool:
    """More than half of the dimensions are at the next stage on their own: the headline looks low."""
    return 2 * len(gap.dimensions_there) > len(result.dimensions)


def explain(model: Model, result: Result, locale: str = "en") -> list[str]:
    """Sentences (Markdown) that say why the headline stage is what it is; empty when there is nothing to add."""
    sentences: list[str] = []
    names = {d.id: d.name for d in model.dimensions}
    gap = stage_gap(result)
    if gap is not None:
        stage = model.stage(gap.stage).name
        if most_dimensions_are_there(result, gap):
            sentences.append(
                _(
                    "{count} of {total} dimensions are at {stage} or beyond on their own, but the "
                    "organisation's stage counts the {stage} statements of all dimensions together."
                ).format(count=len(gap.dimensions_there), total=len(result.dimensions), stage=stage)
            )
        sentences.append(
            _("**{stage} needs {needed} points; you have {points}** ({short} short).").format(
                stage=stage, needed=gap.needed, points=gap.points, short=gap.short
            )
        )
        named = gap.behind[:_NAMED_BEHIND]
        if named:
            parts = [
                ngettext("{dimension} ({short} point short)", "{dimension} ({short} points short)", cell.short).format(
                    dimension=names[cell.dimension], short=cell.short
                )
                for cell in named
            ]
            sentences.append(
                _("Furthest behind at {stage}: {dimensions}.").format(
                    stage=stage, dimensions=format_list(parts, locale=locale)
                )
            )
            more = len(gap.behind) - len(named)
            if more:  # said in the same breath as the dimensions named
                sentences[-1] += " " + (
                    ngettext(
                        "{count} more dimension is short at {stage} too.",
                        "{count} more dimensions are short at {stage} too.",
                        more,
                    ).format(count=more, stage=stage)
                )
    behind_own = lagging(result)
    if behind_own and result.stage is not None:
        sentences.append(
            ngettext(
                "{dimensions} has not reached {stage} on its own; the other dimensions make up for it.",
                "{dimensions} have not reached {stage} on their own; the other dimensions make up for them.",
                len(behind_own),
            ).format(
                dimensions=format_list([names[d] for d in behind_own], locale=locale),
                stage=model.stage(result.stage).name,
            )
        )
    return sentences
