"""The worked example in docs/scoring.md, scored by the real code, so the document cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assessment.model import (
    ChecklistItem,
    Dimension,
    MaturityStatement,
    Mode,
    Model,
    Stage,
    Tee,
    TeeStatement,
    Timing,
)
from assessment.scoring import Result, normalise_answers, score

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def _statement(
    dimension: str, item_id: str, stage: str, quick: bool = True, may_not_apply: bool = False
) -> MaturityStatement:
    return MaturityStatement(item_id, dimension, stage, f"Statement {item_id}", "", quick, may_not_apply)


def tiny_model() -> Model:
    """The model of the worked example: 2 dimensions x 4 stages, the 4 T's, 3 checklist items."""
    stages = tuple(Stage(s, s.title(), "", "", "") for s in ("crawl", "walk", "run", "fly"))
    strategy = Dimension("strategy", "Strategy", "", (
        _statement("strategy", "s-crawl-1", "crawl"),
        _statement("strategy", "s-crawl-2", "crawl", quick=False),
        _statement("strategy", "s-walk", "walk"),
        _statement("strategy", "s-run", "run"),
        _statement("strategy", "s-fly", "fly"),
    ))  # fmt: skip
    engagement = Dimension("engagement", "Engagement", "", tuple(
        _statement("engagement", f"e-{stage}", stage, may_not_apply=stage == "fly")
        for stage in ("crawl", "walk", "run", "fly")
    ))  # fmt: skip
    tees = (
        Tee("credibility", "Credibility", "", (
            TeeStatement("cred-1", "credibility", "We only promise what we can deliver.", "", quick=True),
            TeeStatement("cred-2", "credibility", "Our posts promise more than we deliver.", "", reverse=True),
        )),
        Tee("trust", "Trust", "", (TeeStatement("trust-1", "trust", "People rely on our answers.", "", quick=True),)),
        Tee("tone", "Tone", "", (
            TeeStatement("tone-4", "tone", "We answer criticism with standard texts rather than a personal reply.", "",
                         reverse=True, quick=True),
        )),
        Tee("patience", "Patience", "", (
            TeeStatement("patience-1", "patience", "We give a new channel a year.", "", quick=True),
        )),
    )  # fmt: skip
    checklist = (
        ChecklistItem("check-reply", "do", "workshop", "003", "Reply to questions within one working day.", ""),
        ChecklistItem("check-private", "dont", "facebook", "005", "Keep private and business accounts apart.", ""),
        ChecklistItem("check-passwords", "do", "accounts", "006", "Two people can log in to every account.", ""),
    )
    return Model("Worked example", "", Timing(10, 10, 10), stages, (strategy, engagement), tees, checklist)


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def json_blocks(doc: str) -> list[dict]:
    blocks = re.findall(r"```json\n(.*?)```", doc, flags=re.DOTALL)
    assert len(blocks) == 4, "expected the answers file and the result of section 7, then of section 7b"
    return [json.loads(block) for block in blocks]


@pytest.fixture(scope="module")
def result(json_blocks: list[dict]) -> Result:
    model = tiny_model()
    answers, errors = normalise_answers(model, json_blocks[0]["answers"])
    assert errors == []
    return score(model, answers, Mode(json_blocks[0]["mode"]))


def summary(result: Result) -> dict:
    data = result.to_dict()
    return {
        "stage": data["stage"],
        "stage_coverage": data["stage_coverage"],
        "dimensions": {
            key: {k: value[k] for k in ("score", "stage", "unknown", "unanswered")}
            for key, value in data["dimensions"].items()
        },
        "tees": {key: value["score"] for key, value in data["tees"].items()},
        "checklist": {k: data["checklist"][k] for k in ("compliance", "failed")},
        "gaps": data["gaps"],
    }


def test_doc_result_block_is_what_the_code_computes(json_blocks: list[dict], result: Result) -> None:
    assert summary(result) == json_blocks[1]


def test_worked_example_by_hand(result: Result) -> None:
    """The same numbers as the document's tables, typed in by hand."""
    assert [(s.points, s.statements, s.reached) for s in result.stages] == [
        (6, 3, True), (1, 2, False), (6, 2, True), (0, 2, False),
    ]  # fmt: skip
    assert result.stage == "crawl"
    assert [c.points for c in result.dimension("strategy").cells] == [4, 1, 3, 0]
    assert [c.points for c in result.dimension("engagement").cells] == [2, 0, 3, 0]
    assert result.dimension("strategy").score == pytest.approx(2.0)
    assert result.dimension("engagement").score == pytest.approx(5 / 3)
    assert [t.score for t in result.tees] == [75.0, 50.0, 25.0, None]
    assert result.checklist.compliance == 0.5
    assert result.checklist.failed == ("check-passwords", "check-private")
    assert len(result.gaps) == 6


def test_doc_answers_table_matches_the_answers_file(doc: str, json_blocks: list[dict]) -> None:
    section = doc.split("### The answers", 1)[1].split("```json", 1)[0]
    words = {"don't know": "dont_know", "(not answered)": None}
    table = {}
    for row in re.findall(r"^\| `([^`]+)` \|[^|]*\| ([^|]+?) \|", section, flags=re.MULTILINE):
        item_id, answer = row
        value = words.get(answer, answer)
        table[item_id] = int(value) if isinstance(value, str) and value.isdigit() else value
    answered = {k: v for k, v in table.items() if v is not None}
    assert answered == json_blocks[0]["answers"]
    assert set(table) == set(tiny_model().item_ids())


def test_doc_gap_list_and_stage_match(doc: str, result: Result) -> None:
    model = tiny_model()
    rendered = []
    for gap in result.gaps:
        if gap.kind == "maturity":
            rendered.append(f"Maturity: {model.dimension(gap.dimension).name} at "
                            f"{model.stage(gap.stage).name}, coverage {gap.coverage:g}")  # fmt: skip
        elif gap.kind == "tee":
            rendered.append(f"T: {model.tee(gap.tee).name}, score {gap.score:g}")
        else:
            rendered.append(f"Checklist: `{gap.item}` ({gap.answer})")
    section = doc.split("### Step 6", 1)[1].split("###", 1)[0]
    listed = re.findall(r"^\d+\. (.+)$", section, flags=re.MULTILINE)
    assert listed == rendered
    assert f"**Organisation stage: {model.stage(result.stage).name}.**" in doc


# Section 7b: the not-applicable example ------------------------------------------------------------


@pytest.fixture(scope="module")
def na_result(json_blocks: list[dict]) -> Result:
    model = tiny_model()
    answers, errors = normalise_answers(model, json_blocks[2]["answers"])
    assert errors == []
    return score(model, answers, Mode(json_blocks[2]["mode"]))


def test_na_doc_answers_differ_from_section_7_only_where_it_says(json_blocks: list[dict]) -> None:
    before, after = json_blocks[0]["answers"], json_blocks[2]["answers"]
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"e-walk", "e-fly"}
    assert (after["e-walk"], after["e-fly"]) == ("largely", "na")


def test_na_doc_result_block_is_what_the_code_computes(json_blocks: list[dict], na_result: Result) -> None:
    data = na_result.to_dict()
    engagement = data["dimensions"]["engagement"]
    assert {
        "stage": data["stage"],
        "stage_coverage": data["stage_coverage"],
        "dimensions": {"engagement": {k: engagement[k] for k in ("score", "stage", "coverage", "not_applicable")}},
        "stages": [s for s in data["stages"] if s["id"] == "fly"],
    } == json_blocks[3]


def test_na_example_by_hand(na_result: Result) -> None:
    engagement = na_result.dimension("engagement")
    assert [c.points for c in engagement.cells] == [2, 2, 3, 0]
    assert [c.statements for c in engagement.cells] == [1, 1, 1, 0]
    assert engagement.score == pytest.approx((2 / 3 + 2 / 3 + 1) * 4 / 3)
    assert engagement.stage == "fly"
    assert na_result.stage == "crawl"
    # Had e-fly been answered "none", the plain sum and stage Run.
    model = tiny_model()
    answers, _ = normalise_answers(
        model, {"e-crawl": "largely", "e-walk": "largely", "e-run": "fully", "e-fly": "none"}
    )
    plain = score(model, answers).dimension("engagement")
    assert (round(plain.score, 4), plain.stage) == (2.3333, "run")
    # The gap list is section 7's without Engagement at Walk.
    maturity = [(g.dimension, g.stage) for g in na_result.gaps if g.kind == "maturity"]
    assert maturity == [("strategy", "walk")]
