"""Quiz bank validation: every problem named with file, line and key; good banks load."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.loader import load_bank, load_banks

GOOD = """id = "stages"
title = "The four stages"
lesson = "four-stages"
feedback = "instant"

[[questions]]
id = "q01"
type = "single"
prompt = "Which stage comes first?"
checks = ["strategy.crawl"]
explanation = "People, process, procedure."

  [[questions.options]]
  id = "a"
  text = "Crawl"
  correct = true

  [[questions.options]]
  id = "b"
  text = "Fly"
  feedback = "Fly is the last stage."

[[questions]]
id = "q02"
type = "ordering"
prompt = "Put the stages in order."
checks = ["strategy.walk"]

  [[questions.items]]
  id = "crawl"
  text = "Crawl"

  [[questions.items]]
  id = "walk"
  text = "Walk"

[[questions]]
id = "q03"
type = "matching"
prompt = "Match."

  [[questions.pairs]]
  id = "p1"
  left = "Crawl"
  right = "People, process, procedure"

  [[questions.pairs]]
  id = "p2"
  left = "Walk"
  right = "Managing your properties"

[[questions]]
id = "q04"
type = "truefalse"
prompt = "Walking means starting with every platform at once."
answer = false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stages.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_bank_loads(tmp_path: Path) -> None:
    bank, problems = load_bank(write(tmp_path, GOOD))
    assert problems == []
    assert bank is not None
    assert [q.type for q in bank.questions] == ["single", "ordering", "matching", "truefalse"]
    assert bank.question("q01").correct_option_ids == ("a",)
    assert bank.pass_percent == 70


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  correct = true\n", ""), ":13: questions[0].options: a single-choice question needs exactly one correct"),
        (('  id = "b"\n', '  id = "a"\n'), ':13: questions[0].options: option id "a" is used twice'),
        (('id = "q02"', 'id = "q01"'), ':24: questions[1].id: duplicate question id "q01"'),
        (('type = "ordering"', 'type = "essay"'), ":25: questions[1].type: expected one of"),
        (("answer = false\n", ""), ":52: questions[3]: a truefalse question needs 'answer'"),
        (('feedback = "instant"', 'feedbak = "instant"'), ":4: feedbak: unknown key"),
        (('title = "The four stages"', 'title = "unclosed'), ":2: not valid TOML"),
        (('  text = "Fly"', '  txt = "Fly"'), ":20: questions[0].options[1].txt: unknown key"),
    ],
    ids=[
        "no-right-answer",
        "option-id-twice",
        "duplicate-question",
        "bad-type",
        "truefalse-without-answer",
        "unknown-key",
        "toml-error",
        "unknown-option-key",
    ],
)
def test_bank_problems_name_file_line_and_key(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    bank, problems = load_bank(write(tmp_path, GOOD.replace(*change, 1)))
    assert bank is None
    messages = [str(p) for p in problems]
    assert any(expected in m and m.startswith(str(tmp_path / "stages.toml")) for m in messages), messages


def test_a_broken_bank_does_not_hide_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(
        GOOD.replace('id = "stages"', 'id = "other"').replace("answer = false\n", ""), encoding="utf-8"
    )
    banks, problems = load_banks(tmp_path)
    assert [b.id for b in banks] == ["stages"]
    assert len(problems) == 1 and "b.toml" in str(problems[0])
