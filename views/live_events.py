"""The route phones follow a live quiz by in push mode (views/live_follow.py): server-sent events.

`GET /live/events?run=<run id>&v=<version>&p=<phase>` answers with a stream (text/event-stream)
that sends `data: <version>` each time the run's version or effective phase differs from the last
one the stream knew, starting from the `v` and `p` the page was built with (a page already behind
gets an event at once). An open question whose deadline passes reads as closed without a new
version: that sends an event too. A comment line every PING_SECONDS keeps proxies from closing an
idle stream and lets the server notice a phone that went away. The stream ends once the run has
ended; a run that is deleted meanwhile (with its workshop) sends `data: 0` and ends.

Each process has one watcher per run followed, not one query per connection: the watcher reads the
run through services.live.cached_run_state every WATCH_SECONDS (at most one query per cache
interval for the whole process) and wakes the streams of that run when it moves on. The run's state
is in the database, so a change made by the trainer in any process reaches every process's phones.
The route tells nothing but a run's version and phase, so it needs no login.

serve.py mounts it on Streamlit's own server (`st.App(routes=...)`); nothing here imports
Streamlit's page API.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from quizzes.live import Phase
from services import live
from storage.engine import database_url, make_engine
from storage.errors import UNAVAILABLE_ERRORS

EVENTS_PATH: Final = "/live/events"
WATCH_SECONDS: Final = 0.25
PING_SECONDS: Final = 15.0
RETRY_MS: Final = 2000
_PHASES: Final = frozenset(phase.value for phase in Phase)

log = logging.getLogger(__name__)


@functools.cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine(database_url())


@dataclass(frozen=True)
class Seen:
    """A run's version and effective phase, as a page or a stream last knew them (phase None: any)."""

    version: int
    phase: str | None


def differs(seen: Seen, now: Seen) -> bool:
    """True when `now` is news to whoever knew `seen`."""
    return now.version != seen.version or (seen.phase is not None and now.phase != seen.phase)


def parse(query: dict[str, str]) -> tuple[int, Seen] | str:
    """(run id, what the page knew) of the route's query, or the problem with it in words."""
    run, version, phase = query.get("run", ""), query.get("v", ""), query.get("p") or None
    if not run.isdigit() or len(run) > 18:
        return "run must be a live quiz's id (a whole number)"
    if not version.isdigit() or len(version) > 18:
        return "v must be the run's version the page was built with (a whole number)"
    if phase is not None and phase not in _PHASES:
        return f"p must be one of {', '.join(sorted(_PHASES))}"
    return int(run), Seen(int(version), phase)


def _seen(state: live.RunState | None) -> Seen | None:
    return None if state is None else Seen(state.version, state.phase.value)


class Watcher:
    """Follows one run for every stream of this process that follows it, on the server's event loop."""

    def __init__(self, run_id: int, first: Seen, read: Callable[[int], Seen | None]) -> None:
        self.run_id = run_id
        self.now: Seen | None = first
        self._read = read
        self._changed = asyncio.Event()
        self.streams = 0
        self._task: asyncio.Task[None] | None = None

    def changed(self) -> asyncio.Event:
        """The event set at the next change (a new one after each change)."""
        return self._changed

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while self.streams > 0:
            await asyncio.sleep(WATCH_SECONDS)
            try:
                now = await asyncio.to_thread(self._read, self.run_id)
            except UNAVAILABLE_ERRORS:
                log.warning("database unavailable while watching live run %s; trying again", self.run_id)
                continue
            self.update(now)

    def update(self, now: Seen | None) -> None:
        if now != self.now:
            self.now = now
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()


_WATCHERS: dict[tuple[int, int], Watcher] = {}  # (id of the event loop, run id) -> its watcher


def _read(run_id: int) -> Seen | None:
    return _seen(live.cached_run_state(engine(), run_id))


def watcher(run_id: int, first: Seen, read: Callable[[int], Seen | None] = _read) -> Watcher:
    """The process's watcher of a run (one per event loop), started."""
    key = (id(asyncio.get_running_loop()), run_id)
    found = _WATCHERS.get(key)
    if found is None:
        found = _WATCHERS[key] = Watcher(run_id, first, read)
    return found


async def stream(follower: Watcher, seen: Seen, ping_seconds: float = PING_SECONDS) -> AsyncIterator[str]:
    """The text of one phone's stream: an event each time the run moves on from what it last knew."""
    follower.streams += 1
    follower.start()
    try:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            changed = follower.changed()
            now = follower.now
            if now is None:
                yield "data: 0\n\n"  # the run is gone (deleted with its workshop): the page finds out on its run
                return
            if differs(seen, now):
                yield f"data: {now.version}\n\n"
                seen = now
                if now.phase == Phase.ENDED.value:
                    return
                continue
            try:
                await asyncio.wait_for(changed.wait(), ping_seconds)
            except TimeoutError:
                yield ": ping\n\n"
    finally:
        follower.streams -= 1
        if follower.streams <= 0:
            for key, held in list(_WATCHERS.items()):
                if held is follower:
                    del _WATCHERS[key]


async def events(request: Request) -> Response:
    parsed = parse(dict(request.query_params))
    if isinstance(parsed, str):
        return PlainTextResponse(parsed, status_code=400)
    run_id, seen = parsed
    try:
        first = await asyncio.to_thread(_read, run_id)
    except UNAVAILABLE_ERRORS:
        log.exception("database unavailable when a phone asked to follow live run %s", run_id)
        return PlainTextResponse("the database cannot be reached right now", status_code=503)
    if first is None:
        return PlainTextResponse(f"no live quiz with id {run_id}", status_code=404)
    follower = watcher(run_id, first)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(follower, seen), media_type="text/event-stream", headers=headers)


def routes() -> list[Route]:
    return [Route(EVENTS_PATH, events, methods=["GET"])]
