"""Quiz answer keys about stage placement, held to the model (docs/content-format.md).

A question that asks at which stage a practice sits declares the maturity statement it is about
(`statement`) and the stage an element claims for it (`stage`), on the question or on an option,
matching pair or ordering item. Errors:
- `statement` is not a maturity statement id of the model, or `stage` is not a stage id;
- single/multiple: an option (keys from the option, else the question) is `correct` where the
  model disagrees, or not correct where it agrees;
- matching: a pair's stage is not the model's stage of its statement;
- truefalse: `answer` is not whether the model places the statement at the question's stage;
- ordering: the model stages of the items' statements go down in the listed (right) order;
- the element carrying `stage` does not name that stage in its visible text (for the question: the
  prompt), so what is shown can never drift from what is declared.
Warnings: options, pairs or items that name two or more stages while nothing declares a statement;
an element that declares `statement` whose visible text shares less than TEXT_OVERLAP_LIMIT of the
model statement's content words (placement_text_problems, see there).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assessment.model import MaturityStatement, Model
from content.problems import ERROR, WARNING, Problem
from content.toml_lines import line_for
from learning.duplicates import content_words
from quizzes.model import Bank, Question


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stages_named(model: Model, text: str) -> set[str]:
    """The ids of the stages whose model name the text contains as a word, ignoring case."""
    folded = _fold(text)
    return {s.id for s in model.stages if re.search(rf"\b{re.escape(_fold(s.name))}\b", folded)}


def placement_problems(model: Model, banks: tuple[Bank, ...]) -> list[Problem]:
    problems: list[Problem] = []
    for bank in banks:
        for index, question in enumerate(bank.questions):
            for path, message, severity in _question(model, question, f"questions[{index}]"):
                problems.append(Problem(bank.file, line_for(bank.lines, path), path, message, severity))
    return problems


class _Keys:
    """Declared statements and stages, checked against the model once each."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.stage_ids = [s.id for s in model.stages]
        self.found: list[tuple[str, str, str]] = []

    def statement(self, statement_id: str, path: str) -> MaturityStatement | None:
        if not statement_id:
            return None
        found = self.model.item(statement_id)
        if not isinstance(found, MaturityStatement):
            self.found.append((f"{path}.statement", f'"{statement_id}" is not a maturity statement of the model', ""))
            return None
        return found

    def stage(self, stage_id: str, path: str, visible: str, where: str) -> str | None:
        if not stage_id:
            return None
        if stage_id not in self.stage_ids:
            message = f'"{stage_id}" is not a stage (expected one of {", ".join(self.stage_ids)})'
            self.found.append((f"{path}.stage", message, ""))
            return None
        if stage_id not in stages_named(self.model, visible):
            name = self.model.stage(stage_id).name
            message = f'claims stage "{stage_id}" but its {where} does not name "{name}"'
            self.found.append((f"{path}.stage", message, ""))
        return stage_id

    def name(self, stage_id: str) -> str:
        return self.model.stage(stage_id).name


def _question(model: Model, question: Question, path: str) -> list[tuple[str, str, str]]:
    keys = _Keys(model)
    q_statement = keys.statement(question.statement, path)
    q_stage = keys.stage(question.stage, path, question.prompt, "prompt")
    declared = bool(question.statement)
    if question.type in ("single", "multiple"):
        for position, option in enumerate(question.options):
            where = f"{path}.options[{position}]"
            statement = keys.statement(option.statement, where) if option.statement else q_statement
            stage = keys.stage(option.stage, where, option.text, "text") if option.stage else q_stage
            declared = declared or bool(option.statement)
            if statement is None or stage is None:
                continue
            agrees = statement.stage == stage
            if option.correct != agrees:
                verdict = "is marked correct" if option.correct else "is not marked correct"
                message = (
                    f'option "{option.id}" {verdict}, but the model places {statement.id} at '
                    f"{keys.name(statement.stage)}, and the option claims {keys.name(stage)}"
                )
                keys.found.append((f"{where}.correct", message, ""))
        texts = [option.text for option in question.options]
    elif question.type == "matching":
        for position, pair in enumerate(question.pairs):
            where = f"{path}.pairs[{position}]"
            statement = keys.statement(pair.statement, where)
            stage = keys.stage(pair.stage, where, f"{pair.left} {pair.right}", "left or right text")
            declared = declared or bool(pair.statement or pair.stage)
            # A pair that claims a stage without a statement is about the stage itself: it matches
            # the stage with its tagline, which must then be the model's.
            tagline = model.stage(stage).tagline if stage is not None and not pair.statement else ""
            if tagline and tagline.casefold() not in f"{pair.left} {pair.right}".casefold():
                message = f'the pair claims stage "{stage}" but does not show its tagline "{tagline}"'
                keys.found.append((f"{where}.stage", message, ""))
            if statement is not None and stage is not None and statement.stage != stage:
                message = (
                    f"the pair matches {statement.id} with {keys.name(stage)}, but the model places it at "
                    f"{keys.name(statement.stage)}"
                )
                keys.found.append((f"{where}.stage", message, ""))
        texts = [f"{pair.left} {pair.right}" for pair in question.pairs]
    elif question.type == "ordering":
        previous: tuple[int, str] | None = None
        for position, item in enumerate(question.items):
            where = f"{path}.items[{position}]"
            statement = keys.statement(item.statement, where)
            keys.stage(item.stage, where, item.text, "text")
            declared = declared or bool(item.statement)
            if statement is None:
                continue
            rank = keys.stage_ids.index(statement.stage)
            if previous is not None and rank < previous[0]:
                message = (
                    f"the model places {statement.id} at {keys.name(statement.stage)}, before {previous[1]} "
                    "of an earlier item: the right order goes down the stages"
                )
                keys.found.append((f"{where}.statement", message, ""))
            previous = (rank, statement.id)
        texts = [item.text for item in question.items]
    else:
        if question.type == "truefalse" and q_statement is not None and q_stage is not None:
            agrees = q_statement.stage == q_stage
            if question.answer != agrees:
                message = (
                    f"answer = {'true' if question.answer else 'false'}, but the model places {q_statement.id} at "
                    f"{keys.name(q_statement.stage)}, and the question claims {keys.name(q_stage)}"
                )
                keys.found.append((f"{path}.answer", message, ""))
        texts = []
    named = set().union(*(stages_named(model, text) for text in texts)) if texts else set()
    if len(named) >= 2 and not declared:
        elements = {"single": "options", "multiple": "options", "matching": "pairs"}.get(question.type, "items")
        message = (
            f"asks about stage placement but declares no statements: its {elements} name {len(named)} stages; "
            "add statement (and stage) keys so the key can be checked against the model"
        )
        keys.found.append((path, message, WARNING))
    return [(where, message, severity or ERROR) for where, message, severity in keys.found]


# ------------------------------------------------------------------------------ placement text

# An element that declares `statement` shows the practice in its own words. When those words share
# less than this share of the model statement's content words, the text may teach another practice
# than the key declares (review of the reworked banks, finding C1: a "start conversations on your
# own initiative" key shown as "people across the organisation start conversations").
TEXT_OVERLAP_LIMIT = 0.4


@dataclass(frozen=True)
class TextMatch:
    """One element that declares a statement: where it is, what it shows, how much of the model's words."""

    bank: Bank
    path: str  # e.g. questions[3].pairs[1]
    text: str
    statement: MaturityStatement
    overlap: float  # share of the statement's content words that the text shows

    @property
    def line(self) -> int | None:
        return line_for(self.bank.lines, self.path)


def _words(model: Model, text: str) -> frozenset[str]:
    """Content words (learning.duplicates) without the stage names: "Fly" in a pair is not the practice."""
    stages = {_fold(s.name) for s in model.stages} | {s.id for s in model.stages}
    return content_words(text) - stages


def text_overlap(model: Model, text: str, statement: MaturityStatement) -> float:
    wanted = _words(model, statement.text)
    return len(_words(model, text) & wanted) / len(wanted) if wanted else 1.0


def _declaring(question: Question, path: str) -> list[tuple[str, str, str]]:
    """(path, visible text, statement id) of every element of the question that declares a statement."""
    found = [(path, question.prompt, question.statement)] if question.statement else []
    found += [(f"{path}.options[{n}]", o.text, o.statement) for n, o in enumerate(question.options) if o.statement]
    found += [
        (f"{path}.pairs[{n}]", f"{p.left} => {p.right}", p.statement)
        for n, p in enumerate(question.pairs)
        if p.statement
    ]
    found += [(f"{path}.items[{n}]", i.text, i.statement) for n, i in enumerate(question.items) if i.statement]
    return found


def text_matches(model: Model, banks: tuple[Bank, ...]) -> list[TextMatch]:
    """Every element that declares a maturity statement of the model (unknown ids are errors elsewhere)."""
    matches = []
    for bank in banks:
        for index, question in enumerate(bank.questions):
            for path, text, statement_id in _declaring(question, f"questions[{index}]"):
                statement = model.item(statement_id)
                if isinstance(statement, MaturityStatement):
                    matches.append(TextMatch(bank, path, text, statement, text_overlap(model, text, statement)))
    return matches


def placement_text_problems(model: Model, banks: tuple[Bank, ...]) -> list[Problem]:
    """A WARNING for each element whose text shows less than TEXT_OVERLAP_LIMIT of its statement's words."""
    problems = []
    for match in text_matches(model, banks):
        if match.overlap < TEXT_OVERLAP_LIMIT:
            message = (
                f"declares {match.statement.id} but its text shares only {100 * match.overlap:.0f} % of the "
                f"model's words (at least {100 * TEXT_OVERLAP_LIMIT:.0f} %): it may show another practice. "
                f'Text: "{match.text}". Model: "{match.statement.text}"'
            )
            problems.append(Problem(match.bank.file, match.line, f"{match.path}.statement", message, WARNING))
    return problems


def placement_text_summary(model: Model, banks: tuple[Bank, ...]) -> str:
    matches = text_matches(model, banks)
    low = sum(match.overlap < TEXT_OVERLAP_LIMIT for match in matches)
    return (
        f"Placement text: {low} of {len(matches)} element(s) that declare a statement share less than "
        f"{100 * TEXT_OVERLAP_LIMIT:.0f} % of its words with the model."
    )
