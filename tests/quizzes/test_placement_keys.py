"""Stage placement (`statement`, `stage`) and `variant_of`: read, written back, and carried by GIFT where it can."""

from __future__ import annotations

from pathlib import Path

from quizzes.bank_toml import bank_to_toml
from quizzes.gift import export_gift, parse_gift
from quizzes.loader import load_bank
from quizzes.model import Bank

BANK = """id = "stages"
title = "Stages"
lesson = "four-stages"
feedback = "instant"

[[questions]]
id = "q01"
type = "single"
prompt = "At which stage does starting conversations belong?"
statement = "conversation.fly.1"
variant_of = "conversation-webcare/q08"

  [[questions.options]]
  id = "a"
  text = "Run"
  stage = "run"

  [[questions.options]]
  id = "b"
  text = "Fly"
  stage = "fly"
  correct = true

[[questions]]
id = "q02"
type = "matching"
prompt = "Match each stage with a practice."

  [[questions.pairs]]
  id = "p1"
  left = "Run"
  right = "Service and product are in order before campaigns"
  statement = "conversation.run.2"
  stage = "run"

  [[questions.pairs]]
  id = "p2"
  left = "Fly"
  right = "Start and keep up conversations"
  statement = "conversation.fly.1"
  stage = "fly"

[[questions]]
id = "q03"
type = "ordering"
prompt = "Order by stage."

  [[questions.items]]
  id = "i1"
  text = "Service first"
  statement = "conversation.run.2"

  [[questions.items]]
  id = "i2"
  text = "Conversations"
  statement = "conversation.fly.1"

[[questions]]
id = "q04"
type = "truefalse"
prompt = "Starting conversations is a Fly practice."
statement = "conversation.fly.1"
stage = "fly"
answer = true
"""


def load(tmp_path: Path, text: str = BANK) -> Bank:
    path = tmp_path / "stages.toml"
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank(path)
    assert problems == [], [str(p) for p in problems]
    assert bank is not None
    return bank


def test_the_keys_are_read_on_questions_options_pairs_and_items(tmp_path: Path) -> None:
    bank = load(tmp_path)
    q01, q02, q03, q04 = bank.questions
    assert (q01.statement, q01.stage, q01.variant_of) == ("conversation.fly.1", "", "conversation-webcare/q08")
    assert [(o.stage, o.statement) for o in q01.options] == [("run", ""), ("fly", "")]
    assert [(p.statement, p.stage) for p in q02.pairs] == [("conversation.run.2", "run"), ("conversation.fly.1", "fly")]
    assert [i.statement for i in q03.items] == ["conversation.run.2", "conversation.fly.1"]
    assert (q04.statement, q04.stage) == ("conversation.fly.1", "fly")
    lines = BANK.splitlines()
    first_pair = lines.index("  [[questions.pairs]]")
    assert bank.lines["questions[1].pairs[0].stage"] == lines.index('  stage = "run"', first_pair) + 1


def test_a_wrong_type_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "stages.toml"
    path.write_text(BANK.replace('variant_of = "conversation-webcare/q08"', "variant_of = 3"), encoding="utf-8")
    _, problems = load_bank(path)
    assert [(p.line, p.path) for p in problems] == [(11, "questions[0].variant_of")]


def test_bank_toml_writes_them_back(tmp_path: Path) -> None:
    bank = load(tmp_path)
    again = tmp_path / "again"
    again.mkdir()
    assert load(again, bank_to_toml(bank)).questions == bank.questions


def test_gift_carries_the_question_keys_and_says_what_it_leaves_out(tmp_path: Path) -> None:
    bank = load(tmp_path)
    exported = export_gift(bank)
    assert "[tag:statement:conversation.fly.1]" in exported.text
    assert "[tag:variant_of:conversation-webcare/q08]" in exported.text
    assert any("q02" in w and "p1, p2" in w for w in exported.warnings), exported.warnings
    back = {q.id: q for q in parse_gift(exported.text, "stages").questions}
    assert (back["q01"].statement, back["q01"].variant_of) == ("conversation.fly.1", "conversation-webcare/q08")
    assert (back["q04"].statement, back["q04"].stage) == ("conversation.fly.1", "fly")
    assert all(not p.stage for p in back["q02"].pairs)
