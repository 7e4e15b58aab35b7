"""python -m demo: demo data for the management dashboard (issue 15).

  seed [--scale S] [--managers] [--again] [--seed N]
      fill the database (SMM_DATABASE_URL, else the SQLite file) with the demo organisations, their
      departments, two measurement waves each and their respondents. No account is made unless
      --managers: then a manager account per organisation (manager-<name>) and the trainer
      demo-trainer with a workshop in each, their generated passwords printed once.
  empty
      exit 0 when the database has no organisation at all, 1 when it has (scripts/serve asks then).

Exit codes: 0 done; 1 refused (the demo organisations or a demo account exist already; --again makes
a second seed add nothing and exit 0); 2 the database cannot be used (unreachable, or its schema is
behind: run `python -m storage upgrade` first).
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from demo.seed import AccountsExist, AlreadySeeded, SeedReport, is_empty, seed
from learning.content import load_course
from services.accounts import open_engine
from services.dashboard import wave_statistics
from services.results import current_model
from storage.engine import database_url
from storage.errors import SchemaAhead, SchemaBehind, StorageBusy

DONE = 0
REFUSED = 1
UNUSABLE = 2


class _Unusable(Exception):
    """The database cannot be used; the message says why, in one line."""


def _where() -> str:
    return make_url(database_url()).render_as_string(hide_password=True)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _open() -> Engine:
    try:
        return open_engine()
    except SchemaBehind as error:
        raise _Unusable(f"the database schema is behind; run `python -m storage upgrade` first ({_where()})") from error
    except SchemaAhead as error:
        raise _Unusable(f"the database at {_where()} was migrated by a newer release than this code") from error
    except (DBAPIError, StorageBusy) as error:
        raise _Unusable(f"the database at {_where()} cannot be reached: {_first_line(error)}") from error


def _scale(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError("the scale is a number above 0 and at most 10 (1: 20-120 respondents a wave)")
    return value


def _print_report(report: SeedReport) -> None:
    closed = sum(w.closed for o in report.organisations for w in o.waves)
    print(
        f"Seeded {len(report.organisations)} demo organisations, {report.waves} waves ({closed} closed), "
        f"{report.respondents} respondents, {report.completed_rounds} completed rounds, {report.answers} answers "
        f"in {report.seconds:.1f} s."
    )
    for organisation in report.organisations:
        waves = "; ".join(
            f"{w.name} {'closed' if w.closed else 'open'}, {w.responses} responses" for w in organisation.waves
        )
        print(f"  {organisation.name}: {waves}")
    if report.accounts:
        print(
            "Demo accounts (the passwords are shown this once; change one with `python -m accounts set-password NAME`):"
        )
        for account in report.accounts:
            what = f"manager of {account.organisation}" if account.organisation else "trainer of a workshop in each"
            print(f"  {account.username:<24} {account.password}  {what}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Demo data for the management dashboard: synthetic organisations, waves and respondents.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed", help="fill the database with the demo organisations")
    seeding.add_argument(
        "--scale", type=_scale, default=1.0, help="times the respondents per wave (default 1: 20-120 a wave)"
    )
    seeding.add_argument(
        "--managers",
        action="store_true",
        help="also make a manager account per organisation and a trainer, printing their passwords once",
    )
    seeding.add_argument(
        "--again", action="store_true", help="when the demo organisations exist already, add nothing and exit 0"
    )
    seeding.add_argument("--seed", type=int, default=2027, help="the random seed (the same seed, the same answers)")
    commands.add_parser("empty", help="exit 0 when the database has no organisation, 1 when it has")
    args = parser.parse_args(argv)

    try:
        engine = _open()
        try:
            if args.command == "empty":
                return DONE if is_empty(engine) else REFUSED
            try:
                model = current_model()
                report = seed(
                    engine,
                    model,
                    rng_seed=args.seed,
                    scale=args.scale,
                    managers=args.managers,
                    statistics=lambda wave_id: wave_statistics(engine, wave_id, model),
                    course=load_course(model),
                )
            except AlreadySeeded as error:
                if args.again:
                    print(f"{error}; nothing was added")
                    return DONE
                print(f"error: {error}; nothing was added (--again exits 0 in this case)", file=sys.stderr)
                return REFUSED
            except AccountsExist as error:
                print(f"error: {error}; nothing was added (run without --managers, or rename them)", file=sys.stderr)
                return REFUSED
            _print_report(report)
            return DONE
        except (DBAPIError, StorageBusy) as error:
            raise _Unusable(f"the database at {_where()} failed: {_first_line(error)}") from error
        finally:
            engine.dispose()
    except _Unusable as error:
        print(f"error: {error}", file=sys.stderr)
        return UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
