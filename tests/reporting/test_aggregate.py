"""The dashboard's figures for a group: the pooled stage by the individual rule, quartiles and agreement,
answer distributions with quick rounds, the T's, the checklist and gap counts, prioritised gaps,
trend and benchmark, and the time 10,000 respondents take.

Summaries are made the way a completed round makes them (`assessment.scoring.score`, then
`response_summary.summarise`, stored and read back), on the real model; expected figures are worked
out from the answers or the individual results, not from the code under test."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence

import pytest

from assessment.model import STAGE_IDS, Mode, Model
from assessment.response_summary import dump, layout_hash, load, summarise
from assessment.scoring import AnswerValue, Result, score
from reporting import room
from reporting.aggregate import (
    MIN_BENCHMARK_ORGANISATIONS,
    GroupFigures,
    Member,
    Target,
    benchmark,
    group_figures,
    other_gaps,
    prioritised_gaps,
    profile_figures,
    target_score,
    trend,
)
from reporting.room import UNANSWERED, Finished
from tests.reporting.conftest import ANSWER_SETS, spread_answers

Answers = dict[str, AnswerValue]


def layout_of(model: Model) -> tuple[str, ...]:
    return model.item_ids(Mode.FULL)


def layouts_of(model: Model) -> dict[str, Sequence[str]]:
    return {layout_hash(layout_of(model)): layout_of(model)}


def member(
    model: Model, answers: Answers, mode: Mode = Mode.FULL, department: str | None = None, title: str | None = None
) -> Member:
    """A respondent as the dashboard reads them: the summary stored at completion, read back."""
    summary = summarise(score(model, answers, mode), answers, layout_of(model))
    return Member(department, title, load(dump(summary)))


def figures_of(model: Model, answer_sets: Sequence[Answers], mode: Mode = Mode.FULL) -> GroupFigures:
    return group_figures(model, [member(model, a, mode) for a in answer_sets], layouts_of(model))


def at_stages(model: Model, stages: Mapping[str, str | None], default: str | None = None) -> Answers:
    """Per dimension, "fully" up to and including its stage and "none" after it (None: all "none")."""
    answers: Answers = {}
    for statement in model.maturity_statements(Mode.FULL):
        reached = stages.get(statement.dimension, default)
        last = -1 if reached is None else STAGE_IDS.index(reached)
        answers[statement.id] = "fully" if STAGE_IDS.index(statement.stage) <= last else "none"
    return answers


def every_maturity(model: Model, value: str) -> Answers:
    return {s.id: value for s in model.maturity_statements(Mode.FULL)}


# A group of one is the individual result -------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.FULL, Mode.QUICK])
@pytest.mark.parametrize("answer_set", sorted(ANSWER_SETS))
def test_a_group_of_one_has_its_members_stages_and_scores(model: Model, answer_set: str, mode: Mode) -> None:
    answers = ANSWER_SETS[answer_set](model)
    result = score(model, answers, mode)
    figures = figures_of(model, [answers], mode)

    assert figures.n == 1
    assert figures.stage == result.stage
    assert [(c.stage, c.count) for c in figures.stages] == [(s, int(s == result.stage)) for s in (None, *STAGE_IDS)]
    for dimension in figures.dimensions:
        individual = result.dimension(dimension.dimension)
        assert dimension.stage == individual.stage
        assert dimension.median == dimension.q1 == dimension.q3 == pytest.approx(individual.score)
        assert dimension.spread == 0
        assert [c.count for c in dimension.stages] == [int(s == individual.stage) for s in (None, *STAGE_IDS)]


# The pooled stage -------------------------------------------------------------------------------------


def test_the_pooled_stage_adds_everyones_points_and_statements_at_the_boundary(model: Model) -> None:
    # Crawl has s statements over all dimensions. "fully" gives 3 s points, "partly" s, "none" 0; the
    # pair reaches crawl at 2 x 2 s = 4 s points: fully + partly exactly does, fully + none does not.
    crawl_fully = at_stages(model, {}, default="crawl")
    crawl_partly = {sid: "partly" if v == "fully" else v for sid, v in crawl_fully.items()}
    nothing = at_stages(model, {}, default=None)

    reached = figures_of(model, [crawl_fully, crawl_partly])
    not_reached = figures_of(model, [crawl_fully, nothing])

    assert reached.stage == "crawl"
    assert not_reached.stage is None
    # Individually: one at crawl, one not yet (fully and partly; fully and none alike).
    for figures in (reached, not_reached):
        assert {c.stage: c.count for c in figures.stages} == {None: 1, "crawl": 1, "walk": 0, "run": 0, "fly": 0}
    # Per dimension the same rule on that dimension's cells.
    assert {d.stage for d in reached.dimensions} == {"crawl"}
    assert {d.stage for d in not_reached.dimensions} == {None}


def test_the_pooled_stage_is_not_the_median_or_the_most_common_stage(model: Model) -> None:
    # Pooled, each statement has 3 + 3 + 0 points from two at fly and one at not yet: 2 on average,
    # every stage reached. One at fly and two at not yet: 3 points per 3 statements, nothing reached,
    # though the median member's stage (not yet) and the pooled one only agree by chance.
    fly = at_stages(model, {}, default="fly")
    nothing = at_stages(model, {}, default=None)
    figures = figures_of(model, [fly, fly, nothing])
    assert figures.stage == "fly"
    assert {c.stage: c.count for c in figures.stages}["fly"] == 2
    figures = figures_of(model, [fly, nothing, nothing])
    assert figures.stage is None
    assert {c.stage: c.count for c in figures.stages}[None] == 2


def test_the_pooled_stage_of_a_dimension_uses_that_dimensions_cells_only(model: Model) -> None:
    answers = at_stages(model, {"strategy": "run"}, default="crawl")
    other = at_stages(model, {"strategy": "run"}, default=None)
    figures = figures_of(model, [answers, other])
    assert figures.dimension("strategy").stage == "run"
    assert figures.dimension("listening").stage is None  # 3 + 0 points per 2 statements at crawl
    assert figures.stage is None


def test_individual_dimension_stages_follow_each_members_own_stage(model: Model) -> None:
    rng = random.Random(7)
    answer_sets = []
    for _ in range(60):
        answers = spread_answers(model)
        answers |= {s.id: rng.choice(("none", "partly", "largely", "fully")) for s in model.maturity_statements()}
        answer_sets.append(answers)
    results = [score(model, a, Mode.FULL) for a in answer_sets]
    figures = figures_of(model, answer_sets)
    for dimension in figures.dimensions:
        expected = Counter(r.dimension(dimension.dimension).stage for r in results)
        assert {c.stage: c.count for c in dimension.stages} == {s: expected[s] for s in (None, *STAGE_IDS)}
    expected_overall = Counter(r.stage for r in results)
    assert {c.stage: c.count for c in figures.stages} == {s: expected_overall[s] for s in (None, *STAGE_IDS)}


# Quartiles and agreement ------------------------------------------------------------------------------


def test_quartiles_of_dimension_scores_are_inclusive(model: Model) -> None:
    # Every statement the same answer: the dimension scores 0, 4/3, 8/3 and 4; inclusive quartiles
    # of those are 1, 2 and 3.
    figures = figures_of(model, [every_maturity(model, v) for v in ("none", "partly", "largely", "fully")])
    for dimension in figures.dimensions:
        assert (dimension.q1, dimension.median, dimension.q3) == pytest.approx((1, 2, 3))
        assert dimension.spread == pytest.approx(2)
        assert dimension.respondents == 4


def test_agreement_orders_dimensions_by_spread_largest_first_ties_in_model_order(model: Model) -> None:
    # "conversation" split between none and fully, "listening" between partly and largely, the rest alike.
    low = every_maturity(model, "largely") | {
        s.id: "none" for s in model.maturity_statements() if s.dimension == "conversation"
    }
    high = every_maturity(model, "largely") | {
        s.id: "fully" for s in model.maturity_statements() if s.dimension == "conversation"
    }
    for s in model.maturity_statements():
        if s.dimension == "listening":
            low[s.id], high[s.id] = "partly", "fully"
    figures = figures_of(model, [low, high])
    order = [d.dimension for d in figures.agreement]
    assert order[:2] == ["conversation", "listening"]
    assert order[2:] == [d.id for d in model.dimensions if d.id not in ("conversation", "listening")]
    assert figures.agreement[0].spread == pytest.approx(2.0)  # 0 and 4: Q1 1, Q3 3


# Statement answers -------------------------------------------------------------------------------------


def test_statement_answers_count_quick_rounds_for_quick_statements_only(model: Model) -> None:
    non_quick = next(s for s in model.maturity_statements() if not s.quick)
    quick = next(s for s in model.maturity_statements() if s.quick)
    full_a = every_maturity(model, "fully")
    full_b = every_maturity(model, "partly")
    del full_b[quick.id]  # not answered
    quick_round = every_maturity(model, "none")  # answers non-quick statements too: not asked, not counted
    members = [member(model, full_a), member(model, full_b), member(model, quick_round, Mode.QUICK)]
    figures = group_figures(model, members, layouts_of(model))
    by_id = {s.statement: s for s in figures.statements}

    assert by_id[non_quick.id].asked == 2
    assert dict(by_id[non_quick.id].counts) == {
        "none": 0,
        "partly": 1,
        "largely": 0,
        "fully": 1,
        "dont_know": 0,
        **({"na": 0} if non_quick.may_not_apply else {}),
        UNANSWERED: 0,
    }
    assert by_id[quick.id].asked == 3
    assert dict(by_id[quick.id].counts)["none"] == 1
    assert dict(by_id[quick.id].counts)["fully"] == 1
    assert dict(by_id[quick.id].counts)[UNANSWERED] == 1
    assert [s.statement for s in figures.statements] == [s.id for s in model.maturity_statements()]


def test_only_quick_rounds_leave_non_quick_statements_out(model: Model) -> None:
    figures = figures_of(model, [every_maturity(model, "fully")] * 3, Mode.QUICK)
    assert [s.statement for s in figures.statements] == [s.id for s in model.maturity_statements(Mode.QUICK)]
    assert all(s.asked == 3 and dict(s.counts)["fully"] == 3 for s in figures.statements)


def test_statement_answers_agree_with_the_rooms_on_mixed_rounds(model: Model) -> None:
    rng = random.Random(3)
    entries = []
    for index in range(25):
        answers: Answers = {
            s.id: rng.choice(s.values())
            for s in model.maturity_statements()
            if rng.random() > 0.1  # some left unanswered
        }
        mode = Mode.QUICK if index % 3 == 0 else Mode.FULL
        entries.append((answers, mode))
    members = [member(model, a, mode) for a, mode in entries]
    figures = group_figures(model, members, layouts_of(model))
    expected = room.statement_answers(model, [Finished(score(model, a, mode), a) for a, mode in entries])
    assert figures.statements == expected


def test_a_stored_value_the_statement_does_not_take_counts_as_unanswered(model: Model) -> None:
    statement = next(s for s in model.maturity_statements() if not s.may_not_apply)
    answers: Answers = {statement.id: "na"}  # not a value this statement takes
    figures = figures_of(model, [answers])
    found = next(s for s in figures.statements if s.statement == statement.id)
    assert dict(found.counts)[UNANSWERED] == 1
    assert sum(n for _value, n in found.counts) == 1


def test_answers_follow_each_members_own_layout(model: Model) -> None:
    # An earlier layout with the statements in reverse order: positions come from the layout.
    reversed_layout = tuple(reversed(layout_of(model)))
    answers = every_maturity(model, "largely")
    old = Member(None, None, summarise(score(model, answers, Mode.FULL), answers, reversed_layout))
    new = member(model, every_maturity(model, "none"))
    layouts = layouts_of(model) | {layout_hash(reversed_layout): reversed_layout}
    figures = group_figures(model, [old, new], layouts)
    assert all(dict(s.counts)["largely"] == 1 and dict(s.counts)["none"] == 1 for s in figures.statements)


def test_a_layout_not_given_is_an_error(model: Model) -> None:
    with pytest.raises(ValueError, match="layout"):
        group_figures(model, [member(model, {})], {})


def test_a_group_needs_a_member(model: Model) -> None:
    with pytest.raises(ValueError):
        group_figures(model, [], layouts_of(model))


def test_dimensions_found_by_id_when_a_summary_lists_them_in_another_order(model: Model) -> None:
    answers = spread_answers(model)
    usual = member(model, answers)
    moved = Member(
        None,
        None,
        usual.summary._replace(
            dimensions=tuple(reversed(usual.summary.dimensions)),
            tees=tuple(reversed(usual.summary.tees)),
        ),
    )
    assert group_figures(model, [moved, usual], layouts_of(model)).dimensions == (
        group_figures(model, [usual, usual], layouts_of(model)).dimensions
    )
    assert group_figures(model, [moved, usual], layouts_of(model)).tees == (
        group_figures(model, [usual, usual], layouts_of(model)).tees
    )


# T's, checklist, gaps ----------------------------------------------------------------------------------


def spread_set(model: Model, count: int, seed: int) -> list[Answers]:
    rng = random.Random(seed)
    sets = []
    for _ in range(count):
        answers: Answers = {s.id: rng.choice(s.values()) for s in model.maturity_statements()}
        answers |= {t.id: rng.choice((1, 2, 3, 4, 5, "dont_know")) for t in model.tee_statements()}
        answers |= {i.id: rng.choice(("yes", "partly", "no", "na")) for i in model.checklist}
        if rng.random() < 0.2:  # nothing answered of one T
            tee = model.tees[0]
            answers = {k: v for k, v in answers.items() if model.item(k) not in tee.statements}
        sets.append(answers)
    return sets


def test_tee_checklist_and_gap_figures_match_the_individual_results(model: Model) -> None:
    answer_sets = spread_set(model, 31, seed=11)
    results: list[Result] = [score(model, a, Mode.FULL) for a in answer_sets]
    figures = figures_of(model, answer_sets)

    for tee in figures.tees:
        scores = [r.tee(tee.tee).score for r in results if r.tee(tee.tee).score is not None]
        assert tee.respondents == len(scores)
        assert tee.median == pytest.approx(statistics.median(s for s in scores if s is not None))

    compliance = [r.checklist.compliance for r in results if r.checklist.compliance is not None]
    assert figures.checklist.respondents == len(compliance)
    assert figures.checklist.median == pytest.approx(statistics.median(c for c in compliance if c is not None))
    answers_of_item = {i.id: Counter(a.get(i.id) for a in answer_sets) for i in model.checklist}
    failed = {f.item: (f.no, f.partly) for f in figures.checklist.failed}
    assert failed == {
        item: (counts["no"], counts["partly"])
        for item, counts in answers_of_item.items()
        if counts["no"] or counts["partly"]
    }
    members_failing = [f.members for f in figures.checklist.failed]
    assert members_failing == sorted(members_failing, reverse=True)

    expected_gaps = Counter(room.gap_key(g) for r in results for g in r.gaps)
    found = {g.key: g.members for g in figures.gaps}
    assert len(found) == len(expected_gaps) + sum(
        1 for f in figures.checklist.failed if f.no and f.partly
    )  # a checklist item failed both ways is one room key, two of ours
    for (kind, dimension, stage, tee_id, item), count in expected_gaps.items():
        if kind == "maturity":
            assert found[(kind, dimension or "", stage or "")] == count
        elif kind == "tee":
            assert found[(kind, tee_id or "")] == count
        else:
            assert found.get((kind, item or "", "no"), 0) + found.get((kind, item or "", "partly"), 0) == count
    counts = [g.members for g in figures.gaps]
    assert counts == sorted(counts, reverse=True)


def test_other_gaps_list_the_ts_and_the_checklist_by_members(model: Model) -> None:
    answer_sets = spread_set(model, 20, seed=5)
    results = [score(model, a, Mode.FULL) for a in answer_sets]
    figures = figures_of(model, answer_sets)
    gaps = other_gaps(model, figures)
    expected = Counter(g.tee for r in results for g in r.gaps if g.kind == "tee")
    assert {t.tee: t.members for t in gaps.tees} == dict(expected)
    assert [t.members for t in gaps.tees] == sorted((t.members for t in gaps.tees), reverse=True)
    assert gaps.checklist == figures.checklist.failed


# Prioritised gaps ------------------------------------------------------------------------------------------


def test_prioritised_gaps_weigh_the_gap_to_target_by_importance(model: Model) -> None:
    # strategy: everyone at crawl (score 1); listening: three at crawl, two at walk (median 1);
    # organisation: everyone at walk (score 2); policy: everyone at crawl.
    crawl_all = {"strategy": "crawl", "listening": "crawl", "organisation": "walk", "policy": "crawl"}
    walk_listening = crawl_all | {"listening": "walk"}
    figures = figures_of(model, [at_stages(model, crawl_all)] * 3 + [at_stages(model, walk_listening)] * 2)
    targets = {
        "strategy": Target("walk", 3),  # gap 1, weighted 3, 5 people below walk
        "listening": Target("walk", 3),  # gap 1, weighted 3, 3 people below walk
        "organisation": Target("walk", 5),  # gap 0: not listed
        "policy": Target("fly", 1),  # gap 3, weighted 3, 5 people: ties strategy, model order after it
        "presence": Target(None, 5),  # no target
        "content": Target("run", 2),  # nobody has anything in content: gap 3, weighted 6
    }
    gaps = prioritised_gaps(model, figures, targets)
    assert [(g.dimension, g.people) for g in gaps] == [("content", 5), ("strategy", 5), ("policy", 5), ("listening", 3)]
    assert [g.gap for g in gaps] == pytest.approx([3, 1, 3, 1])
    assert [g.weighted for g in gaps] == pytest.approx([6, 3, 3, 3])
    assert gaps[0].target == "run" and gaps[0].importance == 2 and gaps[0].median == pytest.approx(0)


def test_target_scores_and_validation() -> None:
    assert [target_score(s) for s in STAGE_IDS] == [1, 2, 3, 4]
    assert Target("walk").importance == 3
    with pytest.raises(ValueError):
        Target("sprint")
    with pytest.raises(ValueError):
        Target("walk", 6)
    with pytest.raises(ValueError):
        Target("walk", 0)


# Trend and benchmark ------------------------------------------------------------------------------------


def test_trend_gives_each_waves_median_and_stage_and_nothing_for_a_hidden_wave(model: Model) -> None:
    spring = figures_of(model, [at_stages(model, {}, default="crawl")] * 2)
    autumn = figures_of(model, [at_stages(model, {}, default="walk")] * 2)
    found = trend(model, [("spring", spring), ("summer", None), ("autumn", autumn)])
    assert found.waves == ("spring", "summer", "autumn")
    assert found.shown == (True, False, True)
    assert found.stages == ("crawl", None, "walk")
    assert found.respondents == (2, None, 2)
    strategy = next(d for d in found.dimensions if d.dimension == "strategy")
    assert strategy.medians[1] is None
    assert [strategy.medians[0], strategy.medians[2]] == pytest.approx([1, 2])
    assert [d.dimension for d in found.dimensions] == [d.id for d in model.dimensions]


def test_the_benchmark_is_the_median_of_the_other_organisations_medians(model: Model) -> None:
    orgs = [
        (1, figures_of(model, [every_maturity(model, "none")] * 5)),  # 0
        (2, figures_of(model, [every_maturity(model, "partly")] * 9)),  # 4/3
        (3, figures_of(model, [every_maturity(model, "fully")] * 6)),  # 4
        (4, figures_of(model, [every_maturity(model, "largely")] * 7)),  # 8/3
    ]
    found = benchmark(model, orgs, excluding=1)
    assert found is not None
    assert found.organisations == 3 and found.respondents == 22
    strategy = found.dimensions[0]
    assert strategy.median == pytest.approx(8 / 3)  # of 4/3, 4 and 8/3
    assert [strategy.q1, strategy.q3] == pytest.approx([2, 10 / 3])
    # Pooled over the 22 people, points per statement: 9 x 1 + 6 x 3 + 7 x 2 = 41, under 2 x 22 = 44.
    assert found.stage is None and strategy.stage is None
    assert benchmark(model, orgs[:3], excluding=1) is None  # two others: below the minimum
    assert MIN_BENCHMARK_ORGANISATIONS == 3


# Speed ---------------------------------------------------------------------------------------------------------


def test_ten_thousand_members_aggregate(model: Model) -> None:
    """The size of the issue's benchmark organisation, counted right (its time is measured by
    benchmarks/dashboard_load.py, not asserted here)."""
    modes = [Mode.QUICK if i % 4 == 0 else Mode.FULL for i in range(100)]
    texts = [dump(member(model, a, mode).summary) for a, mode in zip(spread_set(model, 100, 1), modes, strict=True)]
    members = [Member(None, None, load(texts[i % len(texts)])) for i in range(10_000)]
    layouts = layouts_of(model)
    figures = group_figures(model, members, layouts)
    assert figures.n == 10_000
    assert sum(count.count for count in figures.stages) == 10_000


def test_a_profile_has_the_groups_size_stages_and_dimensions_and_nothing_of_its_answers(model: Model) -> None:
    members = [member(model, answers, Mode.FULL) for answers in spread_set(model, 12, 3)]
    full = group_figures(model, members, layouts_of(model))
    profile = profile_figures(model, members)
    assert (profile.n, profile.stage, profile.stages, profile.dimensions, profile.agreement) == (
        full.n, full.stage, full.stages, full.dimensions, full.agreement,
    )  # fmt: skip
    assert profile.statements == () and profile.tees == () and profile.gaps == ()
    assert profile.checklist.failed == () and full.statements
