"""Option length is no cue (docs/content-format.md).

In a single-choice question the right option should not stand out as the longest: a participant
who picks the longest option should not pass. Counted over the single-choice questions, the right
option may be the strictly longest (in characters) in at most LIMIT_PERCENT of them: above that a
bank gets a WARNING, and the whole course above it an ERROR. Which option is written first is
reported too (GIFT export keeps the written order), not checked.

Wording is no cue either (review of the reworked banks, finding A1 and A2). Absolute words
("always", "only", "never", ...) and tacked-on reasons ("so that", "because") that sit in wrong
options far more often than in right ones let a guesser drop options: a bank whose wrong options
carry them at more than RATE_FACTOR times the rate of its right options, in at least MIN_WRONG
options, gets a WARNING. A course whose true/false keys lean one way in more than
TRUEFALSE_LIMIT_PERCENT of its questions gets a WARNING. Both are warnings only: they point a
writer at a habit, they do not make a bank unusable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.problems import WARNING, Problem
from content.toml_lines import line_for
from quizzes.model import Bank, Question

LIMIT_PERCENT = 40.0


def right_is_longest(question: Question) -> bool:
    right = [len(o.text) for o in question.options if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    return bool(right) and bool(wrong) and max(right) > max(wrong)


def right_is_first(question: Question) -> bool:
    return bool(question.options) and question.options[0].correct


@dataclass(frozen=True)
class LengthCue:
    bank: Bank | None  # None: the whole course
    single: int  # single-choice questions
    longest: int  # of which the right option is the longest
    first: int  # of which the right option is written first

    @property
    def percent(self) -> float:
        return 100.0 * self.longest / self.single if self.single else 0.0

    @property
    def first_percent(self) -> float:
        return 100.0 * self.first / self.single if self.single else 0.0


def _cue(bank: Bank | None, questions: list[Question]) -> LengthCue:
    single = [q for q in questions if q.type == "single"]
    return LengthCue(
        bank, len(single), sum(right_is_longest(q) for q in single), sum(right_is_first(q) for q in single)
    )


def length_cues(banks: tuple[Bank, ...]) -> tuple[list[LengthCue], LengthCue]:
    """Per bank (banks without single-choice questions left out) and for the whole course."""
    per_bank = [_cue(bank, list(bank.questions)) for bank in banks]
    course = _cue(None, [q for bank in banks for q in bank.questions])
    return [cue for cue in per_bank if cue.single], course


def length_cue_problems(banks: tuple[Bank, ...], course_file: str = "quizzes/bank") -> list[Problem]:
    per_bank, course = length_cues(banks)
    problems = []
    for cue in per_bank:
        if cue.percent > LIMIT_PERCENT and cue.bank is not None:
            message = (
                f"the right option is the longest in {cue.longest} of {cue.single} single-choice questions "
                f"({cue.percent:.0f} %, at most {LIMIT_PERCENT:.0f} %): length gives the answer away"
            )
            problems.append(
                Problem(cue.bank.file, line_for(cue.bank.lines, "questions"), "questions", message, WARNING)
            )
    if course.percent > LIMIT_PERCENT:
        message = (
            f"over the whole course the right option is the longest in {course.longest} of {course.single} "
            f"single-choice questions ({course.percent:.0f} %, at most {LIMIT_PERCENT:.0f} %)"
        )
        problems.append(Problem(course_file, None, "", message))
    return problems


def length_cue_summary(banks: tuple[Bank, ...]) -> str:
    per_bank, course = length_cues(banks)
    lines = [
        f"Right option the longest in {course.longest} of {course.single} single-choice questions "
        f"({course.percent:.0f} %, limit {LIMIT_PERCENT:.0f} %); written first in {course.first} "
        f"({course.first_percent:.0f} %)."
    ]
    lines += [
        f"  {cue.bank.id}: longest {cue.longest}/{cue.single} ({cue.percent:.0f} %), first {cue.first}/{cue.single}"
        for cue in per_bank
        if cue.bank is not None
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------ wording cue

# Words that make a distractor easy to drop: absolutes, and a reason tacked on to make a wrong option
# sound plausible (review of the reworked banks, finding A1). "not only" is no absolute.
ABSOLUTE_WORDS = (
    "always",
    "never",
    "only",
    "every",
    "everyone",
    "everything",
    "all",
    "none",
    "nothing",
    "nobody",
    "must",
)
REASON_PHRASES = ("so that", "because")
_CUE = re.compile(
    r"\b(?:" + "|".join(ABSOLUTE_WORDS + tuple(p.replace(" ", r"\s+") for p in REASON_PHRASES)) + r")\b", re.IGNORECASE
)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", re.IGNORECASE)
# A bank gets a warning when its wrong options carry cue words at more than RATE_FACTOR times the rate
# of its right options, in at least MIN_WRONG options (one or two are chance in a small bank), and at
# least MIN_GAP_POINTS percentage points more often (3 of 30 wrong options against none of 14 right
# ones gives a guesser little).
RATE_FACTOR = 2.0
MIN_WRONG = 3
MIN_GAP_POINTS = 10.0
# True/false: a warning for the course when one answer is the key of more than this share of the
# true/false questions, counted from MIN_TRUEFALSE questions on.
TRUEFALSE_LIMIT_PERCENT = 70.0
MIN_TRUEFALSE = 5


def cue_words(text: str) -> list[str]:
    """The absolute words and reason phrases in a text, lower case ("not only" left out)."""
    return [" ".join(found.lower().split()) for found in _CUE.findall(_NOT_ONLY.sub(" ", text))]


@dataclass(frozen=True)
class WordingCue:
    bank: Bank | None  # None: the whole course
    right: int  # right options of single- and multiple-choice questions
    right_cued: int  # of which carry a cue word
    wrong: int
    wrong_cued: int

    @property
    def right_percent(self) -> float:
        return 100.0 * self.right_cued / self.right if self.right else 0.0

    @property
    def wrong_percent(self) -> float:
        return 100.0 * self.wrong_cued / self.wrong if self.wrong else 0.0

    @property
    def cued(self) -> bool:
        """Wrong options carry cue words in at least MIN_WRONG options, at more than RATE_FACTOR times the
        rate of right ones and at least MIN_GAP_POINTS points more often."""
        return (
            self.wrong_cued >= MIN_WRONG
            and self.wrong_percent > RATE_FACTOR * self.right_percent
            and self.wrong_percent - self.right_percent >= MIN_GAP_POINTS
        )


def _wording(bank: Bank | None, questions: list[Question]) -> WordingCue:
    options = [o for q in questions if q.type in ("single", "multiple") for o in q.options]
    right = [o for o in options if o.correct]
    wrong = [o for o in options if not o.correct]
    return WordingCue(
        bank,
        len(right),
        sum(bool(cue_words(o.text)) for o in right),
        len(wrong),
        sum(bool(cue_words(o.text)) for o in wrong),
    )


def wording_cues(banks: tuple[Bank, ...]) -> tuple[list[WordingCue], WordingCue]:
    """Per bank (banks without single- or multiple-choice questions left out) and for the whole course."""
    per_bank = [_wording(bank, list(bank.questions)) for bank in banks]
    course = _wording(None, [q for bank in banks for q in bank.questions])
    return [cue for cue in per_bank if cue.right or cue.wrong], course


def guesser_score(questions: list[Question]) -> tuple[float, float]:
    """Expected percent score on the single-choice questions of a guesser who drops every option that
    carries a cue word (unless all do) and picks at random among the rest; and of a blind guesser."""
    single = [q for q in questions if q.type == "single" and q.options]
    if not single:
        return 0.0, 0.0
    cued_total = blind_total = 0.0
    for question in single:
        kept = [o for o in question.options if not cue_words(o.text)] or list(question.options)
        cued_total += sum(o.correct for o in kept) / len(kept)
        blind_total += sum(o.correct for o in question.options) / len(question.options)
    return 100.0 * cued_total / len(single), 100.0 * blind_total / len(single)


@dataclass(frozen=True)
class TrueFalseBalance:
    bank: Bank | None  # None: the whole course
    true: int  # true/false questions whose answer is true
    false: int

    @property
    def total(self) -> int:
        return self.true + self.false

    @property
    def larger_percent(self) -> float:
        return 100.0 * max(self.true, self.false) / self.total if self.total else 0.0


def _balance(bank: Bank | None, questions: list[Question]) -> TrueFalseBalance:
    keys = [q.answer for q in questions if q.type == "truefalse"]
    return TrueFalseBalance(bank, sum(k is True for k in keys), sum(k is False for k in keys))


def truefalse_balances(banks: tuple[Bank, ...]) -> tuple[list[TrueFalseBalance], TrueFalseBalance]:
    per_bank = [_balance(bank, list(bank.questions)) for bank in banks]
    course = _balance(None, [q for bank in banks for q in bank.questions])
    return [b for b in per_bank if b.total], course


def wording_cue_problems(banks: tuple[Bank, ...], course_file: str = "quizzes/bank") -> list[Problem]:
    """WARNINGS only: a bank whose wrong options carry the cue words, and a lopsided true/false key."""
    per_bank, _ = wording_cues(banks)
    problems = []
    for cue in per_bank:
        if cue.cued and cue.bank is not None:
            message = (
                f"absolute words or tacked-on reasons ({', '.join(ABSOLUTE_WORDS[:4])}, ..., so that, because) in "
                f"{cue.wrong_cued} of {cue.wrong} wrong options ({cue.wrong_percent:.0f} %) but {cue.right_cued} of "
                f"{cue.right} right ones ({cue.right_percent:.0f} %): a guesser can drop the options that carry them"
            )
            problems.append(
                Problem(cue.bank.file, line_for(cue.bank.lines, "questions"), "questions", message, WARNING)
            )
    _, course = truefalse_balances(banks)
    if course.total >= MIN_TRUEFALSE and course.larger_percent > TRUEFALSE_LIMIT_PERCENT:
        answer = "true" if course.true > course.false else "false"
        message = (
            f"{max(course.true, course.false)} of {course.total} true/false questions have the answer {answer} "
            f"({course.larger_percent:.0f} %, at most {TRUEFALSE_LIMIT_PERCENT:.0f} %): "
            f'"answer {answer}" wins without reading'
        )
        problems.append(Problem(course_file, None, "", message, WARNING))
    return problems


def wording_cue_summary(banks: tuple[Bank, ...]) -> str:
    per_bank, course = wording_cues(banks)
    tf_banks, tf_course = truefalse_balances(banks)
    tf = {b.bank.id: b for b in tf_banks if b.bank is not None}
    cued_score, blind_score = guesser_score([q for bank in banks for q in bank.questions])
    lines = [
        f"Absolute words or reasons in {course.wrong_cued} of {course.wrong} wrong options "
        f"({course.wrong_percent:.0f} %) and {course.right_cued} of {course.right} right ones "
        f"({course.right_percent:.0f} %) of single and multiple choice (a bank warning above {RATE_FACTOR:.0f}x the "
        f"right rate, {MIN_GAP_POINTS:.0f} points more and from {MIN_WRONG} options).",
        f"A guesser who drops the options carrying them scores {cued_score:.0f} % on single choice "
        f"(blind {blind_score:.0f} %).",
        f"True/false keys: {tf_course.true} true, {tf_course.false} false "
        f"(a course warning above {TRUEFALSE_LIMIT_PERCENT:.0f} % one way).",
    ]
    for cue in per_bank:
        if cue.bank is None:
            continue
        line = (
            f"  {cue.bank.id}: wrong {cue.wrong_cued}/{cue.wrong} ({cue.wrong_percent:.0f} %), "
            f"right {cue.right_cued}/{cue.right} ({cue.right_percent:.0f} %)"
        )
        if cue.bank.id in tf:
            line += f"; true/false {tf[cue.bank.id].true} true, {tf[cue.bank.id].false} false"
        lines.append(line)
    shown = {cue.bank.id for cue in per_bank if cue.bank is not None}
    lines += [
        f"  {b.bank.id}: true/false {b.true} true, {b.false} false"  # banks with true/false questions only
        for b in tf_banks
        if b.bank is not None and b.bank.id not in shown
    ]
    return "\n".join(lines)
