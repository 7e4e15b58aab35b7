"""Moodle GIFT import and export, the TOML bank writer and `python -m quizzes`.

Parse tests are tables: one GIFT snippet per construct of Moodle's GIFT format
and the question it must give. Every fixture file must survive import -> export
-> import unchanged and bank_to_toml -> load_bank unchanged.
"""

from __future__ import annotations

import ast
import dataclasses
import gettext
import itertools
import re
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import i18n
from quizzes.bank_toml import bank_to_toml
from quizzes.gift import GiftImport, bank_to_gift, export_gift, html_to_text, parse_gift
from quizzes.grading import answer_feedback, grade
from quizzes.loader import load_bank, load_banks
from quizzes.model import Bank, Image, NumericAnswer, Option, OrderItem, Pair, Question, ShortAnswer

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*.gift"))


def read_fixture(name: str) -> GiftImport:
    return parse_gift((FIXTURES / name).read_bytes().decode("utf-8"), name)


def one(gift: str) -> Question:
    result = parse_gift(gift, "test.gift")
    assert result.skipped == [], result.skipped
    assert len(result.questions) == 1, result.questions
    return result.questions[0]


def line_of(name: str, marker: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8-sig").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(marker))


def as_bank(result: GiftImport, bank_id: str = "imported") -> Bank:
    return result.to_bank(bank_id, "Imported")


def write_and_load(tmp_path: Path, bank: Bank) -> Bank:
    path = tmp_path / f"{bank.id}.toml"
    path.write_text(bank_to_toml(bank), encoding="utf-8")
    loaded, problems = load_bank(path)
    assert problems == [], [str(p) for p in problems]
    assert loaded is not None
    return dataclasses.replace(loaded, file=bank.file)


def sa(*texts: str) -> tuple[ShortAnswer, ...]:
    """Short answers at full credit, without feedback."""
    return tuple(ShortAnswer(text) for text in texts)


def opts(*specs: tuple[str, bool] | tuple[str, bool, str] | tuple[str, bool, str, float]) -> tuple[Option, ...]:
    return tuple(Option(chr(ord("a") + i), *spec) for i, spec in enumerate(specs))


# ------------------------------------------------------------------------------------------- parsing

CONSTRUCTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "multiple-choice",
        "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
        {"type": "single", "prompt": "Who's buried in Grant's tomb?",
         "options": opts(("Grant", False), ("Jefferson", False), ("no one", True))},
    ),
    (
        "multiple-choice-lines-indented",
        "Japanese characters came from? {\n    ~India\n    =China\n    ~Korea}",
        {"type": "single", "options": opts(("India", False), ("China", True), ("Korea", False))},
    ),
    (
        "missing-word",
        "Grant is {~buried =entombed ~living} in Grant's tomb.",
        {"type": "single", "prompt": "Grant is _____ in Grant's tomb."},
    ),
    (
        "missing-word-before-punctuation",
        "The best network is {=yours ~theirs}.",
        {"prompt": "The best network is _____."},
    ),
    (
        "answer-feedback",
        "Pick.{~wrong answer#feedback on it\n=right answer#Very good!}",
        {"options": opts(("wrong answer", False, "feedback on it"), ("right answer", True, "Very good!"))},
    ),
    (
        "general-feedback",
        "Pick.{=a ~b ####Shown whatever was chosen.}",
        {"explanation": "Shown whatever was chosen.", "options": opts(("a", True), ("b", False))},
    ),
    (
        "multiple-answers-weights",
        "Which two? {\n ~%-100%No one\n ~%50%Grant\n ~%50%Grant's wife\n ~Grant's father }",
        {"type": "multiple", "options": opts(
            ("No one", False, "", -100.0), ("Grant", True, "", 50.0),
            ("Grant's wife", True, "", 50.0), ("Grant's father", False, "", 0.0))},
    ),
    (
        "multiple-answers-decimal-weights",
        "Pick three.{~%33.333%a ~%33.333%b ~%33.334%c ~d}",
        {"type": "multiple", "options": opts(
            ("a", True, "", 33.333), ("b", True, "", 33.333), ("c", True, "", 33.334), ("d", False, "", 0.0))},
    ),
    ("true-T", "The sun rises in the east.{T}", {"type": "truefalse", "answer": True}),
    ("true-TRUE", "The sun rises in the east.{TRUE}", {"type": "truefalse", "answer": True}),
    ("false-F", "The sun rises in the west.{F}", {"type": "truefalse", "answer": False}),
    ("false-FALSE", "The sun rises in the west.{FALSE}", {"type": "truefalse", "answer": False}),
    (
        "true-feedback-wrong-then-right",
        "Anyone can use a hashtag.{TRUE#You said false: wrong.#You said true: right.}",
        {"answer": True, "feedback_false": "You said false: wrong.", "feedback_true": "You said true: right."},
    ),
    (
        "false-feedback-wrong-then-right",
        "Ignoring a complaint helps.{FALSE#You said true: wrong.#You said false: right.}",
        {"answer": False, "feedback_true": "You said true: wrong.", "feedback_false": "You said false: right."},
    ),
    (
        "false-only-wrong-feedback",
        "Grant is buried in Grant's tomb.{FALSE#No one is buried there.}",
        {"answer": False, "feedback_true": "No one is buried there.", "feedback_false": ""},
    ),
    (
        "true-false-general-feedback",
        "42 is the answer.{\nFALSE#42 is the Ultimate Answer.#You gave the right answer.\n####A reference.}",
        {"answer": False, "feedback_true": "42 is the Ultimate Answer.",
         "feedback_false": "You gave the right answer.", "explanation": "A reference."},
    ),
    ("short-answer", "Who's buried there?{=no one =nobody}", {"type": "short", "accept": sa("no one", "nobody")}),
    ("short-answer-without-equals", "Which starts with F?{Facebook}", {"type": "short", "accept": sa("Facebook")}),
    (
        "short-answer-missing-word",
        "Two plus {=two =2} equals four.",
        {"type": "short", "prompt": "Two plus _____ equals four.", "accept": sa("two", "2")},
    ),
    (
        "short-answer-credit-feedback-catch-all",
        "Best animal?{\n =Frog#Good!\n =%50%Cat#Cats again?\n =%0%*#Completely wrong\n}",
        {"accept": (ShortAnswer("Frog", 100.0, "Good!"), ShortAnswer("Cat", 50.0, "Cats again?"),
                    ShortAnswer("*", 0.0, "Completely wrong")), "case_sensitive": False},
    ),
    (
        "short-answer-wildcard-and-literal-star",
        "Name it.{=Naz*reth =%50%a\\\\*b}",
        {"accept": (ShortAnswer("Naz*reth"), ShortAnswer("a\\*b", 50.0))},
    ),
    (
        "short-answer-decimal-credit",
        "Name it.{=full =%33.5%part}",
        {"accept": (ShortAnswer("full"), ShortAnswer("part", 33.5))},
    ),
    (
        "matching",
        "Match the capitals. {\n =Canada -> Ottawa\n =Italy  -> Rome\n =Japan  -> Tokyo\n }",
        {"type": "matching", "pairs": (Pair("p1", "Canada", "Ottawa"), Pair("p2", "Italy", "Rome"),
                                       Pair("p3", "Japan", "Tokyo"))},
    ),
    (
        "matching-compact",
        "Match.{=cat->cat food =dog->dog food}",
        {"type": "matching", "pairs": (Pair("p1", "cat", "cat food"), Pair("p2", "dog", "dog food"))},
    ),
    ("numerical-exact", "Grant born?{#1822}", {"type": "numerical", "numbers": (NumericAnswer(value=1822.0),)}),
    (
        "numerical-tolerance",
        "What is pi?{#3.14:0.01}",
        {"numbers": (NumericAnswer(value=3.14, tolerance=0.01),)},
    ),
    ("numerical-range", "A number from 1 to 5?{#1..5}", {"numbers": (NumericAnswer(min=1.0, max=5.0),)}),
    (
        "numerical-negative",
        "Below zero?{#-1.25:0.001}",
        {"numbers": (NumericAnswer(value=-1.25, tolerance=0.001),)},
    ),
    (
        "numerical-several-with-weights-and-feedback",
        "When was Grant born? {#\n =1822:0 #Correct!\n =%50%1822:2 #Close: 1822.\n}",
        {"numbers": (NumericAnswer(value=1822.0, feedback="Correct!"),
                     NumericAnswer(value=1822.0, tolerance=2.0, weight=50.0, feedback="Close: 1822."))},
    ),
    (
        "numerical-missing-word",
        "The plane was full within {#5} hours.",
        {"type": "numerical", "prompt": "The plane was full within _____ hours."},
    ),
    (
        "numerical-catch-all-feedback",
        "From 1 to 5?{#3:2~#Completely wrong}",
        {"numbers": (NumericAnswer(value=3.0, tolerance=2.0),
                     NumericAnswer(weight=0.0, feedback="Completely wrong", any_number=True))},
    ),
    (
        "numerical-catch-all-tilde-without-feedback",
        "From 1 to 5?{#3:2 ~}",
        {"numbers": (NumericAnswer(value=3.0, tolerance=2.0), NumericAnswer(weight=0.0, any_number=True))},
    ),
    (
        "numerical-catch-all-as-an-answer",
        "When?{#=1822#Yes =%50%1800..1850#Close =%0%*#No}",
        {"numbers": (NumericAnswer(value=1822.0, feedback="Yes"),
                     NumericAnswer(min=1800.0, max=1850.0, weight=50.0, feedback="Close"),
                     NumericAnswer(weight=0.0, feedback="No", any_number=True))},
    ),
    (
        "matching-distractors",
        "Match.{=a -> 1 =b -> 2 = -> 3 = -> 4 = -> 3 = -> 1}",
        {"pairs": (Pair("p1", "a", "1"), Pair("p2", "b", "2")), "distractors": ("3", "4")},
    ),
    ("title", "::Grant's tomb::Who is buried there?{=no one ~Grant}", {"title": "Grant's tomb", "id": "grant-s-tomb"}),
    (
        "title-on-its-own-line",
        "::Numerical example::\nWhen was Grant born? {#1822}",
        {"title": "Numerical example", "prompt": "When was Grant born?"},
    ),
    ("no-title-numbered-id", "Plain question?{T}", {"id": "q001", "title": ""}),
    (
        "comments-inside-question",
        "// before\nWhich one?{\n// between answers\n=a\n// and again\n~b}",
        {"options": opts(("a", True), ("b", False)), "prompt": "Which one?"},
    ),
    (
        "multi-line-question-text",
        "This text\nruns over\nthree lines.{T}",
        {"prompt": "This text\nruns over\nthree lines."},
    ),
    ("newline-entity", "Line one\\nline two?{T}", {"prompt": "Line one\nline two?"}),
    (
        "format-markdown",
        "[markdown]Who's buried in **Grant's tomb**?{=[markdown]*no one*#[markdown]**Yes** ~Grant}",
        {"prompt": "Who's buried in **Grant's tomb**?",
         "options": opts(("*no one*", True, "**Yes**"), ("Grant", False))},
    ),
    ("format-plain", "[plain]Is [plain] kept inside?{T}", {"prompt": "Is [plain] kept inside?"}),
    ("format-moodle", "[moodle]Auto-format?{T}", {"prompt": "Auto-format?"}),
    (
        "format-html-stripped",
        "[html]<p>Which is <b>bold</b>?</p>{=<i>this</i> &amp; that#<b>Yes</b> ~<script>x()</script>none}",
        {"prompt": "Which is bold?", "options": opts(("this & that", True, "Yes"), ("none", False))},
    ),
    ("format-unknown-kept", "[note]Kept as text?{T}", {"prompt": "[note]Kept as text?"}),
    (
        "escapes",
        "::a\\:b::Is \\~ \\= \\# \\{ \\} \\: escaped?{=\\{yes\\}#\\# right ~\\~no}",
        {"title": "a:b", "prompt": "Is ~ = # { } : escaped?",
         "options": opts(("{yes}", True, "# right"), ("~no", False))},
    ),
    ("escaped-backslash", "A path C\\:\\\\temp and \\\\n?{T}", {"prompt": "A path C:\\temp and \\n?"}),
    (
        "idnumber-and-check-tags",
        "// [id:ing-hub] [tag:check:organisation.run] [tag:other]\n::ING::Hub and spokes?{T}",
        {"id": "ing-hub", "checks": ("organisation.run",), "title": "ING", "tags": ("other",)},
    ),
    (
        "free-tags-over-comment-lines",
        "// [tag:  basic] Here is\n// a [id:   four   ] que[tag:add   ]stion [tag:basic] [tag:t\\]ag]\nQ?{T}",
        {"id": "four", "tags": ("basic", "add", "t]ag")},
    ),
    (
        "site-keys-are-not-free-tags",
        "// [tag:check:a.b] [tag:stage:run] [tag:statement:x.y.1] [tag:variant_of:b/q] [tag:check:] [tag:`x`]\nQ?{T}",
        {"tags": ("check:",), "checks": ("a.b",), "stage": "run", "statement": "x.y.1", "variant_of": "b/q"},
    ),
    (
        "a-tag-split-over-lines-is-no-tag",
        "// Ceci n'est pas une [tag:\n// frog].\nQ?{T}",
        {"tags": ()},
    ),
    (
        "html-pre-block",
        "[html]<p>Run it:</p>\n<pre>\n    if x\\:\n\ty()\\n\n  \\{z\\}\n</pre>\n<p>What happens?</p>{T}",
        {"prompt": "Run it:\n```\n    if x:\n\ty()\n\n  {z}\n```\nWhat happens?"},
    ),
    (
        "html-line-breaks",
        "[html]One<br>two<br />three<div>four</div>\nstill four?{T}",
        {"prompt": "One\ntwo\nthree\nfour\nstill four?"},
    ),
    (
        "plain-and-moodle-line-breaks",
        "[plain]One\\ntwo\n  three?{=[moodle]a\\nb ~c}",
        {"prompt": "One\ntwo\nthree?", "options": opts(("a\nb", True), ("c", False))},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("gift", "expected"), [c[1:] for c in CONSTRUCTS], ids=[c[0] for c in CONSTRUCTS])
def test_each_construct_parses(gift: str, expected: dict[str, Any]) -> None:
    question = one(gift)
    actual = {key: getattr(question, key) for key in expected}
    assert actual == expected


def test_categories_are_listed_and_the_last_one_is_the_banks() -> None:
    result = parse_gift("$CATEGORY: top/First\n\n$CATEGORY: top/Second\n\nQ?{T}\n", "c.gift")
    assert result.categories == ["top/First", "top/Second"]
    assert result.category == "top/Second"
    assert as_bank(result).category == "top/Second"


def test_a_category_line_directly_above_a_question_still_lets_the_question_in() -> None:
    result = parse_gift("$CATEGORY: top/Only\nQ?{T}\n", "c.gift")
    assert result.category == "top/Only"
    assert [q.prompt for q in result.questions] == ["Q?"]


def test_ids_are_unique_slugs_or_numbers() -> None:
    result = parse_gift("::Same::A?{T}\n\n::Same::B?{T}\n\nC?{T}\n\n::!!!::D?{T}\n\n::Q003::E?{T}\n\nF?{T}\n", "i.gift")
    assert [q.id for q in result.questions] == ["same", "same-2", "q003", "q004", "q003-2", "q006"]


def test_a_bad_or_repeated_id_number_falls_back_with_a_note() -> None:
    result = parse_gift("// [id:has space]\nA?{T}\n\n// [id:x]\nB?{T}\n\n// [id:x]\nC?{T}\n", "i.gift")
    assert [q.id for q in result.questions] == ["q001", "x", "q003"]
    assert [line for line, _ in result.warnings] == [2, 8]


def test_crlf_and_bom_files_read_like_plain_ones() -> None:
    crlf = read_fixture("crlf.gift")
    assert (FIXTURES / "crlf.gift").read_bytes().count(b"\r\n") > 10
    assert crlf.category == "Windows"
    assert [q.type for q in crlf.questions] == ["single", "truefalse", "numerical", "matching"]
    assert crlf.questions[1].prompt == "A question\nover two lines."
    assert all("\r" not in q.prompt for q in crlf.questions)
    assert crlf.skipped == [(line_of("crlf.gift", "Essay on line endings"), crlf.skipped[0][1])]

    bom = read_fixture("bom.gift")
    assert (FIXTURES / "bom.gift").read_bytes().startswith(b"\xef\xbb\xbf")
    first = bom.questions[0]
    assert (first.title, first.id) == ("Café réseaux", "cafe-reseaux")
    assert first.options[0].text == "À Amsterdam"
    assert bom.questions[2].accept == sa("Straße", "Strasse")


def test_the_everything_file_gives_every_type_and_nothing_is_skipped() -> None:
    result = read_fixture("everything.gift")
    assert result.skipped == [] and result.warnings == []
    assert {q.type for q in result.questions} == {"single", "multiple", "truefalse", "short", "matching", "numerical"}
    assert result.category == "$course$/top/Social media/Webcare"
    assert len(result.questions) == 38


# ------------------------------------------------------------------------------ skipped, by line

SKIPPED = [
    ("skip.gift", "::Essay::", "essay"),
    ("skip.gift", "How do you deal with trolls?", "essay"),
    ("skip.gift", "The next questions are about webcare.", "description"),
    ("skip.gift", "::Intro::", "description"),
    ("skip.gift", "Essays in the middle", "essay"),
    ("malformed.gift", "Who answers webcare questions?", "unclosed brace"),
    ("malformed.gift", "Who answers? =the team", "'}' without '{'"),
    ("malformed.gift", "Which is right?", "no right answer"),
    ("malformed.gift", "::Broken title", "title is not closed"),
    ("malformed.gift", "Pick {=a ~b} and then", "more than one answer block"),
    ("malformed.gift", "Which ones?", "2 answers are fully right"),
    ("malformed.gift", "Which two?", "add up to 60%"),
    ("malformed.gift", "How many posts a day?", '"ten" is not a number'),
    ("malformed.gift", "A range backwards?", "low end is above the high end"),
    ("malformed.gift", "Match.{", "at least two pairs"),
    ("malformed.gift", "Match these.", "has no '->'"),
    ("malformed.gift", "Only one answer?", "at least two answers"),
    ("malformed.gift", "An empty answer?", "an answer has no text"),
    ("malformed.gift", "{=a ~b}", "has no text"),
    ("malformed.gift", "Name it.", "no fully right answer"),
    ("malformed.gift", "Pick a number.", "no fully right number"),
    ("malformed.gift", "Which weight?", "outside -100..100"),
    ("malformed.gift", "Nested?", "'{' inside the answer block"),
    ("malformed.gift", "The closing brace }", "comes before"),
    ("malformed.gift", "Which colour?", "unclosed brace"),
    ("malformed.gift", "  ~red", "'}' without '{'"),
    ("crlf.gift", "Essay on line endings", "essay"),
]


@pytest.mark.parametrize(("name", "marker", "reason"), SKIPPED, ids=[f"{n}:{m[:20]}" for n, m, _ in SKIPPED])
def test_skipped_questions_are_reported_with_line_and_reason(name: str, marker: str, reason: str) -> None:
    skipped = dict(read_fixture(name).skipped)
    line = line_of(name, marker)
    assert line in skipped, f"line {line} not reported; reported: {skipped}"
    assert reason in skipped[line]


@pytest.mark.parametrize("name", ["skip.gift", "malformed.gift"])
def test_every_skip_is_expected_and_the_good_questions_still_come_in(name: str) -> None:
    result = read_fixture(name)
    expected = {line_of(n, m) for n, m, _ in SKIPPED if n == name}
    assert {line for line, _ in result.skipped} == expected
    assert len(result.questions) == 1
    assert result.warnings == []  # a skipped question carries no notes


LOSSY = [
    ("::Hometown::", '50% credit for "Amsterdam" dropped'),
    ("::Airline::", '-50% credit for answer "Lufthansa" read as 0%'),
    ("Which is owned media?", 'text "Twitter ads" before the first ~ or ='),
    ("The earth is round.", "{true} is read as a short answer"),
]


def test_what_is_imported_with_a_loss_is_noted_by_line() -> None:
    result = read_fixture("lossy.gift")
    assert result.skipped == []
    assert len(result.questions) == 4
    for marker, note in LOSSY:
        line = line_of("lossy.gift", marker)
        assert any(n == line and note in text for n, text in result.warnings), (marker, result.warnings)
    assert len(result.warnings) == len(LOSSY)
    hometown, airline, owned, earth = result.questions
    assert [o.correct for o in hometown.options] == [False, False, True]
    assert all(o.weight is None for o in hometown.options)
    assert airline.accept == (ShortAnswer("KLM", 100.0, "Yes."), ShortAnswer("Lufthansa", 0.0, "No: German."))
    assert [(o.text, o.correct) for o in owned.options][0] == ("Twitter ads", False)
    assert (earth.type, earth.accept) == ("short", sa("true"))


def test_what_used_to_be_lost_is_kept_without_a_note() -> None:
    """Moodle's partial credit, per-answer feedback, catch-alls, distractors, tags and <pre> (everything.gift)."""
    result = read_fixture("everything.gift")
    assert result.warnings == []
    questions = {q.id: q for q in result.questions}
    nazareth = questions["nazareth"]
    weights = [(a.text, a.weight) for a in nazareth.accept]
    assert weights == [("Nazareth", 100), ("Nazereth", 75), ("Naz*", 50), ("*", 0)]
    assert nazareth.tags == ("spelling", "short answer")
    assert questions["q034"].numbers[-1] == NumericAnswer(weight=0.0, feedback="Read the case again.", any_number=True)
    assert questions["q036"].distractors == ("Fax", "Telex")
    assert "```\n    for i in range(2):\n        print(i)\n```" in questions["code"].prompt


def test_nothing_in_a_file_makes_the_parser_fail() -> None:
    nasty = "{\n\n}\n\n::\n\n::::\n\n{#}\n\n{#=}\n\n{=}\n\n{~}\n\n\\\n\n{T#}\n\nQ{#1:x}\n\n$CATEGORY:\n\n{->}\n"
    result = parse_gift(nasty, "nasty.gift")
    assert result.questions == []
    assert len(result.skipped) == 12


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.name for p in FIXTURE_FILES])
def test_import_export_import_gives_the_same_questions(path: Path) -> None:
    first = read_fixture(path.name)
    exported = export_gift(as_bank(first))
    assert exported.warnings == []
    second = parse_gift(exported.text, "exported.gift")
    assert second.skipped == [] and second.warnings == []
    assert second.questions == first.questions
    assert second.category == first.category


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.name for p in FIXTURE_FILES])
def test_bank_to_toml_then_load_bank_gives_the_same_bank(tmp_path: Path, path: Path) -> None:
    bank = as_bank(read_fixture(path.name), path.stem)
    assert write_and_load(tmp_path, bank) == bank


def test_the_sites_own_banks_survive_toml_and_gift(tmp_path: Path) -> None:
    banks, _ = load_banks()
    assert banks, "no quiz banks to try"
    for bank in banks:
        assert write_and_load(tmp_path, bank) == bank
        exported = export_gift(bank)
        back = parse_gift(exported.text, bank.id)
        assert back.skipped == [] and back.warnings == []
        given = [gift_carries(q) for q in bank.questions]
        assert exported.not_exported == []
        assert len(back.questions) == len(given)
        for before, after in zip(given, back.questions, strict=True):
            assert (after.id, after.type, after.prompt, after.checks, after.explanation, after.title) == (
                before.id, before.type, before.prompt, before.checks, before.explanation, before.title,
            )  # fmt: skip
            if before.type == "multiple" and all(o.weight is None for o in before.options):
                assert_same_grading(before, after)
            else:
                assert after == gift_carries(before)


def gift_carries(question: Question) -> Question:
    """The question as GIFT can carry it: no stage placement on single answers and pairs, no case
    sensitivity, images or combined feedback; an ordering question as a matching of items to positions."""
    if question.type == "ordering":
        pairs = tuple(Pair(f"p{n}", item.text, str(n)) for n, item in enumerate(question.items, 1))
        question = dataclasses.replace(question, type="matching", items=(), pairs=pairs)
    return dataclasses.replace(
        question,
        options=tuple(dataclasses.replace(o, statement="", stage="") for o in question.options),
        pairs=tuple(dataclasses.replace(p, statement="", stage="") for p in question.pairs),
        case_sensitive=False,
        images=(),
        feedback_right="",
        feedback_partly="",
        feedback_wrong="",
    )


def assert_same_grading(before: Question, after: Question) -> None:
    ids = [o.id for o in before.options]
    for size in range(len(ids) + 1):
        for chosen in itertools.combinations(ids, size):
            assert grade(after, list(chosen)).credit == pytest.approx(grade(before, list(chosen)).credit, abs=1e-4)


TRICKY = (
    'quotes " and """ and \'\'\' , a backslash \\ at the end \\',
    "line one\nline two\r\nwith\ttab",
    "control \x00\x01\x1f and DEL \x7f",
    "unicode: é ü 在北京 😀 \u2028 separator",
    '# not a comment\n[[questions]]\nid = "fake"',
    "[html] looks like a format marker",
    "// looks like a comment",
    "%50% looks like a weight",
)


def tricky_bank() -> Bank:
    questions = []
    for n, text in enumerate(TRICKY, 1):
        questions += [
            Question(f"s{n}", "single", text, checks=("organisation.crawl",), explanation=text, title=text,
                     options=(Option("a", text, True, text), Option("b", "other " + text))),
            Question(f"m{n}", "multiple", text, options=(Option("a", text, True, text, 60.0),
                                                         Option("b", text + "2", True, "", 40.0),
                                                         Option("c", text + "3", False, text, -100.0))),
            Question(f"t{n}", "truefalse", text, answer=n % 2 == 0, feedback_true=text, feedback_false=text + "!"),
            Question(f"k{n}", "short", text, accept=(ShortAnswer(text, feedback=text), ShortAnswer(text + "?", 12.5),
                                                     ShortAnswer("*", 0.0, text)), explanation=text),
            Question(f"p{n}", "matching", text, pairs=(Pair("p1", text, text), Pair("p2", text + "2", "x")),
                     distractors=(text + "3",)),
            Question(f"n{n}", "numerical", text, numbers=(NumericAnswer(value=-0.5, tolerance=1e-7, feedback=text),
                                                          NumericAnswer(min=1e-5, max=2.5e10, weight=12.5),
                                                          NumericAnswer(weight=0.0, feedback=text, any_number=True))),
            Question(f"o{n}", "ordering", text, items=(OrderItem("i1", text), OrderItem("i2", text + "2"))),
        ]  # fmt: skip
    return Bank("tricky", TRICKY[0], "a-lesson", "end", 55, tuple(questions), category=TRICKY[3])


def test_toml_writer_escapes_every_kind_of_text(tmp_path: Path) -> None:
    bank = tricky_bank()
    assert write_and_load(tmp_path, bank) == bank


def test_gift_export_escapes_every_kind_of_text() -> None:
    bank = tricky_bank()
    exported = export_gift(bank)
    back = parse_gift(exported.text, "tricky.gift")
    assert back.skipped == [] and back.warnings == []
    given = [gift_carries(q) for q in bank.questions]
    # GIFT has no carriage returns: Moodle drops them, line breaks stay.
    cleaned = [replace_texts(q, lambda s: s.replace("\r\n", "\n").strip()) for q in given]
    assert back.questions == cleaned
    assert back.category == " ".join(TRICKY[3].split())


def replace_texts(question: Question, change: Any) -> Question:
    def fix(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, bool):
            return change(value)
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        if dataclasses.is_dataclass(value):
            return dataclasses.replace(
                value, **{f.name: fix(getattr(value, f.name)) for f in dataclasses.fields(value)}
            )
        return value

    fixed = fix(question)
    return dataclasses.replace(fixed, id=question.id, type=question.type, title=" ".join(question.title.split()))


# ------------------------------------------------------------------------------ export details


def test_export_writes_category_titles_feedback_and_escapes() -> None:
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("q1", "single", "What is 2 = 2?", title="Maths: easy", explanation="#1 {yes}",
                     options=(Option("a", "true~", True, "Right: yes"), Option("b", "false"))),
            Question("q2", "truefalse", "Sky is blue.", answer=True, feedback_false="No.", feedback_true="Yes."),
            Question("q3", "truefalse", "Sky is green.", answer=False, feedback_false="Right."),
            Question("q4", "numerical", "Pi?", numbers=(NumericAnswer(value=3.14, tolerance=0.01),
                                                       NumericAnswer(min=3.0, max=4.0, weight=50.0, feedback="Close"))),
        ),
        category="top/Maths",
    )  # fmt: skip
    text = bank_to_gift(bank)
    assert "$CATEGORY: top/Maths\n" in text
    assert "// [id:q1]\n::Maths\\: easy::What is 2 \\= 2?{\n\t=true\\~#Right\\: yes\n\t~false\n" in text
    assert "\t####\\#1 \\{yes\\}\n}" in text
    assert "Sky is blue.{\n\tTRUE#No.#Yes.\n}" in text
    assert "Sky is green.{\n\tFALSE##Right.\n}" in text
    assert "Pi?{#\n\t=3.14:0.01\n\t=%50%3..4#Close\n}" in text


def test_missing_word_prompts_go_back_to_missing_word_form() -> None:
    question = one("Grant is {~buried =entombed} in Grant's tomb.")
    text = bank_to_gift(Bank("b", "B", "", "instant", 70, (question,)))
    assert "Grant is {\n\t~buried\n\t=entombed\n} in Grant's tomb." in text


ORDERING_NOTE = (
    "ordering question steps written as a matching of its items to their positions 1 to 3: "
    "Moodle's own ordering question type needs Moodle XML"
)


def test_ordering_questions_become_a_matching_of_items_to_positions_with_a_note() -> None:
    ordering = Question(
        "steps", "ordering", "Order them.", title="Steps", tags=("process",),
        items=(OrderItem("i1", "First"), OrderItem("i2", "Then", stage="run"), OrderItem("i3", "Last")),
    )  # fmt: skip
    exported = export_gift(Bank("b", "B", "", "instant", 70, (ordering, one("Q?{T}"))))
    assert (
        f"// {ORDERING_NOTE}\n// [id:steps] [tag:process]\n"
        "::Steps::Order them.{\n\t=First -> 1\n\t=Then -> 2\n\t=Last -> 3\n}"
    ) in exported.text
    assert exported.not_exported == []
    assert exported.warnings == [
        ORDERING_NOTE,
        "question steps: the statement/stage of i2 left out (GIFT has no place for them)",
    ]
    back = parse_gift(exported.text)
    assert back.skipped == [] and back.warnings == []
    assert back.questions[0] == gift_carries(ordering)
    assert grade(back.questions[0], {"p1": "p1", "p2": "p2", "p3": "p3"}).correct


def test_what_gift_cannot_carry_is_left_out_with_a_warning_per_question() -> None:
    picture = Image("dot.png", "image/png", "iVBORw0KGgo=")
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("k", "short", "Case?", accept=(ShortAnswer("KLM"),), case_sensitive=True),
            Question("i", "truefalse", "Picture?", answer=True, images=(picture, picture)),
            Question("c", "single", "Pick.", options=opts(("a", True), ("b", False)), feedback_right="Well done.",
                     feedback_wrong="No."),
            Question("t", "truefalse", "Tags?", answer=True, tags=("fine", "a<b>", " spaced", "check:x", "end\\")),
        ),
    )  # fmt: skip
    exported = export_gift(bank)
    assert exported.warnings == [
        "question k: case sensitivity (Moodle compares GIFT short answers without case) left out "
        "(GIFT has no place for them)",
        "question i: 2 images left out (GIFT has no place for them)",
        "question c: the combined feedback (right, partly right, wrong) left out (GIFT has no place for them)",
        "question t: tags 'a<b>', ' spaced', 'check:x', 'end\\\\' left out (GIFT has no place for them)",
    ]
    back = parse_gift(exported.text)
    assert back.warnings == [] and back.skipped == []
    assert back.questions == [gift_carries(q) for q in bank.questions[:3]] + [
        dataclasses.replace(bank.questions[3], tags=("fine",))
    ]


def test_new_constructs_export_as_moodle_writes_them() -> None:
    """Moodle's own exporter (giftformat_test.php test_export_*) writes these lines."""
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("q5", "numerical", "What is a number from 1 to 5?", title="Q5",
                     numbers=(NumericAnswer(value=3.0, tolerance=2.0),
                              NumericAnswer(weight=0.0, feedback="Completely wrong", any_number=True))),
            Question("sa", "short", "Which is the best animal?", title="Shortanswer",
                     accept=(ShortAnswer("Frog", 100.0, "Good!"),
                             ShortAnswer("Cat", 50.0, "What is it with Moodlers and cats?"),
                             ShortAnswer("*", 0.0, "Completely wrong"))),
            Question("m", "matching", "Match.", pairs=(Pair("p1", "a", "Forum"), Pair("p2", "b", "Choice")),
                     distractors=("Chat",)),
            Question("tags", "truefalse", "True?", answer=True, tags=("tag1", "tag2", "x]y")),
            Question("mid", "numerical", "N?", numbers=(NumericAnswer(weight=10.0, any_number=True, feedback="?"),
                                                        NumericAnswer(value=1.0))),
        ),
    )  # fmt: skip
    exported = export_gift(bank)
    assert exported.warnings == []
    text = exported.text
    assert "::Q5::What is a number from 1 to 5?{#\n\t=3:2\n\t~#Completely wrong\n}" in text
    assert (
        "::Shortanswer::Which is the best animal?{\n\t=Frog#Good!\n\t=%50%Cat#What is it with Moodlers and cats?\n"
        "\t=%0%*#Completely wrong\n}"
    ) in text
    assert "\t=b -> Choice\n\t= -> Chat\n}" in text
    assert "// [id:tags] [tag:tag1] [tag:tag2] [tag:x\\]y]\n" in text
    assert "N?{#\n\t=%10%*#?\n\t=1\n}" in text  # a catch-all before other numbers keeps its place
    assert parse_gift(text).questions == list(bank.questions)


def test_fenced_blocks_export_as_html_pre_and_read_back_the_same() -> None:
    code = "Run this:\n```\n    if x: y = {1}\n\n\t# done <b>\n```\nWhat happens?"
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("pre", "single", code, explanation="See:\n```\n  a ~ b\n```",
                     options=opts(("plain <i>", True, "fine\nthanks"), ("```", False))),
            Question("loose", "truefalse", "Two  spaces\n```\ncode\n```\n\nand an empty line.", answer=True),
            Question("open", "truefalse", "An open fence:\n```\nnot closed", answer=False),
        ),
    )  # fmt: skip
    text = bank_to_gift(bank)
    assert (
        "[html]Run this\\:<pre>\\n    if x\\: y \\= \\{1\\}\\n\\n\t\\# done &lt;b&gt;\\n</pre>What happens?{"
    ) in text
    assert "\t=[plain]plain <i>#[moodle]fine\\nthanks\n\t~[moodle]```\n" in text
    assert "\t####<pre>\\n  a \\~ b\\n</pre>" not in text and "####See\\:<pre>" in text
    # What HTML would not keep (runs of spaces, empty lines), and an unclosed fence, go as text.
    assert "Two  spaces\\n```\\ncode\\n```\\n\\nand an empty line.{" in text
    assert "An open fence\\:\\n```\\nnot closed{" in text
    back = parse_gift(text)
    assert back.warnings == [] and back.skipped == []
    assert back.questions == list(bank.questions)


def test_moodle_reads_a_pre_block_as_html_and_the_site_as_a_fenced_block() -> None:
    """Moodle's test_import_pre_content, as the site reads it (as a true/false question: Moodle's is an essay)."""
    question = one(
        "::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n    public void test() \\{\n"
        "        method1();\n        method2();\n        method3();\n    \\}\n</pre>\n{T}"
    )
    assert question.prompt == (
        "What would running the test method print?\n```\n    public void test() {\n        method1();\n"
        "        method2();\n        method3();\n    }\n```"
    )
    assert parse_gift(bank_to_gift(Bank("b", "B", "", "instant", 70, (question,)))).questions == [question]


def test_texts_that_moodle_would_misread_are_guarded() -> None:
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("g1", "single", "// not a comment", options=(Option("a", "%50%a", True), Option("b", "%0%b"))),
            Question("g2", "short", "[html]<b>kept</b>", accept=(ShortAnswer("%100%x"), ShortAnswer("[html]y", 50.0))),
            Question("g3", "multiple", "[markdown]x", options=(Option("a", "%50%a", True, "", 100.0),
                                                               Option("b", "[plain]b", False, "", 0.0))),
        ),
    )  # fmt: skip
    back = parse_gift(bank_to_gift(bank))
    assert back.skipped == [] and back.warnings == []
    assert back.questions == list(bank.questions)


def test_arrows_that_gift_cannot_carry_are_warned_about() -> None:
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("k", "short", "Arrow?", accept=(ShortAnswer("a -> b"),)),
            Question("m", "matching", "Match.", pairs=(Pair("p1", "a -> b", "c"), Pair("p2", "d", "e"))),
        ),
    )  # fmt: skip
    warnings = export_gift(bank).warnings
    assert len(warnings) == 2 and all("->" in w for w in warnings)


def test_unweighted_multiple_answers_export_as_equivalent_weights() -> None:
    question = Question(
        "m", "multiple", "Pick.", options=(Option("a", "A", True), Option("b", "B", True), Option("c", "C", True),
                                           Option("d", "D"))
    )  # fmt: skip
    text = bank_to_gift(Bank("b", "B", "", "instant", 70, (question,)))
    assert "~%33.33333%A" in text and "~%-33.33333%D" in text
    assert_same_grading(question, parse_gift(text).questions[0])


def test_html_is_reduced_to_safe_plain_text() -> None:
    html = '<script>alert("x")</script><style>p{}</style><p>One &amp; <b>two</b><br>three</p>&lt;b&gt; <a href="x">link'
    assert html_to_text(html) == "One & two\nthree\n<b> link"
    question = one("[html]<h1>Title</h1><img src=x onerror=alert(1)>Text?{T}")
    assert question.prompt == "Title\nText?"


@pytest.mark.parametrize(
    ("broken", "prompt", "note"),
    [
        ("<a" * 50_000, "Which?", ""),
        ("</" * 50_000, "Which?", ""),
        ("&" * 100_000, "Which? " + "&" * 100_000, ""),
        ("<script>" + "</s" * 50_000, "Which?", "without its <script>"),
    ],
    ids=["open-tags", "end-tags", "ampersands", "script"],
)
def test_broken_html_that_slows_pythons_html_parser_is_read_in_linear_time(broken: str, prompt: str, note: str) -> None:
    # html.parser alone took 14 s on these 100 KB of "<a<a<a..." (quadratic); nh3 makes the markup well-formed first.
    started = time.perf_counter()
    result = parse_gift(f"[html]Which? {broken}{{T}}", "broken.gift")
    took = time.perf_counter() - started
    assert took < 5, f"took {took:.2f} s"  # a generous guard: it takes a few hundredths of a second
    assert [q.prompt for q in result.questions] == [prompt]
    assert [note in text for _, text in result.warnings] == ([True] if note else [])


def test_a_links_web_address_is_kept_as_text_after_it() -> None:
    assert html_to_text('<a href="https://x.org/a.mp3">Listen</a>, <a href="mailto:a@b.c">mail</a>.') == (
        "Listen (https://x.org/a.mp3), mail (mailto:a@b.c)."
    )
    assert html_to_text('<a href="https://x.org">https://x.org</a> <a href="javascript:f()">run</a>') == (
        "https://x.org run"
    )
    assert html_to_text('<a href="x.html">page</a> <pre><a href="https://x.org">in pre</a></pre>') == (
        "page\n```\nin pre\n```"
    )


# ------------------------------------------------------------------------------ grading imported questions


def test_imported_questions_grade_as_moodle_would() -> None:
    questions = {q.id: q for q in read_fixture("everything.gift").questions}

    listening = questions["listening-tools"]
    assert grade(listening, ["a", "b"]).credit == 1.0
    assert grade(listening, ["a"]).credit == 0.5
    assert grade(listening, ["a", "b", "c"]).credit == 0.0
    assert grade(listening, ["c"]).credit == 0.0
    owned = questions["q007"]
    assert grade(owned, ["a", "b", "c"]).correct
    assert grade(owned, ["a", "b", "c", "d"]).correct  # an unweighted answer costs nothing, as in Moodle
    assert grade(owned, ["a"]).credit == pytest.approx(1 / 3, abs=1e-4)

    assert grade(questions["response-time"], "b").correct
    assert not grade(questions["response-time"], "a").correct
    assert grade(questions["q011"], False).correct and not grade(questions["q011"], True).correct
    assert grade(questions["platforms"], {"p1": "p1", "p2": "p2", "p3": "p3"}).correct
    assert grade(questions["platforms"], {"p1": "p2", "p2": "p1", "p3": "p3"}).credit == pytest.approx(1 / 3)

    webcare = questions["q013"]
    for typed in ("webcare", "WebCare", "  WEB CARE ", "web   care"):
        assert grade(webcare, typed).correct, typed
    assert not grade(webcare, "webcar").correct

    tolerance = questions["q019"]  # 107 +- 2
    assert [grade(tolerance, n).credit for n in (105, 107, 109, 104.9, 109.1)] == [1, 1, 1, 0, 0]
    posts = questions["q020"]  # 3..5
    assert [grade(posts, n).credit for n in (3, 4.5, 5, 2.99, 5.01)] == [1, 1, 1, 0, 0]
    negative = questions["q021"]  # -1.25 +- 0.001
    assert grade(negative, -1.2505).correct and not grade(negative, -1.26).correct
    views = questions["old-spice-views"]  # 6 full, 5..7 half
    assert [grade(views, n).credit for n in (6, 5.5, 7, 8)] == [1, 0.5, 0.5, 0]


# ------------------------------------------------------------------------------ command line


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizzes", *args], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )


def test_cli_import_writes_a_bank_and_lists_what_was_skipped(tmp_path: Path) -> None:
    out = tmp_path / "webcare-basics.toml"
    done = run("import-gift", str(FIXTURES / "skip.gift"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Imported 1 question(s)" in done.stdout and "skipped 5" in done.stdout
    for line in (3, 6, 11, 13, 22):
        assert f"skip.gift:{line}: skipped: " in done.stdout
    bank, problems = load_bank(out)
    assert problems == [] and bank is not None
    assert (bank.id, bank.title, bank.lesson, bank.feedback) == ("webcare-basics", "Skip", "", "instant")


def test_cli_import_takes_id_title_lesson_and_feedback(tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    done = run(
        "import-gift", str(FIXTURES / "everything.gift"), "--out", str(out),
        "--id", "everything", "--title", "All of GIFT", "--lesson", "cases", "--feedback", "end",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Imported 38 question(s)" in done.stdout
    bank, problems = load_bank(out)
    assert problems == [] and bank is not None
    assert (bank.id, bank.title, bank.lesson, bank.feedback) == ("everything", "All of GIFT", "cases", "end")
    assert bank.category == "$course$/top/Social media/Webcare"
    assert list(bank.questions) == read_fixture("everything.gift").questions


def test_cli_import_title_defaults_to_the_last_category(tmp_path: Path) -> None:
    out = tmp_path / "bank.toml"
    assert run("import-gift", str(FIXTURES / "everything.gift"), "--out", str(out)).returncode == 0
    bank, _ = load_bank(out)
    assert bank is not None and bank.title == "Webcare"


def test_cli_import_notes_losses(tmp_path: Path) -> None:
    done = run("import-gift", str(FIXTURES / "lossy.gift"), "--out", str(tmp_path / "lossy.toml"))
    assert done.returncode == 0
    assert done.stdout.count("lossy.gift:") == len(LOSSY) and ": note: " in done.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.gift", "file not found"),
        (lambda d: d, "is a folder"),
        (lambda d: write(d / "latin1.gift", "Caf\xe9?{T}".encode("latin-1")), "not UTF-8"),
        (lambda d: write(d / "utf16.gift", "Q?{T}".encode("utf-16")), "not UTF-8"),
        (lambda d: write(d / "empty.gift", b""), "nothing importable"),
        (lambda d: write(d / "essays.gift", b"Essay?{}\n\nDescription.\n"), "nothing importable (2 question(s)"),
    ],
    ids=["missing", "folder", "latin-1", "utf-16", "empty", "only-skipped"],
)
def test_cli_import_bad_input_exits_2(tmp_path: Path, make: Any, message: str) -> None:
    out = tmp_path / "out.toml"
    done = run("import-gift", str(make(tmp_path)), "--out", str(out))
    assert done.returncode == 2, done
    assert message in done.stderr and done.stderr.startswith("error: ")
    assert not out.exists()


def test_cli_import_rejects_a_bad_id(tmp_path: Path) -> None:
    done = run("import-gift", str(FIXTURES / "bom.gift"), "--out", str(tmp_path / "x.toml"), "--id", "no spaces")
    assert done.returncode == 2 and "not a valid bank id" in done.stderr


def test_cli_import_rejects_an_unknown_feedback_mode(tmp_path: Path) -> None:
    done = run("import-gift", str(FIXTURES / "bom.gift"), "--out", str(tmp_path / "x.toml"), "--feedback", "never")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_cli_export_prints_or_writes_gift(tmp_path: Path) -> None:
    bank_file = tmp_path / "bank.toml"
    bank_file.write_text(bank_to_toml(as_bank(read_fixture("escapes.gift"), "bank")), encoding="utf-8")
    printed = run("export-gift", str(bank_file))
    assert printed.returncode == 0, printed.stderr
    assert parse_gift(printed.stdout).questions == read_fixture("escapes.gift").questions

    out = tmp_path / "bank.gift"
    written = run("export-gift", str(bank_file), "--out", str(out))
    assert written.returncode == 0 and "Wrote 10 question(s)" in written.stdout
    assert out.read_text(encoding="utf-8") == printed.stdout


def test_cli_export_warns_about_ordering_questions(tmp_path: Path) -> None:
    bank = Bank("o", "O", "", "instant", 70, (
        Question("steps", "ordering", "Order.", items=(OrderItem("i1", "A"), OrderItem("i2", "B"))),
        Question("tf", "truefalse", "True?", answer=True),
    ))  # fmt: skip
    bank_file = tmp_path / "o.toml"
    bank_file.write_text(bank_to_toml(bank), encoding="utf-8")
    done = run("export-gift", str(bank_file))
    assert done.returncode == 0
    note = ORDERING_NOTE.replace("1 to 3", "1 to 2")
    assert note in done.stderr
    assert f"// {note}\n// [id:steps]\nOrder.{{\n\t=A -> 1\n\t=B -> 2\n}}" in done.stdout


def test_cli_export_of_a_broken_bank_exits_1_with_file_and_line(tmp_path: Path) -> None:
    bank_file = tmp_path / "broken.toml"
    bank_file.write_text(
        'id = "broken"\ntitle = "Broken"\nfeedback = "instant"\n\n[[questions]]\nid = "q1"\ntype = "truefalse"\n'
        'prompt = "No answer."\n',
        encoding="utf-8",
    )
    done = run("export-gift", str(bank_file))
    assert done.returncode == 1
    assert f"{bank_file}:5: questions[0]: a truefalse question needs 'answer'" in done.stderr
    assert done.stdout == ""


def test_cli_export_of_a_missing_bank_exits_2(tmp_path: Path) -> None:
    done = run("export-gift", str(tmp_path / "nope.toml"))
    assert done.returncode == 2 and "file not found" in done.stderr


def test_cli_check_passes_good_banks_and_fails_broken_ones(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    for path in FIXTURE_FILES[:3]:
        (good / f"{path.stem}.toml").write_text(bank_to_toml(as_bank(read_fixture(path.name), path.stem)), "utf-8")
    done = run("check", "--dir", str(good))
    assert done.returncode == 0, done.stderr
    assert "3 quiz bank(s)" in done.stdout and "OK" in done.stdout

    (good / "zz-broken.toml").write_text('id = "zz"\ntitle = "Z"\nfeedback = "sometimes"\nquestions = []\n', "utf-8")
    done = run("check", "--dir", str(good))
    assert done.returncode == 1
    assert "zz-broken.toml:3: feedback: expected" in done.stderr
    assert "problem(s) found" in done.stderr


def test_cli_check_reads_the_site_banks_by_default() -> None:
    done = run("check")
    banks, problems = load_banks()
    assert done.returncode == (1 if problems else 0)
    if not problems:
        assert f"{len(banks)} quiz bank(s)" in done.stdout


def test_cli_check_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    done = run("check", "--dir", str(tmp_path / "nope"))
    assert done.returncode == 2


def test_cli_without_a_command_shows_usage() -> None:
    done = run()
    assert done.returncode == 2 and "usage:" in done.stderr


# ------------------------------------------------------------------------------ review findings


def test_a_number_too_big_for_a_float_is_skipped_not_read_as_infinity() -> None:
    result = parse_gift("Big?{#1e400}\n\nWide?{#5:1e400}\n\nRange?{#1..1e999}\n\nFine?{#1e300}\n", "inf.gift")
    assert [line for line, _ in result.skipped] == [1, 3, 5]
    assert all("not a finite number" in reason for _, reason in result.skipped)
    assert result.questions[0].numbers == (NumericAnswer(value=1e300),)


def test_texts_with_leading_spaces_are_guarded_on_export() -> None:
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("a", "truefalse", "  // not a comment", answer=True),
            Question("b", "truefalse", " [html]<b>kept</b>", answer=False),
            Question("c", "single", "Q", options=(Option("a", " %50%x", True), Option("b", "y"))),
        ),
    )  # fmt: skip
    back = parse_gift(bank_to_gift(bank))
    assert back.skipped == [] and back.warnings == []
    assert back.questions == [replace_texts(q, str.strip) for q in bank.questions]


def test_matching_with_a_repeated_right_side_grades_as_moodle_would() -> None:
    # Moodle offers each distinct right side once; either pair with "mammal" on its right takes it.
    question = one("Sort them.{=dog -> mammal =cat -> mammal =eagle -> bird}")
    assert grade(question, {"p1": "p1", "p2": "p1", "p3": "p3"}).correct
    assert grade(question, {"p1": "p2", "p2": "p2", "p3": "p3"}).correct
    assert grade(question, {"p1": "p3", "p2": "p1", "p3": "p1"}).credit == pytest.approx(1 / 3)


def test_numerical_answer_feedback_is_given_for_the_number_that_counted() -> None:
    question = one(
        "When was Grant born? {#\n =1822:0 #Correct!\n =%50%1822:2 #Close: 1822.\n =%0%1900..2000 #Too late.\n}"
    )
    assert answer_feedback(question, 1822.0) == ["Correct!"]
    assert answer_feedback(question, 1821.0) == ["Close: 1822."]
    assert answer_feedback(question, 1950.0) == ["Too late."]
    assert answer_feedback(question, 1700.0) == []
    single = one("Pick.{=a#Yes ~b#No ~c}")
    assert answer_feedback(single, "b") == ["No"] and answer_feedback(single, "c") == []
    true_false = one("Sky is blue.{TRUE#You said false: wrong.#You said true: right.}")
    assert answer_feedback(true_false, False) == ["You said false: wrong."]
    assert answer_feedback(true_false, None) == []


def test_html_in_text_is_reported_by_line() -> None:
    gift = (
        "Is <script>alert(1)</script> <b>bold</b>?{T#<img src\\=x onerror\\=alert(1)>}\n\n"
        "[html]<p>Hi<script>alert(2)</script><img src\\=a.png></p>{=a ~b}\n\n"
        "[markdown]Some <i>tags</i>.{=a#<b>fb</b> ~b}\n\n"
        "[plain]Use the <b> tag.{=<b> ~<i>}\n\n"
        "[html]&lt;b&gt; is a tag?{T}\n"
    )
    result = parse_gift(gift, "html.gift")
    assert result.skipped == []
    notes = dict(result.warnings)
    assert sorted(notes) == [1, 3, 5]
    assert "<script>, <b>, <img src=x onerror=alert(1)> is shown as typed" in notes[1]
    assert "without its <script>, <img>" in notes[3]
    assert "<i>, <b> is shown as typed" in notes[5]
    first = result.questions[0]
    assert (first.prompt, first.feedback_false) == (
        "Is <script>alert(1)</script> <b>bold</b>?",
        "<img src=x onerror=alert(1)>",
    )
    assert result.questions[1].prompt == "Hi"
    # Export marks text with tags [plain], as Moodle would otherwise render it; it reads back the same, with no note.
    exported = bank_to_gift(as_bank(result))
    assert "[plain]Is <script>alert(1)</script> <b>bold</b>?{" in exported
    back = parse_gift(exported)
    assert back.questions == result.questions and back.warnings == [] and back.skipped == []


def test_cli_export_of_a_translated_bank_writes_the_overlay_strings(tmp_path: Path) -> None:
    bank = Bank("tiny", "Tiny", "", "instant", 70, (
        Question("q1", "truefalse", "Is water wet?", answer=True),
        Question("q2", "single", "Pick one.", options=(Option("a", "Right", correct=True), Option("b", "Wrong"))),
    ))  # fmt: skip
    bank_file = tmp_path / "tiny.toml"
    bank_file.write_text(bank_to_toml(bank), encoding="utf-8")
    (tmp_path / "da").mkdir()
    (tmp_path / "da" / "tiny.toml").write_text(
        'id = "tiny"\ntitle = "Lille"\n[questions.q1]\nprompt = "Er vand vådt?"\n'
        '[questions.q2]\nprompt = "Vælg én."\n[questions.q2.options.a]\ntext = "Rigtig"\n'
        '[questions.q2.options.b]\ntext = "Forkert"\n',
        encoding="utf-8",
    )
    done = run("export-gift", str(bank_file), "--language", "da")
    assert done.returncode == 0, done.stderr
    exported = parse_gift(done.stdout).questions
    assert [q.prompt for q in exported] == ["Er vand vådt?", "Vælg én."]
    assert [o.text for o in exported[1].options] == ["Rigtig", "Forkert"]

    missing = run("export-gift", str(bank_file), "--language", "nl")
    assert missing.returncode == 2 and "no nl translation of bank 'tiny'" in missing.stderr


def test_every_shipped_bank_exports_in_dutch_and_danish_and_reads_back() -> None:
    from quizzes.overlay import translate_banks

    english, problems = load_banks(PROJECT / "quizzes" / "bank")
    assert not problems
    for language in ("nl", "da"):
        translated, problems = translate_banks(english, PROJECT / "quizzes" / "bank", language)
        assert not problems
        for source, bank in zip(english, translated, strict=True):
            gift = export_gift(bank).text
            assert gift != export_gift(source).text, f"{language} {bank.id} is not translated"
            assert len(parse_gift(gift).questions) == len(bank.questions)


# ------------------------------------------------------------------------------ messages in the visit's language

# A made-up language to see what goes through the catalogue: every letter of a message, outside its
# {placeholders}, in full-width form ("ｓｋｉｐｐｅｄ"), and the values put into its placeholders marked ⟦ ⟧.
_FULL_WIDTH = str.maketrans({letter: chr(ord(letter) + 0xFEE0) for letter in string.ascii_letters})
_INNERMOST_VALUE = re.compile("⟦([^⟦⟧]*)⟧")


class _PseudoMessage(str):
    def format(self, *args: object, **values: object) -> str:
        assert not args, f"placeholders are named: {self!r}"
        return str.format(self, **{key: f"⟦{v}⟧" if isinstance(v, str) else v for key, v in values.items()})


def pseudo_translation(message: str) -> str:
    parts = []
    for literal, field, spec, conversion in string.Formatter().parse(message):
        parts.append(literal.translate(_FULL_WIDTH).replace("{", "{{").replace("}", "}}"))
        if field is not None:
            parts.append("{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return _PseudoMessage("".join(parts))


class PseudoLanguage(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo_translation(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo_translation(singular if n == 1 else plural)


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The visit's language is the made-up one: i18n hands out its catalogue for every `_()`."""
    monkeypatch.setattr(i18n, "translations", lambda language=None: PseudoLanguage())


def untranslated(message: str) -> str:
    """The letters of a message that came neither through the catalogue nor from the file: a value
    with no translated text in it (a quoted question, a tag, a file name) is the file's and drops
    out; a value that holds translated text (a part of a sentence, a list of them) is checked too."""
    while True:
        unwrapped = _INNERMOST_VALUE.sub(lambda value: value.group(1) if _translated(value.group(1)) else "", message)
        if unwrapped == message:
            return "".join(re.findall("[A-Za-z]+", message))
        message = unwrapped


def _translated(text: str) -> bool:
    return any("\uff21" <= char <= "\uff5a" for char in text)


def assert_all_translated(messages: list[str], at_least: int) -> None:
    assert len(set(messages)) >= at_least, sorted(set(messages))
    for message in messages:
        assert _translated(message), message
        assert untranslated(message) == "", message


GIFT_PROBLEMS = """::Open title {T}

A description without an answer block.

Close } before open.

Open { never closed.

Close } then open {T}

Brace { inside { the block }

Two {T} blocks {F}

{T}

An essay? {}

::Weighted:: Pick {=%50%a ~b}

::Range:: Pick {~%150%a ~b}

::Empty:: Pick {=a ~ }

::Lonely:: Pick {~a}

::Two right:: Pick {~%100%a =b ~c}

::No right:: Pick {~a ~b}

::Half:: Pick {~%50%a ~%20%b ~c}

::Much:: Pick {~%80%a ~%80%b ~c}

::Arrowless:: Match {=a -> 1 =b}

::Nothing after:: Match {=a -> =b -> 2}

::One pair:: Match {=a -> 1}

::Too much:: Say {=%200%a}

::Blank:: Say {=#only feedback}

::Part:: Say {=%50%a}

::No number:: N {#}

::Big weight:: N {#=%120%1}

::Partly:: N {#=%50%1}

::Word:: N {#x}

::Huge:: N {#1e400}

::Upside down:: N {#5..1}

::Negative:: N {#1:-2}

// [id:Not valid!]
::Bad id:: Q {T}

// [id:twice]
::First:: Q {T}

// [id:twice]
::Second:: Q {T}

Is <b>this</b> bold? {T}

[html]<p>Hi<script>x()</script></p>{T}

Lead {wrong ~a =b}

Lower {true}

::Partial single:: Pick {~%50%a =b ~c}

::Negative short:: Say {=a =%-50%b}
"""


def test_the_readers_messages_go_through_the_catalogue(pseudo_language: None) -> None:
    result = parse_gift(GIFT_PROBLEMS, "problems.gift")
    picture = Image("dot.png", "image/png", "iVBORw0KGgo=")
    bank = Bank(
        "b", "B", "", "instant", 70,
        (
            Question("k", "short", "Case?", accept=(ShortAnswer("a -> b"),), case_sensitive=True),
            Question("i", "truefalse", "Picture?", answer=True, images=(picture,), feedback_right="Yes."),
            Question("m", "matching", "Match.", pairs=(Pair("p1", "a -> b", "c"), Pair("p2", "d", "e")),
                     tags=("a<b>",)),
            Question("o", "ordering", "Order.", items=(OrderItem("i1", "A", statement="x"), OrderItem("i2", "B"))),
        ),
    )  # fmt: skip
    exported = export_gift(bank)
    assert_all_translated([why for _, why in result.skipped], at_least=29)
    assert_all_translated([note for _, note in result.warnings], at_least=9)
    assert_all_translated(exported.warnings, at_least=7)
    assert "// ordering question o written as a matching" in exported.text  # the file's comments stay English


def test_untranslated_text_is_found() -> None:
    """The check above can fail: English outside a placeholder, or inside a value with translated text."""
    assert untranslated(pseudo_translation("{n} left out: {question}").format(n=2, question='"Q"')) == ""
    assert untranslated("left out: " + pseudo_translation("{question}").format(question='"Q"')) == "leftout"
    listed = pseudo_translation("{lost} left out").format(lost="; ".join([pseudo_translation("tags"), "images"]))
    assert untranslated(listed) == "images"


# Where the readers and writers put a message for a trainer: the message argument of these calls
# (by position), every argument of `.append` on these lists, and `.error`.
MESSAGE_ARGUMENTS = {
    "_Skip": 0, "_Refused": 0, "note": 0, "_text": 3, "_picture": 4, "_float": 1, "_check_grade": 2,
    "_xml_text": 2, "texts": 1, "_rich_text": 4, "_plain_text": 4, "_text_parts": 3, "_answer": 4,
}  # fmt: skip
MESSAGE_LISTS = {"notes", "warnings", "skipped", "lost"}
TRANSLATING = {"_", "ngettext", "N_"}


def _english(node: ast.AST) -> list[str]:
    """String literals with words in them that do not go through a translation function."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATING:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search("[A-Za-z]{2,}", node.value):
        return [node.value]
    return [text for child in ast.iter_child_nodes(node) for text in _english(child)]


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


@pytest.mark.parametrize("module", ["quizzes/gift.py", "quizzes/moodle_xml.py"])
def test_no_message_for_a_trainer_is_written_in_english_only(module: str) -> None:
    tree = ast.parse((PROJECT / module).read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    checked = 0
    for node in ast.walk(tree):
        arguments: list[ast.AST] = []
        if isinstance(node, ast.Call):
            called = _name(node.func)
            if called == "append" and isinstance(node.func, ast.Attribute) and _name(node.func.value) in MESSAGE_LISTS:
                arguments = list(node.args)
            elif called in MESSAGE_ARGUMENTS and len(node.args) > MESSAGE_ARGUMENTS[called]:
                arguments = [node.args[MESSAGE_ARGUMENTS[called]]]
        elif isinstance(node, ast.Assign) and any(_name(target) == "error" for target in node.targets):
            arguments = [node.value]
        checked += bool(arguments)
        found += [(getattr(node, "lineno", 0), text) for argument in arguments for text in _english(argument)]
    assert checked > 40
    assert found == []
