"""Write a Bank as the TOML that quizzes.loader reads back to the same Bank. No I/O.

Every string is a one-line TOML basic string with escapes, so text with quotes,
backslashes, line breaks or control characters survives, and the line finder of
the loader (content.toml_lines) places every key. Empty optional strings are
left out: the loader rejects empty text.
"""

from __future__ import annotations

import math

from quizzes.model import Bank, NumericAnswer, Question, ShortAnswer

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(float(value))
    return text if any(c in text for c in ".en") else text + ".0"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return toml_float(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, ShortAnswer):
        return _short_answer(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _pairs(keys: list[tuple[str, object]], indent: str = "") -> list[str]:
    """key = value lines, leaving out what the loader treats as absent (None, empty text, empty lists)."""
    return [
        f"{indent}{key} = {_value(value)}" for key, value in keys if value is not None and value != "" and value != ()
    ]


def bank_to_toml(bank: Bank) -> str:
    lines = _pairs(
        [
            ("id", bank.id),
            ("title", bank.title),
            ("lesson", bank.lesson),
            ("feedback", bank.feedback),
            ("pass_percent", bank.pass_percent),
            ("category", bank.category),
        ]
    )
    for question in bank.questions:
        lines += ["", *_question(question)]
    return "\n".join(lines) + "\n"


def _question(question: Question) -> list[str]:
    lines = ["[[questions]]"]
    lines += _pairs(
        [
            ("id", question.id),
            ("type", question.type),
            ("title", question.title),
            ("prompt", question.prompt),
            ("checks", tuple(question.checks)),
            ("explanation", question.explanation),
            ("answer", question.answer),
            ("feedback_true", question.feedback_true),
            ("feedback_false", question.feedback_false),
            ("accept", tuple(question.accept)),
            ("case_sensitive", question.case_sensitive or None),
            ("distractors", tuple(question.distractors)),
            ("tags", tuple(question.tags)),
            ("feedback_right", question.feedback_right),
            ("feedback_partly", question.feedback_partly),
            ("feedback_wrong", question.feedback_wrong),
            ("statement", question.statement),
            ("stage", question.stage),
            ("variant_of", question.variant_of),
        ]
    )
    indent = "  "
    for option in question.options:
        lines += ["", f"{indent}[[questions.options]]"]
        lines += _pairs(
            [
                ("id", option.id),
                ("text", option.text),
                ("correct", option.correct or None),
                ("feedback", option.feedback),
                ("weight", None if option.weight is None else float(option.weight)),
                ("statement", option.statement),
                ("stage", option.stage),
            ],
            indent,
        )
    for item in question.items:
        lines += ["", f"{indent}[[questions.items]]"]
        lines += _pairs(
            [("id", item.id), ("text", item.text), ("statement", item.statement), ("stage", item.stage)], indent
        )
    for pair in question.pairs:
        lines += ["", f"{indent}[[questions.pairs]]"]
        lines += _pairs(
            [
                ("id", pair.id),
                ("left", pair.left),
                ("right", pair.right),
                ("statement", pair.statement),
                ("stage", pair.stage),
            ],
            indent,
        )
    for number in question.numbers:
        lines += ["", f"{indent}[[questions.numbers]]", *_pairs(_number(number), indent)]
    for image in question.images:
        lines += ["", f"{indent}[[questions.images]]"]
        lines += _pairs(
            [("name", image.name), ("media_type", image.media_type), ("data", image.data), ("alt", image.alt)],
            indent,
        )
    return lines


def _short_answer(answer: ShortAnswer) -> str:
    """A plain text at full credit without feedback; otherwise an inline table the loader reads alike."""
    if answer.weight == 100 and not answer.feedback:
        return toml_string(answer.text)
    keys = [("text", answer.text), ("weight", float(answer.weight)), ("feedback", answer.feedback)]
    return "{ " + ", ".join(f"{key} = {_value(value)}" for key, value in keys if value != "") + " }"


def _number(number: NumericAnswer) -> list[tuple[str, object]]:
    has_value = number.value is not None
    return [
        ("value", None if number.value is None else float(number.value)),
        ("tolerance", float(number.tolerance) if has_value or number.tolerance else None),
        ("min", None if number.min is None else float(number.min)),
        ("max", None if number.max is None else float(number.max)),
        ("weight", float(number.weight)),
        ("feedback", number.feedback),
        ("any_number", number.any_number or None),
    ]
