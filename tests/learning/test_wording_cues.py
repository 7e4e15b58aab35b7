"""The wording cue and the true/false balance (learning/cues.py), on small made-up banks: absolute
words and tacked-on reasons in wrong options but not in right ones, and a key that leans one way
(review of the reworked banks, findings A1 and A2). Both are warnings, never errors."""

from __future__ import annotations

from pathlib import Path

from content.problems import WARNING
from content.toml_lines import line_for
from learning.cues import (
    MIN_TRUEFALSE,
    cue_words,
    guesser_score,
    truefalse_balances,
    wording_cue_problems,
    wording_cue_summary,
    wording_cues,
)
from quizzes.model import Bank
from tests.learning.test_duplicates_and_cues import bank, single


def test_cue_words_are_absolutes_and_reasons_as_words() -> None:
    assert cue_words("Always answer, so that nobody waits") == ["always", "so that", "nobody"]
    assert cue_words("Every post, because   it helps; ONLY then") == ["every", "because", "only"]
    assert cue_words("Not only the webcare team answers") == []  # "not only" is no absolute
    assert cue_words("Allow overall tallies; a mustard nevertheless") == []  # whole words only


def truefalse(qid: str, answer: bool) -> str:
    key = str(answer).lower()
    return f'[[questions]]\nid = "{qid}"\ntype = "truefalse"\nprompt = "Statement {qid}."\nanswer = {key}\n'


def cued_bank(tmp_path: Path, bank_id: str, cued_wrong: int, plain: int, *extra: str) -> Bank:
    """`cued_wrong` questions whose two wrong options carry a cue word, `plain` questions without any."""
    questions = [
        single(f"q{n:02d}", f"Question {n}?", "Answer when you can", "Always answer at once", "Never answer")
        for n in range(1, cued_wrong + 1)
    ]
    questions += [
        single(f"q{n:02d}", f"Question {n}?", "Post tips", "Post prices", "Post jokes")
        for n in range(cued_wrong + 1, cued_wrong + plain + 1)
    ]
    return bank(tmp_path, bank_id, "\n".join([*questions, *extra]))


def test_wrong_options_that_carry_the_words_are_a_bank_warning(tmp_path: Path) -> None:
    cued = cued_bank(tmp_path, "cued", 2, 3)  # 4 of 10 wrong options, none of 5 right ones
    (cue,) = wording_cues((cued,))[0]
    assert (cue.wrong_cued, cue.wrong, cue.right_cued, cue.right) == (4, 10, 0, 5)
    (problem,) = wording_cue_problems((cued,))
    assert (problem.file, problem.line, problem.path, problem.severity) == (
        cued.file,
        line_for(cued.lines, "questions"),
        "questions",
        WARNING,
    )
    assert problem.line is not None and str(problem).startswith(f"{cued.file}:{problem.line}: questions: warning: ")
    assert "in 4 of 10 wrong options (40 %) but 0 of 5 right ones (0 %)" in problem.message


def test_a_key_that_carries_them_as_often_is_no_cue(tmp_path: Path) -> None:
    # The right options say "only" and "so that" too: 2 of 5 right, 4 of 10 wrong, the same rate.
    balanced = bank(
        tmp_path,
        "balanced",
        "\n".join(
            [
                single("q01", "Q1?", "Answer only in office hours", "Always answer", "Never answer"),
                single("q02", "Q2?", "Publish hours, so that people know", "Every hour", "Nobody answers"),
                single("q03", "Q3?", "Post tips", "Post prices", "Post jokes"),
                single("q04", "Q4?", "Post tips", "Post prices", "Post jokes"),
                single("q05", "Q5?", "Post tips", "Post prices", "Post jokes"),
            ]
        ),
    )
    assert wording_cue_problems((balanced,)) == []


def test_two_cued_options_or_a_small_gap_are_chance(tmp_path: Path) -> None:
    two = cued_bank(tmp_path, "two", 1, 4)  # 2 of 10 wrong options: fewer than 3
    assert wording_cue_problems((two,)) == []
    # 3 of 40 wrong options (8 %) against none of 20 right ones: more than twice, but not 10 points.
    sparse = bank(
        tmp_path,
        "sparse",
        "\n".join(
            [
                single("q01", "Q1?", "Answer when you can", "Always answer", "Never answer", "Reply later"),
                single("q02", "Q2?", "Answer when you can", "Only on Monday", "Reply later", "Reply soon"),
                *(single(f"q{n:02d}", f"Q{n}?", "Tips", "Prices", "Jokes") for n in range(3, 21)),
            ]
        ),
    )
    (cue,) = wording_cues((sparse,))[0]
    assert (cue.wrong_cued, cue.wrong, cue.right_cued) == (3, 42, 0)
    assert wording_cue_problems((sparse,)) == []


def test_multiple_choice_options_count_too(tmp_path: Path) -> None:
    multiple = bank(
        tmp_path,
        "multiple",
        '[[questions]]\nid = "q01"\ntype = "multiple"\nprompt = "Which help?"\n\n'
        + "".join(
            f'  [[questions.options]]\n  id = "{i}"\n  text = "{t}"\n  correct = {str(c).lower()}\n\n'
            for i, t, c in [
                ("a", "Listening", True),
                ("b", "A calendar", True),
                ("c", "Posting always", False),
                ("d", "Only ads", False),
                ("e", "Every channel at once", False),
            ]
        ),
    )
    (cue,) = wording_cues((multiple,))[0]
    assert (cue.right_cued, cue.right, cue.wrong_cued, cue.wrong) == (0, 2, 3, 3)
    assert [p.severity for p in wording_cue_problems((multiple,))] == [WARNING]


def test_a_guesser_who_drops_cued_options(tmp_path: Path) -> None:
    questions = list(cued_bank(tmp_path, "g", 2, 2).questions)
    # Two questions where dropping the cued options leaves the key alone (1 each), two at 1/3.
    cued, blind = guesser_score(questions)
    assert round(cued, 1) == round(100 * (1 + 1 + 1 / 3 + 1 / 3) / 4, 1)
    assert round(blind, 1) == round(100 / 3, 1)
    # Every option cued: the guesser drops nothing.
    all_cued = bank(tmp_path, "all", single("q01", "Q?", "Always A", "Always B", "Never C"))
    assert round(guesser_score(list(all_cued.questions))[0], 1) == round(100 / 3, 1)


def test_a_truefalse_key_that_leans_one_way_is_a_course_warning(tmp_path: Path) -> None:
    leaning = bank(
        tmp_path, "leaning", "\n".join(truefalse(f"q{n:02d}", n == 1) for n in range(1, 6))
    )  # 1 true, 4 false
    other = cued_bank(tmp_path, "other", 0, 2)
    per_bank, course = truefalse_balances((leaning, other))
    assert [(b.bank.id if b.bank else "", b.true, b.false) for b in per_bank] == [("leaning", 1, 4)]
    assert (course.true, course.false, course.larger_percent) == (1, 4, 80.0)
    (problem,) = wording_cue_problems((leaning, other), "quizzes/bank")
    assert (problem.file, problem.line, problem.severity) == ("quizzes/bank", None, WARNING)
    assert "4 of 5 true/false questions have the answer false (80 %, at most 70 %)" in problem.message
    summary = wording_cue_summary((leaning, other))
    assert "True/false keys: 1 true, 4 false" in summary
    assert "  leaning: true/false 1 true, 4 false" in summary


def test_a_balanced_or_small_truefalse_set_is_fine(tmp_path: Path) -> None:
    balanced = bank(tmp_path, "balanced", "\n".join(truefalse(f"q{n:02d}", n <= 2) for n in range(1, 6)))  # 2 to 3
    assert wording_cue_problems((balanced,)) == []
    few = bank(tmp_path, "few", "\n".join(truefalse(f"q{n:02d}", False) for n in range(1, MIN_TRUEFALSE)))
    assert wording_cue_problems((few,)) == []


def test_the_summary_prints_per_bank_and_course_figures(tmp_path: Path) -> None:
    cued = cued_bank(tmp_path, "cued", 2, 3)
    fair = cued_bank(tmp_path, "fair", 0, 5)
    summary = wording_cue_summary((cued, fair))
    assert summary.startswith("Absolute words or reasons in 4 of 20 wrong options (20 %) and 0 of 10 right ones (0 %)")
    assert "  cued: wrong 4/10 (40 %), right 0/5 (0 %)" in summary
    assert "  fair: wrong 0/10 (0 %), right 0/5 (0 %)" in summary
    assert "A guesser who drops the options carrying them scores" in summary
