"""Near-duplicate questions across banks and the option-length cue, on small made-up banks; and the
duplicate check's calibration on the banks the December 2026 content audit read."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.problems import ERROR, WARNING
from learning.cues import length_cue_problems, length_cue_summary, length_cues
from learning.duplicates import THRESHOLD, Duplicate, duplicate_problems, near_duplicates
from quizzes.loader import load_bank, load_banks
from quizzes.model import Bank

AUDIT_BANKS = Path(__file__).resolve().parent / "fixtures" / "audit-banks"


def bank(tmp_path: Path, bank_id: str, questions: str) -> Bank:
    path = tmp_path / f"{bank_id}.toml"
    path.write_text(f'id = "{bank_id}"\ntitle = "T"\nlesson = "l"\nfeedback = "end"\n\n{questions}', encoding="utf-8")
    loaded, problems = load_bank(path)
    assert problems == [] and loaded is not None, [str(p) for p in problems]
    return loaded


def single(qid: str, prompt: str, right: str, *wrong: str, extra: str = "") -> str:
    options = f'  [[questions.options]]\n  id = "a"\n  text = "{right}"\n  correct = true\n\n'
    options += "".join(
        f'  [[questions.options]]\n  id = "{chr(98 + i)}"\n  text = "{w}"\n\n' for i, w in enumerate(wrong)
    )
    return f'[[questions]]\nid = "{qid}"\ntype = "single"\nprompt = "{prompt}"\n{extra}\n{options}'


FILLER = [
    single("q02", "Which platform suits short public updates?", "Twitter", "A printed leaflet", "Fax"),
    single("q03", "What does a content calendar plan?", "Posts by date and theme", "Salaries", "Office rent"),
    single("q04", "Who answers webcare questions at night?", "Nobody: fixed hours are published", "The CEO", "A robot"),
]


@pytest.fixture
def two_banks(tmp_path: Path) -> tuple[Bank, Bank]:
    why = bank(
        tmp_path,
        "why",
        single(
            "q01",
            "Around 2010, 93 % of members of social media thought companies should be present there. "
            "What share thought companies should use social media to sell?",
            "About 1 %",
            "About 50 %",
            "About 85 %",
        )
        + "\n".join(FILLER),
    )
    organising = bank(
        tmp_path,
        "organising",
        single("q10", "Which roles does a hub-and-spoke team have?", "A central hub and experts in departments", "One")
        + single("q11", "How many hours of webcare does KLM staff a day?", "Around the clock, every day", "Two")
        + single(
            "q09",
            "In the Danish workshop's figures, 93 % of social media users thought companies should be present. "
            "What share wanted companies to sell to them there?",
            "1 %",
            "40 %",
            "93 %",
        ),
    )
    return why, organising


def test_a_duplicate_across_two_banks_is_an_error_naming_both_places(two_banks: tuple[Bank, Bank]) -> None:
    why, organising = two_banks
    found = near_duplicates((why, organising))
    assert [(d.first[0].id, d.question(d.first).id, d.second[0].id, d.question(d.second).id) for d in found] == [
        ("why", "q01", "organising", "q09")
    ]
    (problem,) = duplicate_problems(found)
    assert (problem.file, problem.line, problem.path, problem.severity) == (
        organising.file,
        organising.lines["questions[2]"],
        "questions[2]",
        ERROR,
    )
    assert f"near-duplicate of why/q01 at {why.file}:{why.lines['questions[0]']} (why/q01)" in problem.message


def test_variant_of_lets_a_deliberate_repeat_be(tmp_path: Path, two_banks: tuple[Bank, Bank]) -> None:
    why, _ = two_banks
    organising = bank(
        tmp_path,
        "organising",
        single(
            "q09",
            "In the Danish workshop's figures, 93 % of social media users thought companies should be present. "
            "What share wanted companies to sell to them there?",
            "1 %",
            "40 %",
            extra='variant_of = "why/q01"',
        ),
    )
    assert len(near_duplicates((why, organising))) == 1
    assert duplicate_problems(near_duplicates((why, organising))) == []


def test_questions_of_one_bank_are_not_compared(two_banks: tuple[Bank, Bank]) -> None:
    why, _ = two_banks
    assert near_duplicates((why,)) == []


# Each duplicate group of the content audit (section 2.3), by the question ids of the audited banks.
AUDIT_GROUPS = [
    {"why-social-media/q01", "organising-for-social/q09"},
    {"why-social-media/q07", "innovation-co-creation/q09"},
    {"why-social-media/q06", "measuring-what-matters/q05"},
    {"community-advocates/q10", "why-social-media/q11"},
    {"what-social-media-are/q06", "fun-quiz/q06", "fun-quiz/q07", "fun-quiz/q08"},
    {"what-social-media-are/q03", "fun-quiz/q09"},
    {"fun-quiz/q10", "four-ts-dos-donts/q15"},
    {"building-a-strategy/q06", "measuring-what-matters/q02"},
    {"listening-audience/q09", "innovation-co-creation/q06"},
    {"cases/q12", "organising-for-social/q10"},
    {"cases/q01", "four-stages/q09"},
    {"organising-for-social/q08", "four-stages/q12", "cases/q06", "conversation-webcare/q06"},
    {"community-advocates/q09", "four-ts-dos-donts/q10"},
    {"measuring-what-matters/q09", "cases/q10"},
    {"organising-for-social/q12", "cases/q07"},
    {"four-stages/q02", "organising-for-social/q01"},
    {"four-stages/q07", "innovation-co-creation/q01"},
    {"cases/q03", "innovation-co-creation/q02"},
    {"conversation-webcare/q10", "policy-governance/q11"},
    {"four-ts-dos-donts/q09", "content-attention/q10"},
]


def _name(which: tuple[Bank, int]) -> str:
    return f"{which[0].id}/{which[0].questions[which[1]].id}"


def test_calibration_every_audit_group_is_found_with_few_other_pairs() -> None:
    banks, problems = load_banks(AUDIT_BANKS)
    assert problems == [] and len(banks) == 15
    found = near_duplicates(banks)
    edges = {frozenset((_name(d.first), _name(d.second))) for d in found}

    def connected(group: set[str]) -> bool:
        members = sorted(group)
        reached, todo = {members[0]}, [members[0]]
        while todo:
            current = todo.pop()
            for other in members:
                if other not in reached and frozenset((current, other)) in edges:
                    reached.add(other)
                    todo.append(other)
        return reached == group

    assert [sorted(g) for g in AUDIT_GROUPS if not connected(g)] == []
    others = [d for d in found if not any({_name(d.first), _name(d.second)} <= g for g in AUDIT_GROUPS)]
    assert len(others) <= 19, "\n".join(f"{d.similarity:.2f} {d.where(d.first)} {d.where(d.second)}" for d in others)
    assert all(isinstance(d, Duplicate) and d.similarity >= THRESHOLD for d in found)


# ------------------------------------------------------------------------------------ option length


def cue_bank(tmp_path: Path, bank_id: str, longest: int, other: int) -> Bank:
    """`longest` single-choice questions whose right option is the longest, `other` where it is not."""
    questions = [
        single(f"q{n:02d}", f"Question {n}?", "The right answer, written out at length", "Short", "Shorter")
        for n in range(1, longest + 1)
    ]
    questions += [
        single(f"q{n:02d}", f"Question {n}?", "Right", "A wrong answer written out at great length", "No")
        for n in range(longest + 1, longest + other + 1)
    ]
    return bank(tmp_path, bank_id, "\n".join(questions))


def test_the_right_option_the_longest_too_often_is_a_bank_warning_and_a_course_error(tmp_path: Path) -> None:
    cued = cue_bank(tmp_path, "cued", 3, 2)  # 60 %
    fair = cue_bank(tmp_path, "fair", 1, 4)  # 20 %
    per_bank, course = length_cues((cued, fair))
    assert [(c.bank.id if c.bank else "", c.longest, c.single) for c in per_bank] == [("cued", 3, 5), ("fair", 1, 5)]
    assert (course.longest, course.single, course.percent) == (4, 10, 40.0)
    problems = length_cue_problems((cued, fair))
    assert [(p.file, p.path, p.severity) for p in problems] == [(cued.file, "questions", WARNING)]
    assert (
        "the right option is the longest in 3 of 5 single-choice questions (60 %, at most 40 %)" in problems[0].message
    )

    worse = cue_bank(tmp_path, "worse", 4, 1)
    problems = length_cue_problems((cued, fair, worse), "quizzes/bank")
    assert [(p.file, p.severity) for p in problems] == [
        (cued.file, WARNING),
        (worse.file, WARNING),
        ("quizzes/bank", ERROR),
    ]
    assert "over the whole course the right option is the longest in 8 of 15" in problems[-1].message
    assert "(53 %, limit 40 %); written first in 15 (100 %)" in length_cue_summary((cued, fair, worse))


def test_a_tie_for_longest_is_no_cue(tmp_path: Path) -> None:
    tie = bank(tmp_path, "tie", single("q01", "Q?", "Same length!", "Same length?", "No"))
    assert length_cues((tie,))[1].longest == 0
