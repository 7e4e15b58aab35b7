"""The self-paced quiz player with what Moodle's questions hold: a short answer at partial credit with
its feedback and the combined feedback, matching distractors among the choices, a prompt's line
breaks and fenced block kept, and an image under the prompt."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from quizzes.model import Image as ModelImage
from services import learning
from services import respondents as visits
from tests.views.conftest import APP
from views import quiz_widgets

# A 1x1 PNG.
DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UWCgAAAABJRU5ErkJggg=="

BANK = f'''id = "pets"
title = "Pets quiz"
feedback = "instant"

[[questions]]
id = "s"
type = "short"
prompt = "Which animal says miaow?\\nOne word.\\n```\\n  /\\\\_/\\\\\\n ( o.o )\\n```\\nType it below."
feedback_partly = "Partly: check the spelling."
accept = ["Cat", {{ text = "C*t", weight = 50, feedback = "Close: starts with C, ends with t." }}]

  [[questions.images]]
  name = "dot.png"
  media_type = "image/png"
  data = "{DOT}"
  alt = "A black dot"

[[questions]]
id = "m"
type = "matching"
prompt = "Match each animal to its Dutch name."
distractors = ["Paard"]

  [[questions.pairs]]
  id = "p1"
  left = "Cat"
  right = "Kat"

  [[questions.pairs]]
  id = "p2"
  left = "Dog"
  right = "Hond"
'''

PROMPT_SHOWN = "Which animal says miaow?  \nOne word.\n```\n  /\\_/\\\n ( o.o )\n```\nType it below."


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    lessons.mkdir()
    banks.mkdir()
    (banks / "pets.toml").write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(banks))


def open_quiz(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    at.run()
    at.switch_page("views/quiz.py")
    at.query_params.update({"t": token, "quiz": "pets"})
    at.run()
    next(b for b in at.button if b.label == "Start the quiz").click().run()
    assert not at.exception
    return at


def answer(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Answer").click().run()
    assert not at.exception
    return at


def test_a_short_answer_at_half_credit_is_partly_right_with_its_feedback(
    content: None, engine: object, media: list[MemoryMediaFileStorage]
) -> None:
    token, respondent, _round = visits.start_assessment(engine, "full")  # type: ignore[arg-type]
    at = open_quiz(token)

    # The prompt as written: its single line breaks kept as hard breaks, the fenced block untouched.
    assert PROMPT_SHOWN in [m.value for m in at.markdown]
    (image,) = at.get("image")
    assert image.captions == ["A black dot"]
    served = media[-1].get_file(image.value[0].rsplit("/", 1)[-1].split(".")[0])
    # The decoded picture (Streamlit may encode it afresh): the stored one's size.
    assert Image.open(io.BytesIO(served.content)).size == Image.open(io.BytesIO(base64.b64decode(DOT))).size

    at.text_input[0].set_value("Coot")
    answer(at)
    assert [w.value for w in at.warning] == ["Partly right: 50 % credit."]
    captions = [c.value for c in at.caption]
    assert "Close: starts with C, ends with t." in captions and "Partly: check the spelling." in captions
    assert "**Right answer:** Cat" in [m.value for m in at.markdown]  # not the pattern C*t
    (attempt,) = learning.attempts(engine, respondent.id, "pets")  # type: ignore[arg-type]
    assert learning.responses(engine, attempt.id) == {"s": '"Coot"'}  # type: ignore[arg-type]


def test_a_distractor_is_offered_among_the_choices_and_is_never_right(content: None, engine: object) -> None:
    token, respondent, _round = visits.start_assessment(engine, "full")  # type: ignore[arg-type]
    at = open_quiz(token)
    at.text_input[0].set_value("cat")
    answer(at)
    assert [s.value for s in at.success] == ["Right."]
    next(b for b in at.button if b.label == "Next question").click().run()

    boxes = [box for box in at.selectbox if box.label in ("Cat", "Dog")]
    assert len(boxes) == 2
    for box in boxes:
        assert sorted(box.options) == ["Hond", "Kat", "Paard"]  # the labels shown
    cat, dog = boxes
    cat.select_index(cat.options.index("Paard"))
    dog.select_index(dog.options.index("Hond"))
    answer(at)
    assert [w.value for w in at.warning] == ["Partly right: 50 % credit."]
    assert any("Cat** → Paard" in m.value and "*right:* Kat" in m.value for m in at.markdown)
    (attempt,) = learning.attempts(engine, respondent.id, "pets")  # type: ignore[arg-type]
    assert learning.responses(engine, attempt.id)["m"] == '{"p1": "~1", "p2": "p2"}'  # type: ignore[arg-type]


def test_only_picture_bytes_of_the_type_stored_are_shown() -> None:
    assert quiz_widgets.image_bytes(ModelImage("dot.png", "image/png", DOT)) == base64.b64decode(DOT)
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').decode()
    assert quiz_widgets.image_bytes(ModelImage("x.png", "image/png", svg)) == b""
    assert quiz_widgets.image_bytes(ModelImage("dot.gif", "image/gif", DOT)) == b""  # PNG bytes said to be GIF
    assert quiz_widgets.image_bytes(ModelImage("dot.png", "image/png", "not base64!")) == b""
