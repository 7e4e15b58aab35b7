"""Rules on answers the grading tries in order, and on tags, run by `python -m learning check`.

Short answers and numbers are tried in the order written and the first that matches counts
(quizzes.grading, Moodle's rule). So an answer that an earlier one always matches first can never
count: an error, since its weight and feedback would never be seen. A catch-all ("*", any_number)
at full credit makes the question impossible to get wrong, and one at no credit without feedback
changes nothing: warnings. Tags filter a bank, so two tags that differ only in case or spaces
("Webcare", "webcare ") split a filter in two: a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from content.problems import ERROR, WARNING, Problem
from content.toml_lines import line_for
from quizzes.grading import is_wildcard, short_match
from quizzes.model import Bank, NumericAnswer, Question, ShortAnswer


def answer_problems(banks: Iterable[Bank]) -> list[Problem]:
    problems: list[Problem] = []
    for bank in banks:
        for index, question in enumerate(bank.questions):
            path = f"questions[{index}]"
            for key, message, severity in [*_short_problems(question), *_number_problems(question)]:
                where = f"{path}.{key}"
                problems.append(Problem(bank.file, line_for(bank.lines, where), where, message, severity))
    return problems


def _short_problems(question: Question) -> list[tuple[str, str, str]]:
    found = []
    for position, answer in enumerate(question.accept):
        key = f"accept[{position}]"
        earlier = question.accept[:position]
        catch_all = answer.text.strip() == "*"
        # A plain text: the earlier pattern that matches it; a pattern: only a catch-all surely does.
        if not is_wildcard(answer.text) or catch_all:
            shadow = short_match(replace(question, accept=earlier), _typed(answer))
        else:
            shadow = next((a for a in earlier if a.text.strip() == "*"), None)
        if shadow is not None:
            found.append((key, f'"{answer.text}" never counts: the earlier "{shadow.text}" matches it first', ERROR))
        else:
            found += _catch_all_warnings(key, catch_all, answer.weight, answer.feedback)
    return found


def _typed(answer: ShortAnswer) -> str:
    """The answer as someone would type it: a written "\\*" is a star."""
    return answer.text.replace("\\*", "*")


def _number_problems(question: Question) -> list[tuple[str, str, str]]:
    found = []
    for position, number in enumerate(question.numbers):
        key = f"numbers[{position}]"
        covering = next((n for n in question.numbers[:position] if _covers(n, number)), None)
        if covering is not None:
            found.append((key, f"this number never counts: the earlier {_shown(covering)} matches it first", ERROR))
        else:
            found += _catch_all_warnings(key, number.any_number, number.weight, number.feedback)
    return found


def _bounds(number: NumericAnswer) -> tuple[float, float]:
    if number.any_number:
        return float("-inf"), float("inf")
    if number.min is not None and number.max is not None:
        return number.min, number.max
    value = number.value or 0.0
    return value - number.tolerance, value + number.tolerance


def _covers(earlier: NumericAnswer, later: NumericAnswer) -> bool:
    """Whether every number `later` accepts, `earlier` accepts too."""
    low, high = _bounds(earlier)
    later_low, later_high = _bounds(later)
    return low <= later_low and later_high <= high


def _shown(number: NumericAnswer) -> str:
    if number.any_number:
        return "any_number"
    if number.min is not None and number.max is not None:
        return f"range {number.min:g}..{number.max:g}"
    return f"value {number.value or 0:g} (tolerance {number.tolerance:g})"


def _catch_all_warnings(key: str, catch_all: bool, weight: float, feedback: str) -> list[tuple[str, str, str]]:
    if not catch_all:
        return []
    if weight >= 100:
        return [(key, "a catch-all at full credit: every answer is right", WARNING)]
    if weight <= 0 and not feedback:
        message = "a catch-all without credit or feedback changes nothing: give it feedback or leave it out"
        return [(key, message, WARNING)]
    return []


def tag_problems(banks: Iterable[Bank]) -> list[Problem]:
    """Tags that differ only in case or spaces, course-wide: one warning at each later spelling."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for bank in banks:
        for index, question in enumerate(bank.questions):
            for position, tag in enumerate(question.tags):
                folded = " ".join(tag.split()).casefold()
                seen = first.setdefault(folded, tag)
                if seen != tag:
                    where = f"questions[{index}].tags[{position}]"
                    message = f'tag "{tag}" is also written "{seen}": one spelling keeps them in one filter'
                    problems.append(Problem(bank.file, line_for(bank.lines, where), where, message, WARNING))
    return problems


def tag_summary(banks: Iterable[Bank]) -> str:
    """How many questions carry tags, and how many distinct tags they use."""
    questions = [q for bank in banks for q in bank.questions]
    tagged = [q for q in questions if q.tags]
    distinct = {tag for q in tagged for tag in q.tags}
    return f"Tags: {len(distinct)} distinct tag(s) on {len(tagged)} of {len(questions)} question(s)."
