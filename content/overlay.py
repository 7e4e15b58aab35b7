"""Translation overlays: what the model, lesson and quiz-bank overlays share.

English is the master. A language is an overlay per content file that holds ONLY translatable
strings, keyed by the stable ids of the English file (`assessment/model.nl.toml`,
`lessons/content/nl/NN-<id>.md`, `quizzes/bank/nl/<id>.toml`); ids, stages, keys, weights,
checks and order always come from the English file, so stored answers, progress and attempts
mean the same in every language. A string the overlay does not give stays English.

Rules every overlay follows (checked here, reported with file:line: key):
- every id it names exists in the English master;
- it sets only translatable strings; a structural key (`stage`, `correct`, `checks`, ...) is refused;
- it translates only what the English has: a string the English leaves empty cannot be added;
- strings are non-empty text (`accept`: a list of them).

A TOML overlay is described by a `Level` tree; `read_strings()` walks the document along it and
returns `Strings`: translatable fields by key path, e.g. ("questions", "q01", "options", "a") ->
{"text": ...}. The domain modules enumerate the English master in the same shape
(`master` below), compare the two with `compare()` and apply the strings with
`dataclasses.replace`.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.ids import IdGrammar
from content.problems import Problem
from content.toml_lines import line_for

MASTER_LANGUAGE = "en"
# Languages offered as complete: the content check and the interface catalogue check fail on any
# string they leave untranslated (docs/content-format.md, locales/README.md). Any other language
# may be partial: English stands in for what it leaves out, and the check only counts it.
RELEASED_LANGUAGES: tuple[str, ...] = ("nl", "da")
# "nl", "da", "pt-br"; the folder and file names of overlays. Test fixtures use "xx".
LANGUAGE = IdGrammar(re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?"), 'a language code such as "nl" or "pt-br"')

Key = tuple[str, ...]
Value = str | tuple[str, ...]
# Translatable fields by the key path of the object they belong to.
Strings = dict[Key, dict[str, Value]]


def is_master(language: str | None) -> bool:
    """True when `language` asks for the English master itself (no overlay is read)."""
    return not language or language == MASTER_LANGUAGE


def language_folders(directory: Path) -> list[str]:
    """The languages that have an overlay folder in `directory` (`lessons/content/nl/`), by code."""
    if not directory.is_dir():
        return []
    return sorted(
        p.name for p in directory.iterdir() if p.is_dir() and LANGUAGE.is_valid(p.name) and not is_master(p.name)
    )


@dataclass(frozen=True)
class Level:
    """One kind of table in an overlay: its strings, and the tables below it.

    `tables`: plain sub-tables (`[meta]`); `keyed`: tables of tables keyed by id
    (`[questions.q01]`, `[statements."strategy.crawl.1"]`), each entry a table of the `Level` given."""

    what: str  # for messages: "question", "option"
    fields: Mapping[str, type] = field(default_factory=dict)  # str, or list for a list of strings
    tables: Mapping[str, Level] = field(default_factory=dict)
    keyed: Mapping[str, Level] = field(default_factory=dict)


@dataclass(frozen=True)
class Untranslated:
    """One English string an overlay leaves out: the overlay file it belongs in, and its key."""

    file: str
    key: str
    line: int | None = None


@dataclass(frozen=True)
class StringCount:
    """Translatable strings of the English master, how many an overlay translates, and which not."""

    total: int = 0
    translated: int = 0
    missing: tuple[Untranslated, ...] = ()

    @property
    def untranslated(self) -> int:
        return self.total - self.translated

    def __add__(self, other: StringCount) -> StringCount:
        return StringCount(self.total + other.total, self.translated + other.translated, self.missing + other.missing)


def is_released(language: str) -> bool:
    return language in RELEASED_LANGUAGES


def untranslated_problems(language: str, counts: StringCount, shipped: bool = True) -> list[Problem]:
    """For a released language, each string of the site's own content (`shipped`) left untranslated
    as an error; nothing for any other language, or for content the site was pointed at instead
    (SMM_MODEL_PATH, SMM_LESSONS_DIR, SMM_QUIZZES_DIR), whose author may translate it later."""
    if not (shipped and is_released(language)):
        return []
    return [
        Problem(
            missing.file,
            missing.line,
            missing.key,
            f"not translated ({language} is a released language: every string must be translated)",
        )
        for missing in counts.missing
    ]


def language_report(
    language: str, parts: Mapping[str, StringCount], own: Mapping[str, bool]
) -> tuple[str, list[Problem]]:
    """One language's line for the check, and the untranslated strings that fail it. `own` says of
    each content part whether it is the site's own (held complete in a released language); a part it
    does not name (the interface, whose catalogue check names its untranslated strings itself) is."""
    missing = [
        problem for name, is_own in own.items() for problem in untranslated_problems(language, parts[name], is_own)
    ]
    failing = is_released(language) and any(counts.missing for name, counts in parts.items() if own.get(name, True))
    return untranslated_line(language, parts, failing=failing), missing


def untranslated_line(language: str, parts: Mapping[str, StringCount], failing: bool | None = None) -> str:
    """The check's report for one language: "nl: 312 of 980 strings untranslated (model 10 of 200, ...)"."""
    whole = sum(parts.values(), StringCount())
    detail = ", ".join(f"{name} {count.untranslated} of {count.total}" for name, count in parts.items())
    if not whole.untranslated:
        return f"{language}: all {whole.total} strings translated" + (f" ({detail})" if len(parts) > 1 else "")
    # A warning for a partial language (English stands in for every untranslated string); for a
    # released one each missing string is also an error (untranslated_problems).
    marker = "error" if (is_released(language) if failing is None else failing) else "warning"
    return f"{marker}: {language}: {whole.untranslated} of {whole.total} strings untranslated" + (
        f" ({detail})" if len(parts) > 1 else ""
    )


def shown_key(key: Key) -> str:
    """A key path as the translator writes it: questions.q01.options.a, statements."strategy.crawl.1"."""
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"' for part in key)


class OverlayLog:
    """Problems of one overlay file, placed by its key lines and named by key as written."""

    def __init__(self, file: str, lines: Mapping[str, int], line_offset: int = 0) -> None:
        self.file = file
        self.lines = lines
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def add(self, key: Key, message: str) -> None:
        line = line_for(self.lines, ".".join(key))
        self.problems.append(Problem(self.file, line + self.line_offset if line else None, shown_key(key), message))


def structural_message(name: str) -> str:
    return f"'{name}' is structural: it comes from the English file and cannot be set in an overlay"


def read_strings(
    table: Mapping[str, Any], level: Level, master: Strings, log: OverlayLog, structural: frozenset[str], key: Key = ()
) -> Strings:
    """The overlay's strings below `key`; every id unknown to `master`, every structural, unknown or
    mistyped key a problem (left out of the result)."""
    found: Strings = {}
    here: dict[str, Value] = {}
    for name, value in table.items():
        path = (*key, name)
        if name in level.fields:
            text = _string_value(value, level.fields[name], path, log)
            if text is None:
                continue
            english = master.get(key, {}).get(name)
            if not english:
                log.add(path, f"the English has no {name} here, so there is nothing to translate")
                continue
            here[name] = text
        elif name in level.tables:
            if isinstance(value, dict):
                found.update(read_strings(value, level.tables[name], master, log, structural, path))
            else:
                log.add(path, f"expected a table [{shown_key(path)}]")
        elif name in level.keyed:
            found.update(_keyed(value, level.keyed[name], master, log, structural, path))
        elif name in structural:
            log.add(path, structural_message(name))
        else:
            expected = [*level.fields, *level.tables, *level.keyed]
            log.add(path, f"unknown key (an overlay takes here: {', '.join(expected) or 'nothing'})")
    if here:
        found[key] = here
    return found


def _keyed(value: Any, level: Level, master: Strings, log: OverlayLog, structural: frozenset[str], key: Key) -> Strings:
    example = shown_key((*key, "<id>"))
    if not isinstance(value, dict):
        log.add(key, f"expected tables keyed by {level.what} id, e.g. [{example}], not a list")
        return {}
    found: Strings = {}
    for item_id, entry in value.items():
        path = (*key, item_id)
        if path not in master:
            log.add(path, f'no English {level.what} has the id "{item_id}"{_within(key)}')
        elif not isinstance(entry, dict):
            log.add(path, f"expected a table [{shown_key(path)}] of strings")
        else:
            found.update(read_strings(entry, level, master, log, structural, path))
    return found


def _within(key: Key) -> str:
    """ " in question q01" for nested tables, so an unknown option id names its question."""
    return f" in {shown_key(key[:-1])}" if len(key) > 2 else ""


def _string_value(value: Any, kind: type, path: Key, log: OverlayLog) -> Value | None:
    if kind is list:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            log.add(path, "expected a list of non-empty texts")
            return None
        return tuple(value)
    if not isinstance(value, str):
        log.add(path, "expected text")
        return None
    if not value.strip():
        log.add(path, "must not be empty (leave the key out to keep the English)")
        return None
    return value


def count(master: Strings, overlay: Strings, file: str = "") -> StringCount:
    """Non-empty English strings, how many of them the overlay translates, and the keys of the
    others (`file`: the overlay file they belong in, for the messages)."""
    wanted = [(key, name) for key, fields in master.items() for name, value in fields.items() if value]
    missing = tuple(
        Untranslated(file, shown_key((*key, name))) for key, name in wanted if name not in overlay.get(key, {})
    )
    return StringCount(len(wanted), len(wanted) - len(missing), missing)


def translated(overlay: Strings, key: Key, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The overlay's strings for one object, ready for `dataclasses.replace` (nothing: keep English)."""
    fields = overlay.get(key, {})
    return {name: value for name, value in fields.items() if names is None or name in names}


def language_argument(value: str) -> str:
    """`--language` of the check commands: a language code (argparse turns the error into exit 2)."""
    problem = LANGUAGE.problem(value, "language")
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value
