"""The gap list in words: grouped by section, numbered as in the full list, unknown is not zero."""

from __future__ import annotations

from assessment.model import Model
from assessment.scoring import Gap
from reporting.gaps import cell_state, gap_cell, gap_title, grouped, maturity_answer_words, section_title
from tests.reporting.conftest import ANSWER_SETS, Answers, full_result, stage_answers


def test_grouped_keeps_the_rule_order_and_the_full_list_numbers(model: Model) -> None:
    result = full_result(model, ANSWER_SETS["demo"](model))
    sections = grouped(result.gaps)

    assert [s.section for s in sections] == ["maturity", "tee", "checklist"]
    flattened = [pair for section in sections for pair in section.gaps]
    assert flattened == list(enumerate(result.gaps, start=1))
    for section in sections:
        assert all(gap.kind == section.section for _n, gap in section.gaps)


def test_empty_sections_are_left_out() -> None:
    sections = grouped((Gap("tee", tee="trust", score=40.0), Gap("checklist", item="x", answer="no")))
    assert [(s.section, [n for n, _g in s.gaps]) for s in sections] == [("tee", [1]), ("checklist", [2])]
    assert grouped(()) == []


def test_section_titles() -> None:
    assert [section_title(s) for s in ("maturity", "tee", "checklist")] == [
        "Maturity dimensions",
        "The 4 T's",
        "The checklist",
    ]


def test_a_cell_answered_dont_know_is_not_known_not_zero(model: Model) -> None:
    answers: Answers = {s.id: "dont_know" for d in model.dimensions for s in d.statements}
    result = full_result(model, answers)
    gap = result.gaps[0]
    assert gap.kind == "maturity" and gap.coverage == 0

    title = gap_title(model, result, gap)
    assert title.endswith(": not known: answered don't know")
    assert "0 %" not in title
    assert title.startswith(f"{model.dimension(gap.dimension).name} at Crawl")


def test_unanswered_and_mixed_cells(model: Model) -> None:
    dimension = next(d for d in model.dimensions if len(d.cell("walk")) == 2)
    first, second = dimension.cell("walk")
    base = stage_answers(model, "crawl")

    def state(extra: Answers) -> str:
        answers = {k: v for k, v in base.items() if k not in (first.id, second.id)} | extra
        result = full_result(model, answers)
        gap = next(g for g in result.gaps if g.dimension == dimension.id and g.stage == "walk")
        return cell_state(gap_cell(result, gap))

    assert state({}) == "not answered yet"
    assert state({first.id: "dont_know"}) == "not known: answered don't know or not answered"
    assert state({first.id: "dont_know", second.id: "partly"}) == "17 % in place (1 answered don't know)"
    assert state({first.id: "none", second.id: "none"}) == "0 % in place"
    assert state({first.id: "largely", second.id: "partly"}) == "50 % in place"


def test_tee_and_checklist_titles_are_worded(model: Model) -> None:
    result = full_result(model, {})
    item = model.checklist[0]
    tee = model.tees[0]
    assert gap_title(model, result, Gap("tee", tee=tee.id, score=62.5)) == f"{tee.name}: 63 of 100"
    no = gap_title(model, result, Gap("checklist", item=item.id, answer="no"))
    partly = gap_title(model, result, Gap("checklist", item=item.id, answer="partly"))
    assert no == f"{item.text.rstrip('.')}: not done (answered no)"
    assert partly == f"{item.text.rstrip('.')}: partly done (answered partly)"
    assert "(no)" not in no and "(partly)" not in partly
    assert all(".:" not in gap_title(model, result, Gap("checklist", item=i.id, answer="no")) for i in model.checklist)


def test_maturity_answer_words() -> None:
    assert maturity_answer_words("largely") == "largely in place"
    assert maturity_answer_words("dont_know") == "don't know"
    assert maturity_answer_words(None) == "not answered"
    assert maturity_answer_words(3) == "not answered"
