"""Loading a folder of content files: every file, every problem, no duplicate ids."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, TypeVar

from content.problems import Problem
from content.toml_lines import line_for


class ContentFile(Protocol):
    """A loaded lesson or bank: where it came from and the line of each of its keys."""

    @property
    def file(self) -> str: ...

    @property
    def lines(self) -> Mapping[str, int]: ...


T = TypeVar("T", bound=ContentFile)


def load_all(
    directory: Path,
    pattern: str,
    load_one: Callable[[Path], tuple[T | None, list[Problem]]],
    id_of: Callable[[T], str],
    what: str,
) -> tuple[list[T], list[Problem]]:
    """Every usable file matching `pattern` in name order, and every problem of every file.

    A file whose id an earlier file already uses is reported at its id's line and left out,
    so a broken or duplicated file costs only itself.
    """
    found: list[T] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob(pattern)):
        item, item_problems = load_one(path)
        problems += item_problems
        if item is None:
            continue
        item_id = id_of(item)
        if item_id in seen:
            message = f'duplicate {what} id "{item_id}" (also in {seen[item_id]})'
            problems.append(Problem(item.file, line_for(item.lines, "id"), "id", message))
            continue
        seen[item_id] = item.file
        found.append(item)
    return found, problems
