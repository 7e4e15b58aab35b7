"""Values a bank may not hold though TOML allows them: a pass mark outside 0..100, nan and inf."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.loader import load_bank
from tests.quizzes.test_bank_loader import GOOD

NUMERICAL = """
[[questions]]
id = "q05"
type = "numerical"
prompt = "How many stages?"

  [[questions.numbers]]
  value = VALUE
  tolerance = 0
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bank.toml"
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank(path)
    assert (bank is None) == bool(problems)
    return [str(p).removeprefix(f"{path}:") for p in problems]


@pytest.mark.parametrize("percent", [-5, 101, 500])
def test_a_pass_mark_outside_0_to_100_is_a_problem(tmp_path: Path, percent: int) -> None:
    text = GOOD.replace('feedback = "instant"\n', f'feedback = "instant"\npass_percent = {percent}\n')
    assert problems_of(tmp_path, text) == [f"5: pass_percent: expected 0 to 100, got {percent}"]


@pytest.mark.parametrize("percent", [0, 100])
def test_a_pass_mark_of_0_or_100_is_allowed(tmp_path: Path, percent: int) -> None:
    text = GOOD.replace('feedback = "instant"\n', f'feedback = "instant"\npass_percent = {percent}\n')
    assert problems_of(tmp_path, text) == []


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_a_number_nobody_can_match_is_a_problem(tmp_path: Path, value: str) -> None:
    text = GOOD + NUMERICAL.replace("VALUE", value)
    line = text.splitlines().index(f"  value = {value}") + 1
    [problem] = problems_of(tmp_path, text)
    assert problem.startswith(f"{line}: questions[4].numbers[0].value: expected a finite number, got ")


def test_a_finite_number_loads(tmp_path: Path) -> None:
    assert problems_of(tmp_path, GOOD + NUMERICAL.replace("VALUE", "4")) == []


def test_an_option_weight_of_nan_is_a_problem(tmp_path: Path) -> None:
    text = GOOD.replace('  text = "Crawl"\n  correct = true\n', '  text = "Crawl"\n  correct = true\n  weight = nan\n')
    [problem] = problems_of(tmp_path, text)
    assert "questions[0].options[0].weight: expected a finite number, got nan" in problem
