"""Quiz banks in another language: `<banks>/<lang>/<id>.toml` gives strings by question, option,
item and pair id; keys, checks, types and order always come from the English bank.

Fixtures: tests/overlay_fixtures/banks/sample.toml (English) and xx/sample.toml (its title, a
prompt, an option, a pair's left side and the short answers in "xx")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizzes.grading import grade
from quizzes.loader import load_banks
from quizzes.model import ShortAnswer
from quizzes.overlay import check_overlays

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT / "tests" / "overlay_fixtures" / "banks"


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    copied = tmp_path / "banks"
    shutil.copytree(FIXTURES, copied)
    return copied


def write_overlay(bank_dir: Path, text: str) -> Path:
    path = bank_dir / "xx" / "sample.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_translated_strings_come_through_and_the_rest_stays_english() -> None:
    (english,), _ = load_banks(FIXTURES)
    (translated,), problems = load_banks(FIXTURES, language="xx")

    assert problems == []
    assert translated.title == "Een voorbeeldquiz"
    q01, q02, q03 = translated.questions
    assert q01.prompt == "Welke fase komt eerst?"
    assert [o.text for o in q01.options] == ["Walk", "Kruipen"]
    assert q01.explanation == "Crawl is about getting ready." and q01.options[0].feedback == "Walk comes second."
    assert [(p.left, p.right) for p in q02.pairs] == [("Kruipen", "Getting ready"), ("Walk", "Taking part")]
    assert q02.prompt == english.questions[1].prompt
    assert q03.accept == (ShortAnswer("Kruipen"), ShortAnswer("Crawl"))  # the overlay's list replaces the English one


def test_ids_keys_and_grading_are_those_of_the_english_bank() -> None:
    """Attempts are stored by bank, question and option id: a translated bank must grade them alike."""
    (english,), _ = load_banks(FIXTURES)
    (translated,), _ = load_banks(FIXTURES, language="xx")
    assert (translated.id, translated.lesson, translated.feedback, translated.pass_percent, translated.file) == (
        english.id,
        english.lesson,
        english.feedback,
        english.pass_percent,
        english.file,
    )
    for mine, theirs in zip(translated.questions, english.questions, strict=True):
        assert (mine.id, mine.type, mine.checks, mine.correct_option_ids) == (
            theirs.id,
            theirs.type,
            theirs.checks,
            theirs.correct_option_ids,
        )
        assert [o.id for o in mine.options] == [o.id for o in theirs.options]
        assert [p.id for p in mine.pairs] == [p.id for p in theirs.pairs]
    assert grade(translated.questions[0], "b").credit == grade(english.questions[0], "b").credit == 1
    pairs = {"p1": "p2", "p2": "p1"}
    assert grade(translated.questions[1], pairs).credit == grade(english.questions[1], pairs).credit == 0
    assert grade(translated.questions[2], " kruipen ").correct  # short answers in the overlay's language


def test_a_language_without_overlays_is_english() -> None:
    english, _ = load_banks(FIXTURES)
    assert load_banks(FIXTURES, language="yy") == (english, [])


@pytest.mark.parametrize("key", ["correct = false", "weight = 50.0", 'statement = "people.crawl.1"', 'stage = "fly"'])
def test_structural_keys_are_refused_with_file_line_and_key(bank_dir: Path, key: str) -> None:
    text = f'id = "sample"\n\n[questions.q01.options.b]\ntext = "Kruipen"\n{key}\n'
    path = write_overlay(bank_dir, text)
    (english,), _ = load_banks(bank_dir)

    (translated,), problems = load_banks(bank_dir, language="xx")

    name = key.split(" ")[0]
    assert [str(p) for p in problems] == [
        f"{path}:5: questions.q01.options.b.{name}: "
        f"'{name}' is structural: it comes from the English file and cannot be set in an overlay"
    ]
    assert translated == english  # a broken overlay costs only itself: the bank stays English


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('checks = ["people.crawl"]\n', "3: checks: 'checks' is structural"),
        ('feedback = "end"\n', "3: feedback: 'feedback' is structural"),
        ('[questions.q01]\ntype = "multiple"\n', "4: questions.q01.type: 'type' is structural"),
        ("[questions.q02]\nanswer = true\n", "4: questions.q02.answer: 'answer' is structural"),
        ("[questions.q01]\norder = 1\n", "4: questions.q01.order: 'order' is structural"),
        ('[questions.q03]\nvariant_of = "x/q01"\n', "4: questions.q03.variant_of: 'variant_of' is structural"),
        ('[questions.q09]\nprompt = "?"\n', 'questions.q09: no English question has the id "q09"'),
        ('[questions.q01.options.z]\ntext = "?"\n', 'questions.q01.options.z: no English option has the id "z" in'),
        ('[questions.q02.pairs.p3]\nleft = "?"\n', 'questions.q02.pairs.p3: no English pair has the id "p3"'),
        ('[questions.q02]\nexplanation = "Uitleg."\n', "the English has no explanation here"),
        ("[questions.q03]\naccept = []\n", "questions.q03.accept: expected a list of accepted answers"),
        ('[questions.q03]\naccept = [""]\n', "questions.q03.accept[0]: must not be empty"),
        ('[questions.q03]\naccept = [{ text = "Kr*", weight = 50 }]\n', "needs at least one fully right answer"),
        ('[questions.q03]\naccept = [{ text = "K", weight = 150 }]\n', "accept[0].weight: expected a percentage"),
        ('[questions.q02]\naccept = ["x"]\n', "questions.q02.accept: the English has no accept here"),
        ("[questions.q03]\ncase_sensitive = true\n", "'case_sensitive' is structural"),
        ('[questions.q03]\ntags = ["x"]\n', "'tags' is structural"),
        ('[[questions]]\nid = "q01"\nprompt = "?"\n', "questions: expected tables keyed by question id"),
    ],
)
def test_every_other_mistake_is_a_problem(bank_dir: Path, text: str, expected: str) -> None:
    path = write_overlay(bank_dir, f'id = "sample"\n\n{text}')
    _, problems = load_banks(bank_dir, language="xx")
    assert len(problems) == 1 and expected in str(problems[0]) and str(path) in str(problems[0]), problems


def test_an_overlay_of_no_english_bank_is_refused(bank_dir: Path) -> None:
    path = write_overlay(bank_dir, 'title = "Quiz"\nid = "sampel"\n')
    (bank_dir / "xx" / "other.toml").write_text('title = "Quiz"\n', encoding="utf-8")
    _, problems = load_banks(bank_dir, language="xx")
    assert [str(p) for p in problems] == [
        f"{bank_dir}/xx/other.toml:1: id: missing the id of the English bank this file translates",
        f'{path}:2: id: no English quiz bank has the id "sampel"',
    ]


def test_the_untranslated_count() -> None:
    banks, _ = load_banks(FIXTURES)
    strings, problems = check_overlays(banks, FIXTURES, "xx")
    assert problems == []
    # title; q01 prompt, explanation, a text and feedback, b text; q02 prompt, two pairs of two;
    # q03 prompt and accept. Empty English strings (q01's title, b's feedback) are not counted.
    assert (strings.total, strings.translated, strings.untranslated) == (13, 5, 8)


def test_a_translation_may_not_merge_or_split_the_right_sides_of_a_matching_question(bank_dir: Path) -> None:
    path = write_overlay(
        bank_dir,
        'id = "sample"\n\n[questions.q02.pairs.p1]\nright = "Klaar"\n\n[questions.q02.pairs.p2]\nright = "Klaar"\n',
    )
    _, problems = load_banks(bank_dir, language="xx")
    (problem,) = problems
    assert str(path) in str(problem) and problem.path == "questions.q02.pairs"
    assert "repeat where the English ones repeat" in problem.message

    write_overlay(bank_dir, 'id = "sample"\n\n[questions.q02.pairs.p1]\nright = "Klaar"\n')
    assert load_banks(bank_dir, language="xx")[1] == []  # distinct, as in English


RICH = """id = "rich"
title = "Rich"
feedback = "instant"

[[questions]]
id = "s"
type = "short"
prompt = "Name the first stage."
feedback_right = "Well done."
feedback_wrong = "Not yet."
accept = ["Crawl", { text = "C*", weight = 50.0, feedback = "Almost." }, { text = "*", weight = 0.0, feedback = "No." }]

  [[questions.images]]
  name = "dot.png"
  media_type = "image/png"
  data = "iVBORw0KGgo="
  alt = "A dot"

[[questions]]
id = "m"
type = "matching"
prompt = "Match."
distractors = ["Flying"]
feedback_partly = "Some are right."

  [[questions.pairs]]
  id = "p1"
  left = "Crawl"
  right = "Getting ready"

  [[questions.pairs]]
  id = "p2"
  left = "Walk"
  right = "Taking part"
"""


def test_the_new_texts_are_translated_and_short_answers_keep_their_weights(tmp_path: Path) -> None:
    (tmp_path / "rich.toml").write_text(RICH, encoding="utf-8")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "rich.toml").write_text(
        'id = "rich"\n\n[questions.s]\nfeedback_right = "Goed zo."\n'
        'accept = ["Kruipen", { text = "K*", weight = 50, feedback = "Bijna." },\n'
        '  { text = "*", weight = 0, feedback = "Nee." }]\n'
        '\n[questions.s.images."dot.png"]\nalt = "Een stip"\n'
        '\n[questions.m]\ndistractors = ["Vliegen"]\nfeedback_partly = "Een deel klopt."\n',
        encoding="utf-8",
    )
    (english,), problems = load_banks(tmp_path)
    assert problems == []
    (translated,), problems = load_banks(tmp_path, language="xx")
    assert problems == []
    short, matching = translated.questions
    assert short.accept == (
        ShortAnswer("Kruipen"),
        ShortAnswer("K*", 50.0, "Bijna."),
        ShortAnswer("*", 0.0, "Nee."),
    )
    assert (short.feedback_right, short.feedback_wrong) == ("Goed zo.", "Not yet.")
    assert [(i.name, i.alt, i.data) for i in short.images] == [("dot.png", "Een stip", "iVBORw0KGgo=")]
    assert (matching.distractors, matching.feedback_partly) == (("Vliegen",), "Een deel klopt.")
    assert grade(short, "kruipers").credit == 0.5 and grade(english.questions[0], "kruipers").credit == 0

    counted, _ = check_overlays((english,), tmp_path, "xx")
    # title; s: prompt, right, wrong, accept, image alt; m: prompt, distractors, partly, two pairs of two
    assert (counted.total, counted.translated) == (13, 5)


def test_a_distractor_may_not_be_translated_into_a_right_side(tmp_path: Path) -> None:
    (tmp_path / "rich.toml").write_text(RICH, encoding="utf-8")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "rich.toml").write_text(
        'id = "rich"\n\n[questions.m]\ndistractors = ["Klaar"]\n\n[questions.m.pairs.p1]\nright = "Klaar"\n',
        encoding="utf-8",
    )
    _, problems = load_banks(tmp_path, language="xx")
    (problem,) = problems
    assert problem.path == "questions.m.distractors" and "differ" in problem.message
