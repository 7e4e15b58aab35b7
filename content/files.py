"""Reading content files: every way a file can be unreadable becomes a `Problem`, never an exception.

A content file may be empty, not UTF-8, or TOML nested deeper than the parser's
recursion allows; each is a message with file:line, so a broken lesson or bank
costs only itself and `check` prints no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from content.problems import Problem, toml_syntax_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Editors on Windows may start a UTF-8 file with this invisible mark; it is read past, as the GIFT importer does.
BOM = "\ufeff"


def display_path(path: Path) -> str:
    """A path as people should see it in messages: relative to the project."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_content(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's text (a leading BOM removed), or None and the reason it cannot be used."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown, None, "", "file not found")]
    except IsADirectoryError:
        return None, [Problem(shown, None, "", "is a folder, not a file")]
    except OSError as error:
        return None, [Problem(shown, None, "", f"cannot read the file: {error.strerror or error}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(shown, line, "", f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
    text = text.removeprefix(BOM)
    if not text.strip():
        return None, [Problem(shown, None, "", "the file is empty")]
    return text, []


def parse_toml(
    text: str, shown: str, line_offset: int = 0, what: str = "not valid TOML"
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The TOML document, or None and a problem at the line where parsing gave up."""
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as error:
        return None, [toml_syntax_problem(shown, error, line_offset, what)]
    except RecursionError:
        line = deepest_line(text) + line_offset
        reason = "nested too deeply (arrays or inline tables inside each other)"
        return None, [Problem(shown, line, "", f"{what}: {reason}")]


def read_toml(path: Path, shown: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """A TOML content file: the document and its text (for key lines), or None and why it cannot be used."""
    text, problems = read_content(path, shown)
    if text is None:
        return None, "", problems
    document, problems = parse_toml(text, shown)
    return document, text, problems


def deepest_line(text: str) -> int:
    """The 1-based line where arrays and inline tables are nested deepest (strings and comments skipped)."""
    depth = deepest = 0
    best = line = 1
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(quote)
            while index < end and not text.startswith(quote, index):
                if text[index] == "\\" and char == '"':
                    index += 1
                    line += index < end and text[index] == "\n"
                elif text[index] == "\n":
                    line += 1
                index += 1
            index += len(quote)
            continue
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return best
