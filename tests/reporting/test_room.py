"""The room's figures: quartiles on known numbers, the most disputed dimensions and their ties, answer
distributions per statement, the most common gaps with their lesson, and the three-finished rule."""

from __future__ import annotations

import dataclasses
import json
import math
from fractions import Fraction
from pathlib import Path

import altair
import pytest
from jsonschema import Draft7Validator

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import AnswerValue, Gap, score
from lessons.loader import Lesson
from reporting import room, room_text
from reporting.radar import band_radar_spec
from reporting.room import MIN_FINISHED, UNANSWERED, DimensionSpread, Finished, RoomSummary, summarise
from tests.reporting.conftest import stage_answers

Answers = dict[str, AnswerValue]


def maturity(model: Model, value: str, **per_dimension: str) -> Answers:
    """The same answer to every maturity statement, except whole dimensions given their own."""
    return {s.id: per_dimension.get(s.dimension, value) for s in model.maturity_statements(Mode.FULL)}


def finished(model: Model, answers: Answers, mode: Mode = Mode.FULL) -> Finished:
    return Finished(score(model, answers, mode), answers)


def close(value: float, expected: Fraction | float) -> bool:
    return value == pytest.approx(float(expected), abs=1e-12)


# Quartiles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1, 2, 3, 4], (1.75, 2.5, 3.25)),  # the docstring's example
        ([4, 0, 1], (0.5, 1, 2.5)),  # unsorted: positions 0.5 and 1.5 of 0, 1, 4
        ([2, 2, 2], (2, 2, 2)),
        ([0, 0, 0, 4, 4], (0, 0, 4)),
    ],
)
def test_quartiles_interpolate_between_sorted_values_inclusively(
    scores: list[float], expected: tuple[float, float, float]
) -> None:
    assert room.quartiles(scores) == pytest.approx(expected)


def test_the_most_disputed_are_the_largest_spreads_with_ties_in_model_order() -> None:
    spreads = [
        DimensionSpread("a", 1, 1, 2),  # 1
        DimensionSpread("b", 1, 0, 3),  # 3
        DimensionSpread("c", 1, 1, 2),  # 1
        DimensionSpread("d", 1, 0.1, 1.1),  # 1.0000000000000002 in floats: a tie with a and c
        DimensionSpread("e", 1, 0, 3),  # 3
    ]
    assert [d.dimension for d in room.most_disputed(spreads)] == ["b", "e", "a"]
    assert [d.dimension for d in room.most_disputed(spreads, n=5)] == ["b", "e", "a", "c", "d"]


# The summary -------------------------------------------------------------------------------------


def test_medians_and_bands_of_three_known_participants(model: Model) -> None:
    # Per cell: none 0, largely 2/3, fully 1; a dimension's score is the sum over its four cells.
    people = [finished(model, maturity(model, value)) for value in ("none", "largely", "fully")]
    summary = summarise(model, 5, people)
    assert (summary.joined, summary.finished) == (5, 3)
    figures = summary.figures
    assert figures is not None
    assert [d.dimension for d in figures.dimensions] == [d.id for d in model.dimensions]
    for spread in figures.dimensions:
        assert close(spread.median, Fraction(8, 3))
        assert close(spread.q1, Fraction(4, 3))  # half-way between 0 and 8/3
        assert close(spread.q3, Fraction(10, 3))  # half-way between 8/3 and 4
    # Every spread is the same: the first three dimensions of the model.
    assert [d.dimension for d in figures.disputed] == [d.id for d in model.dimensions[:3]]


def test_the_room_disagrees_most_where_the_scores_spread(model: Model) -> None:
    last, before_last = model.dimensions[-1].id, model.dimensions[-2].id
    people = [
        finished(model, maturity(model, "none")),
        finished(model, maturity(model, "none")),
        finished(model, maturity(model, "none", **{last: "fully", before_last: "largely"})),
    ]
    figures = summarise(model, 3, people).figures
    assert figures is not None
    by_id = {d.dimension: d for d in figures.dimensions}
    assert (by_id[last].q1, by_id[last].median, by_id[last].q3) == (0, 0, 2)  # 0, 0, 4
    assert close(by_id[before_last].spread, Fraction(4, 3))  # 0, 0, 8/3
    assert [d.dimension for d in figures.disputed] == [last, before_last, model.dimensions[0].id]


def test_stage_distribution_lists_every_stage_and_not_yet(model: Model) -> None:
    people = [finished(model, stage_answers(model, stage)) for stage in (None, "walk", "walk", "fly")]
    figures = summarise(model, 4, people).figures
    assert figures is not None
    assert [(s.stage, s.count) for s in figures.stages] == [
        (None, 1), ("crawl", 0), ("walk", 2), ("run", 0), ("fly", 1),
    ]  # fmt: skip
    assert [s.stage for s in figures.stages][1:] == list(STAGE_IDS)


def test_answer_distribution_per_statement_with_not_applicable_and_quick_scans(model: Model) -> None:
    optional = next(s for s in model.maturity_statements(Mode.FULL) if s.may_not_apply)
    full_only = next(s for s in model.maturity_statements(Mode.FULL) if not s.quick)
    quick = next(s for s in model.maturity_statements(Mode.FULL) if s.quick and not s.may_not_apply)
    first = maturity(model, "partly") | {optional.id: "na", quick.id: "dont_know"}
    second = maturity(model, "partly") | {optional.id: "fully"}
    del second[quick.id]
    third = {s.id: "largely" for s in model.maturity_statements(Mode.QUICK)}  # a quick scan
    people = [finished(model, first), finished(model, second), finished(model, third, Mode.QUICK)]
    figures = summarise(model, 3, people).figures
    assert figures is not None
    rows = {row.statement: row for row in figures.statements}
    assert [row.statement for row in figures.statements] == [s.id for s in model.maturity_statements(Mode.FULL)]

    # Every answer the statement takes, in the model's order, then the unanswered.
    assert [value for value, _count in rows[optional.id].counts] == [*optional.values(), UNANSWERED]
    assert "na" in optional.values()
    counts = dict(rows[optional.id].counts)
    assert (counts["na"], counts["fully"], counts[UNANSWERED]) == (1, 1, 0)
    assert dict(rows[quick.id].counts) == {
        "none": 0, "partly": 0, "largely": 1, "fully": 0, "dont_know": 1, UNANSWERED: 1,
    }  # fmt: skip
    assert "na" not in dict(rows[quick.id].counts)
    # The quick scan was not asked the full-only statement.
    assert rows[full_only.id].asked == 2 and dict(rows[full_only.id].counts)["partly"] == 2
    assert rows[quick.id].asked == 3
    assert all(sum(c for _v, c in row.counts) == row.asked for row in figures.statements)


def test_the_most_common_gaps_with_the_lesson_to_teach_next(model: Model) -> None:
    dims = [d.id for d in model.dimensions]
    # Everyone misses Crawl everywhere, except that two have the first dimension's Crawl in place.
    crawl_done = stage_answers(model, None) | {
        s.id: "fully" for s in model.maturity_statements(Mode.FULL) if s.dimension == dims[0] and s.stage == "crawl"
    }
    people = [
        finished(model, stage_answers(model, None)),
        finished(model, crawl_done),
        finished(model, crawl_done),
    ]
    lesson = Lesson.__new__(Lesson)  # a stand-in: the summary only carries what lesson_for gives

    def lesson_for(gap: Gap) -> Lesson | None:
        assert gap.coverage is None and gap.score is None  # the gap's identity, nobody's figures
        return lesson if gap.dimension == dims[2] else None

    figures = summarise(model, 3, people, lesson_for).figures
    assert figures is not None
    assert len(figures.gaps) == room.COMMON_GAPS
    # Three participants each for dimensions 2 to 6 at Crawl (the rule's order); the first dimension
    # has only one and comes later.
    assert [(g.gap.kind, g.gap.dimension, g.gap.stage, g.participants) for g in figures.gaps] == [
        ("maturity", d, "crawl", 3) for d in dims[1:6]
    ]
    assert [g.lesson for g in figures.gaps] == [None, lesson, None, None, None]
    everything = room.common_gaps(model, [p.result for p in people], n=100)
    assert everything[-1].gap.dimension == dims[0] and everything[-1].participants == 1
    crawl = model.stage("crawl").name
    assert room_text.gap_label(model, figures.gaps[0].gap) == f"{model.dimensions[1].name} at {crawl}"


def test_a_gap_is_counted_once_per_participant(model: Model) -> None:
    person = finished(model, maturity(model, "none"))
    doubled = dataclasses.replace(person.result, gaps=person.result.gaps + person.result.gaps)
    gaps = room.common_gaps(model, [doubled, person.result, person.result])
    assert {g.participants for g in gaps} == {3}


# Fewer than three finished: the counts and nothing else --------------------------------------------


@pytest.mark.parametrize("count", range(MIN_FINISHED))
def test_below_three_finished_only_the_counts(model: Model, count: int) -> None:
    people = [finished(model, maturity(model, "fully")) for _ in range(count)]
    summary = summarise(model, 7, people)
    assert summary == RoomSummary(7, count, None)
    assert not summary.shown


def test_figures_cannot_be_put_in_a_summary_of_fewer_than_three(model: Model) -> None:
    people = [finished(model, maturity(model, value)) for value in ("none", "largely", "fully")]
    figures = summarise(model, 3, people).figures
    assert figures is not None
    with pytest.raises(ValueError, match="2 finished participants shows no figures"):
        RoomSummary(3, 2, figures)
    summary = summarise(model, 3, people)
    with pytest.raises(ValueError):
        dataclasses.replace(summary, finished=2)
    with pytest.raises(ValueError, match="4 finished of 3 joined"):
        RoomSummary(3, 4, None)


def test_a_finished_participant_carries_no_name() -> None:
    assert [f.name for f in dataclasses.fields(Finished)] == ["result", "answers"]
    assert {f.name for f in dataclasses.fields(RoomSummary)} == {"joined", "finished", "figures"}


# The page's words, tables and radar ---------------------------------------------------------------


@pytest.fixture
def three(model: Model) -> room.RoomFigures:
    optional = next(s for s in model.maturity_statements(Mode.FULL) if s.may_not_apply)
    people = [
        finished(model, maturity(model, "none") | {optional.id: "na"}),
        finished(model, maturity(model, "partly")),
        finished(model, maturity(model, "fully")),
    ]
    figures = summarise(model, 3, people).figures
    assert figures is not None
    return figures


def test_the_tables_name_every_figure_rounded(model: Model, three: room.RoomFigures) -> None:
    stages = room_text.stage_table(model, three)
    assert stages == {"Stage": ["Not yet at Crawl", "Crawl", "Walk", "Run", "Fly"], "Participants": [2, 0, 0, 0, 1]}
    assert room_text.stage_description(model, three).endswith("the largest group: Not yet at Crawl (2).")
    spreads = room_text.spread_table(model, three.dimensions)
    # Scores 0, 4/3 and 4: median 1.3, Q1 0.7 (2/3), Q3 2.7 (8/3), spread 2.0.
    assert [column[0] for column in spreads.values()] == [model.dimensions[0].name, "1.3", "0.7", "2.7", "2.0"]
    assert room_text.spread_table(model, three.dimensions, "nl")["Median"][0] == "1,3"
    description = room_text.radar_description(model, three)
    assert description.startswith("Radar chart of the room's median score per dimension")


def test_the_answers_table_has_not_applicable_only_where_a_statement_takes_it(
    model: Model, three: room.RoomFigures
) -> None:
    with_na = next(d.id for d in model.dimensions if any(s.may_not_apply for s in d.statements))
    without = next(d.id for d in model.dimensions if not any(s.may_not_apply for s in d.statements))
    rows = [row for row in three.statements if row.dimension == with_na]
    table = room_text.statement_table(model, rows)
    assert list(table) == [
        "Statement", "not in place", "partly in place", "largely in place", "fully in place", "don't know",
        "not applicable", "not answered", "Asked",
    ]  # fmt: skip
    optional = {s.id for s in model.maturity_statements(Mode.FULL) if s.may_not_apply}
    takes_it = [row.statement in optional for row in rows]
    # The statement that takes it: the one participant who answered it so; the others: blank, not 0.
    assert [v for v, takes in zip(table["not applicable"], takes_it, strict=True) if takes] == [1]
    assert all(v is None for v, takes in zip(table["not applicable"], takes_it, strict=True) if not takes)
    plain = room_text.statement_table(model, [row for row in three.statements if row.dimension == without])
    assert "not applicable" not in plain


def test_the_gap_table_says_when_no_lesson_teaches_a_gap(model: Model, three: room.RoomFigures) -> None:
    table = room_text.gap_table(model, three)
    assert table["Lesson to teach next"] == ["no lesson yet"] * len(three.gaps)
    assert table["Participants"][0] == 2  # none and partly miss Crawl; fully has no gap


def test_the_band_radar_is_valid_vega_lite_with_the_band_under_the_median(model: Model) -> None:
    schema_file = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    ids = [d.id for d in model.dimensions]
    median = {d: 2.0 for d in ids}
    q1 = {d: 1.0 for d in ids}
    q3 = {d: 3.25 for d in ids}
    spec = band_radar_spec(model, median, q1, q3)
    assert [e.message for e in Draft7Validator(json.loads(schema_file.read_text("utf-8"))).iter_errors(spec)] == []
    first, second = spec["layer"][:2]  # the band first, under everything: Q3 filled, Q1 filled white over it
    assert first["mark"]["filled"] and second["mark"]["color"] == "white"
    assert math.hypot(first["data"]["values"][0]["x"], first["data"]["values"][0]["y"]) == pytest.approx(3.25)
    assert math.hypot(second["data"]["values"][0]["x"], second["data"]["values"][0]["y"]) == pytest.approx(1.0)
    dots = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "circle")
    assert [(row["median"], row["Q1"], row["Q3"]) for row in dots["data"]["values"]] == [(2.0, 1.0, 3.3)] * len(ids)
    assert spec["layer"][-1]["mark"]["type"] == "text"  # the ring numbers stay on top


def test_tied_largest_stages_are_all_named(model: Model) -> None:
    people = [finished(model, maturity(model, "none")), finished(model, maturity(model, "fully"))] * 2
    figures = summarise(model, 4, people).figures
    assert figures is not None
    assert room_text.stage_description(model, figures).endswith("the largest group: Not yet at Crawl, Fly (2).")
