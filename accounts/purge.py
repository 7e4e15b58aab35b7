"""python -m accounts.purge: delete the data of workshops held longer ago than the retention
(docs/workshops.md, "Retention"): SMM_WORKSHOP_RETENTION_DAYS days, 365 when unset, or --days N.

Each workshop goes with its participants' visits, rounds, answers, lessons and quiz attempts; its
organisation and trainer stay. Meant for a daily scheduled job. It lives beside `python -m accounts`
because the command line goes through the use cases (storage may not import them). Exit 0 when
done (also when nothing had expired), 2 for a retention that is not a whole number of days of at
least 1, 1 when the database cannot be used.
"""

from __future__ import annotations

import argparse
import sys

from accounts.database import BAD_INPUT, UNAVAILABLE, open_engine_or_explain
from services import workshops as ws
from services.accounts import StorageBusy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accounts.purge",
        description="Delete the data of workshops held longer ago than the retention.",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help=f"keep workshops this many days after their date (default: ${ws.RETENTION_ENV} or {ws.RETENTION_DAYS})",
    )
    args = parser.parse_args(argv)
    try:
        days = ws.retention_days() if args.days is None else args.days
        if days < 1:
            raise ws.RetentionError(str(days))
    except ws.RetentionError as error:
        print(f"error: {error}; nothing was deleted", file=sys.stderr)
        return BAD_INPUT
    engine = open_engine_or_explain()
    if engine is None:
        return UNAVAILABLE
    try:
        deleted = ws.purge_expired_workshops(engine, retention=days)
    except StorageBusy:
        print("error: the database is busy or unreachable; nothing was deleted, try again", file=sys.stderr)
        return UNAVAILABLE
    finally:
        engine.dispose()
    if not deleted:
        print(f"no workshop is older than {days} days; nothing was deleted")
    for workshop in deleted:
        print(f"deleted workshop {workshop.code} ({workshop.name}) with {workshop.participants} participant(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
