"""Command line for quiz banks.

    python -m quizzes import-gift FILE.gift --out BANK.toml [--id ID] [--title TITLE]
                                  [--lesson LESSON] [--feedback instant|end]
        read a Moodle GIFT file into a bank; list what was skipped, by line
    python -m quizzes export-gift BANK.toml [--out FILE.gift] [--language nl]
        write a bank as Moodle GIFT (to standard output without --out); --language: in that
        language, from the bank's overlay (quizzes/bank/nl/<id>.toml beside the bank)
    python -m quizzes import-moodle-xml FILE.xml --out BANK.toml [--id ID] [--title TITLE]
                                        [--lesson LESSON] [--feedback instant|end]
        read a Moodle XML file into a bank, with its pictures (embedded, or files in the XML
        file's folder); list what was skipped and what was left out, by line
    python -m quizzes export-moodle-xml BANK.toml [--out FILE.xml] [--language nl]
        write a bank as Moodle XML, pictures included (to standard output without --out)
    python -m quizzes check [--dir DIR]
        validate every bank in quizzes/bank/

Exit codes: 0 success, 1 problems in a bank, 2 bad input (missing or unreadable
file, not UTF-8, malformed or hostile XML, nothing importable, bad option).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from content.ids import QUIZ_ID
from content.overlay import is_master, language_argument
from content.report import EXIT_CONTENT, report_problems
from content.toml_lines import key_lines
from quizzes.bank_toml import bank_to_toml
from quizzes.gift import export_gift, parse_gift, slug
from quizzes.images import MAX_IMAGE_BYTES
from quizzes.importing import NotUtf8Text, QuizExport, QuizImport, suggested_title, utf8_text
from quizzes.loader import BANK_DIR, load_bank, load_banks, parse_bank
from quizzes.model import FEEDBACK_MODES, Bank
from quizzes.moodle_xml import MAX_XML_BYTES, export_moodle_xml, parse_moodle_xml
from quizzes.overlay import overlay_dir, translate_banks

EXIT_INPUT = 2


class InputError(Exception):
    """Bad input from the person running the command: exit 2 with this message."""


def read_text(name: str) -> str:
    try:
        return utf8_text(read_bytes(name))
    except NotUtf8Text as error:
        raise InputError(f"{name}:{error.line}: not UTF-8 text (byte {error.byte}); save the file as UTF-8") from None


def read_bytes(name: str, limit: int | None = None) -> bytes:
    path = Path(name)
    try:
        with path.open("rb") as handle:
            data = handle.read(-1 if limit is None else limit + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read the file: {error.strerror or error}") from None
    if limit is not None and len(data) > limit:
        raise InputError(f"{name}: the file is larger than {limit // (1024 * 1024)} MB; refused")
    return data


class FolderFiles(Mapping[str, bytes]):
    """The files in a folder and below it, by relative path, read when asked for: the pictures a
    Moodle XML file refers to (<img src="pics/a.png">). Nothing outside the folder is read, and no
    file bigger than a picture may be."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def _path(self, key: str) -> Path | None:
        path = (self.folder / key).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path

    def __getitem__(self, key: str) -> bytes:
        path = self._path(key)
        if path is None:
            raise KeyError(key)
        try:
            with path.open("rb") as handle:
                return handle.read(MAX_IMAGE_BYTES + 1)  # a bigger file is refused as a picture
        except OSError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return (str(p.relative_to(self.folder).as_posix()) for p in self.folder.rglob("*") if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


def import_gift(args: argparse.Namespace) -> int:
    if Path(args.out).resolve() == Path(args.file).resolve():
        raise InputError(f"{args.out}: --out must not be the GIFT file itself")
    return write_import(args, parse_gift(read_text(args.file), args.file))


def import_moodle_xml(args: argparse.Namespace) -> int:
    if Path(args.out).resolve() == Path(args.file).resolve():
        raise InputError(f"{args.out}: --out must not be the XML file itself")
    data = read_bytes(args.file, MAX_XML_BYTES)
    result = parse_moodle_xml(data, args.file, FolderFiles(Path(args.file).parent))
    if result.error:
        raise InputError(f"{args.file}: {result.error}")
    return write_import(args, result)


def write_import(args: argparse.Namespace, result: QuizImport) -> int:
    bank_id = args.id or slug(Path(args.out).stem) or "imported"
    if not QUIZ_ID.is_valid(bank_id):
        raise InputError(f"--id {QUIZ_ID.problem(bank_id, 'bank id')}")
    report = [f"{args.file}:{line}: skipped: {reason}" for line, reason in result.skipped]
    report += [f"{args.file}:{line}: note: {note}" for line, note in result.warnings]
    if not result.questions:
        print("\n".join(report))
        raise InputError(f"{args.file}: nothing importable ({len(result.skipped)} question(s) skipped)")
    bank = result.to_bank(
        bank_id,
        args.title or suggested_title(result.category, args.file) or "Imported quiz",
        lesson=args.lesson or "",
        feedback=args.feedback,
    )
    toml_text = bank_to_toml(bank)
    checked, problems = parse_bank(tomllib.loads(toml_text), args.out, key_lines(toml_text))
    if problems or checked is None:  # pragma: no cover - the importers only make valid questions
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_CONTENT
    try:
        Path(args.out).write_text(toml_text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{args.out}: cannot write the file: {error.strerror or error}") from None
    print(
        f"Imported {len(result.questions)} question(s) from {args.file} into {args.out}; "
        f"skipped {len(result.skipped)}, with {len(result.warnings)} note(s)."
    )
    if report:
        print("\n".join(report))
    return 0


def _bank_to_export(args: argparse.Namespace) -> Bank | int:
    """The bank to export, in --language; or the exit code of its problems."""
    path = Path(args.bank)
    if not path.is_file():
        raise InputError(f"{args.bank}: {'is a folder, not a file' if path.is_dir() else 'file not found'}")
    bank, problems = load_bank(path)
    if problems or bank is None:
        return report_problems(problems, sys.stderr)
    if args.language and not is_master(args.language):
        overlay_file = overlay_dir(path.parent, args.language) / f"{bank.id}.toml"
        if not overlay_file.is_file():
            raise InputError(f"{overlay_file}: no {args.language} translation of bank {bank.id!r}")
        (bank,), problems = translate_banks((bank,), path.parent, args.language)
        if problems:
            return report_problems(problems, sys.stderr)
    return bank


def export(args: argparse.Namespace) -> int:
    return write_export(args, export_gift)


def export_xml(args: argparse.Namespace) -> int:
    return write_export(args, export_moodle_xml)


def write_export(args: argparse.Namespace, exporter: Callable[[Bank], QuizExport]) -> int:
    bank = _bank_to_export(args)
    if isinstance(bank, int):
        return bank
    exported = exporter(bank)
    for warning in exported.warnings:
        print(f"{bank.file}: warning: {warning}", file=sys.stderr)
    if args.out is None:
        sys.stdout.write(exported.text)
        return 0
    try:
        Path(args.out).write_text(exported.text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{args.out}: cannot write the file: {error.strerror or error}") from None
    written = len(bank.questions) - len(exported.not_exported)
    print(f"Wrote {written} question(s) of {bank.file} to {args.out}.")
    return 0


def check(args: argparse.Namespace) -> int:
    directory = Path(args.dir)
    if not directory.is_dir():
        raise InputError(f"{args.dir}: no such folder")
    banks, problems = load_banks(directory)
    if problems:
        return report_problems(problems, sys.stderr)
    if not banks:
        print(f"{args.dir}: no quiz banks (*.toml) found.", file=sys.stderr)
        return EXIT_CONTENT
    count = sum(len(b.questions) for b in banks)
    print(f"{len(banks)} quiz bank(s), {count} questions: OK")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quizzes", description="Quiz banks: GIFT and Moodle XML import/export, checks."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command, what, suffix in (("import-gift", "GIFT", "gift"), ("import-moodle-xml", "Moodle XML", "xml")):
        importing = commands.add_parser(command, help=f"read a {what} file into a bank")
        importing.add_argument("file", help=f"the {what} file" + (" (UTF-8)" if suffix == "gift" else ""))
        importing.add_argument("--out", required=True, help="the bank file to write (TOML)")
        importing.add_argument("--id", help="bank id (default: from the --out file name)")
        importing.add_argument("--title", help="bank title (default: the last category, else the file name)")
        importing.add_argument("--lesson", help="the lesson this bank checks (default: none)")
        importing.add_argument("--feedback", choices=FEEDBACK_MODES, default="instant", help="default: %(default)s")
    for command, what, suffix in (("export-gift", "GIFT", "gift"), ("export-moodle-xml", "Moodle XML", "xml")):
        exporting = commands.add_parser(command, help=f"write a bank as {what}")
        exporting.add_argument("bank", help="the bank file (TOML)")
        exporting.add_argument("--out", help=f"the .{suffix} file to write (default: standard output)")
        exporting.add_argument(
            "--language",
            type=language_argument,
            help="export the bank's translation (its overlay in BANK's folder/LANG/)",
        )
    checking = commands.add_parser("check", help="validate all banks; exit 1 with the messages")
    checking.add_argument("--dir", default=str(BANK_DIR), help="folder of banks (default: quizzes/bank)")
    args = parser.parse_args(argv)

    handlers = {
        "import-gift": import_gift,
        "export-gift": export,
        "import-moodle-xml": import_moodle_xml,
        "export-moodle-xml": export_xml,
        "check": check,
    }
    try:
        return handlers[args.command](args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
