"""Near-duplicate questions across banks (docs/content-format.md, "Deliberate repeats").

Two questions of different banks are near-duplicates when they ask the same fact with the same
answer. Wording differs between copies ("Choose all that apply", "In the Danish workshop's
figures"), and a fact is often asked once as a question and once as one row of a matching
question, so the comparison is on the words that carry the fact:

- each question is read as one text: prompt, right answer (the right options; the items in order;
  every matching pair; the accepted answers) and explanation. A matching question also gives
  each pair ("left right") as a text of its own;
- a text becomes its set of content words: folded to lower case without accents, stop words
  dropped, a crude plural/-ing/-ed stem;
- words about the course rather than a fact ("stage", "maturity model", "Danish workshop") are
  stop words too;
- each word weighs its inverse document frequency over all questions of the course,
  log(1 + N / df), numbers twice as much (a figure such as "93" or "14" is the fact itself), so
  words every question uses ("social", "media") count for little;
- the similarity of two questions is the highest weighted Dice coefficient,
  2 |A ∩ B| / (|A| + |B|), over their texts; a text that weighs less than MIN_WEIGHT (a bare
  "Crawl | Fly" pair) is not compared.

A pair at or above THRESHOLD is an ERROR at the later question (in file order), unless either
declares `variant_of = "<bank id>/<question id>"` naming the other. THRESHOLD is calibrated on the
banks as the content audit of December 2026 found them (a copy is kept in
tests/learning/fixtures/audit-banks): there it finds every one of the audit's 20 duplicate groups
(23 of the 24 pairs it names, the last group member through the other copies) and flags 19 other
pairs, most of them further copies of one fact (ING's team size three times, KLM's response
times, Pepsi's "ads to apps", the fly stage) or questions on one list from two sides. The lowest
audit pair scores 0.321: lowering the threshold finds more true copies and more false ones.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from content.problems import Problem
from content.toml_lines import line_for
from quizzes.grading import right_answers
from quizzes.model import Bank, Question

THRESHOLD = 0.32
MIN_WEIGHT = 10.0
NUMBER_WEIGHT = 2.0
_STOP_WORDS = frozenset(
    """a an the and or of to in on at for by with from as is are was were be been being it its this that these
    those which what who whom how why when where do does did done not no yes true false than then so such can
    could should would will shall may might must have has had you your yours we our us they their them he his
    she her i my me one all any each more most other some into about after before over under up out if but
    only also very just there here s t choose apply""".split()  # noqa: SIM905 - a word list reads better
) | frozenset(
    # Words about the course rather than a fact: "Match each stage to the practice the maturity model
    # places there", "In the Danish workshop's slides".
    """stage stages model maturity place places placed match order put practice practices course workshop
    workshops danish dutch slide slides""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Duplicate:
    first: tuple[Bank, int]  # a bank and the index of its question
    second: tuple[Bank, int]
    similarity: float

    def question(self, which: tuple[Bank, int]) -> Question:
        return which[0].questions[which[1]]

    def where(self, which: tuple[Bank, int]) -> str:
        bank, index = which
        line = line_for(bank.lines, f"questions[{index}]")
        return f"{bank.file}:{line} ({bank.id}/{bank.questions[index].id})"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(_fold(text)) if w not in _STOP_WORDS)


def question_texts(question: Question) -> list[str]:
    """What a question says: prompt, right answer and explanation; and each matching pair alone."""
    if question.type in ("single", "multiple"):
        right = " ".join(o.text for o in question.options if o.correct)
    elif question.type == "ordering":
        right = " ".join(i.text for i in question.items)
    elif question.type == "matching":
        right = " ".join(f"{p.left} {p.right}" for p in question.pairs)
    elif question.type == "short":
        right = " ".join(right_answers(question))  # as typed: patterns such as "C*t" say nothing
    else:
        right = ""
    texts = [f"{question.prompt} {right} {question.explanation}"]
    if question.type == "matching":
        texts += [f"{p.left} {p.right}" for p in question.pairs]
    return texts


class Similarity:
    """Word weights from a whole course, and the similarity of two of its questions."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self.texts = {id(q): [content_words(t) for t in question_texts(q)] for q in questions}
        frequency: dict[str, int] = {}
        for texts in self.texts.values():
            for word in frozenset().union(*texts):
                frequency[word] = frequency.get(word, 0) + 1
        count = max(1, len(self.texts))
        self.weights = {
            word: math.log(1 + count / found) * (NUMBER_WEIGHT if word.isdigit() else 1.0)
            for word, found in frequency.items()
        }

    def weight(self, words: frozenset[str]) -> float:
        return sum(self.weights.get(word, 0.0) for word in words)

    def __call__(self, first: Question, second: Question) -> float:
        best = 0.0
        for one in self.texts[id(first)]:
            for other in self.texts[id(second)]:
                one_weight, other_weight = self.weight(one), self.weight(other)
                if min(one_weight, other_weight) < MIN_WEIGHT:
                    continue
                best = max(best, 2 * self.weight(one & other) / (one_weight + other_weight))
        return best


def near_duplicates(banks: tuple[Bank, ...], threshold: float = THRESHOLD) -> list[Duplicate]:
    """Every pair of questions of different banks at or above the threshold, most similar first."""
    entries = [(bank, index) for bank in banks for index in range(len(bank.questions))]
    similarity = Similarity(bank.questions[index] for bank, index in entries)
    found = []
    for position, first in enumerate(entries):
        for second in entries[position + 1 :]:
            if first[0] is second[0]:
                continue
            score = similarity(first[0].questions[first[1]], second[0].questions[second[1]])
            if score >= threshold:
                found.append(Duplicate(first, second, score))
    return sorted(found, key=lambda d: -d.similarity)


def _names(bank: Bank, question: Question) -> str:
    return f"{bank.id}/{question.id}"


def duplicate_problems(duplicates: list[Duplicate]) -> list[Problem]:
    problems = []
    for duplicate in duplicates:
        first, second = duplicate.question(duplicate.first), duplicate.question(duplicate.second)
        first_name, second_name = _names(duplicate.first[0], first), _names(duplicate.second[0], second)
        if second.variant_of == first_name or first.variant_of == second_name:
            continue
        bank, index = duplicate.second
        path = f"questions[{index}]"
        message = (
            f"near-duplicate of {first_name} at {duplicate.where(duplicate.first)} "
            f"(similarity {duplicate.similarity:.2f}): keep one home per concept, or make this a real variant "
            f'(a different angle on the fact) and declare variant_of = "{first_name}"'
        )
        problems.append(Problem(bank.file, line_for(bank.lines, path), path, message))
    return problems
