"""Lesson rules of the check: hand-written ladders, exercises, trainer notes, broken directives;
and the whole check on a made-up course (errors fail it, warnings do not)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assessment.loader import load_model
from assessment.model import Model
from content.problems import ERROR, WARNING, Problem
from learning.check import check_content
from learning.lesson_rules import lesson_problems
from lessons.loader import load_lesson
from tests.assessment.conftest import SYNTHETIC_TOML

FRONT = """+++
id = "people"
title = "People"
summary = "Who does the work."
minutes = 7
level = "practice"
sources = ["000"]
quiz = "people"

[covers]
cells = ["people.crawl"]
+++
"""
EXERCISE = "## Exercise: name the owner\n\nWrite down who answers questions.\n"
NOTES = """
## Trainer notes

### Timing
5 min intro, 15 min exercise, 10 min discussion.

### Running the exercise
Groups of three; put the ladder on the projector.

### Discussion questions
1. Who answers at night?
2. Who decides?

### Model answer
A named person and a stand-in.
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path = tmp_path_factory.mktemp("model") / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    return load_model(path)


def problems_of(tmp_path: Path, model: Model, body: str) -> tuple[list[Problem], str]:
    text = FRONT + body
    path = tmp_path / "03-people.md"
    path.write_text(text, encoding="utf-8")
    lesson, problems = load_lesson(path)
    assert problems == [] and lesson is not None, [str(p) for p in problems]
    return lesson_problems(model, lesson), text


def line(text: str, needle: str) -> int:
    return next(number for number, row in enumerate(text.splitlines(), 1) if needle in row)


def test_a_complete_lesson_is_clean(tmp_path: Path, model: Model) -> None:
    body = '## How it grows\n\nCrawl organisations prepare in-house.\n\n```ladder\ndimension = "people"\n```\n\n'
    assert problems_of(tmp_path, model, body + EXERCISE + NOTES)[0] == []


HAND_WRITTEN_TABLE = """## How it grows

| Stage | What it looks like |
|---|---|
| **Crawl** | Someone is responsible. |
| Walk | Staff are trained. |
| Run: routine | Several teams take part. |
"""
HAND_WRITTEN_LIST = """## How it grows

- **Crawl**: someone is responsible.
- *Walk*: staff are trained.
  More about training.

- Fly – everyone may speak.
"""


@pytest.mark.parametrize("ladder", [HAND_WRITTEN_TABLE, HAND_WRITTEN_LIST], ids=["table", "list"])
def test_a_hand_written_ladder_is_an_error_at_its_first_stage_row(tmp_path: Path, model: Model, ladder: str) -> None:
    problems, text = problems_of(tmp_path, model, ladder + EXERCISE + NOTES)
    assert [(p.line, p.path, p.severity) for p in problems] == [(line(text, "Crawl"), "body", ERROR)]
    assert "hand-written stage ladder (3 rows begin with Crawl, Walk, " in problems[0].message
    assert "```ladder" in problems[0].message


def test_prose_one_stage_row_and_code_are_no_ladder(tmp_path: Path, model: Model) -> None:
    body = """## Stages

Crawl comes before Walk, and Run before Fly.

| Stage | Tagline |
|---|---|
| Crawl | Getting ready |
| Later stages | See the ladder |

- Run a pilot first.
- Run a survey after.

```text
| Crawl | x |
| Walk | y |
```
"""
    assert problems_of(tmp_path, model, body + EXERCISE + NOTES)[0] == []


def test_a_lesson_without_an_exercise_is_an_error(tmp_path: Path, model: Model) -> None:
    problems, text = problems_of(tmp_path, model, "## Only reading\n\nText.\n\n### Exercise in a subsection\n" + NOTES)
    assert [(p.line, p.path, p.severity) for p in problems] == [(line(text, "## Only reading"), "## Exercise", ERROR)]
    assert 'the lesson has no exercise: add a section whose heading starts with "## Exercise"' in problems[0].message


def test_missing_trainer_notes_or_subsections_are_warnings(tmp_path: Path, model: Model) -> None:
    problems, _ = problems_of(tmp_path, model, "## Text\n\n" + EXERCISE)
    assert [(p.path, p.severity) for p in problems] == [("## Trainer notes", WARNING)]
    partial = NOTES.replace("### Discussion questions", "### Questions").replace("### Model answer", "### Answers")
    problems, text = problems_of(tmp_path, model, "## Text\n\n" + EXERCISE + partial)
    assert [(p.line, p.severity) for p in problems] == [(line(text, "## Trainer notes"), WARNING)]
    assert problems[0].message == "the trainer notes have no ### Discussion questions, ### Model answer"
    swapped = (
        NOTES.replace("### Timing", "### TMP").replace("### Model answer", "### Timing").replace("TMP", "Model answer")
    )
    problems, _ = problems_of(tmp_path, model, "## Text\n\n" + EXERCISE + swapped)
    assert [p.severity for p in problems] == [WARNING] and "in this order" in problems[0].message


def test_a_broken_ladder_block_is_an_error_at_its_line(tmp_path: Path, model: Model) -> None:
    body = (
        '## Grows\n\n```ladder\ndimension = "culture"\n```\n\n'
        + EXERCISE
        + NOTES.replace("### Model answer", "```stages\nx = 1\n```\n\n### Model answer")
    )
    problems, text = problems_of(tmp_path, model, body)
    assert [(p.line, p.path) for p in problems] == [
        (line(text, "```ladder"), "```ladder"),
        (line(text, "```stages"), "```stages"),
    ]
    assert problems[0].message.startswith('no dimension "culture" in the assessment model (known: people, content)')


# ------------------------------------------------------------------------------------------ the whole check

BANK = """id = "people"
title = "People"
lesson = "people"
feedback = "end"

[[questions]]
id = "q01"
type = "truefalse"
prompt = "Someone is responsible for social media at the Crawl stage."
checks = ["people.crawl"]
statement = "p.crawl.1"
stage = "crawl"
answer = true
"""


def run_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lesson_body: str) -> tuple[int, str, str]:
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir(exist_ok=True)
    banks.mkdir(exist_ok=True)
    (lessons / "03-people.md").write_text(FRONT + lesson_body, encoding="utf-8")
    (banks / "people.toml").write_text(BANK, encoding="utf-8")
    model = tmp_path / "model.toml"
    # Only the people dimension's cells, so that coverage has nothing to say.
    model.write_text(SYNTHETIC_TOML, encoding="utf-8")
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(banks))
    out, err = io.StringIO(), io.StringIO()
    code = check_content(model, out, err)
    # Coverage of the synthetic model's other cells is not what these tests are about.
    rest = [
        row for row in err.getvalue().splitlines() if "no lesson teaches" not in row and "no quiz question" not in row
    ]
    return code, out.getvalue(), "\n".join(rest)


def test_the_check_prints_warnings_marked_and_fails_on_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_check(tmp_path, monkeypatch, HAND_WRITTEN_TABLE)
    assert code == 1
    assert "Near-duplicate questions across banks: 0 pair(s)" in out
    assert "Right option the longest in 0 of 0 single-choice questions" in out
    assert "03-people.md:17: body: hand-written stage ladder" in err
    assert "03-people.md:13: ## Exercise: the lesson has no exercise" in err
    assert '03-people.md:13: ## Trainer notes: warning: no "## Trainer notes" section' in err
    assert "error(s), 1 warning(s)." in err.splitlines()[-1]
