"""```ladder and ```stages blocks expanded from the model, and trainer notes split off the body."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assessment.loader import load_model
from assessment.model import Model
from lessons.directives import DirectiveLabels, directive_problem, find_directives, prose_lines
from lessons.loader import load_lesson, split_trainer_notes
from lessons.render import render_markdown
from lessons.search import search
from tests.assessment.conftest import SYNTHETIC_TOML

LADDER = '```ladder\ndimension = "people"\n```\n'


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    path = tmp_path_factory.mktemp("model") / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    return load_model(path)


def test_a_ladder_is_the_models_statements_per_stage(model: Model) -> None:
    html = render_markdown(f"## How it grows\n\n{LADDER}\nAfter.", model).html
    assert "<th>Stage</th><th>In place at this stage</th>" in html
    assert "<td><strong>Walk</strong></td><td><ul><li>Staff have been trained.</li>" in html
    assert "<li>There is time in the week for it.</li></ul>" in html
    assert html.index("Crawl") < html.index("Walk") < html.index("Run") < html.index("Fly")
    assert '<div class="lesson-table"' in html  # scrolls sideways on a phone like every lesson table
    assert "<p>After.</p>" in html and "dimension" not in html


def test_a_ladder_marks_statements_that_may_not_apply_and_takes_its_labels(model: Model) -> None:
    people = model.dimension("people")
    flagged = tuple(dataclasses.replace(s, may_not_apply=True) if s.id == "p.fly.1" else s for s in people.statements)
    changed = dataclasses.replace(
        model,
        dimensions=tuple(dataclasses.replace(d, statements=flagged) if d is people else d for d in model.dimensions),
    )
    labels = DirectiveLabels(stage="Fase", in_place="Op orde in deze fase", may_not_apply="(geldt misschien niet)")
    html = render_markdown(LADDER, changed, labels).html
    assert "<th>Fase</th><th>Op orde in deze fase</th>" in html
    assert "<li>Everyone may speak for the organisation. <em>(geldt misschien niet)</em></li>" in html
    assert html.count("geldt misschien niet") == 1


def test_stages_are_the_models_stages(model: Model) -> None:
    html = render_markdown("```stages\n```\n", model).html
    assert "<td><strong>Crawl</strong></td><td>Getting ready</td><td>Inside the organisation first.</td>" in html
    assert html.count("<tr>") == 5


def test_model_text_is_escaped_and_sanitised(model: Model) -> None:
    people = model.dimension("people")
    hostile = tuple(
        dataclasses.replace(s, text="<script>alert(1)</script> & <b>bold</b>") if s.id == "p.run.1" else s
        for s in people.statements
    )
    changed = dataclasses.replace(
        model,
        dimensions=tuple(dataclasses.replace(d, statements=hostile) if d is people else d for d in model.dimensions),
    )
    html = render_markdown(LADDER, changed).html
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ('```ladder\ndimension = "nope"\n```', 'no dimension "nope" in the assessment model'),
        ("```ladder\ndimension = \n```", "the ladder block is not valid TOML"),
        ("```ladder\n```", 'a ladder block needs dimension = "<dimension id of the model>"'),
        ('```ladder\ndimension = "people"\nstage = "fly"\n```', "unknown key 'stage'"),
        ('```stages\ntitle = "x"\n```', "a stages block takes no keys"),
        ('```ladder\ndimension = "people"\n', "the block is not closed"),
    ],
)
def test_a_broken_block_is_a_short_note_on_the_page(model: Model, block: str, problem: str) -> None:
    text = f"Before.\n\n{block}\n\nAfter."
    (directive,) = find_directives(text)
    assert problem in directive_problem(directive, model)
    assert directive.start == 2
    html = render_markdown(text, model).html
    assert '<p class="directive-problem"><em>This part of the lesson cannot be shown' in html
    assert "<table>" not in html


def test_without_a_model_a_block_is_a_note_too() -> None:
    assert "directive-problem" in render_markdown(LADDER).html


def test_blocks_inside_code_are_code(model: Model) -> None:
    text = "````markdown\n" + LADDER + "````\n"
    assert find_directives(text) == []
    assert "<table>" not in render_markdown(text, model).html
    assert [index for index, _ in prose_lines(text + "Prose\n")] == [5]


LESSON = """+++
id = "webcare"
title = "Webcare"
summary = "Answer fast."
minutes = 7
level = "practice"
sources = ["000"]
quiz = "webcare"

[covers]
cells = ["people.crawl"]
+++

## Answer every question

Reply within the hour.

```ladder
dimension = "people"
```

## Exercise: answer a complaint

Write a reply.

[^1]: Source: workshop slides, 2012 (000).

## Trainer notes

### Timing
5 min intro, 15 min exercise, 10 min discussion: projector-only wording.

```markdown
## Trainer notes
```
"""


def test_the_loader_splits_off_the_trainer_notes(tmp_path: Path) -> None:
    path = tmp_path / "09-webcare.md"
    path.write_text(LESSON, encoding="utf-8")
    lesson, problems = load_lesson(path)
    assert problems == [] and lesson is not None
    assert lesson.body.rstrip().endswith("[^1]: Source: workshop slides, 2012 (000).")
    assert "Trainer notes" not in lesson.body
    assert lesson.trainer_notes.startswith("\n### Timing\n")
    assert lesson.trainer_notes.rstrip().endswith("```")  # the heading inside the code block stays in
    assert lesson.trainer_notes_line == LESSON.splitlines().index("## Trainer notes") + 1
    assert lesson.reading_minutes == 1
    assert search((lesson,), "projector") == []  # the notes are not searched
    assert search((lesson,), "dimension") == []  # nor a block's TOML
    assert [hit.lesson.id for hit in search((lesson,), "complaint")] == ["webcare"]


def test_a_lesson_without_trainer_notes_has_none() -> None:
    assert split_trainer_notes("## A\ntext\n## Trainer notes are below\n") == (
        "## A\ntext\n## Trainer notes are below\n",
        "",
        None,
    )
