"""Why the headline stage is what it is: points needed and got, and the dimensions behind."""

from __future__ import annotations

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import score
from reporting.headline import explain, lagging, most_dimensions_are_there, stage_gap
from tests.reporting.conftest import (
    ANSWER_SETS,
    Answers,
    full_result,
    points_of,
    stage_answers,
    stage_statements,
)


def walk_mostly(model: Model) -> tuple[Answers, list[str], list[str]]:
    """The walk-through's case: Crawl fully in place everywhere, Walk largely in place in seven
    dimensions and not at all in three. Seven dimensions are at Walk on their own; the pool is not."""
    answers: Answers = {s.id: "fully" for d in model.dimensions for s in d.cell("crawl")}
    two_walk = [d for d in model.dimensions if len(d.cell("walk")) == 2]
    at_walk = [d.id for d in two_walk[:7]]
    behind = [d.id for d in model.dimensions if d.id not in at_walk]
    for dimension in model.dimensions:
        for statement in dimension.cell("walk"):
            answers[statement.id] = "largely" if dimension.id in at_walk else "none"
    return answers, at_walk, behind


def test_most_dimensions_at_walk_but_the_pool_is_not(model: Model) -> None:
    answers, at_walk, behind = walk_mostly(model)
    result = full_result(model, answers)
    assert result.stage == "crawl"
    assert sum(d.stage == "walk" for d in result.dimensions) == 7

    gap = stage_gap(result)
    walk = stage_statements(model, "walk")
    assert gap is not None
    assert gap.stage == "walk"
    assert (gap.needed, gap.points) == (2 * len(walk), points_of(answers, walk)) == (36, 28)
    assert gap.short == 8
    assert list(gap.dimensions_there) == at_walk
    assert most_dimensions_are_there(result, gap)
    assert [cell.dimension for cell in gap.behind] == sorted(
        behind, key=lambda d: (-2 * len(model.dimension(d).cell("walk")), [x.id for x in model.dimensions].index(d))
    )
    assert all(cell.points == 0 and cell.short == cell.needed for cell in gap.behind)

    text = explain(model, result)
    assert text[0] == (
        "7 of 10 dimensions are at Walk or beyond on their own, but the organisation's stage counts "
        "the Walk statements of all dimensions together."
    )
    assert text[1] == "**Walk needs 36 points; you have 28** (8 short)."
    names = [model.dimension(cell.dimension).name for cell in gap.behind]
    shorts = [cell.short for cell in gap.behind]
    assert text[2] == (
        f"Furthest behind at Walk: {names[0]} ({shorts[0]} points short), {names[1]} ({shorts[1]} points short), "
        f"and {names[2]} ({shorts[2]} points short)."
    )
    assert len(text) == 3


def test_the_walkthrough_example_of_36_and_30(model: Model) -> None:
    """Walk needs 36 points (18 statements); 15 of them largely in place give 30."""
    answers: Answers = {s.id: "fully" for d in model.dimensions for s in d.cell("crawl")}
    walk = [s.id for d in model.dimensions for s in d.cell("walk")]
    for item_id in walk[:15]:
        answers[item_id] = "largely"  # 30 points
    for item_id in walk[15:]:
        answers[item_id] = "none"
    gap = stage_gap(full_result(model, answers))
    assert gap is not None
    assert (gap.stage, gap.needed, gap.points, gap.short) == ("walk", 36, 30, 6)
    assert "**Walk needs 36 points; you have 30** (6 short)." in explain(model, full_result(model, answers))


def test_nothing_reached_explains_crawl(model: Model) -> None:
    result = full_result(model, {})
    gap = stage_gap(result)
    assert gap is not None
    assert (gap.stage, gap.points, gap.needed) == ("crawl", 0, 2 * len(stage_statements(model, "crawl")))
    assert gap.dimensions_there == ()
    assert not most_dimensions_are_there(result, gap)
    assert len(gap.behind) == len(model.dimensions)
    # Ties (every cell empty) are broken by the most points short, then the model's order.
    assert [cell.short for cell in gap.behind] == sorted((cell.short for cell in gap.behind), reverse=True)
    text = explain(model, result)
    assert text[0] == "**Crawl needs 24 points; you have 0** (24 short)."
    assert text[-1].startswith("Furthest behind at Crawl: ")
    assert text[-1].endswith(". 7 more dimensions are short at Crawl too.")
    assert len(text) == 2


def test_everything_reached_needs_no_explanation(model: Model) -> None:
    result = full_result(model, ANSWER_SETS["all-fully"](model))
    assert stage_gap(result) is None
    assert lagging(result) == ()
    assert explain(model, result) == []


def test_a_higher_stage_reached_does_not_hide_the_first_one_missing(model: Model) -> None:
    answers = stage_answers(model, "crawl") | {s.id: "fully" for d in model.dimensions for s in d.cell("run")}
    gap = stage_gap(full_result(model, answers))
    assert gap is not None and gap.stage == "walk"


def test_quick_scan_dimensions_below_the_organisation_are_named(model: Model) -> None:
    answers = ANSWER_SETS["demo"](model)
    result = score(model, answers, Mode.QUICK)
    assert result.stage == "walk"
    below = lagging(result)
    assert below == tuple(
        d.id for d in result.dimensions if d.stage is None or STAGE_IDS.index(d.stage) < STAGE_IDS.index("walk")
    )
    assert below, "the demo quick scan has a dimension below Walk"
    text = explain(model, result)
    names = [model.dimension(d).name for d in below]
    assert any(all(name in sentence for name in names) and "on its own" in sentence for sentence in text)


def test_point_and_points(model: Model) -> None:
    """One point short reads "1 point short"."""
    answers = stage_answers(model, "crawl")
    first = model.dimensions[0]
    walk = [s.id for d in model.dimensions for s in d.cell("walk")]
    answers |= {item_id: "largely" for item_id in walk}
    answers[first.cell("walk")[0].id] = "partly"  # one point short in the first dimension
    result = full_result(model, answers)
    gap = stage_gap(result)
    assert gap is not None and gap.short == 1
    assert f"Furthest behind at Walk: {first.name} (1 point short)." in explain(model, result)
