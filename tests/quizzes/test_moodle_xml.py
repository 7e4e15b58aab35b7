"""Moodle XML import and export (quizzes.moodle_xml) and `python -m quizzes import-moodle-xml /
export-moodle-xml`.

The fixtures in fixtures/moodle-xml/ are written by hand from Moodle's documented format
(docs.moodle.org/en/Moodle_XML_format, question/format/xml/format.php and qtype_ordering); the
inline inputs marked "Moodle's" are transcribed from Moodle's own test fixtures.
"""

from __future__ import annotations

import base64
import dataclasses
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from quizzes import images as pictures
from quizzes.bank_toml import bank_to_toml
from quizzes.importing import QuizImport
from quizzes.loader import load_bank, load_banks
from quizzes.model import Bank, Image, NumericAnswer, Option, OrderItem, Pair, Question, ShortAnswer
from quizzes.moodle_xml import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_MARKUP,
    MAX_PICTURES,
    MAX_TEXT_CHARS,
    export_moodle_xml,
    parse_moodle_xml,
    reduce_html,
)
from tests.quizzes.test_gift import assert_all_translated, pseudo_language  # noqa: F401 - a fixture

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "moodle-xml"
PNG = (FIXTURES / "pics" / "dot.png").read_bytes()
RED = base64.b64encode(PNG).decode()
BLUE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGOQkzsBAAFiAQURG6MhAAAAAElFTkSuQmCC"


def line_of(text: str, marker: str) -> int:
    """The line of the first line holding `marker`."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


def read(name: str, **kwargs: object) -> QuizImport:
    result = parse_moodle_xml((FIXTURES / name).read_bytes(), name, **kwargs)  # type: ignore[arg-type]
    assert result.error == ""
    return result


def as_bank(result: QuizImport, bank_id: str = "imported") -> Bank:
    return result.to_bank(bank_id, "Imported")


def reimport(bank: Bank) -> QuizImport:
    exported = export_moodle_xml(bank)
    again = parse_moodle_xml(exported.text.encode("utf-8"), "exported.xml")
    assert again.error == "" and again.skipped == []
    return again


# ------------------------------------------------------------------------------------------ import

EXPECTED = [
    Question(
        id="listen-first",
        type="single",
        title="Listening first",
        prompt="What do you do before you post?",
        explanation="Listen first: you learn what your audience talks about.",
        options=(
            Option("a", "Listen to what people say", True, "Yes: listening comes first."),
            Option("b", "Post & hope", False, "Hope is not a strategy."),
            Option("c", "Buy followers", False, ""),
        ),
        checks=("listening.crawl",),
        tags=("listening",),
        images=(Image("red-dot.png", "image/png", RED, "A red dot"),),
        feedback_right="Your answer is correct.",
        feedback_partly="Your answer is partially correct.",
        feedback_wrong="Your answer is incorrect.",
        statement="listening.crawl.1",
        stage="crawl",
    ),
    Question(
        id="good-habits",
        type="multiple",
        title="Good habits",
        prompt="Which of these are good habits?\nPick every one.",
        options=(
            Option("a", "Answer questions", True, "Good.", 50.0),
            Option("b", "Thank people", True, "", 50.0),
            Option("c", "Delete criticism", False, "Never.", -100.0),
        ),
        tags=("habits",),
        feedback_right="All right.",
        feedback_partly="Some right.",
        feedback_wrong="None right.",
        variant_of="other-bank/q07",
    ),
    Question(
        id="reach",
        type="truefalse",
        title="Reach",
        prompt="Reach is the number of people who saw a post.",
        answer=True,
        feedback_true="Right: people who saw it.",
        feedback_false="It is: reach counts people, not clicks.",
    ),
    Question(
        id="platform",
        type="short",
        title="Platform",
        prompt="Name the platform with the blue bird.",
        accept=(
            ShortAnswer("Twitter", 100.0, "Yes."),
            ShortAnswer("X*", 50.0, "Its new name; half the credit."),
            ShortAnswer("*", 0.0, "No."),
        ),
        case_sensitive=True,
    ),
    Question(
        id="stages",
        type="numerical",
        title="Stages",
        prompt="How many stages does the model have?",
        numbers=(
            NumericAnswer(value=4.0, weight=100.0, feedback="Crawl, walk, run, fly."),
            NumericAnswer(value=4.5, tolerance=0.5, weight=50.0, feedback="Close."),
            NumericAnswer(weight=0.0, feedback="Count them again.", any_number=True),
        ),
    ),
    Question(
        id="match-stage",
        type="matching",
        title="Match the stage",
        prompt="Match each practice to its stage.",
        pairs=(Pair("p1", "A policy", "Crawl"), Pair("p2", "A community", "Run")),
        distractors=("Fly",),
        feedback_right="Well matched.",
        feedback_partly="Partly matched.",
        feedback_wrong="Not matched.",
    ),
    Question(
        id="order-stages",
        type="ordering",
        title="Order the stages",
        prompt="Put the stages in order.",
        items=(OrderItem("i1", "Crawl"), OrderItem("i2", "Walk"), OrderItem("i3", "Run"), OrderItem("i4", "Fly")),
        feedback_right="In order.",
        feedback_partly="Partly in order.",
        feedback_wrong="Out of order.",
    ),
    Question(
        id="code",
        type="short",
        title="Code",
        prompt="What does this print?\n```\nfor i in range(2):\n    print(i)\n```\nLine one\nline two",
        accept=(ShortAnswer("0 1"),),
    ),
]


def test_every_supported_type_imports_to_the_question_moodle_means() -> None:
    result = read("everything.xml")
    assert result.questions == EXPECTED
    assert result.categories == ["$course$/top/Social media/Listening"]
    assert result.category == "$course$/top/Social media/Listening"


def test_what_the_site_cannot_give_is_skipped_by_line() -> None:
    text = (FIXTURES / "everything.xml").read_text(encoding="utf-8")
    result = read("everything.xml")
    assert result.skipped == [
        (line_of(text, '"essay"'), 'essay needs a person to grade it; the site cannot give it: "An essay"'),
        (line_of(text, '"description"'), 'description (text without an answer) is not a question: "A description"'),
        (line_of(text, '"calculatedsimple"'), 'question type "calculatedsimple" is not one the site gives: "A sum"'),
    ]


def test_what_is_left_out_is_noted_by_line() -> None:
    text = (FIXTURES / "everything.xml").read_text(encoding="utf-8")
    result = read("everything.xml")
    questions = [n for n, line in enumerate(text.splitlines(), start=1) if "<question type=" in line]
    assert result.warnings == [
        (questions[1], '1 hint left out: the site gives no hints: "Listening first"'),
        (questions[5], 'default mark 2 left out: every question here counts the same: "Stages"'),
    ]


def test_pictures_embedded_as_data_and_as_files_beside_the_xml() -> None:
    files = {"pics/dot.png": PNG, "pics/evil.svg": (FIXTURES / "pics" / "evil.svg").read_bytes()}
    result = read("images.xml", files=files)
    dots, old = result.questions
    assert dots.images == (
        Image("image.png", "image/png", BLUE, "Blue dot"),
        Image("dot.png", "image/png", RED, "Red dot"),
    )
    assert dots.prompt == "Are these dots?"
    assert dots.explanation == "They are."
    assert old.images == (Image("moodle.png", "image/png", RED, ""),)
    label = '"Embedded and beside"'
    assert [note for _, note in result.warnings] == [
        f"picture evil.svg in the question text left out: SVG pictures are refused: an SVG can carry scripts; "
        f"save it as PNG: {label}",
        f"picture https://example.org/dot.png in the question text left out: pictures on other sites are not "
        f"fetched: {label}",
        f"picture broken.png in the question text left out: the picture's base64 data is broken: {label}",
        f"the question text read as text without its <script>: {label}",
        f"file unused.png in the question text left out: the text does not show it: {label}",
        f"picture fb.png in the general feedback left out: the site shows pictures with the question text only: "
        f"{label}",
    ]


def test_pictures_beside_the_xml_need_the_files() -> None:
    result = read("images.xml")
    assert [image.name for image in result.questions[0].images] == ["image.png"]
    notes = [note for _, note in result.warnings]
    assert (
        "picture pics/dot.png in the question text left out: it is a file beside the XML file, which was not given: "
        '"Embedded and beside"'
    ) in notes
    outside = parse_moodle_xml(
        _one('<questiontext format="html"><text><![CDATA[Q <img src="../secret.png">]]></text></questiontext>'),
        files={"../secret.png": PNG},
    )
    assert outside.questions[0].images == ()
    assert "only files in the XML file's folder are read" in outside.warnings[0][1]


def _one(inner: str, kind: str = "truefalse", name: str = "Q", answers: str | None = None) -> bytes:
    """A quiz with one question of `kind` holding `inner` (and true/false answers by default)."""
    if answers is None:
        answers = '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="{kind}">\n'
        f"<name><text>{name}</text></name>\n{inner}\n{answers}\n</question>\n</quiz>\n"
    ).encode()


def test_moodles_nested_categories_fixture() -> None:
    # Moodle's question/format/xml/tests/fixtures/nested_categories_with_questions.xml, shortened.
    text = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/Iota</text></category>
    <info format="plain_text"><text>This is Iota category for test</text></info>
    <idnumber></idnumber>
  </question>
  <question type="truefalse">
    <name><text>Iota Question</text></name>
    <questiontext format="html"><text><![CDATA[<p>Testing Iota Question</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="moodle_auto_format"><text>true</text>
      <feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text>
      <feedback format="html"><text></text></feedback></answer>
  </question>
  <question type="category">
    <category><text>$course$/Iota/Kappa</text></category>
    <info format="markdown"><text>This is Kappa category for test</text></info>
    <idnumber></idnumber>
  </question>
  <question type="essay">
    <name><text>Kappa Essay Question</text></name>
    <questiontext format="moodle_auto_format"><text>Testing Kappa Essay Question</text></questiontext>
    <responseformat>editor</responseformat>
  </question>
  <question type="category">
    <category>$course$/Iota/Kappa/Lambda</category>
  </question>
</quiz>
"""
    result = parse_moodle_xml(text.encode())
    assert result.categories == ["$course$/Iota", "$course$/Iota/Kappa", "$course$/Iota/Kappa/Lambda"]
    assert result.questions == [
        Question(
            id="iota-question", type="truefalse", title="Iota Question", prompt="Testing Iota Question", answer=True
        )
    ]
    assert result.skipped == [
        (line_of(text, '"essay"'), 'essay needs a person to grade it; the site cannot give it: "Kappa Essay Question"')
    ]


def test_moodles_ordering_export_fixture() -> None:
    # qtype_ordering's tests/fixtures/testexport.moodle.xml: the answers in the file's order are the
    # right order; per-item feedback and hints have no place here.
    text = (
        """<quiz>
  <question type="ordering">
    <name><text>Moodle</text></name>
    <questiontext format="html"><text>Put these words in order.</text></questiontext>
    <generalfeedback format="html">
      <text><![CDATA[The correct answer is "Modular Object Oriented Dynamic Learning Environment".]]></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>myid</idnumber>
    <layouttype></layouttype>
    <selecttype></selecttype>
    <selectcount>2</selectcount>
    <gradingtype></gradingtype>
    <showgrading></showgrading>
    <numberingstyle>none</numberingstyle>
    <correctfeedback format="html"><text>Well done!</text></correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Parts, but only parts, of your response are correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html"><text>That is not right at all.</text></incorrectfeedback>
    <shownumcorrect>1</shownumcorrect>
"""
        + "".join(
            f'    <answer fraction="{n}.0000000" format="html"><text>{word}</text>\n'
            f'      <feedback format="html"><text>{word} is correct.</text></feedback></answer>\n'
            for n, word in enumerate(["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"], start=1)
        )
        + """    <hint format="html"><text>Hint 1</text></hint>
    <hint format="html"><text>Hint 2</text></hint>
  </question>
</quiz>
"""
    )
    result = parse_moodle_xml(text.encode())
    (question,) = result.questions
    assert question == Question(
        id="myid",
        type="ordering",
        title="Moodle",
        prompt="Put these words in order.",
        explanation='The correct answer is "Modular Object Oriented Dynamic Learning Environment".',
        items=tuple(
            OrderItem(f"i{n}", word)
            for n, word in enumerate(["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"], 1)
        ),
        feedback_right="Well done!",
        feedback_partly="Parts, but only parts, of your response are correct.",
        feedback_wrong="That is not right at all.",
    )
    assert [note for _, note in result.warnings] == [
        'feedback on single items left out: the site has no place for it: "Moodle"',
        '2 hints left out: the site gives no hints: "Moodle"',
    ]


BROKEN = [
    (
        "multichoice",
        "<single>true</single>",
        '<answer fraction="100"><text>A</text></answer><answer fraction="100"><text>B</text></answer>',
        "2 answers are fully right; single choice takes exactly one",
    ),
    (
        "multichoice",
        "<single>false</single>",
        '<answer fraction="50"><text>A</text></answer><answer fraction="0"><text>B</text></answer>',
        "the positive answer credits add up to 50%, not 100%",
    ),
    ("multichoice", "", '<answer fraction="100"><text>A</text></answer>', "at least two answers"),
    (
        "multichoice",
        "",
        '<answer fraction="abc"><text>A</text></answer><answer><text>B</text></answer>',
        'answer credit (fraction) "abc" is not a number',
    ),
    (
        "multichoice",
        "<single>false</single>",
        '<answer fraction="150"><text>A</text></answer><answer><text>B</text></answer>',
        "answer credit 150% is outside -100..100",
    ),
    (
        "truefalse",
        "",
        '<answer fraction="100"><text>true</text></answer><answer fraction="100"><text>false</text></answer>',
        "both answers are right",
    ),
    ("truefalse", "", "", "needs its answers"),
    (
        "shortanswer",
        "",
        '<answer fraction="50"><text>A</text></answer>',
        "no fully right answer (one needs 100% credit)",
    ),
    ("shortanswer", "", '<answer fraction="-50"><text>A</text></answer>', 'credit -50% for answer "A" is outside'),
    ("numerical", "", '<answer fraction="100"><text>four</text></answer>', 'answer "four" is not a number'),
    ("numerical", "", '<answer fraction="100"><text>1e999</text></answer>', "is not a finite number"),
    ("numerical", "", '<answer fraction="100"><text>*</text></answer>', "no fully right number"),
    (
        "numerical",
        "",
        '<answer fraction="100"><text>4</text><tolerance>a bit</tolerance></answer>',
        'tolerance "a bit" is not a number',
    ),
    (
        "matching",
        "",
        "<subquestion><text>A</text><answer><text>1</text></answer></subquestion>",
        "at least two pairs",
    ),
    (
        "matching",
        "",
        "<subquestion><text>A</text><answer><text></text></answer></subquestion>",
        'matching item "A" has no answer',
    ),
    ("ordering", "", "<answer><text>Only</text></answer>", "at least two items"),
    ("cloze", "", "", "cloze (embedded answers) is not a question type the site gives"),
    ("ddwtos", "", "", 'question type "ddwtos" is not one the site gives'),
]


@pytest.mark.parametrize(("kind", "inner", "answers", "why"), BROKEN)
def test_broken_questions_are_skipped_with_the_reason(kind: str, inner: str, answers: str, why: str) -> None:
    text = "<questiontext><text>The question?</text></questiontext>" + inner
    result = parse_moodle_xml(_one(text, kind, "Broken", answers))
    assert result.questions == []
    [(line, reason)] = result.skipped
    assert line == 3 and why in reason and reason.endswith('"Broken"')


def test_a_question_without_text_is_skipped() -> None:
    result = parse_moodle_xml(_one("<questiontext><text>  </text></questiontext>", name=""))
    assert result.skipped == [(3, 'the question has no text: <question type="truefalse">')]


def test_ids_come_from_the_id_number_when_valid_and_unused() -> None:
    quiz = (
        b"<quiz>"
        + b"".join(
            b'<question type="truefalse"><name><text>%s</text></name><questiontext><text>Q</text></questiontext>'
            b"<idnumber>%s</idnumber>"
            b'<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
            b"</question>" % (name, number)
            for name, number in [
                (b"One", b"q1"),
                (b"Two", b"q1"),
                (b"Three", b"not valid!"),
                (b"q4", b"q4"),
                (b"", b""),
            ]
        )
        + b"</quiz>"
    )
    result = parse_moodle_xml(quiz)
    assert [(q.id, q.title) for q in result.questions] == [
        ("q1", "One"),
        ("two", "Two"),
        ("three", "Three"),
        ("q4", ""),  # a name that is the ID number is no title: the exporter writes it so
        ("q005", ""),
    ]
    assert [note for _, note in result.warnings] == [
        'ID number "q1" is used twice; a new id is used: "Two"',
        'ID number "not valid!" is not a valid question id; a new id is used: "Three"',
    ]


def test_what_moodle_reads_differently_is_noted() -> None:
    units = (
        "<questiontext><text>How long?</text></questiontext>"
        "<units><unit><multiplier>1</multiplier><unit_name>cm</unit_name></unit>"
        "<unit><multiplier>0.01</multiplier><unit_name>m</unit_name></unit></units>"
    )
    numerical = parse_moodle_xml(
        _one(units, "numerical", "Length", '<answer fraction="100"><text>20</text><tolerance>1</tolerance></answer>')
    )
    assert numerical.questions[0].numbers == (NumericAnswer(value=20.0, tolerance=1.0),)
    assert numerical.warnings == [(3, 'units (cm, m) left out: the site reads a plain number: "Length"')]

    ordering = parse_moodle_xml(
        _one(
            "<questiontext><text>Order</text></questiontext><selecttype>RANDOM</selecttype>"
            "<selectcount>2</selectcount><gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype>",
            "ordering",
            "Order",
            "<answer><text>A</text></answer><answer><text>B</text></answer><answer><text>C</text></answer>",
        )
    )
    assert [note for _, note in ordering.warnings] == [
        'Moodle shows 2 of the 3 items; the site shows them all: "Order"',
        "grading RELATIVE_NEXT_EXCLUDE_LAST becomes the site's: a share of the credit for each item in its right "
        'place (Moodle\'s ABSOLUTE_POSITION): "Order"',
    ]

    old = parse_moodle_xml(
        _one(
            '<questiontext format="moodle_auto_format"><text><![CDATA[Is <b>this</b> so?]]></text></questiontext>',
            answers='<answer fraction="0"><text>Yes</text></answer><answer fraction="100"><text>No</text></answer>',
        )
    )
    assert old.questions[0].answer is False and old.questions[0].prompt == "Is <b>this</b> so?"
    assert [note for _, note in old.warnings] == [
        'HTML <b> in the question text is shown as typed: the site does not render HTML: "Q"',
        'the answers are not named true and false; read as true first, false second, as Moodle does: "Q"',
    ]

    single = parse_moodle_xml(
        _one(
            "<questiontext><text>Pick</text></questiontext>",
            "multichoice",
            "Pick",
            '<answer fraction="100"><text>A</text></answer><answer fraction="50"><text>B</text></answer>'
            '<answer fraction="-33.33333"><text>C</text></answer><answer fraction="0"><text></text></answer>',
        )
    )
    assert [o.text for o in single.questions[0].options] == ["A", "B", "C"]  # Moodle drops answers without text
    assert [note for _, note in single.warnings] == [
        '50% credit for "B" left out: single choice gives full or no credit: "Pick"',
        '-33.3333% credit for "C" left out: single choice gives full or no credit: "Pick"',
    ]


def test_matching_extra_answers_are_distractors_once() -> None:
    subquestions = "".join(
        f"<subquestion><text>{left}</text><answer><text>{right}</text></answer></subquestion>"
        for left, right in [("A", "1"), ("B", "2"), ("", "3"), ("", "3"), ("", "1"), ("", "")]
    )
    result = parse_moodle_xml(_one("<questiontext><text>Match</text></questiontext>", "match", "M", subquestions))
    (question,) = result.questions
    assert question.pairs == (Pair("p1", "A", "1"), Pair("p2", "B", "2")) and question.distractors == ("3",)
    assert [note for _, note in result.warnings] == [
        'extra answer "3" is given twice; kept once: "M"',
        'extra answer "1" left out: it is already the answer of an item: "M"',
    ]


def test_multiple_answer_credits_that_are_the_sites_own_scoring_stay_implicit() -> None:
    answers = (
        '<answer fraction="33.33333"><text>A</text></answer><answer fraction="33.33333"><text>B</text></answer>'
        '<answer fraction="33.33333"><text>C</text></answer><answer fraction="-33.33333"><text>D</text></answer>'
    )
    result = parse_moodle_xml(
        _one("<questiontext><text>Q</text></questiontext><single>0</single>", "multichoice", "M", answers)
    )
    assert [(o.correct, o.weight) for o in result.questions[0].options] == [
        (True, None),
        (True, None),
        (True, None),
        (False, None),
    ]


# ------------------------------------------------------------------------------------------ hostile files

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n<quiz>&lol9;</quiz>\n"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<quiz>&xxe;</quiz>\n'
)
QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "'
    + b"x" * 100_000
    + b'">]>\n<quiz>'
    + b"&a;" * 100_000
    + b"</quiz>"
)
DEEPLY_NESTED = b"<quiz>" + b"<question>" * 200_000 + b"</question>" * 200_000 + b"</quiz>"
DTD_REFUSED = "the file declares a document type (<!DOCTYPE ...>); Moodle XML has none"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (BILLION_LAUGHS, f"line 2: {DTD_REFUSED}"),
        (EXTERNAL_ENTITY, f"line 2: {DTD_REFUSED}"),
        (QUADRATIC_BLOWUP, f"line 2: {DTD_REFUSED}"),
        (DEEPLY_NESTED, f"line 1: elements nested more than {MAX_DEPTH} deep; refused"),
        (
            b"<quiz>" + b"<x/>" * (MAX_ELEMENTS + 1) + b"</quiz>",
            f"line 1: more than {MAX_ELEMENTS:,} elements; refused",
        ),
        (b" " * (20 * 1024 * 1024 + 1), "the file is 20.0 MB; at most 20.0 MB is read"),
        (b"<quiz>\n  <question>\n</quiz>", "not well-formed XML at line 3, column 3: mismatched tag"),
        (b"<quiz>&nbsp;</quiz>", "not well-formed XML at line 1, column 7: undefined entity"),
        (b"", "not well-formed XML at line 1, column 1: no element found"),
        (b"GIFT ::T:: Q {T}", "not well-formed XML at line 1, column 1: syntax error"),
        (b"<html><body/></html>", "line 1: not Moodle XML: the document is <html>, not <quiz>"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "quadratic-blowup",
        "deep",
        "wide",
        "big",
        "malformed",
        "entity",
        "empty",
        "not-xml",
        "not-quiz",
    ],  # fmt: skip
)
def test_hostile_and_broken_files_are_refused_quickly(data: bytes, error: str) -> None:
    started = time.perf_counter()
    result = parse_moodle_xml(data, "hostile.xml")
    took = time.perf_counter() - started
    assert result.error.startswith(error)
    assert result.questions == [] and result.skipped == [] and result.warnings == []
    assert took < 5, f"took {took:.2f} s"  # a generous guard; the figures are far below a second


def _html_question(html: str) -> bytes:
    return _one(f'<questiontext format="html"><text><![CDATA[{html}]]></text></questiontext>', name="H")


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<p>x</p>" * (MAX_MARKUP // 4 + 1), f"more than {MAX_MARKUP:,} HTML tags and entities in the texts; refused"),
        ("&amp;" * (MAX_MARKUP + 1), f"more than {MAX_MARKUP:,} HTML tags and entities in the texts; refused"),
        ("word " * (MAX_TEXT_CHARS // 5 + 1), f"the texts are longer than {MAX_TEXT_CHARS:,} characters together"),
    ],
    ids=["tags", "entities", "text"],
)
def test_texts_too_costly_to_reduce_are_refused_quickly(html: str, error: str) -> None:
    started = time.perf_counter()
    result = parse_moodle_xml(_html_question(html))
    assert time.perf_counter() - started < 5
    assert result.error.startswith(f"line 5: {error}")


def test_broken_html_that_slows_pythons_html_parser_is_read_in_linear_time() -> None:
    # html.parser alone takes over a minute on 200 KB of "<a<a<a..." (quadratic); nh3 reads it first.
    started = time.perf_counter()
    result = parse_moodle_xml(_html_question("Which? " + "<a" * 45_000 + "</"))
    assert time.perf_counter() - started < 5
    assert result.questions[0].prompt == "Which?"


def test_html_is_reduced_by_the_gift_readers_html_to_text() -> None:
    """One reduction for both formats: a link keeps its web address, a picture is read apart, and
    what is lost is named (a picture is not lost: it is kept or noted on its own)."""
    raw = '<p>See <a href="https://x.org/a">the page</a><img src="@@PLUGINFILE@@/a.png" alt="A"></p><iframe>f</iframe>'
    assert reduce_html(raw) == ("See the page (https://x.org/a)\nf", [("@@PLUGINFILE@@/a.png", "A")], ["iframe"])


def test_html_reduction_keeps_pre_blocks_and_picture_texts() -> None:
    assert reduce_html('<pre>\n\n  code</pre><img alt="a > b" src="x.png"><script>alert(1)</script>') == (
        "```\n\n  code\n```",
        [("x.png", "a > b")],
        ["script"],
    )
    assert reduce_html("x < y and <b>bold</b> &amp; <i>more") == ("x < y and bold & more", [], [])
    pictures = "".join(f'<img src="{n}.png" alt="{n}">' for n in range(MAX_PICTURES + 2))
    result = parse_moodle_xml(_html_question("Dots" + pictures), files={f"{n}.png": PNG for n in range(30)})
    assert len(result.questions[0].images) == MAX_PICTURES
    assert result.warnings[-1] == (
        3,
        f'2 pictures in the question text left out: at most {MAX_PICTURES} are read: "H"',
    )


def test_an_entity_bomb_is_not_expanded_even_when_it_is_not_used() -> None:
    data = BILLION_LAUGHS.replace(b"<quiz>&lol9;</quiz>", b"<quiz/>")
    assert parse_moodle_xml(data).error.startswith(f"line 2: {DTD_REFUSED}")


def test_other_encodings_that_xml_declares_are_read() -> None:
    body = '<quiz><question type="category"><category><text>{}</text></category></question></quiz>'
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n' + body.format("Æble")
    assert parse_moodle_xml(utf16.encode("utf-16")).categories == ["Æble"]
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + body.format("Café")
    assert parse_moodle_xml(latin.encode("latin-1")).categories == ["Café"]


# ------------------------------------------------------------------------------------------ export


def test_export_then_import_gives_the_same_bank() -> None:
    bank = as_bank(read("everything.xml"))
    again = reimport(bank)
    assert again.questions == list(bank.questions)
    assert again.category == bank.category


def test_import_export_import_is_stable() -> None:
    first = read("images.xml", files={"pics/dot.png": PNG})
    second = reimport(as_bank(first))
    third = reimport(as_bank(second))
    assert first.questions == second.questions == third.questions
    assert second.warnings == []


def test_the_export_is_the_xml_moodle_reads() -> None:
    exported = export_moodle_xml(as_bank(read("everything.xml")))
    root = ElementTree.fromstring(exported.text)
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text") == "$course$/top/Social media/Listening"
    assert [q.get("type") for q in questions] == [
        "multichoice", "multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "shortanswer"
    ]  # fmt: skip
    for question in questions:
        assert question.findtext("defaultgrade") == "1" and question.findtext("hidden") == "0"
        assert question.find("questiontext").get("format") == "html"  # type: ignore[union-attr]
    single, multiple, truefalse, short, numerical, matching, ordering, code = questions
    assert single.findtext("name/text") == "Listening first" and single.findtext("idnumber") == "listen-first"
    assert single.findtext("single") == "true"
    assert [a.get("fraction") for a in single.findall("answer")] == ["100", "0", "0"]
    assert single.findtext("answer/feedback/text") == "Yes: listening comes first."
    assert single.findtext("correctfeedback/text") == "Your answer is correct."
    assert [t.findtext("text") for t in single.findall("tags/tag")] == [
        "check:listening.crawl", "statement:listening.crawl.1", "stage:crawl", "listening"
    ]  # fmt: skip
    picture = single.find("questiontext/file")
    assert picture is not None and picture.attrib == {"name": "red-dot.png", "path": "/", "encoding": "base64"}
    assert base64.b64decode(picture.text or "") == PNG
    assert '<img src="@@PLUGINFILE@@/red-dot.png" alt="A red dot">' in (single.findtext("questiontext/text") or "")
    assert multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "50", "-100"]
    assert [(a.findtext("text"), a.get("fraction")) for a in truefalse.findall("answer")] == [
        ("true", "100"),
        ("false", "0"),
    ]
    assert short.findtext("usecase") == "1"
    assert [(a.findtext("text"), a.get("fraction")) for a in short.findall("answer")] == [
        ("Twitter", "100"), ("X*", "50"), ("*", "0")
    ]  # fmt: skip
    assert [(a.findtext("text"), a.findtext("tolerance")) for a in numerical.findall("answer")] == [
        ("4", "0"), ("4.5", "0.5"), ("*", "0")
    ]  # fmt: skip
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in matching.findall("subquestion")] == [
        ("A policy", "Crawl"), ("A community", "Run"), ("", "Fly")
    ]  # fmt: skip
    assert ordering.findtext("gradingtype") == "ABSOLUTE_POSITION"
    assert (ordering.findtext("layouttype"), ordering.findtext("selecttype"), ordering.findtext("selectcount")) == (
        "VERTICAL", "ALL", "4"
    )  # fmt: skip
    assert [(a.findtext("text"), a.get("fraction")) for a in ordering.findall("answer")] == [
        ("Crawl", "1"), ("Walk", "2"), ("Run", "3"), ("Fly", "4")
    ]  # fmt: skip
    assert code.findtext("questiontext/text") == (
        "<p>What does this print?</p>\n<pre>\nfor i in range(2):\n    print(i)\n</pre>\n<p>Line one<br>\nline two</p>"
    )
    assert exported.warnings == []
    assert exported.not_exported == []


def test_text_html_would_change_is_written_as_plain_text() -> None:
    question = Question(
        id="spaces",
        type="truefalse",
        prompt="First  line\n\n  indented\nlast ]]> <b>not bold</b>",
        answer=True,
        explanation="One & two < three",
    )
    bank = Bank("b", "B", "", "instant", 70, (question,))
    root = ElementTree.fromstring(export_moodle_xml(bank).text)
    text = root.find("question/questiontext")
    assert text is not None and text.get("format") == "plain_text" and text.findtext("text") == question.prompt
    assert root.find("question/generalfeedback").get("format") == "html"  # type: ignore[union-attr]
    assert reimport(bank).questions == [question]


def test_what_moodle_xml_cannot_hold_is_warned() -> None:
    question = Question(
        id="q1",
        type="numerical",
        prompt="A number\x01",
        numbers=(NumericAnswer(min=1.0, max=3.0), NumericAnswer(value=7.0, weight=35.0)),
        feedback_right="Right.",
        tags=("x" * 51,),
    )
    ordering = Question(
        id="q2",
        type="ordering",
        prompt="Order",
        items=(OrderItem("i1", "A", "model.crawl.1", "crawl"), OrderItem("i2", "B")),
    )
    exported = export_moodle_xml(Bank("b", "B", "", "instant", 70, (question, ordering)))
    assert exported.warnings == [
        "question q1: control characters left out (XML cannot hold them)",
        "question q1: the range 1..3 is written as 2 ± 1 (Moodle has no ranges)",
        "question q1: a number gives 35% credit; Moodle's import takes only the credits of its list (100, 90, "
        "83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, ...)",
        "question q1: the feedback for a right response left out "
        "(Moodle's numerical question has no combined feedback)",
        f"question q1: Moodle keeps the first 50 characters of a tag: {'x' * 51}",
        "question q2: the statement/stage of i1 left out (Moodle XML has no place for them)",
    ]
    back = parse_moodle_xml(exported.text.encode()).questions
    assert back[0].prompt == "A number"
    assert back[0].numbers == (NumericAnswer(value=2.0, tolerance=1.0), NumericAnswer(value=7.0, weight=35.0))


def test_multiple_answers_without_weights_export_the_sites_scoring() -> None:
    options = (Option("a", "A", True), Option("b", "B", True), Option("c", "C", True), Option("d", "D"))
    bank = Bank("b", "B", "", "instant", 70, (Question(id="m", type="multiple", prompt="Q", options=options),))
    root = ElementTree.fromstring(export_moodle_xml(bank).text)
    assert [a.get("fraction") for a in root.findall("question/answer")] == ["33.33333"] * 3 + ["-33.33333"]
    assert reimport(bank).questions == list(bank.questions)


def strip_placement(question: Question) -> Question:
    """The question without the statement/stage of its options, items and pairs (Moodle XML has no place for them)."""
    return dataclasses.replace(
        question,
        options=tuple(dataclasses.replace(o, statement="", stage="") for o in question.options),
        items=tuple(dataclasses.replace(i, statement="", stage="") for i in question.items),
        pairs=tuple(dataclasses.replace(p, statement="", stage="") for p in question.pairs),
    )


def test_the_sites_banks_export_and_import_back_the_same() -> None:
    banks, problems = load_banks()
    assert problems == [] and banks
    for bank in banks:
        exported = export_moodle_xml(bank)
        assert all("statement/stage" in warning for warning in exported.warnings), exported.warnings
        again = parse_moodle_xml(exported.text.encode(), bank.id)
        assert again.error == "" and again.skipped == [] and again.warnings == []
        assert again.questions == [strip_placement(q) for q in bank.questions], bank.id


def test_an_imported_bank_survives_toml(tmp_path: Path) -> None:
    bank = as_bank(read("everything.xml"))
    path = tmp_path / "imported.toml"
    path.write_text(bank_to_toml(bank), encoding="utf-8")
    loaded, problems = load_bank(path)
    assert problems == []
    assert loaded is not None and loaded.questions == bank.questions and loaded.category == bank.category


# ------------------------------------------------------------------------------------------ command line


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizzes", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_cli_imports_a_moodle_xml_file_with_its_pictures(tmp_path: Path) -> None:
    out = tmp_path / "listening.toml"
    done = run("import-moodle-xml", str(FIXTURES / "everything.xml"), "--out", str(out), "--lesson", "listening")
    assert done.returncode == 0, done.stderr
    source = str(FIXTURES / "everything.xml")
    text = (FIXTURES / "everything.xml").read_text(encoding="utf-8")
    line = {kind: line_of(text, f'<question type="{kind}">') for kind in ("essay", "description", "numerical")}
    line["calculated"] = line_of(text, '<question type="calculatedsimple">')
    line["multichoice"] = line_of(text, '<question type="multichoice">')
    assert done.stdout.splitlines() == [
        f"Imported 8 question(s) from {source} into {out}; skipped 3, with 2 note(s).",
        f'{source}:{line["essay"]}: skipped: essay needs a person to grade it; the site cannot give it: "An essay"',
        f"{source}:{line['description']}: skipped: description (text without an answer) is not a question: "
        '"A description"',
        f'{source}:{line["calculated"]}: skipped: question type "calculatedsimple" is not one the site gives: "A sum"',
        f'{source}:{line["multichoice"]}: note: 1 hint left out: the site gives no hints: "Listening first"',
        f'{source}:{line["numerical"]}: note: default mark 2 left out: every question here counts the same: "Stages"',
    ]
    bank, problems = load_bank(out)
    assert problems == [] and bank is not None
    assert (bank.id, bank.title, bank.lesson, bank.category) == (
        "listening", "Listening", "listening", "$course$/top/Social media/Listening"
    )  # fmt: skip
    assert bank.questions == tuple(EXPECTED)

    pictures = tmp_path / "pictures.toml"
    done = run("import-moodle-xml", str(FIXTURES / "images.xml"), "--out", str(pictures), "--title", "Dots")
    assert done.returncode == 0, done.stderr
    bank, problems = load_bank(pictures)
    assert problems == [] and bank is not None and bank.title == "Dots"
    assert [image.name for image in bank.questions[0].images] == ["image.png", "dot.png"]  # dot.png beside the XML


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, f"line 2: {DTD_REFUSED}"),
        (EXTERNAL_ENTITY, f"line 2: {DTD_REFUSED}"),
        (b"<quiz>\n<question>\n</quiz>", "not well-formed XML at line 3, column 3: mismatched tag"),
        (b'<quiz><question type="essay"><questiontext><text>Q</text></questiontext></question></quiz>',
         "nothing importable (1 question(s) skipped)"),
    ],
    ids=["billion-laughs", "external-entity", "malformed", "nothing"],
)  # fmt: skip
def test_cli_refuses_bad_input_with_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(content)
    out = tmp_path / "out.toml"
    done = run("import-moodle-xml", str(source), "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {source}: {message}")
    assert not out.exists()


def test_cli_refuses_missing_and_oversized_files(tmp_path: Path) -> None:
    done = run("import-moodle-xml", str(tmp_path / "nope.xml"), "--out", str(tmp_path / "x.toml"))
    assert (done.returncode, done.stderr) == (2, f"error: {tmp_path / 'nope.xml'}: file not found\n")
    big = tmp_path / "big.xml"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    done = run("import-moodle-xml", str(big), "--out", str(tmp_path / "x.toml"))
    assert (done.returncode, done.stderr) == (2, f"error: {big}: the file is larger than 20 MB; refused\n")
    same = tmp_path / "same.xml"
    same.write_bytes(b"<quiz/>")
    done = run("import-moodle-xml", str(same), "--out", str(same))
    assert done.returncode == 2 and "--out must not be the XML file itself" in done.stderr


def test_cli_exports_a_bank_as_moodle_xml(tmp_path: Path) -> None:
    bank_file = PROJECT / "quizzes" / "bank" / "four-stages.toml"
    printed = run("export-moodle-xml", str(bank_file))
    assert printed.returncode == 0
    bank, _ = load_bank(bank_file)
    assert bank is not None
    assert printed.stdout == export_moodle_xml(bank).text
    assert all(line.startswith(f"{bank.file}: warning: ") for line in printed.stderr.splitlines())
    out = tmp_path / "four-stages.xml"
    written = run("export-moodle-xml", str(bank_file), "--out", str(out))
    assert written.returncode == 0
    assert written.stdout == f"Wrote {len(bank.questions)} question(s) of {bank.file} to {out}.\n"
    assert out.read_text(encoding="utf-8") == printed.stdout
    back = tmp_path / "back.toml"
    assert run("import-moodle-xml", str(out), "--out", str(back), "--id", bank.id).returncode == 0
    again, problems = load_bank(back)
    assert problems == [] and again is not None
    assert again.questions == tuple(strip_placement(q) for q in bank.questions)


def test_cli_exports_a_translation(tmp_path: Path) -> None:
    bank = Bank("tiny", "Tiny", "", "instant", 70, (
        Question("q1", "truefalse", "Is water wet?", answer=True),
        Question("q2", "ordering", "Order.", items=(OrderItem("i1", "First"), OrderItem("i2", "Second"))),
    ))  # fmt: skip
    bank_file = tmp_path / "tiny.toml"
    bank_file.write_text(bank_to_toml(bank), encoding="utf-8")
    (tmp_path / "da").mkdir()
    (tmp_path / "da" / "tiny.toml").write_text(
        'id = "tiny"\ntitle = "Lille"\n[questions.q1]\nprompt = "Er vand vådt?"\n'
        '[questions.q2]\nprompt = "Ordn."\n[questions.q2.items.i1]\ntext = "Første"\n'
        '[questions.q2.items.i2]\ntext = "Anden"\n',
        encoding="utf-8",
    )
    done = run("export-moodle-xml", str(bank_file), "--language", "da")
    assert done.returncode == 0, done.stderr
    exported = parse_moodle_xml(done.stdout.encode()).questions
    assert [q.prompt for q in exported] == ["Er vand vådt?", "Ordn."]
    assert [item.text for item in exported[1].items] == ["Første", "Anden"]
    missing = run("export-moodle-xml", str(bank_file), "--language", "nl")
    assert missing.returncode == 2 and "no nl translation of bank 'tiny'" in missing.stderr


# ------------------------------------------------------------------------------------------ messages


@pytest.mark.usefixtures("pseudo_language")
def test_the_readers_messages_go_through_the_catalogue() -> None:
    errors = [
        parse_moodle_xml(data).error
        for data in (
            BILLION_LAUGHS,
            DEEPLY_NESTED,
            b"<quiz>" + b"<x/>" * (MAX_ELEMENTS + 1) + b"</quiz>",
            b" " * (20 * 1024 * 1024 + 1),
            b"<quiz>\n  <question>\n</quiz>",
            b"<html><body/></html>",
            _html_question("&amp;" * (MAX_MARKUP + 1)),
            _html_question("word " * (MAX_TEXT_CHARS // 5 + 1)),
        )
    ]
    text = "<questiontext><text>The question?</text></questiontext>"
    skipped = [
        why
        for kind, inner, answers, _ in BROKEN
        for _, why in parse_moodle_xml(_one(text + inner, kind, "B", answers)).skipped
    ]
    skipped += [why for _, why in read("everything.xml").skipped]
    notes = [note for _, note in [*read("everything.xml").warnings, *read("images.xml").warnings]]
    differently = [
        _one(
            "<questiontext><text>How long?</text></questiontext><units><unit><unit_name>cm</unit_name></unit></units>",
            "numerical",
            "Length",
            '<answer fraction="100"><text>20</text></answer>',
        ),
        _one(
            "<questiontext><text>Order</text></questiontext><selecttype>RANDOM</selecttype><selectcount>2</selectcount>"
            "<gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype>",
            "ordering",
            "Order",
            "<answer><text>A</text><feedback><text>F</text></feedback></answer>"
            "<answer><text>B</text></answer><answer><text>C</text></answer>",
        ),
        _one(
            '<questiontext format="moodle_auto_format"><text><![CDATA[Is <b>this</b> so?]]></text></questiontext>'
            "<idnumber>not valid!</idnumber>",
            answers='<answer fraction="0"><text>Yes</text></answer><answer fraction="100"><text>No</text></answer>',
        ),
        _one(
            "<questiontext><text>Pick</text></questiontext>",
            "multichoice",
            "Pick",
            '<answer fraction="100"><text>A</text></answer><answer fraction="50"><text>B</text></answer>',
        ),
        _one(
            "<questiontext><text>Match</text></questiontext>",
            "match",
            "M",
            "".join(
                f"<subquestion><text>{left}</text><answer><text>{right}</text></answer></subquestion>"
                for left, right in [("A", "1"), ("B", "2"), ("", "3"), ("", "3"), ("", "1")]
            ),
        ),
        _html_question("Which? " + '<img src="pics/dot.png">' * (MAX_PICTURES + 2)),
        b"<quiz><category/></quiz>",
    ]
    notes += [note for data in differently for _, note in parse_moodle_xml(data).warnings]
    picture = Image("dot.png", "image/png", RED)
    exported = export_moodle_xml(
        Bank(
            "b",
            "B",
            "",
            "instant",
            70,
            (
                Question(
                    id="q1",
                    type="numerical",
                    prompt="A number\x01",
                    numbers=(NumericAnswer(min=1.0, max=3.0), NumericAnswer(value=7.0, weight=35.0)),
                    feedback_right="Right.",
                    feedback_wrong="Wrong.",
                    tags=("x" * 51,),
                ),
                Question(
                    id="q2",
                    type="ordering",
                    prompt="Order  these\n\n\nnow",
                    items=(OrderItem("i1", "A", "model.crawl.1", "crawl"), OrderItem("i2", "B")),
                    images=(picture,),
                ),
                Question(
                    id="q3",
                    type="multiple",
                    prompt="Pick",
                    options=(Option("a", "A", True, weight=35.0), Option("b", "B", True, weight=65.0)),
                ),
            ),
        )
    )
    assert_all_translated(errors, at_least=8)
    assert_all_translated(skipped, at_least=len(BROKEN) + 3)
    assert_all_translated(notes, at_least=22)
    assert_all_translated(exported.warnings, at_least=8)


def test_pictures_kept_within_the_banks_limit_load_within_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The reader counts a picture as the loader does (its base64 size), so a bank it filled up to
    the limit is not refused when it is stored and loaded again."""
    picture = PNG + b"\0"  # a length no multiple of 3: its base64 text counts more than its bytes
    monkeypatch.setattr(pictures, "MAX_BANK_IMAGE_BYTES", 3 * len(picture))
    encoded = base64.b64encode(picture).decode()
    questions = "".join(
        f"""<question type="truefalse"><name><text>Q{n}</text></name>
        <questiontext format="html"><text><![CDATA[<p>Dot {n}?</p><img src="@@PLUGINFILE@@/d{n}.png">]]></text>
        <file name="d{n}.png" path="/" encoding="base64">{encoded}</file></questiontext>
        <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>"""
        for n in range(4)
    )
    result = parse_moodle_xml(f"<quiz>{questions}</quiz>".encode())
    kept = [image for question in result.questions for image in question.images]
    assert 0 < len(kept) < 4 and any("left out" in note for _line, note in result.warnings)
    assert pictures.bank_images_problem(kept) == ""
    (tmp_path / "dots.toml").write_text(bank_to_toml(result.to_bank("dots", "Dots")), encoding="utf-8")
    bank, problems = load_bank(tmp_path / "dots.toml")
    assert bank is not None and problems == []


def test_tags_are_read_as_the_gift_reader_reads_them() -> None:
    """One rule for both readers (quizzes.gift.split_tags): a tag naming a key without a value, such
    as "check:", is a free tag, and it comes back from an export."""
    xml = """<quiz><question type="truefalse"><name><text>Wet</text></name>
    <questiontext format="html"><text>Is water wet?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
    <tags><tag><text>check:</text></tag><tag><text>check:c1</text></tag><tag><text>stage:walk</text></tag>
    <tag><text>webcare</text></tag></tags></question></quiz>"""
    question = parse_moodle_xml(xml.encode()).questions[0]
    assert (question.checks, question.stage, question.tags) == (("c1",), "walk", ("check:", "webcare"))
    again = parse_moodle_xml(export_moodle_xml(Bank("b", "B", "", "instant", 70, (question,))).text.encode())
    assert again.questions[0] == question
