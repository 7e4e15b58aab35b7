"""Read quiz banks from TOML and check them, collecting every problem with file:line:key."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from content.collection import load_all
from content.files import display_path, read_toml
from content.ids import QUIZ_ID
from content.problems import Field, Problem, ProblemLog
from content.toml_lines import key_lines
from quizzes.images import MEDIA_TYPES, bank_images_problem, base64_problem
from quizzes.model import (
    FEEDBACK_MODES,
    QUESTION_TYPES,
    Bank,
    Image,
    NumericAnswer,
    Option,
    OrderItem,
    Pair,
    Question,
    ShortAnswer,
)

BANK_DIR = Path(__file__).resolve().parent / "bank"

_BANK = (
    Field("id", str),
    Field("title", str),
    Field("lesson", str, required=False),
    Field("feedback", str),
    Field("pass_percent", int, required=False),
    Field("category", str, required=False),
    Field("questions", list),
)
_QUESTION = (
    Field("id", str),
    Field("type", str),
    Field("prompt", str),
    Field("title", str, required=False),
    Field("checks", list, required=False),
    Field("explanation", str, required=False),
    Field("options", list, required=False),
    Field("answer", bool, required=False),
    Field("feedback_true", str, required=False),
    Field("feedback_false", str, required=False),
    Field("items", list, required=False),
    Field("pairs", list, required=False),
    Field("accept", list, required=False),
    Field("case_sensitive", bool, required=False),
    Field("numbers", list, required=False),
    Field("distractors", list, required=False),
    Field("tags", list, required=False),
    Field("images", list, required=False),
    Field("feedback_right", str, required=False),
    Field("feedback_partly", str, required=False),
    Field("feedback_wrong", str, required=False),
    Field("statement", str, required=False),
    Field("stage", str, required=False),
    Field("variant_of", str, required=False),
)
# Stage placement keys, on a question and on each option, ordering item and matching pair; what
# they must agree with is checked against the model by `python -m learning check`.
_PLACEMENT = (Field("statement", str, required=False), Field("stage", str, required=False))
_OPTION = (
    Field("id", str),
    Field("text", str),
    Field("correct", bool, required=False),
    Field("feedback", str, required=False),
    Field("weight", float, required=False),
    *_PLACEMENT,
)
_ITEM = (Field("id", str), Field("text", str), *_PLACEMENT)
_PAIR = (Field("id", str), Field("left", str), Field("right", str), *_PLACEMENT)
_NUMBER = (
    Field("value", float, required=False),
    Field("tolerance", float, required=False),
    Field("min", float, required=False),
    Field("max", float, required=False),
    Field("weight", float, required=False),
    Field("feedback", str, required=False),
    Field("any_number", bool, required=False),
)
# An accepted short answer written as a table; a plain string is {text = ...} at full credit.
_SHORT = (Field("text", str), Field("weight", float, required=False), Field("feedback", str, required=False))
_IMAGE = (Field("name", str), Field("media_type", str), Field("data", str), Field("alt", str, required=False))
# Keys that only one type takes (the answer keys of _NEEDS are checked apart).
_ONLY = {"case_sensitive": "short", "distractors": "matching"}
# What each type needs, and what it must not carry.
_NEEDS = {
    "single": "options",
    "multiple": "options",
    "truefalse": "answer",
    "ordering": "items",
    "matching": "pairs",
    "short": "accept",
    "numerical": "numbers",
}


def _numbers_as_float(table: Any) -> Any:
    """TOML writes 3 and 3.0 differently; weights and numbers accept both."""
    if isinstance(table, dict):
        return {
            k: float(v)
            if k in {"weight", "value", "tolerance", "min", "max"} and isinstance(v, int) and not isinstance(v, bool)
            else v
            for k, v in table.items()
        }
    return table


def load_bank(path: Path) -> tuple[Bank | None, list[Problem]]:
    shown = display_path(path)
    document, text, problems = read_toml(path, shown)
    if document is None:
        return None, problems
    return parse_bank(document, shown, key_lines(text))


def parse_bank(
    document: dict[str, Any], shown: str, lines: dict[str, int] | None = None
) -> tuple[Bank | None, list[Problem]]:
    log = ProblemLog(shown, lines or {})
    values = log.read_table(document, "", _BANK)
    if values is None:
        return None, log.problems
    id_problem = QUIZ_ID.problem(values["id"], "bank id")
    if id_problem:
        log.add("id", id_problem)
    if not 0 <= values.get("pass_percent", 70) <= 100:
        log.add("pass_percent", f"expected 0 to 100, got {values['pass_percent']}")
    if values["feedback"] not in FEEDBACK_MODES:
        log.add("feedback", f'expected "instant" or "end", got "{values["feedback"]}"')
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(values["questions"]):
        question = _question(raw, f"questions[{index}]", log, seen)
        if question is not None:
            questions.append(question)
    if not values["questions"]:
        log.add("questions", "the bank has no questions")
    too_big = bank_images_problem(image for question in questions for image in question.images)
    if too_big:
        log.add("questions", too_big)
    bank = Bank(
        id=values["id"],
        title=values["title"],
        lesson=values.get("lesson", ""),
        feedback=values["feedback"],
        pass_percent=values.get("pass_percent", 70),
        questions=tuple(questions),
        file=shown,
        category=values.get("category", ""),
        lines=log.lines,
    )
    return (bank if not log.problems else None), log.problems


def _question(raw: Any, path: str, log: ProblemLog, seen: dict[str, str]) -> Question | None:
    before = len(log.problems)
    values = log.read_table(raw, path, _QUESTION)
    if values is None:
        return None
    kind = values["type"]
    if kind not in QUESTION_TYPES:
        log.add(f"{path}.type", f'expected one of {", ".join(QUESTION_TYPES)}, got "{kind}"')
        return None
    id_problem = QUIZ_ID.problem(values["id"], "question id")
    if id_problem:
        log.add(f"{path}.id", id_problem)
    if values["id"] in seen:
        log.add(f"{path}.id", f'duplicate question id "{values["id"]}" (first used at {seen[values["id"]]})')
    seen.setdefault(values["id"], path)
    needed = _NEEDS[kind]
    if needed not in values:
        log.add(path, f"a {kind} question needs '{needed}'")
        return None
    for other in set(_NEEDS.values()) - {needed}:
        if other in values and not (kind in ("single", "multiple") and other == "options"):
            log.add(f"{path}.{other}", f"a {kind} question does not take '{other}'")
    for key, only in _ONLY.items():
        if key in values and kind != only:
            log.add(f"{path}.{key}", f"only a {only} question takes '{key}'")
    checks = values.get("checks", [])
    for position, check in enumerate(checks):
        if not isinstance(check, str):
            log.add(f"{path}.checks[{position}]", f"expected an id in quotes, got {check!r}")
    accept = parse_accept(values.get("accept", []), f"{path}.accept", log) if kind == "short" else []
    distractors = _texts(values.get("distractors", []), f"{path}.distractors", "distractor", log)
    tags = _texts(values.get("tags", []), f"{path}.tags", "tag", log)
    images = _images(values.get("images", []), f"{path}.images", log)

    options = _children(values.get("options", []), f"{path}.options", _OPTION, log)
    items = _children(values.get("items", []), f"{path}.items", _ITEM, log)
    pairs = _children(values.get("pairs", []), f"{path}.pairs", _PAIR, log)
    numbers = [_numbers_as_float(n) for n in values.get("numbers", [])]
    numbers = _children(numbers, f"{path}.numbers", _NUMBER, log)
    for label, children in (("options", options), ("items", items), ("pairs", pairs)):
        ids = [c["id"] for c in children]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            log.add(f"{path}.{label}", f'{label[:-1]} id "{duplicate}" is used twice')

    if kind == "single":
        right = sum(bool(o.get("correct")) for o in options)
        if right != 1:
            log.add(f"{path}.options", f"a single-choice question needs exactly one correct option, has {right}")
        if len(options) < 2:
            log.add(f"{path}.options", "needs at least two options")
    if kind == "multiple":
        weighted = any("weight" in o for o in options)
        if weighted:
            if sum(o.get("weight", 0.0) for o in options if o.get("weight", 0.0) > 0) < 99.9:
                log.add(f"{path}.options", "the positive weights must add up to 100")
        elif not any(o.get("correct") for o in options):
            log.add(f"{path}.options", "a multiple-answer question needs at least one correct option")
        if len(options) < 2:
            log.add(f"{path}.options", "needs at least two options")
    if kind == "ordering" and len(items) < 2:
        log.add(f"{path}.items", "an ordering question needs at least two items")
    if kind == "matching" and len(pairs) < 2:
        log.add(f"{path}.pairs", "a matching question needs at least two pairs")
    rights = {p["right"] for p in pairs}
    for position, distractor in enumerate(distractors):
        if distractor in rights:
            log.add(f"{path}.distractors[{position}]", f'"{distractor}" is the right side of a pair, not a distractor')
    for label, children in (("options", options), ("numbers", numbers)):
        for position, child in enumerate(children):
            for key, number in child.items():
                if isinstance(number, float) and not math.isfinite(number):
                    log.add(f"{path}.{label}[{position}].{key}", f"expected a finite number, got {number}")
    if kind == "numerical":
        for position, number in enumerate(numbers):
            has_value = "value" in number
            has_range = "min" in number and "max" in number
            if number.get("any_number"):
                given = [key for key in ("value", "tolerance", "min", "max") if key in number]
                if given:
                    log.add(f"{path}.numbers[{position}]", f"any_number takes no {', '.join(given)}")
            elif has_value == has_range:
                log.add(f"{path}.numbers[{position}]", "give either value (with tolerance) or min and max")
        if not any(n.get("weight", 100.0) >= 100 for n in numbers):
            log.add(f"{path}.numbers", "needs at least one fully right number (weight 100)")
    if len(log.problems) > before:
        return None
    return Question(
        id=values["id"],
        type=kind,
        prompt=values["prompt"],
        checks=tuple(checks),
        explanation=values.get("explanation", ""),
        title=values.get("title", ""),
        options=tuple(
            Option(
                o["id"],
                o["text"],
                o.get("correct", False),
                o.get("feedback", ""),
                o.get("weight"),
                o.get("statement", ""),
                o.get("stage", ""),
            )
            for o in options
        ),
        answer=values.get("answer"),
        feedback_true=values.get("feedback_true", ""),
        feedback_false=values.get("feedback_false", ""),
        items=tuple(OrderItem(i["id"], i["text"], i.get("statement", ""), i.get("stage", "")) for i in items),
        pairs=tuple(Pair(p["id"], p["left"], p["right"], p.get("statement", ""), p.get("stage", "")) for p in pairs),
        accept=tuple(accept),
        case_sensitive=values.get("case_sensitive", False),
        numbers=tuple(NumericAnswer(**n) for n in numbers),
        distractors=tuple(distractors),
        tags=tuple(tags),
        images=tuple(images),
        feedback_right=values.get("feedback_right", ""),
        feedback_partly=values.get("feedback_partly", ""),
        feedback_wrong=values.get("feedback_wrong", ""),
        statement=values.get("statement", ""),
        stage=values.get("stage", ""),
        variant_of=values.get("variant_of", ""),
    )


def parse_accept(raw: list[Any], path: str, log: ProblemLog) -> list[ShortAnswer]:
    """The answers a short-answer question accepts, tried in order: each a text (full credit, no
    feedback) or a table {text, weight (0..100), feedback}; at least one must be fully right."""
    answers: list[ShortAnswer] = []
    complete = True
    for position, entry in enumerate(raw):
        where = f"{path}[{position}]"
        if isinstance(entry, str):
            if entry.strip():
                answers.append(ShortAnswer(entry))
            else:
                log.add(where, "must not be empty")
                complete = False
            continue
        if not isinstance(entry, dict):
            log.add(where, "expected a text or a table {text, weight, feedback}")
            complete = False
            continue
        values = log.read_table(_numbers_as_float(entry), where, _SHORT)
        if values is None:
            complete = False
            continue
        weight = values.get("weight", 100.0)
        if not (math.isfinite(weight) and 0 <= weight <= 100):
            log.add(f"{where}.weight", f"expected a percentage from 0 to 100, got {weight}")
            complete = False
            continue
        answers.append(ShortAnswer(values["text"], weight, values.get("feedback", "")))
    if not raw:
        log.add(path, "a short-answer question needs at least one accepted answer")
    elif complete and not any(answer.weight >= 100 for answer in answers):
        log.add(path, "needs at least one fully right answer (weight 100)")
    return answers


def _texts(raw: list[Any], path: str, what: str, log: ProblemLog) -> list[str]:
    """A list of non-empty texts, none given twice."""
    texts: list[str] = []
    for position, text in enumerate(raw):
        if not isinstance(text, str) or not text.strip():
            log.add(f"{path}[{position}]", f"expected a non-empty text, got {text!r}")
        elif text in texts:
            log.add(f"{path}[{position}]", f'{what} "{text}" is given twice')
        else:
            texts.append(text)
    return texts


def _images(raw: list[Any], path: str, log: ProblemLog) -> list[Image]:
    """Pictures stored with the bank as base64 data whose bytes are a PNG, JPEG, GIF or WebP picture
    of the type given (quizzes.images)."""
    images: list[Image] = []
    for position, table in enumerate(raw):
        where = f"{path}[{position}]"
        values = log.read_table(table, where, _IMAGE)
        if values is None:
            continue
        problem = base64_problem(values["data"], values["media_type"], values["name"])
        if problem:
            log.add(f"{where}.data" if values["media_type"] in MEDIA_TYPES else f"{where}.media_type", problem)
        elif any(image.name == values["name"] for image in images):
            log.add(f"{where}.name", f'image name "{values["name"]}" is used twice')
        else:
            images.append(Image(values["name"], values["media_type"], values["data"], values.get("alt", "")))
    return images


def _children(raw: list[Any], path: str, fields: tuple[Field, ...], log: ProblemLog) -> list[dict[str, Any]]:
    found = []
    for index, table in enumerate(raw):
        table = _numbers_as_float(table)
        values = log.read_table(table, f"{path}[{index}]", fields)
        if values is not None:
            found.append(values)
    return found


def load_banks(directory: Path = BANK_DIR, language: str | None = None) -> tuple[tuple[Bank, ...], list[Problem]]:
    """Every usable bank in file-name order, and every problem of every file; in `language` where
    `directory/<language>/` translates it (quizzes.overlay)."""
    from quizzes.overlay import translate_banks  # it builds on this module

    banks, problems = load_all(directory, "*.toml", load_bank, lambda bank: bank.id, "bank")
    translated, overlay_problems = translate_banks(tuple(banks), directory, language)
    return translated, [*problems, *overlay_problems]
