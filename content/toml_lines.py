"""Find the line of every key in a TOML document.

`tomllib` gives values but no positions, and good error messages need
`file:line`. This scanner walks the text once and records the line of each
table header and `key = value`, addressed by the same breadcrumb the validators
use (`dimensions[2].statements[0].stage`). It understands tables, arrays of
tables, bare, "quoted" and 'literal' keys, dotted keys (`covers.cells = [...]`,
which also place the table `covers`) and multi-line strings and arrays. Keys
inside an inline table (`covers = { cells = [...] }`) take the line of the table.
For anything it cannot place, callers fall back to the nearest enclosing table,
and the document itself is line 1, so a message is never without a line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# One part of a key: bare, "basic" (with escapes) or 'literal'.
_PART = r"""(?:[A-Za-z0-9_\-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")


def key_lines(text: str) -> dict[str, int]:
    """Map breadcrumbs to 1-based line numbers."""
    lines: dict[str, int] = {"": 1}
    array_counts: dict[str, int] = {}
    current = ""
    open_string: str | None = None
    bracket_depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string is not None:
            if open_string in line:
                open_string = None
            continue
        if bracket_depth > 0:
            bracket_depth += _bracket_balance(line)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            is_array = header.group(1) == "[["
            current = _table_path(header.group(2), is_array, array_counts, current)
            lines.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = current
        for name in key_parts(key.group(1)):
            path = f"{path}.{name}" if path else name
            lines.setdefault(path, number)
        value = key.group(2)
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                open_string = quote
        if value.startswith("["):
            bracket_depth = _bracket_balance(value)
    return lines


def _table_path(dotted: str, is_array: bool, array_counts: dict[str, int], current: str) -> str:
    """Resolve a header to an indexed breadcrumb, e.g. dimensions[1].statements[3]."""
    parts = key_parts(dotted)
    resolved = ""
    for depth, part in enumerate(parts):
        base = f"{resolved}.{part}" if resolved else part
        last = depth == len(parts) - 1
        if last and is_array:
            count = array_counts.get(base, 0)
            array_counts[base] = count + 1
            resolved = f"{base}[{count}]"
        elif not last and base in array_counts:
            # A parent array of tables: nested headers belong to its latest element.
            resolved = f"{base}[{array_counts[base] - 1}]"
        else:
            resolved = base
    return resolved


def key_parts(dotted: str) -> list[str]:
    """The names in a dotted key, quotes removed: `a."b.c".'d'` is a, b.c and d."""
    return [_unquote(part) for part in re.findall(_PART, dotted)]


def _unquote(part: str) -> str:
    if part[:1] == "'":
        return part[1:-1]
    if part[:1] == '"':
        return part[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return part


def _bracket_balance(fragment: str) -> int:
    without_strings = re.sub(r'"(?:\\.|[^"\\])*"' + r"|'[^']*'", "", fragment)
    without_comment = without_strings.split("#", 1)[0]
    return without_comment.count("[") - without_comment.count("]")


def line_for(lines: Mapping[str, int], path: str) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    if path not in lines and f"{path}[0]" in lines:
        return lines[f"{path}[0]"]  # a list of tables: point at its first entry
    probe = path
    while probe:
        if probe in lines:
            return lines[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        if cut <= 0:
            break
        probe = probe[:cut]
    return lines.get(probe, lines.get(""))
