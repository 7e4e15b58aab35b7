"""An element that declares `statement` must show that practice in its text (learning/placement.py),
on a small made-up model and bank; and the threshold against the real model's wording (review of the
reworked banks, finding C1: conversation-webcare q08's fly pair)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.loader import DEFAULT_MODEL_PATH, load_model
from assessment.model import MaturityStatement, Model
from content.problems import WARNING
from learning.placement import (
    TEXT_OVERLAP_LIMIT,
    placement_problems,
    placement_text_problems,
    placement_text_summary,
    text_overlap,
)
from quizzes.loader import load_bank
from quizzes.model import Bank
from tests.assessment.conftest import REAL_MODEL_MISSING, SYNTHETIC_TOML, replace_once

FLY_TEXT = (
    "We start conversations with customers on our own initiative, for example when listening shows they "
    "have a problem with our product, and keep them going until it is solved."
)
# The synthetic model with the practice the review found misquoted at fly, and a run practice.
MODEL = replace_once(
    replace_once(SYNTHETIC_TOML, "Everyone may speak for the organisation.", FLY_TEXT),
    "Several teams take part.",
    "We have set response times for social media and we keep to them.",
)
HEAD = 'id = "webcare"\ntitle = "Webcare"\nlesson = "webcare"\nfeedback = "instant"\n\n'
# The review's example: the pair declares the fly practice but shows another (everyone talks).
DRIFTED = (
    "People across the organisation, not only the webcare team, start conversations with customers and keep them going."
)
FAITHFUL = (
    "We start conversations on our own initiative when listening shows a customer has a problem, until it is solved."
)

MATCHING = f"""[[questions]]
id = "q08"
type = "matching"
prompt = "Match each stage with what conversation looks like there."

  [[questions.pairs]]
  id = "p1"
  left = "Run"
  right = "Response times for social media are set, and we keep to them."
  statement = "p.run.1"
  stage = "run"

  [[questions.pairs]]
  id = "p2"
  left = "Fly"
  right = "{DRIFTED}"
  statement = "p.fly.1"
  stage = "fly"
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path = tmp_path_factory.mktemp("model") / "model.toml"
    path.write_text(MODEL, encoding="utf-8")
    return load_model(path)


def load(tmp_path: Path, questions: str) -> tuple[Bank, str]:
    text = HEAD + questions
    path = tmp_path / "webcare.toml"
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank(path)
    assert problems == [] and bank is not None, [str(p) for p in problems]
    return bank, text


def line(text: str, needle: str) -> int:
    return next(number for number, row in enumerate(text.splitlines(), 1) if needle in row)


def test_a_pair_whose_text_drifted_from_its_statement_is_a_warning_with_both_texts(
    tmp_path: Path, model: Model
) -> None:
    bank, text = load(tmp_path, MATCHING)
    (problem,) = placement_text_problems(model, (bank,))
    assert (problem.file, problem.path, problem.severity) == (bank.file, "questions[0].pairs[1].statement", WARNING)
    assert problem.line == line(text, 'id = "p2"') - 1  # the pair's [[questions.pairs]] line
    assert f'Text: "Fly => {DRIFTED}"' in problem.message
    assert f'Model: "{FLY_TEXT}"' in problem.message
    assert "declares p.fly.1 but its text shares only 36 % of the model's words (at least 40 %)" in problem.message
    # The keys themselves agree with the model: the placement errors see nothing.
    assert placement_problems(model, (bank,)) == []
    assert placement_text_summary(model, (bank,)).startswith("Placement text: 1 of 2 element(s)")


def test_a_faithful_paraphrase_passes(tmp_path: Path, model: Model) -> None:
    bank, _ = load(tmp_path, MATCHING.replace(DRIFTED, FAITHFUL))
    assert placement_text_problems(model, (bank,)) == []


def test_the_stage_name_in_the_text_does_not_count_as_a_shared_word(model: Model) -> None:
    statement = model.item("p.run.1")
    assert isinstance(statement, MaturityStatement)
    assert text_overlap(model, "Run", statement) == 0.0
    # Model words: set, response, time, social, media, keep; the text shows the first three.
    assert text_overlap(model, "Run: response times are set and kept", statement) == pytest.approx(3 / 6)


def test_options_items_and_a_question_prompt_are_compared_too(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q01"
type = "single"
prompt = "Which practice sits at fly?"

  [[questions.options]]
  id = "a"
  text = "Everyone in the company writes posts"
  statement = "p.fly.1"
  correct = true

  [[questions.options]]
  id = "b"
  text = "Response times are set and we keep to them"
  statement = "p.run.1"

[[questions]]
id = "q02"
type = "ordering"
prompt = "Put these in order."

  [[questions.items]]
  id = "i1"
  text = "Response times for social media are set"
  statement = "p.run.1"

  [[questions.items]]
  id = "i2"
  text = "A bright new logo"
  statement = "p.fly.1"

[[questions]]
id = "q03"
type = "truefalse"
prompt = "Setting a logo colour is a fly practice."
statement = "p.fly.1"
stage = "fly"
answer = true
"""
    bank, _ = load(tmp_path, questions)
    assert [p.path for p in placement_text_problems(model, (bank,))] == [
        "questions[0].options[0].statement",
        "questions[1].items[1].statement",
        "questions[2].statement",
    ]


def test_an_unknown_statement_is_left_to_the_placement_errors(tmp_path: Path, model: Model) -> None:
    bank, _ = load(tmp_path, MATCHING.replace('statement = "p.fly.1"', 'statement = "p.fly.9"'))
    assert [p.path for p in placement_text_problems(model, (bank,))] == []
    assert any("p.fly.9" in p.message for p in placement_problems(model, (bank,)))


# Calibration on the real model's wording: the review's example falls below the threshold, and the
# faithful paraphrases the reworked banks hold (quoted from them) stay above it.
REAL_CASES = [
    ("conversation.fly.1", DRIFTED, False),
    (
        "conversation.run.1",
        "Service questions on social media get the same systems and knowledge as those by phone or e-mail",
        True,
    ),
    ("measurement.walk.1", "KPIs for each platform and activity, which the team tracks", True),
    ("organisation.fly.1", "Let every department use social media in its daily work, so nobody is left out", True),
    ("strategy.crawl.1", "A written purpose for social media, linked to a business goal", True),
    (
        "innovation.run.1",
        "At least once a year we put a concrete problem to our followers and use their suggestions.",
        True,
    ),
]


@pytest.mark.parametrize(("statement_id", "text", "passes"), REAL_CASES)
def test_calibration_on_the_real_model(statement_id: str, text: str, passes: bool) -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    real = load_model(DEFAULT_MODEL_PATH)
    statement = real.item(statement_id)
    assert isinstance(statement, MaturityStatement)
    assert (text_overlap(real, text, statement) >= TEXT_OVERLAP_LIMIT) == passes
