"""Collecting content problems instead of stopping at the first.

A `TableReader` checks one TOML table against a field spec: unknown keys,
missing keys and wrong types each become a `Problem` carrying file, line and
key path. Loaders keep going after a problem so that a trainer who edits a
content file sees every mistake in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from content.toml_lines import line_for

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, at file:line and key.

    An error makes the check fail (exit code 1); a warning is printed, marked "warning:", and
    leaves the exit code alone. Everything a loader finds is an error: a file that breaks a
    rule of its format is not usable."""

    file: str
    line: int | None
    path: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity != WARNING

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self.message if self.is_error else f"warning: {self.message}"
        return f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"


def toml_syntax_problem(file: str, error: ValueError, line_offset: int = 0, what: str = "not valid TOML") -> Problem:
    """A tomllib.TOMLDecodeError as a Problem, its line moved by `line_offset` (front matter)."""
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    if match is None:
        return Problem(file, None, "", f"{what}: {reason}")
    return Problem(file, int(match.group(1)) + line_offset, "", f"{what}: {reason} (column {match.group(2)})")


class ContentError(Exception):
    """Raised when a content file has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_TYPE_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list", dict: "a table"}


@dataclass(frozen=True)
class Field:
    name: str
    kind: type
    required: bool = True


class ProblemLog:
    """Problems of one file, with the line map that places them."""

    def __init__(self, file: str, lines: dict[str, int], line_offset: int = 0) -> None:
        self.file = file
        self.lines = lines
        # Front matter starts below the file's first line; its lines are counted from there.
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        line = line_for(self.lines, path)
        self.problems.append(Problem(self.file, line + self.line_offset if line else None, path, message))

    def read_table(self, table: Any, path: str, fields: tuple[Field, ...]) -> dict[str, Any] | None:
        """Return the table's known, well-typed values; log everything wrong with it.

        Missing or mistyped fields are left out of the result, so callers can
        tell `None` (this table is unusable) from a partial table.
        """
        if not isinstance(table, dict):
            self.add(path, f"expected a table, got {_describe(table)}")
            return None
        known = {f.name: f for f in fields}
        for key in table:
            if key not in known:
                expected = ", ".join(known)
                self.add(join(path, key), f"unknown key (expected one of: {expected})")
        values: dict[str, Any] = {}
        complete = True
        for spec in fields:
            if spec.name not in table:
                if spec.required:
                    self.add(path, f"missing required key '{spec.name}'")
                    complete = False
                continue
            value = table[spec.name]
            if not _is_kind(value, spec.kind):
                self.add(
                    join(path, spec.name),
                    f"expected {_TYPE_NAMES.get(spec.kind, spec.kind.__name__)}, got {_describe(value)}",
                )
                complete = False
                continue
            if spec.kind is str and not value.strip():
                self.add(join(path, spec.name), "must not be empty")
                complete = False
                continue
            values[spec.name] = value
        return values if complete else None

    @staticmethod
    def present_list(document: dict[str, Any], key: str) -> list[Any] | None:
        """The list at `key`, or None when it is missing or not a list (read_table has said so)."""
        value = document.get(key)
        return value if isinstance(value, list) else None


def join(path: str, key: str) -> str:
    """Breadcrumb of a key inside a table; the document itself has the empty path."""
    return f"{path}.{key}" if path else key


def _is_kind(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 40 else "a long text"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
