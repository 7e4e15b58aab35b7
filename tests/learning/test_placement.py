"""Stage-placement keys of quiz questions held to the model, on small made-up banks (audit finding C1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.loader import load_model
from assessment.model import Model
from content.problems import WARNING, Problem
from learning.placement import placement_problems
from quizzes.loader import load_bank
from tests.assessment.conftest import SYNTHETIC_TOML, replace_once

# The synthetic model with the audit's C1 practices: starting conversations is placed at fly,
# service before campaigns at run.
C1_MODEL = replace_once(
    replace_once(SYNTHETIC_TOML, "Everyone may speak for the organisation.", "We start and keep up conversations."),
    "Several teams take part.",
    "Service is in order before eye-catching campaigns.",
)
HEAD = 'id = "webcare"\ntitle = "Webcare"\nlesson = "webcare"\nfeedback = "instant"\n\n'

# C1 as the audit found it: the matching question keys Run => "start conversations".
C1_MATCHING = """[[questions]]
id = "q08"
type = "matching"
prompt = "Match each stage with what conversation looks like there."

  [[questions.pairs]]
  id = "p1"
  left = "Run"
  right = "You start conversations and keep them going"
  statement = "p.fly.1"
  stage = "run"

  [[questions.pairs]]
  id = "p2"
  left = "Fly"
  right = "Service is in order before cool campaigns"
  statement = "p.run.1"
  stage = "fly"
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path = tmp_path_factory.mktemp("model") / "model.toml"
    path.write_text(C1_MODEL, encoding="utf-8")
    return load_model(path)


def check(tmp_path: Path, model: Model, questions: str) -> tuple[list[Problem], str]:
    text = HEAD + questions
    path = tmp_path / "webcare.toml"
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank(path)
    assert problems == [] and bank is not None, [str(p) for p in problems]
    return placement_problems(model, (bank,)), text


def line(text: str, needle: str, occurrence: int = 1) -> int:
    found = [number for number, row in enumerate(text.splitlines(), 1) if needle in row]
    return found[occurrence - 1]


def test_c1_a_matching_key_against_the_model_is_an_error_at_its_line(tmp_path: Path, model: Model) -> None:
    problems, text = check(tmp_path, model, C1_MATCHING)
    assert [(p.line, p.path, p.severity) for p in problems] == [
        (line(text, 'stage = "run"'), "questions[0].pairs[0].stage", "error"),
        (line(text, 'stage = "fly"'), "questions[0].pairs[1].stage", "error"),
    ]
    assert "matches p.fly.1 with Run, but the model places it at Fly" in problems[0].message
    run_line = line(text, 'stage = "run"')
    assert str(problems[0]).startswith(f"{tmp_path / 'webcare.toml'}:{run_line}: questions[0].pairs[0].stage: ")


def test_c1_fixed_is_clean(tmp_path: Path, model: Model) -> None:
    """The fix of SPEC 2a: each pair names the stage the model gives its statement."""
    fixed = """[[questions]]
id = "q08"
type = "matching"
prompt = "Match each stage with what conversation looks like there."

  [[questions.pairs]]
  id = "p1"
  left = "Run"
  right = "Service is in order before eye-catching campaigns"
  statement = "p.run.1"
  stage = "run"

  [[questions.pairs]]
  id = "p2"
  left = "Fly"
  right = "You start conversations and keep them going"
  statement = "p.fly.1"
  stage = "fly"
"""
    problems, _ = check(tmp_path, model, fixed)
    assert problems == []


SINGLE = """[[questions]]
id = "q11"
type = "single"
prompt = "At which stage do you start and keep up conversations?"
statement = "p.fly.1"

  [[questions.options]]
  id = "a"
  text = "Run"
  stage = "run"
  correct = true

  [[questions.options]]
  id = "b"
  text = "Fly"
  stage = "fly"

  [[questions.options]]
  id = "c"
  text = "Walk, once the team is trained"
  stage = "walk"
"""


def test_single_an_option_keyed_against_the_model(tmp_path: Path, model: Model) -> None:
    problems, text = check(tmp_path, model, SINGLE)
    assert [(p.path, p.line) for p in problems] == [
        ("questions[0].options[0].correct", line(text, "correct = true")),
        ("questions[0].options[1].correct", line(text, 'id = "b"') - 1),  # no `correct` key: its table
    ]
    assert 'option "a" is marked correct, but the model places p.fly.1 at Fly' in problems[0].message
    assert 'option "b" is not marked correct' in problems[1].message


def test_single_a_question_level_stage_and_option_statements(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q01"
type = "multiple"
prompt = "Which practices belong to the Fly stage?"
stage = "fly"

  [[questions.options]]
  id = "a"
  text = "Starting conversations"
  statement = "p.fly.1"
  correct = true

  [[questions.options]]
  id = "b"
  text = "Service before campaigns"
  statement = "p.run.1"
  correct = true
"""
    problems, _ = check(tmp_path, model, questions)
    assert [p.path for p in problems] == ["questions[0].options[1].correct"]


def test_truefalse_answer_against_the_model(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q02"
type = "truefalse"
prompt = "Starting conversations is a Run practice."
statement = "p.fly.1"
stage = "run"
answer = true
"""
    problems, text = check(tmp_path, model, questions)
    assert [(p.path, p.line) for p in problems] == [("questions[0].answer", line(text, "answer = true"))]
    assert check(tmp_path, model, questions.replace("answer = true", "answer = false"))[0] == []


def test_ordering_the_model_stages_must_not_go_down(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q03"
type = "ordering"
prompt = "Order these practices from the first stage to the last."

  [[questions.items]]
  id = "i1"
  text = "Someone is responsible"
  statement = "p.crawl.1"

  [[questions.items]]
  id = "i2"
  text = "Start conversations"
  statement = "p.fly.1"

  [[questions.items]]
  id = "i3"
  text = "Service before campaigns"
  statement = "p.run.1"
"""
    problems, text = check(tmp_path, model, questions)
    assert [(p.path, p.line) for p in problems] == [
        ("questions[0].items[2].statement", line(text, 'statement = "p.run.1"'))
    ]


def test_unknown_ids_and_a_stage_the_text_does_not_name(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q04"
type = "matching"
prompt = "Match."

  [[questions.pairs]]
  id = "p1"
  left = "Crawl"
  right = "Someone is responsible"
  statement = "p.crawl.9"
  stage = "crawl"

  [[questions.pairs]]
  id = "p2"
  left = "Walk"
  right = "Staff have been trained"
  statement = "t.cred.1"
  stage = "jog"

  [[questions.pairs]]
  id = "p3"
  left = "The second stage"
  right = "Staff have been trained"
  statement = "p.walk.1"
  stage = "walk"
"""
    problems, _ = check(tmp_path, model, questions)
    assert [(p.path, p.message) for p in problems] == [
        ("questions[0].pairs[0].statement", '"p.crawl.9" is not a maturity statement of the model'),
        ("questions[0].pairs[1].statement", '"t.cred.1" is not a maturity statement of the model'),
        ("questions[0].pairs[1].stage", '"jog" is not a stage (expected one of crawl, walk, run, fly)'),
        ("questions[0].pairs[2].stage", 'claims stage "walk" but its left or right text does not name "Walk"'),
    ]


def test_a_question_level_stage_must_be_named_in_the_prompt(tmp_path: Path, model: Model) -> None:
    questions = """[[questions]]
id = "q05"
type = "truefalse"
prompt = "Starting conversations belongs to the last stage."
statement = "p.fly.1"
stage = "fly"
answer = true
"""
    problems, _ = check(tmp_path, model, questions)
    assert [p.path for p in problems] == ["questions[0].stage"]
    assert "its prompt does not name" in problems[0].message


def test_a_stage_question_without_statements_is_a_warning(tmp_path: Path, model: Model) -> None:
    undeclared = C1_MATCHING.replace('  statement = "p.fly.1"\n  stage = "run"\n', "").replace(
        '  statement = "p.run.1"\n  stage = "fly"\n', ""
    )
    problems, text = check(tmp_path, model, undeclared)
    assert [(p.path, p.line, p.severity) for p in problems] == [("questions[0]", line(text, "[[questions]]"), WARNING)]
    assert "asks about stage placement but declares no statements" in problems[0].message
    assert str(problems[0]).split(": ", 2)[2].startswith("warning: ")


TAGLINES = """[[questions]]
id = "q02"
type = "matching"
prompt = "Match each stage with its tagline."

  [[questions.pairs]]
  id = "p1"
  left = "Crawl"
  right = "Getting ready"
  stage = "crawl"

  [[questions.pairs]]
  id = "p2"
  left = "Walk"
  right = "Routine"
  stage = "walk"
"""


def test_a_pair_that_claims_only_a_stage_must_show_its_model_tagline(tmp_path: Path, model: Model) -> None:
    problems, text = check(tmp_path, model, TAGLINES)
    # p1 is the model's crawl tagline; p2 gives walk the run stage's tagline.
    assert [(p.path, p.severity) for p in problems] == [("questions[0].pairs[1].stage", "error")]
    assert 'does not show its tagline "Taking part"' in problems[0].message
    fixed, _ = check(tmp_path, model, TAGLINES.replace('right = "Routine"', 'right = "Taking part"'))
    assert fixed == []
