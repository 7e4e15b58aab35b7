"""The retention of workshop data, kept by the site itself: each server process deletes the data of
workshops older than the retention (services.workshops.purge_expired_workshops) when it starts and
then once a day, so what the start page states holds without a scheduled job. Several processes
purging at once is harmless: the purge is one transaction, and a second finds nothing to delete.
`python -m accounts.purge` does the same from the command line."""

from __future__ import annotations

import asyncio
import logging

from services import workshops as ws
from storage.engine import database_url, make_engine
from storage.errors import UNAVAILABLE_ERRORS, SchemaError

PURGE_EVERY_SECONDS = 24 * 60 * 60

log = logging.getLogger(__name__)


def purge_once() -> int:
    """Delete what has expired; how many workshops went. Problems are logged, never raised: the site
    keeps serving, and the next day's run tries again."""
    engine = make_engine(database_url())
    try:
        deleted = ws.purge_expired_workshops(engine)
    except ws.RetentionError as error:
        log.error("workshop data is not purged: %s (SMM_WORKSHOP_RETENTION_DAYS)", error)
        return 0
    except (SchemaError, *UNAVAILABLE_ERRORS):
        log.exception("workshop data could not be purged now; trying again in a day")
        return 0
    finally:
        engine.dispose()
    for workshop in deleted:
        log.info(
            "deleted workshop %s (%s) after the retention, with %d participants",
            workshop.workshop_id, workshop.code, workshop.participants,
        )  # fmt: skip
    return len(deleted)


async def purge_daily() -> None:
    """Purge now and then every PURGE_EVERY_SECONDS, in a worker thread (the purge is blocking I/O)."""
    while True:
        await asyncio.to_thread(purge_once)
        await asyncio.sleep(PURGE_EVERY_SECONDS)
