"""Quiz bank validation: every problem named with file, line and key; good banks load."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzes.bank_toml import bank_to_toml
from quizzes.loader import load_bank, load_banks
from quizzes.model import Image, NumericAnswer, ShortAnswer

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


# ------------------------------------------------------------------ what Moodle's questions hold

SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="  # <svg xmlns=.../>, as base64
DOT = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UWCgAAAABJRU5ErkJggg=="

MOODLE = """id = "moodle"
title = "Moodle parity"
feedback = "end"

[[questions]]
id = "s"
type = "short"
prompt = "Which animal?\\nOne word."
case_sensitive = true
tags = ["animals", "easy"]
feedback_right = "Yes."
feedback_partly = "Partly."
feedback_wrong = "No."
accept = [
  "Cat",
  { text = "C*t", weight = 50, feedback = "Close." },
  { text = "*", weight = 0.0, feedback = "Think of pets." },
]

  [[questions.images]]
  name = "dot.png"
  media_type = "image/png"
  data = "DOT"
  alt = "A black dot"

[[questions]]
id = "n"
type = "numerical"
prompt = "How many?"

  [[questions.numbers]]
  value = 4.0

  [[questions.numbers]]
  min = 3.0
  max = 5.0
  weight = 50.0

  [[questions.numbers]]
  any_number = true
  weight = 0.0
  feedback = "Completely wrong."

[[questions]]
id = "m"
type = "matching"
prompt = "Match."
distractors = ["Chat", "Dog"]

  [[questions.pairs]]
  id = "p1"
  left = "Cat"
  right = "Kat"

  [[questions.pairs]]
  id = "p2"
  left = "Cow"
  right = "Koe"
""".replace('"DOT"', f'"{DOT}"')


def test_every_moodle_key_is_read(tmp_path: Path) -> None:
    bank, problems = load_bank(write(tmp_path, MOODLE))
    assert problems == [] and bank is not None
    short, number, matching = bank.questions
    assert short.accept == (
        ShortAnswer("Cat"),
        ShortAnswer("C*t", 50.0, "Close."),
        ShortAnswer("*", 0.0, "Think of pets."),
    )
    assert short.case_sensitive and short.tags == ("animals", "easy")
    assert (short.feedback_right, short.feedback_partly, short.feedback_wrong) == ("Yes.", "Partly.", "No.")
    assert short.images == (Image("dot.png", "image/png", DOT, "A black dot"),)
    assert short.prompt == "Which animal?\nOne word."
    assert number.numbers[2] == NumericAnswer(weight=0.0, feedback="Completely wrong.", any_number=True)
    assert matching.distractors == ("Chat", "Dog")


def test_bank_to_toml_writes_what_load_bank_reads_back_the_same(tmp_path: Path) -> None:
    bank, _ = load_bank(write(tmp_path, MOODLE))
    assert bank is not None
    written = bank_to_toml(bank)
    assert 'accept = ["Cat", { text = "C*t", weight = 50.0, feedback = "Close." }' in written
    again, problems = load_bank(write(tmp_path, written))
    assert problems == []
    assert again == bank


def image(media_type: str = "image/png", data: str = DOT, name: str = "dot.png") -> str:
    return f'\n  [[questions.images]]\n  name = "{name}"\n  media_type = "{media_type}"\n  data = "{data}"\n'


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('  "Cat",\n', ""), ":14: questions[0].accept: needs at least one fully right answer (weight 100)"),
        (("weight = 50,", "weight = 150,"), ":14: questions[0].accept[1].weight: expected a percentage from 0 to 100"),
        (("weight = 50,", 'weight = "50",'), ":14: questions[0].accept[1].weight: expected float"),
        (('  "Cat",\n', '  "Cat", 3,\n'), ":14: questions[0].accept[1]: expected a text or a table"),
        (('  "Cat",\n', '  "",\n'), ":14: questions[0].accept[0]: must not be empty"),
        (('text = "C*t",', 'txt = "C*t",'), ":14: questions[0].accept[1].txt: unknown key"),
        (('accept = [\n  "Cat",', "accept = [\n"), ":14: questions[0].accept: needs at least one fully right"),
        (
            ('tags = ["animals", "easy"]', 'tags = ["animals", "animals"]'),
            ':10: questions[0].tags[1]: tag "animals" is',
        ),
        (('tags = ["animals", "easy"]', 'tags = ["animals", ""]'), ":10: questions[0].tags[1]: expected a non-empty"),
        (
            ("case_sensitive = true", 'case_sensitive = "yes"'),
            ":9: questions[0].case_sensitive: expected true or false",
        ),
        (('media_type = "image/png"', 'media_type = "image/svg+xml"'), ":22: questions[0].images[0].media_type:"),
        (('data = "iVBOR', 'data = "!iVBOR'), ":23: questions[0].images[0].data: the picture's base64 data is broken"),
        (
            ('media_type = "image/png"', 'media_type = "image/gif"'),
            ":23: questions[0].images[0].data: the data is image/png, not the image/gif",
        ),
        (
            (f'data = "{DOT}"', f'data = "{SVG}"'),
            ":23: questions[0].images[0].data: SVG pictures are refused",
        ),
        (('  alt = "A black dot"\n', image()), ':26: questions[0].images[1].name: image name "dot.png" is used twice'),
        (("  any_number = true\n", "  any_number = true\n  value = 1.0\n"), ":39: questions[1].numbers[2]: any_number"),
        (("  any_number = true\n", ""), ":39: questions[1].numbers[2]: give either value"),
        (
            ('distractors = ["Chat", "Dog"]', 'distractors = ["Chat", "Koe"]'),
            ':48: questions[2].distractors[1]: "Koe" is',
        ),
        (
            ('distractors = ["Chat", "Dog"]', 'distractors = ["Dog", "Dog"]'),
            ":48: questions[2].distractors[1]: distractor",
        ),
        (
            ('type = "numerical"', 'type = "numerical"\ncase_sensitive = true'),
            ":29: questions[1].case_sensitive: only a short",
        ),
        (
            ('prompt = "How many?"', 'prompt = "How many?"\ndistractors = ["x"]'),
            ":30: questions[1].distractors: only a matching",
        ),
    ],
    ids=[
        "no-full-credit",
        "weight-above-100",
        "weight-as-text",
        "answer-not-text",
        "empty-answer",
        "answer-unknown-key",
        "only-partial",
        "tag-twice",
        "empty-tag",
        "case-not-bool",
        "svg-refused",
        "bad-base64",
        "bytes-not-the-type-given",
        "svg-bytes-as-png",
        "image-name-twice",
        "any-number-with-value",
        "number-without-value",
        "distractor-is-a-right-side",
        "distractor-twice",
        "case-only-short",
        "distractors-only-matching",
    ],
)
def test_moodle_key_problems_name_file_line_and_key(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    text = MOODLE.replace(*change, 1)
    assert text != MOODLE
    bank, problems = load_bank(write(tmp_path, text))
    assert bank is None
    messages = [str(p) for p in problems]
    assert any(expected in m for m in messages), messages


def test_every_problem_of_a_bank_is_reported_at_once(tmp_path: Path) -> None:
    text = MOODLE.replace("weight = 50,", "weight = 150,").replace('"easy"]', '""]').replace('"Dog"]', '"Koe"]')
    _, problems = load_bank(write(tmp_path, text))
    assert [p.path for p in problems] == [
        "questions[0].accept[1].weight",
        "questions[0].tags[1]",
        "questions[2].distractors[1]",
    ]
