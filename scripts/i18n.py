"""Translation catalogues: extract, update, compile and check, with Babel. Run it as `scripts/i18n`.

Usage: scripts/i18n.py [extract|update|compile|check]   (no argument: all four in that order)
"""

from __future__ import annotations

import os
import string
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parents[1]
DOMAIN = "site"
POT = Path("locales") / f"{DOMAIN}.pot"
KEYWORDS = ("_", "ngettext:1,2", "N_")
# Folders without user-facing strings of the site (".*" also skips .venv).
IGNORE_DIRS = ".* ._ tests benchmarks scripts data docs locales"
# Languages offered as complete: their catalogue must translate every string, with nothing fuzzy.
# Any other catalogue may be partial (missing entries show in English) but must be well-formed.
RELEASED_LANGUAGES: tuple[str, ...] = ()


def pybabel(*args: str) -> None:
    status = CommandLineInterface().run(["pybabel", "-q", *args])
    if status:
        raise SystemExit(status)


def catalogues(root: Path) -> list[Path]:
    return sorted((root / "locales").glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract(root: Path = PROJECT, output: Path | None = None) -> None:
    """Write the template; locations are file paths relative to the project root."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    target = (output or root / POT).resolve()
    here = Path.cwd()
    os.chdir(root)
    try:
        _extract(keywords, target)
    finally:
        os.chdir(here)


def _extract(keywords: list[str], target: Path) -> None:
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "--no-default-keywords",
        *keywords,
        "--ignore-dirs",
        IGNORE_DIRS,
        "--add-comments",
        "Translators:",
        "--add-location",
        "file",
        "--sort-output",
        "--project",
        "social-media-maturity",
        "-o",
        str(target),
        ".",
    )


def update(root: Path = PROJECT) -> None:
    if not catalogues(root):
        print("no catalogues to update: English is the only language")
        return
    pybabel("update", "-i", str(root / POT), "-d", str(root / "locales"), "-D", DOMAIN)


def compile_catalogues(root: Path = PROJECT) -> None:
    if not catalogues(root):
        print("no catalogues to compile: English is the only language")
        return
    pybabel("compile", "-d", str(root / "locales"), "-D", DOMAIN, "--statistics")


def _ids(catalog: Catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else "\x00".join(message.id) for message in catalog if message.id}


def _read(path: Path, language: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _fields(text: str) -> set[str]:
    try:
        return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def pot_problems(root: Path = PROJECT) -> list[str]:
    """Differences between the committed .pot and a fresh extraction from the source."""
    committed = root / POT
    if not committed.is_file():
        return [f"{POT} is missing: run scripts/i18n extract"]
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / f"{DOMAIN}.pot"
        extract(root, fresh)
        current, stored = _ids(_read(fresh)), _ids(_read(committed))
    problems = [f"not in {POT}: {msgid!r}" for msgid in sorted(current - stored)]
    problems += [f"in {POT} but no longer in the source: {msgid!r}" for msgid in sorted(stored - current)]
    if problems:
        problems.append("run scripts/i18n extract (and update) and commit locales/")
    return problems


def catalogue_problems(root: Path = PROJECT) -> list[str]:
    """Each .po: Babel's checks and the same {placeholders} as the English; complete if released."""
    problems = []
    template = _ids(_read(root / POT)) if (root / POT).is_file() else set()
    for path in catalogues(root):
        language = path.parents[1].name
        catalog = _read(path, language)
        where = path.relative_to(root)
        if catalog.fuzzy:
            problems.append(f"{where}: the header is marked fuzzy, so compile skips the whole catalogue")
        for message, errors in catalog.check():
            problems += [f"{where}: {message.id!r}: {error}" for error in errors]
        for message in catalog:
            if not message.id or not message.string:
                continue
            sources = [message.id] if isinstance(message.id, str) else list(message.id)
            targets = [message.string] if isinstance(message.string, str) else list(message.string)
            expected = set().union(*(_fields(s) for s in sources))
            for target in filter(None, targets):
                if _fields(target) != expected:
                    problems.append(
                        f"{where}: {message.id!r}: placeholders {sorted(_fields(target))} != {sorted(expected)}"
                    )
        if language in RELEASED_LANGUAGES:
            translated = {
                message.id if isinstance(message.id, str) else "\x00".join(message.id)
                for message in catalog
                if message.id
                and not message.fuzzy
                and all(message.string if isinstance(message.string, tuple) else [message.string])
            }
            problems += [f"{where}: not translated: {msgid!r}" for msgid in sorted(template - translated)]
            problems += [f"{where}: fuzzy: {m.id!r}" for m in catalog if m.id and m.fuzzy]
    return problems


def check(root: Path = PROJECT) -> int:
    problems = pot_problems(root) + catalogue_problems(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{POT} is current; {len(catalogues(root))} catalogue(s) well-formed")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    commands = {
        "extract": lambda: extract(),
        "update": lambda: update(),
        "compile": lambda: compile_catalogues(),
    }
    wanted = argv or ["extract", "update", "compile", "check"]
    for command in wanted:
        if command == "check":
            if check():
                return 1
        elif command in commands:
            commands[command]()
        else:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
