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
Warning: options, pairs or items that name two or more stages while nothing declares a statement.
"""

from __future__ import annotations

import re
import unicodedata

from assessment.model import MaturityStatement, Model
from content.problems import ERROR, WARNING, Problem
from content.toml_lines import line_for
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
