"""What reading a quiz file (GIFT or Moodle XML) gave. Pure data, no I/O.

Both readers never raise for bad content: a question that cannot be imported is in `skipped`
with its line and the reason, one imported with a loss is in `questions` and its loss in
`warnings`, and a file that cannot be read at all (not XML, hostile XML, too big) has `error`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizzes.model import Bank, Question


@dataclass
class QuizImport:
    source: str
    questions: list[Question] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why), line 0: the file
    categories: list[str] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what was lost or changed)
    error: str = ""  # the whole file could not be read; nothing else is filled in

    @property
    def category(self) -> str:
        """The bank's category: the last category in the file."""
        return self.categories[-1] if self.categories else ""

    def to_bank(
        self, bank_id: str, title: str, lesson: str = "", feedback: str = "instant", pass_percent: int = 70
    ) -> Bank:
        return Bank(
            id=bank_id,
            title=title,
            lesson=lesson,
            feedback=feedback,
            pass_percent=pass_percent,
            questions=tuple(self.questions),
            category=self.category,
        )


@dataclass
class QuizExport:
    text: str
    warnings: list[str] = field(default_factory=list)  # what a reader should know, one message each
    not_exported: list[str] = field(default_factory=list)  # ids of questions left out or written as comments


def option_ids(count: int) -> list[str]:
    """Ids for a question's answers in file order, as letters: a, b, ..., z, aa, ab, ..."""

    def letters(n: int) -> str:
        name = ""
        while True:
            name = chr(ord("a") + n % 26) + name
            n = n // 26 - 1
            if n < 0:
                return name

    return [letters(i) for i in range(count)]


def unique_id(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... when it is taken."""
    candidate, counter = base, 2
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def site_weights(correct: list[bool]) -> list[float]:
    """Moodle fractions equal to the site's own scoring of a multiple-answer question without
    weights: right minus wrong choices over the right ones, never below 0 (the same as +share for
    each right and -share for each wrong choice, capped at 0)."""
    right = sum(correct) or 1
    share = round(100 / right, 5)
    return [share if is_right else -share for is_right in correct]


def suggested_title(category: str, filename: str) -> str:
    """A bank title for an imported file: the last part of its category that is not Moodle's "top"
    or a "$course$" kind of name, else its file name in words ("week-1.gift": "Week 1"); "" when
    neither gives one."""
    parts = [p.strip() for p in category.split("/") if p.strip() and not p.strip().startswith("$")]
    if parts and parts[-1].lower() != "top":
        return parts[-1]
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    words = " ".join(re.sub(r"[-_]+", " ", stem).split())
    return words[:1].upper() + words[1:]


class NotUtf8Text(ValueError):
    """The bytes are not UTF-8: the line and byte of the first that is not."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"line {line}: not UTF-8 text (byte {byte})")
        self.line = line
        self.byte = byte


def utf8_text(data: bytes) -> str:
    """The text of a file in UTF-8, a byte order mark read past; NotUtf8Text when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUtf8Text(data[: error.start].count(b"\n") + 1, error.start) from None
