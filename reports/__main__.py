"""python -m reports: the management report from the command line (docs in `reports/__init__.py`).

  list
      every organisation with its waves, as JSON on standard output: id, name, sector, default
      language, waves (id, name, opened_at, closed_at, respondents; null under the wave's threshold)
  organisation ORG --out report.pdf [--wave WAVE] [--language en|nl|da] [--charts DIR] [--data DIR]
      the report of the organisation's wave as a PDF; ORG is an id or a name, WAVE an id or a name
      (default: the latest wave); the language is the organisation's unless given. --charts writes
      every chart as PNG and SVG into DIR, --data every table as CSV and the Excel workbook.

The anonymity rules are the dashboard's: a group under its wave's threshold shows no figure. No
account is asked: whoever runs this holds the database already. Exit 0 when done; 2 with a one-line
reason on standard error for an unknown organisation or wave, a database that cannot be reached or
whose schema is behind (or ahead of) this code; 1 when the report could not be made or written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import Engine

from assessment.loader import load_model, model_path
from content.problems import ContentError
from i18n import set_language
from learning.content import load_course
from reporting.management_report import LANGUAGES, report_files
from reporting.pdf import ReportError
from services import reports
from services.reports import (
    DatabaseUnavailable,
    SchemaAhead,
    SchemaBehind,
    StorageBusy,
    UnknownOrganisation,
    UnknownWave,
)

REFUSED = 2
FAILED = 1


class _Failed(Exception):
    """A one-line reason the command could not do its work."""

    def __init__(self, message: str, code: int = REFUSED) -> None:
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description="Management reports of organisations' measurement waves, without exposing anyone.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every organisation with its waves, as JSON")
    one = commands.add_parser("organisation", help="the report of an organisation's wave as a PDF")
    one.add_argument("organisation", metavar="ORG", help="the organisation's id or exact name")
    one.add_argument("--wave", default=None, help="the wave's id or name (default: the latest)")
    one.add_argument("--out", required=True, type=Path, help="where to write the PDF, e.g. report.pdf")
    one.add_argument("--language", choices=LANGUAGES, default=None, help="default: the organisation's language")
    one.add_argument("--scope", choices=("all", "sector"), default="all", help="benchmark against (default: all)")
    one.add_argument("--charts", type=Path, default=None, metavar="DIR", help="also write every chart as PNG and SVG")
    one.add_argument("--data", type=Path, default=None, metavar="DIR", help="also write the tables as CSV and Excel")
    return parser


def _open() -> Engine:
    try:
        return reports.open_engine()
    except SchemaBehind:
        raise _Failed("the database schema is behind; run `python -m storage upgrade` first") from None
    except SchemaAhead:
        raise _Failed("the database was migrated by a newer release than this code") from None
    except DatabaseUnavailable as error:
        raise _Failed(f"the database cannot be reached ({error}); check SMM_DATABASE_URL") from None


def _write(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as error:
        raise _Failed(f"cannot write {path}: {error.strerror or error}", FAILED) from None


def _organisation(engine: Engine, args: argparse.Namespace) -> None:
    try:
        entry = reports.find_organisation(engine, args.organisation)
    except UnknownOrganisation:
        raise _Failed(
            f"no organisation with the id or name {args.organisation!r}; `python -m reports list` shows them"
        ) from None
    try:
        wave = reports.find_wave(entry, args.wave)
    except UnknownWave:
        names = ", ".join(repr(w.name) for w in entry.waves) or "none"
        raise _Failed(f"{entry.name!r} has no wave {args.wave!r}; its waves: {names}") from None
    language = args.language or (entry.default_language if entry.default_language in LANGUAGES else "en")
    set_language(language)
    try:
        model = load_model(model_path(), language)
    except ContentError as error:
        raise _Failed(f"the assessment model cannot be read: {error}", FAILED) from None
    course = load_course(model, language=language)
    try:
        files = report_files(
            model,
            reports.operator_report(
                engine, entry.id, None if wave is None else wave.id, model, course, scope=args.scope
            ),
            language,
        )
    except ReportError as error:
        first_line = str(error).splitlines()[0] if str(error) else "Typst failed"
        raise _Failed(f"the PDF could not be made: {first_line}", FAILED) from None
    _write(args.out, files.pdf)
    print(f"wrote {args.out}")
    if args.charts is not None:
        for name, content in files.charts.items():
            _write(args.charts / f"{files.stem}-{name}", content)
        print(f"wrote {len(files.charts)} chart files to {args.charts}")
    if args.data is not None:
        for name, content in files.data.items():
            _write(args.data / f"{files.stem}-{name}", content)
        print(f"wrote {len(files.data)} data files to {args.data}")
    if wave is None or wave.respondents is None:
        print(
            "note: the wave has fewer respondents than its threshold (or there is no wave): the report has no figures"
        )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        engine = _open()
    except _Failed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.code
    try:
        if args.command == "list":
            print(json.dumps(reports.list_organisations_and_waves(engine), indent=2, ensure_ascii=False))
        else:
            _organisation(engine, args)
        return 0
    except _Failed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.code
    except (StorageBusy, DatabaseUnavailable):
        print("error: the database is busy or unreachable; try again", file=sys.stderr)
        return REFUSED
    except Exception as error:  # noqa: BLE001 - a command line says what failed in one line, never a traceback
        print(f"error: the report could not be made ({type(error).__name__}: {error})", file=sys.stderr)
        return FAILED
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
