"""Translation catalogues: extract, update, compile and check, with Babel. Run it as `scripts/i18n`.

Usage: scripts/i18n.py [extract|update|compile|check]   (no argument: all four in that order)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # run as a script: the project's packages are beside scripts/

from content.catalogue import catalogue_languages, check_catalogue, message_key, read_catalogue  # noqa: E402
from content.overlay import RELEASED_LANGUAGES  # noqa: E402, F401 - re-exported for the tests

DOMAIN = "site"
POT = Path("locales") / f"{DOMAIN}.pot"
KEYWORDS = ("_", "ngettext:1,2", "pgettext:1c,2", "N_")
# Folders without user-facing strings of the site (".*" also skips .venv).
IGNORE_DIRS = ".* ._ tests benchmarks scripts data docs locales"
# Languages offered as complete (content.overlay.RELEASED_LANGUAGES): their catalogue must translate
# every string, with nothing fuzzy. Any other catalogue may be partial (missing entries show in
# English) but must be well-formed.


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
    drop_percent_format_flags(target)


def drop_percent_format_flags(path: Path) -> None:
    """The site's strings use {brace} placeholders only. Babel guesses printf-style `%` formats from
    any "%" followed by a letter ("100 % of", "{n} % in place") and would then hold a translation
    that writes "67%" or "67 procent" to the guessed format and refuse to compile it; the guessed
    `python-format` flags are removed."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("#,") and "python-format" in line:
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "python-format"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags) + "\n"
        lines.append(line)
    path.write_text("".join(lines), encoding="utf-8")


def update(root: Path = PROJECT) -> None:
    if not catalogues(root):
        print("no catalogues to update: English is the only language")
        return
    pybabel("update", "-i", str(root / POT), "-d", str(root / "locales"), "-D", DOMAIN)
    for path in catalogues(root):
        drop_percent_format_flags(path)


def compile_catalogues(root: Path = PROJECT) -> None:
    """site.po -> site.mo for every language. Babel's own compile command would also hold each
    translation to a printf-style format it guesses from "%" signs (see drop_percent_format_flags)
    and fail; the checks that matter (placeholders, plurals, completeness) are `check`'s."""
    if not catalogues(root):
        print("no catalogues to compile: English is the only language")
        return
    for path in catalogues(root):
        catalog = read_catalogue(path, path.parents[1].name)
        if catalog.fuzzy:
            print(f"{path.relative_to(root)}: the header is marked fuzzy, so it is not compiled", file=sys.stderr)
            continue
        translated = sum(1 for message in catalog if message.id and message.string and not message.fuzzy)
        with open(path.with_suffix(".mo"), "wb") as handle:
            write_mo(handle, catalog)
        print(f"{path.relative_to(root)}: {translated} of {len([m for m in catalog if m.id])} messages compiled")


def _ids(catalog: Catalog) -> set[str]:
    return {message_key(message) for message in catalog if message.id}


def pot_problems(root: Path = PROJECT) -> list[str]:
    """Differences between the committed .pot and a fresh extraction from the source."""
    committed = root / POT
    if not committed.is_file():
        return [f"{POT} is missing: run scripts/i18n extract"]
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / f"{DOMAIN}.pot"
        extract(root, fresh)
        current, stored = _ids(read_catalogue(fresh)), _ids(read_catalogue(committed))
    problems = [f"not in {POT}: {msgid!r}" for msgid in sorted(current - stored)]
    problems += [f"in {POT} but no longer in the source: {msgid!r}" for msgid in sorted(stored - current)]
    if problems:
        problems.append("run scripts/i18n extract (and update) and commit locales/")
    return problems


def catalogue_problems(root: Path = PROJECT) -> list[str]:
    """Each .po against the template (content.catalogue): Babel's checks, the same {placeholders} as
    the English, and, for a released language, every string translated with nothing fuzzy."""
    problems: list[str] = []
    for language in catalogue_languages(root / "locales"):
        _counts, found = check_catalogue(root / "locales", language)
        problems += [str(problem) for problem in found]
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
