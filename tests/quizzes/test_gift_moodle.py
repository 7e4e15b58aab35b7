"""Parity with Moodle's own GIFT tests: every GIFT input of question/format/gift/tests/giftformat_test.php
(moodle/moodle, commit 3d51aed3e2133fd808f9f016d29f89c8261cc33c) and of its two fixture files
(tests/quizzes/fixtures/moodle/), with the question Moodle expects, transcribed as test data.

Moodle's expectations are written in Moodle's own fields (qtype, name, questiontext with its format,
answer, fraction, feedback, subquestions, tags, idnumber...). `moodle_fields` maps our Question to those
fields; `site_reading` turns Moodle's expected values into what the site holds for them: the site never
renders quiz HTML, so a text in FORMAT_HTML is expected as html_to_text gives it (line breaks kept,
<pre> as a fenced block), every other format as written.

Moodle fields with no counterpart on the site are not compared, and are listed in NOT_COMPARED.
Essays and descriptions are skipped by line with the reason, as the site cannot give them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from quizzes.bank_toml import bank_to_toml
from quizzes.gift import export_gift, html_to_text, parse_gift
from quizzes.importing import QuizImport
from quizzes.loader import load_bank
from quizzes.model import Bank, NumericAnswer, Question

MOODLE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "moodle"

# Moodle's text format constants (lib/weblib.php).
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4

# Moodle's per-question settings that the site has no counterpart for: every question is worth one
# mark, no penalty for a retry, answers shuffled and lettered by the site's own player, and an
# essay's response settings (the site gives no essays).
NOT_COMPARED = frozenset(
    {"defaultmark", "penalty", "length", "shuffleanswers", "answernumbering", "responseformat",
     "responsefieldlines", "attachments", "graderinfo"}
)  # fmt: skip
QTYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "short": "shortanswer",
          "numerical": "numerical", "matching": "match"}  # fmt: skip


def moodle_fields(question: Question) -> dict[str, Any]:
    """Our question in the fields Moodle's GIFT tests check."""
    fields: dict[str, Any] = {
        "qtype": QTYPES[question.type],
        "name": question.title,
        "questiontext": question.prompt,
        "generalfeedback": question.explanation,
        "idnumber": question.id,
        "tags": list(question.tags),
        "correctfeedback": question.feedback_right,
        "partiallycorrectfeedback": question.feedback_partly,
        "incorrectfeedback": question.feedback_wrong,
    }
    if question.type in ("single", "multiple"):
        fields["single"] = int(question.type == "single")
        fields["answer"] = [o.text for o in question.options]
        fields["feedback"] = [o.feedback for o in question.options]
        fields["fraction"] = [
            (1.0 if o.correct else 0.0) if question.type == "single" else (o.weight or 0.0) / 100
            for o in question.options
        ]
    elif question.type == "truefalse":
        fields["correctanswer"] = int(bool(question.answer))
        fields["feedbacktrue"] = question.feedback_true
        fields["feedbackfalse"] = question.feedback_false
    elif question.type == "short":
        fields["answer"] = [a.text for a in question.accept]
        fields["fraction"] = [a.weight / 100 for a in question.accept]
        fields["feedback"] = [a.feedback for a in question.accept]
        fields["usecase"] = int(question.case_sensitive)
    elif question.type == "numerical":
        fields["answer"] = [_moodle_number(n)[0] for n in question.numbers]
        fields["tolerance"] = [_moodle_number(n)[1] for n in question.numbers]
        fields["fraction"] = [n.weight / 100 for n in question.numbers]
        fields["feedback"] = [n.feedback for n in question.numbers]
    elif question.type == "matching":
        # Moodle keeps a distractor as a subquestion with empty text; its place among them is not shown.
        fields["subquestions"] = [p.left for p in question.pairs] + [""] * len(question.distractors)
        fields["subanswers"] = [p.right for p in question.pairs] + list(question.distractors)
    return fields


def _moodle_number(number: NumericAnswer) -> tuple[float | str, float | str]:
    """Moodle's answer and tolerance: "*" and "" for any number, a range as its middle and half width."""
    if number.any_number:
        return "*", ""
    if number.min is not None and number.max is not None:
        return (number.min + number.max) / 2, (number.max - number.min) / 2
    return number.value if number.value is not None else 0.0, number.tolerance


def shown(text: str, fmt: int) -> str:
    return html_to_text(text) if fmt == FORMAT_HTML else text


def site_reading(expected: dict[str, Any]) -> dict[str, Any]:
    """Moodle's expected fields as the site holds them (see the module docstring)."""
    reading: dict[str, Any] = {}
    for key, value in expected.items():
        if key in NOT_COMPARED or key.endswith("format"):
            continue
        if key in ("questiontext", "generalfeedback"):
            value = shown(value, expected.get(f"{key}format", FORMAT_MOODLE))
        elif isinstance(value, tuple):  # a {text, format} of Moodle's
            value = shown(*value)
        elif isinstance(value, list):
            value = [shown(*v) if isinstance(v, tuple) else _number_or_text(v) for v in value]
        reading[key] = value
    return reading


def _number_or_text(value: Any) -> Any:
    """PHP compares '3' and 3 as equal, and Moodle's numerical answers are strings."""
    if isinstance(value, str) and value not in ("", "*"):
        try:
            return float(value)
        except ValueError:
            return value
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def compare(question: Question, expected: dict[str, Any]) -> None:
    want = site_reading(expected)
    have = {key: value for key, value in moodle_fields(question).items() if key in want}
    assert have == want


def read(gift: str) -> QuizImport:
    return parse_gift(gift, "moodle-test.gift")


# ------------------------------------------------------------------------------ test_import_* inputs

M, H, P, MD = FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN
BLANK_COMBINED = {"correctfeedback": ("", M), "partiallycorrectfeedback": ("", M), "incorrectfeedback": ("", M)}
BLANK_COMBINED_HTML = {key: ("", H) for key in BLANK_COMBINED}

IMPORTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "test_import_match",
        "\n// question: 2  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
        "    =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice\n"
        "    =[plain]A bank of record entries which participants can add to. -> Database\n"
        "    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "    = -> Chat\n}",
        {
            "name": "Moodle activities", "questiontext": "Match the <b>activity</b> to the description.",
            "questiontextformat": H, "generalfeedback": "", "generalfeedbackformat": H, "qtype": "match",
            "defaultmark": 1, "penalty": 0.3333333, "length": 1, "shuffleanswers": "1", **BLANK_COMBINED_HTML,
            "subquestions": [
                ("An activity supporting asynchronous discussions.", H),
                ("A teacher asks a question and specifies a choice of multiple responses.", M),
                ("A bank of record entries which participants can add to.", P),
                ("A collection of web pages that anyone can add to or edit.", MD),
                ("", H),
            ],
            "subanswers": ["Forum", "Choice", "Database", "Wiki", "Chat"],
        },
    ),
    (
        # Moodle runs this one for six answer numbering styles; the site letters answers itself.
        "test_import_multichoice",
        "\n// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum?\n{\n    =yellow # right; good!\n"
        "    ~red # [html]wrong, it's yellow\n    ~[plain]blue # wrong, it's yellow\n}",
        {
            "name": "Q2", "questiontext": "What's between orange and green in the spectrum?", "questiontextformat": M,
            "generalfeedback": "", "generalfeedbackformat": M, "qtype": "multichoice", "defaultmark": 1,
            "penalty": 0.3333333, "length": 1, "single": 1, "shuffleanswers": "1", "answernumbering": "abc",
            **BLANK_COMBINED,
            "answer": [("yellow", M), ("red", M), ("blue", P)],
            "fraction": [1, 0, 0],
            "feedback": [("right; good!", M), ("wrong, it's yellow", H), ("wrong, it's yellow", M)],
        },
    ),
    (
        "test_import_multichoice_multi",
        "\n// multiple choice, multiple response with specified feedback for right and wrong answers\n"
        "::colours:: What's between orange and green in the spectrum?\n{\n    ~%50%yellow # right; good!\n"
        "    ~%-100%red # [html]wrong\n    ~%50%off-beige # right; good!\n    ~%-100%[plain]blue # wrong\n}",
        {
            "name": "colours", "questiontext": "What's between orange and green in the spectrum?",
            "questiontextformat": M, "generalfeedback": "", "generalfeedbackformat": M, "qtype": "multichoice",
            "defaultmark": 1, "penalty": 0.3333333, "length": 1, "single": 0, "shuffleanswers": "1",
            "answernumbering": "abc", **BLANK_COMBINED,
            "answer": [("yellow", M), ("red", M), ("off-beige", M), ("blue", P)],
            "fraction": [0.5, -1, 0.5, -1],
            "feedback": [("right; good!", M), ("wrong", H), ("right; good!", M), ("wrong", M)],
        },
    ),
    (
        "test_import_multichoice_multi_tricky",
        "\n// multiple choice, multiple response with specified feedback for right and wrong answers\n"
        "::colours:: What's between orange and green in the spectrum?\n{\n    ~%100%yellow # right; good!\n"
        "    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}",
        {
            "name": "colours", "questiontext": "What's between orange and green in the spectrum?",
            "questiontextformat": M, "generalfeedback": "", "generalfeedbackformat": M, "qtype": "multichoice",
            "defaultmark": 1, "penalty": 0.3333333, "length": 1, "single": 0, "shuffleanswers": "1",
            "answernumbering": "abc", **BLANK_COMBINED,
            "answer": [("yellow", M), ("red", M), ("blue", M)],
            "fraction": [1, -0.5, -0.5],
            "feedback": [("right; good!", M), ("wrong", M), ("wrong", M)],
        },
    ),
    (
        "test_import_numerical",
        "\n// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}",
        {
            "name": "Q5", "questiontext": "What is a number from 1 to 5?", "questiontextformat": M,
            "generalfeedback": "", "generalfeedbackformat": M, "qtype": "numerical", "defaultmark": 1,
            "penalty": 0.3333333, "length": 1,
            "answer": ["3", "*"], "fraction": [1, 0], "feedback": [("", M), ("Completely wrong", M)],
            "tolerance": [2, ""],
        },
    ),
    (
        "test_import_shortanswer",
        "\n// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n    =%0%*#Completely wrong\n}",
        {
            "name": "Shortanswer", "questiontext": "Which is the best animal?", "questiontextformat": M,
            "generalfeedback": "", "generalfeedbackformat": M, "qtype": "shortanswer", "defaultmark": 1,
            "penalty": 0.3333333, "length": 1,
            "answer": ["Frog", "Cat", "*"], "fraction": [1, 0.5, 0],
            "feedback": [("Good!", M), ("What is it with Moodlers and cats?", M), ("Completely wrong", M)],
            "usecase": 0,  # not checked by Moodle's test: GIFT has no way to ask for case sensitivity
        },
    ),
    (
        "test_import_shortanswer_with_general_feedback",
        "\n// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n    =%0%*#Completely wrong\n"
        "    ####[html]Here is some general feedback!\n}",
        {
            "name": "Shortanswer", "questiontext": "Which is the best animal?", "questiontextformat": M,
            "generalfeedback": "Here is some general feedback!", "generalfeedbackformat": H, "qtype": "shortanswer",
            "defaultmark": 1, "penalty": 0.3333333, "length": 1,
            "answer": ["Frog", "Cat", "*"], "fraction": [1, 0.5, 0],
            "feedback": [("Good!", M), ("What is it with Moodlers and cats?", M), ("Completely wrong", M)],
        },
    ),
    (
        "test_import_truefalse",
        "\n// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}",
        {
            "name": "Q1", "questiontext": "42 is the Absolute Answer to everything.", "questiontextformat": M,
            "generalfeedback": "", "generalfeedbackformat": M, "qtype": "truefalse", "defaultmark": 1, "penalty": 1,
            "length": 1, "correctanswer": 0,
            "feedbacktrue": ("42 is the Ultimate Answer.", M), "feedbackfalse": ("You gave the right answer.", M),
        },
    ),
    (
        "test_import_truefalse_true_answer1",
        "// name 0-11\n::2-08 TSL::TSL is blablabla.{T}",
        {
            "name": "2-08 TSL", "questiontext": "TSL is blablabla.", "questiontextformat": M, "generalfeedback": "",
            "generalfeedbackformat": M, "qtype": "truefalse", "defaultmark": 1, "penalty": 1, "length": 1,
            "correctanswer": 1, "feedbacktrue": ("", M), "feedbackfalse": ("", M),
        },
    ),
    (
        "test_import_truefalse_true_answer2",
        "// name 0-11\n::2-08 TSL::TSL is blablabla.{TRUE}",
        {
            "name": "2-08 TSL", "questiontext": "TSL is blablabla.", "questiontextformat": M, "generalfeedback": "",
            "generalfeedbackformat": M, "qtype": "truefalse", "defaultmark": 1, "penalty": 1, "length": 1,
            "correctanswer": 1, "feedbacktrue": ("", M), "feedbackfalse": ("", M),
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("gift", "expected"), [i[1:] for i in IMPORTS], ids=[i[0] for i in IMPORTS])
def test_moodle_import_gives_the_question_moodle_expects(gift: str, expected: dict[str, Any]) -> None:
    result = read(gift)
    assert result.skipped == [] and result.warnings == []
    [question] = result.questions
    compare(question, expected)


# Moodle's essays: the site cannot give them, so they are skipped with their line. The text Moodle
# expects is checked all the same, on the question with a true/false answer block in place of {}.
ESSAYS: list[tuple[str, str, int, dict[str, Any]]] = [
    (
        "test_import_essay",
        "\n// essay\n::Q8:: How are you? {}",
        3,
        {"name": "Q8", "questiontext": "How are you?", "questiontextformat": M, "generalfeedback": ""},
    ),
    (
        # MDL-34171: \\ in GIFT is one backslash.
        "test_import_backslash",
        "\n// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}",
        3,
        {"name": "double backslash", "questiontext": "A \\ B \\\\ C", "questiontextformat": M},
    ),
    (
        "test_import_pre_content",
        "\n::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n    public void test() \\{\n"
        "        method1();\n        method2();\n        method3();\n    \\}\n</pre>\n{}",
        2,
        {
            "name": "Q001",
            "questiontext": "<p>What would running the test method print?</p>\n<pre>\n    public void test() {\n"
            "        method1();\n        method2();\n        method3();\n    }\n</pre>",
            "questiontextformat": H, "generalfeedback": "", "generalfeedbackformat": H,
        },
    ),
    (
        "test_import_question_with_tags",
        "\n// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n::Question name:: How are you? {}",
        4,
        {"name": "Question name", "questiontext": "How are you?", "tags": ["tag", "other-tag"], "idnumber": "myid"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("gift", "line", "expected"), [e[1:] for e in ESSAYS], ids=[e[0] for e in ESSAYS]
)  # fmt: skip
def test_moodle_essays_are_skipped_by_line_and_their_text_reads_as_moodle_expects(
    gift: str, line: int, expected: dict[str, Any]
) -> None:
    result = read(gift)
    assert result.questions == [] and result.warnings == []
    assert [(n, "essay" in why) for n, why in result.skipped] == [(line, True)]
    [question] = read(gift.replace("{}", "{T}")).questions
    compare(question, expected)


def test_moodle_pre_content_becomes_a_fenced_block_with_its_lines_and_indentation() -> None:
    gift = {e[0]: e[1] for e in ESSAYS}["test_import_pre_content"].replace("{}", "{T}")
    assert read(gift).questions[0].prompt == (
        "What would running the test method print?\n```\n    public void test() {\n        method1();\n"
        "        method2();\n        method3();\n    }\n```"
    )


# test_extract_idnumber_and_tags_from_comment: (case, idnumber, tags, comment). Moodle reads the
# comment text directly; here each of its lines is a comment line of a question ("// " is put before
# a line that does not start with "//", as Moodle only reads comment lines of a question).
COMMENTS: list[tuple[str, str, list[str], str]] = [
    ("blank comment", "", [], ""),
    ("nothing in comment", "", [], "// A basic comment."),
    ("idnumber only", "frog", [], "// A comment with [id:frog] <-- an idnumber."),
    ("tags only", "", ["frog", "toad"], "// Look tags: [tag:frog] [tag:toad]."),
    ("everything", "four", ["add", "basic"], "// [tag:add] [tag:basic] [id:four]"),
    (
        "everything mixed up", "four", ["basic", "add"],
        "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.",
    ),
    ("split over line", "", [], "// Ceci n\\'est pas une [tag:\n\\\\ frog]."),
    ("escape ] idnumber", "i]d", [], "// [id:i\\]d]."),
    ("escape ] tag", "", ["t]ag"], "// [tag:t\\]ag]."),
]  # fmt: skip


@pytest.mark.parametrize(("idnumber", "tags", "comment"), [c[1:] for c in COMMENTS], ids=[c[0] for c in COMMENTS])
def test_moodle_idnumbers_and_tags_come_from_the_comment_lines(idnumber: str, tags: list[str], comment: str) -> None:
    lines = [line if line.startswith("//") else f"// {line}" for line in comment.split("\n") if line]
    result = read("\n".join([*lines, "::Name::Q?{T}"]))
    [question] = result.questions
    assert list(question.tags) == tags
    if idnumber == "i]d":
        # The site's question ids are letters, digits, - and _ : this ID number cannot be one. A new id
        # is made and the file's line says so.
        assert question.id == "name"
        assert result.warnings == [(2, "[id:i]d] is not a valid question id; a new id is used")]
    else:
        assert question.id == (idnumber or "name")
        assert result.warnings == []


# ------------------------------------------------------------------------------ the fixture files

EXPECTED = {name: expected for name, _, expected in IMPORTS}
QUESTIONS_GIFT: list[tuple[int, dict[str, Any]]] = [  # (line, what Moodle's reader gives)
    (5, EXPECTED["test_import_match"]),
    (14, EXPECTED["test_import_multichoice"]),
    (22, EXPECTED["test_import_multichoice_multi"]),
    # The fixture has a stray '";' after the answer block: Moodle reads text after the block as a
    # missing-word question and puts _____ where the block was.
    (31, {**EXPECTED["test_import_numerical"], "questiontext": 'What is a number from 1 to 5? _____";'}),
    (34, EXPECTED["test_import_shortanswer"]),
    (
        41,
        {
            **EXPECTED["test_import_truefalse"],
            "questiontext": '42 is the Absolute Answer to everything._____";',
            "generalfeedback": "This is, of course, a Hitchiker's Guide to the Galaxy reference.",
        },
    ),
    (46, EXPECTED["test_import_truefalse_true_answer1"]),
    (49, EXPECTED["test_import_truefalse_true_answer2"]),
]

IN_CATEGORY: list[tuple[int, dict[str, Any]]] = [
    (
        5,
        {
            "name": "Moodle activities", "questiontext": "Match the activity to the description.",
            "questiontextformat": H, "qtype": "match", **BLANK_COMBINED_HTML,
            "subquestions": [
                ("An activity supporting asynchronous discussions.", H),
                ("A teacher asks a question and specifies a choice of multiple responses.", H),
                ("A bank of record entries which participants can add to.", H),
                ("A collection of web pages that anyone can add to or edit.", H),
                ("", H),
            ],
            "subanswers": ["Forum", "Choice", "Database", "Wiki", "Chat"],
        },
    ),
    (
        14,
        {
            "name": "Greeting", "qtype": "multichoice", "single": 1, "questiontextformat": H, **BLANK_COMBINED_HTML,
            "questiontext": '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:</a>'
            "<br /><br />What language is being spoken?",
            "answer": [("English", H), ("French", H), ("German", H), ("Spanish", H)],
            "fraction": [0, 1, 0, 0],
            "feedback": [("Sorry, listen again.", H), ("Yes, well done!", H), ("Sorry, listen again.", H),
                         ("Sorry, listen again.", H)],
        },
    ),
    (
        22,
        {
            "name": "Moodle user", "qtype": "shortanswer", "questiontext": "Anyone who uses Moodle is a ...",
            "questiontextformat": H, "answer": ["Moodler"], "fraction": [1], "feedback": [("", H)], "usecase": 0,
        },
    ),
    (
        27,
        {
            "name": "Moodle acronym", "qtype": "truefalse", "questiontextformat": H, "correctanswer": 1,
            "questiontext": 'Moodle is an acronym for <span style="font-style: italic;">Modular Object-Oriented '
            "Dynamic Learning Environment</span>.",
            "feedbacktrue": ("", H), "feedbackfalse": ("", H),
        },
    ),
]  # fmt: skip

FIXTURES = {"questions.gift.txt": (QUESTIONS_GIFT, [2]), "questions_in_category.gift.txt": (IN_CATEGORY, [])}


def read_moodle_fixture(name: str) -> QuizImport:
    return parse_gift((MOODLE_FIXTURES / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_moodle_fixture_files_import_as_moodle_reads_them(name: str) -> None:
    expected, essay_lines = FIXTURES[name]
    result = read_moodle_fixture(name)
    assert result.warnings == []
    assert [line for line, _ in result.skipped] == essay_lines
    assert all("essay" in why for _, why in result.skipped)
    assert len(result.questions) == len(expected)
    lines = (MOODLE_FIXTURES / name).read_text(encoding="utf-8").splitlines()
    for question, (line, fields) in zip(result.questions, expected, strict=True):
        assert lines[line - 1].startswith(f"::{fields['name']}::"), (line, fields["name"])
        compare(question, fields)


def test_the_category_fixture_gives_the_banks_category() -> None:
    assert read_moodle_fixture("questions_in_category.gift.txt").category == "$course$/Default for New Features"


def test_the_greeting_keeps_the_address_of_its_sound_as_text() -> None:
    greeting = read_moodle_fixture("questions_in_category.gift.txt").questions[1]
    assert greeting.prompt == (
        "Listen to this greeting: (http://demo.moodle.net/file.php/5/media/bonjour.mp3)\nWhat language is being spoken?"
    )


# ------------------------------------------------------------------------------ test_export_* outputs

# What Moodle's exporter writes (Moodle's expected GIFT) and the question it was written from.
EXPORTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "test_export_match",
        "// question: 666  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        '\t=<div class\\="frog">An activity supporting asynchronous discussions.</div> -> Forum\n'
        "\t=[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice\n"
        "\t=[plain]A bank of record entries which participants can add to. -> Database\n"
        "\t=[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "\t= -> Chat\n}\n\n",
        {
            "name": "Moodle activities", "questiontext": "Match the <b>activity</b> to the description.",
            "questiontextformat": H, "qtype": "match",
            "subquestions": [
                ('<div class="frog">An activity supporting asynchronous discussions.</div>', H),
                ("A teacher asks a question and specifies a choice of multiple responses.", M),
                ("A bank of record entries which participants can add to.", P),
                ("A collection of web pages that anyone can add to or edit.", MD),
                ("", MD),
            ],
            "subanswers": ["Forum", "Choice", "Database", "Wiki", "Chat"],
        },
    ),
    (
        "test_export_multichoice",
        "// question: 666  name: Q8\n::Q8::What's between orange and green in the spectrum?{\n"
        "\t=yellow#right; good!\n\t~red#[html]wrong, it's yellow\n\t~[plain]blue#wrong, it's yellow\n}\n\n",
        {
            "name": "Q8", "questiontext": "What's between orange and green in the spectrum?", "qtype": "multichoice",
            "single": 1, "answer": [("yellow", M), ("red", M), ("blue", P)], "fraction": [1, 0, 0],
            "feedback": [("right; good!", M), ("wrong, it's yellow", H), ("wrong, it's yellow", M)],
        },
    ),
    (
        "test_export_multichoice_multi_tricky",
        "// question: 666  name: Q8\n::Q8::What's between orange and green in the spectrum?{\n"
        "\t~%100%yellow#right; good!\n\t~%-50%red#wrong, it's yellow\n\t~%-50%blue#wrong, it's yellow\n}\n\n",
        {
            "name": "Q8", "qtype": "multichoice", "single": 0, "answer": [("yellow", M), ("red", M), ("blue", M)],
            "fraction": [1, -0.5, -0.5],
            "feedback": [("right; good!", M), ("wrong, it's yellow", M), ("wrong, it's yellow", M)],
        },
    ),
    (
        "test_export_numerical",
        "// question: 666  name: Q5\n::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2#\n\t~#Completely wrong\n}\n\n",
        {
            "name": "Q5", "questiontext": "What is a number from 1 to 5?", "qtype": "numerical",
            "answer": ["3", "*"], "tolerance": [2, ""], "fraction": [1, 0],
            "feedback": [("", M), ("Completely wrong", M)],
        },
    ),
    (
        "test_export_shortanswer",
        "// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "\t=%100%Frog#Good!\n\t=%50%Cat#What is it with Moodlers and cats?\n\t=%0%*#Completely wrong\n}\n\n",
        {
            "name": "Shortanswer", "qtype": "shortanswer", "answer": ["Frog", "Cat", "*"], "fraction": [1, 0.5, 0],
            "feedback": [("Good!", M), ("What is it with Moodlers and cats?", M), ("Completely wrong", M)],
            "generalfeedback": "",
        },
    ),
    (
        "test_export_shortanswer_with_general_feedback",
        "// question: 666  name: Shortanswer\n::Shortanswer::Which is the best animal?{\n"
        "\t=%100%Frog#Good!\n\t=%50%Cat#What is it with Moodlers and cats?\n\t=%0%*#Completely wrong\n"
        "\t####[html]Here is some general feedback!\n}\n\n",
        {
            "name": "Shortanswer", "qtype": "shortanswer", "answer": ["Frog", "Cat", "*"], "fraction": [1, 0.5, 0],
            "generalfeedback": "Here is some general feedback!", "generalfeedbackformat": H,
        },
    ),
    (
        "test_export_truefalse",
        "// question: 666  name: Q1\n::Q1::42 is the Absolute Answer to everything."
        "{TRUE#[html]42 is the Ultimate Answer.#You gave the right answer.}\n\n",
        {
            "name": "Q1", "qtype": "truefalse", "correctanswer": 1,
            "feedbacktrue": ("You gave the right answer.", M), "feedbackfalse": ("42 is the Ultimate Answer.", H),
        },
    ),
    (
        "test_export_question_with_tags_and_idnumber",
        "// question: 7  name: True/false question\n// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer.#This is the right answer."
        "####You should have selected true.}\n\n",
        {
            "name": "True/false question", "questiontext": "The answer is true.", "questiontextformat": H,
            "qtype": "truefalse", "correctanswer": 1, "idnumber": "myid", "tags": ["tag1", "tag2"],
            "feedbacktrue": ("This is the right answer.", H), "feedbackfalse": ("This is the wrong answer.", H),
            "generalfeedback": "You should have selected true.", "generalfeedbackformat": H,
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("gift", "expected"), [e[1:] for e in EXPORTS], ids=[e[0] for e in EXPORTS])
def test_what_moodle_exports_reads_back_as_the_question_it_came_from(gift: str, expected: dict[str, Any]) -> None:
    result = read(gift)
    assert result.skipped == [] and result.warnings == []
    [question] = result.questions
    compare(question, expected)
    # ... and our export of it means the same to Moodle and to the site.
    assert read(export_gift(Bank("b", "B", "", "instant", 70, (question,))).text).questions == [question]


def test_ids_and_tags_are_written_as_moodle_writes_them() -> None:
    gift = {e[0]: e[1] for e in EXPORTS}["test_export_question_with_tags_and_idnumber"]
    exported = export_gift(Bank("b", "B", "", "instant", 70, tuple(read(gift).questions))).text
    assert "\n// [id:myid] [tag:tag1] [tag:tag2]\n::True/false question::" in exported


def test_moodle_writes_backslashes_as_the_site_does() -> None:
    """test_export_backslash (an essay in Moodle): A \\ B \\\\ C is written A \\\\ B \\\\\\\\ C."""
    question = Question("backslash", "truefalse", "A \\ B \\\\ C", title="backslash", answer=True)
    exported = export_gift(Bank("b", "B", "", "instant", 70, (question,))).text
    assert "::backslash::A \\\\ B \\\\\\\\ C{" in exported
    assert read(exported).questions == [question]


# ------------------------------------------------------------------------------ export, then import again


def every_moodle_input() -> list[tuple[str, str]]:
    inputs = [(name, gift) for name, gift, _ in IMPORTS + EXPORTS]
    inputs += [(name, gift.replace("{}", "{T}")) for name, gift, _, _ in ESSAYS]
    inputs += [(name, (MOODLE_FIXTURES / name).read_text(encoding="utf-8")) for name in sorted(FIXTURES)]
    return inputs


@pytest.mark.parametrize(("name", "gift"), every_moodle_input(), ids=[n for n, _ in every_moodle_input()])
def test_export_then_import_gives_the_same_bank(tmp_path: Path, name: str, gift: str) -> None:
    first = read(gift)
    assert first.questions
    bank = first.to_bank("moodle", "Moodle")
    exported = export_gift(bank)
    assert exported.warnings == [] and exported.not_exported == []
    second = parse_gift(exported.text, "exported.gift")
    assert second.skipped == [] and second.warnings == []
    assert second.to_bank("moodle", "Moodle") == bank
    # Written as the site's TOML and loaded again: the same bank.
    path = tmp_path / "moodle.toml"
    path.write_text(bank_to_toml(bank), encoding="utf-8")
    loaded, problems = load_bank(path)
    assert problems == [], [str(p) for p in problems]
    assert loaded is not None and dataclasses.replace(loaded, file="") == bank
