"""The lesson page fills a ```ladder block from the model, shows a note for a broken one, and keeps the
trainer notes in a closed expander of their own (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.views.conftest import APP

LESSON = """+++
id = "webcare"
title = "Conversation management and webcare"
summary = "Answer fast, keep criticism visible."
minutes = 7
level = "practice"
sources = ["000"]
quiz = "webcare"

[covers]
cells = ["conversation.crawl"]
+++

## How conversation grows

```ladder
dimension = "conversation"
```

## A broken ladder

```ladder
dimension = "no-such-dimension"
```

## Exercise: answer a complaint

Write a reply.

## Trainer notes

### Timing
Ten minutes for the exercise, then a ROOMCHECK round.
"""
BANK = """id = "webcare"
title = "Webcare quiz"
lesson = "webcare"
feedback = "instant"

[[questions]]
id = "q1"
type = "truefalse"
prompt = "Deleting critical comments is good practice."
checks = ["conversation.crawl"]
answer = false
"""


def test_ladder_note_and_trainer_notes_on_the_lesson_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: Path
) -> None:
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir()
    banks.mkdir()
    (lessons / "09-webcare.md").write_text(LESSON, encoding="utf-8")
    (banks / "webcare.toml").write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(banks))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lessons.py")
    at.query_params["lesson"] = "webcare"
    at.run()
    assert not at.exception
    bodies = [h.proto.body for h in at.get("html") if not h.proto.unsafe_allow_javascript]
    lesson_html = next(b for b in bodies if "How conversation grows" in b)
    assert "<th>Stage</th><th>In place at this stage</th>" in lesson_html
    assert "<td><strong>Fly</strong></td>" in lesson_html
    assert "This part of the lesson cannot be shown" in lesson_html
    assert "ROOMCHECK" not in lesson_html and "Trainer notes" not in lesson_html
    (notes,) = [e for e in at.expander if e.label == "For trainers: notes for running this lesson"]
    assert not notes.proto.expanded
    assert any("ROOMCHECK" in b and "<h3" in b for b in bodies)
