"""How phones follow a live run (views/live_follow.py, views/live_events.py): the follow mode from the
environment, when a page is behind its run, the route's query, and the event stream, both through a
watcher moved by hand (a deadline passing without a new version; the end) and through the route's
handler called as Starlette calls it, on a run driven through the services."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import StreamingResponse

from quizzes.live import Action, Phase
from services import live
from tests.workshop_fixtures import BANK, T0, make_workshop, user
from views import live_events, live_follow
from views.live_events import Seen

# Generous bounds for a stream's next line: a failing test waits this long, a passing one does not.
NEXT_LINE = 10.0


def test_the_follow_mode_comes_from_the_environment_with_push_as_default() -> None:
    assert live_follow.mode_from({}) == "push"
    assert live_follow.mode_from({"SMM_LIVE_FOLLOW": "push"}) == "push"
    assert live_follow.mode_from({"SMM_LIVE_FOLLOW": " Poll "}) == "poll"
    assert live_follow.mode_from({"SMM_LIVE_FOLLOW": "websocket"}) == "push"


def state(version: int, phase: Phase, run_id: int = 7) -> live.RunState:
    return live.RunState(
        run_id, 1, "mini", phase, 0, ("q1",), 20, None, None, version, True, False, T0
    )  # fmt: skip


def test_a_page_is_behind_when_the_version_or_the_effective_phase_changed() -> None:
    built = live_follow.mark_of(state(3, Phase.OPEN))
    assert not live_follow.moved(built, state(3, Phase.OPEN))
    assert live_follow.moved(built, state(4, Phase.OPEN))
    assert live_follow.moved(built, state(3, Phase.CLOSED))  # the deadline passed: same version
    assert live_follow.moved(built, state(3, Phase.OPEN, run_id=8))
    assert live_follow.moved(built, None)  # the run is gone
    assert live_follow.events_url(built) == "live/events?run=7&v=3&p=open"


def test_the_routes_query_is_checked() -> None:
    assert live_events.parse({"run": "7", "v": "3", "p": "open"}) == (7, Seen(3, "open"))
    assert live_events.parse({"run": "7", "v": "3"}) == (7, Seen(3, None))
    for bad in ({"run": "x", "v": "3"}, {"run": "7", "v": "-1"}, {"run": "7", "v": "3", "p": "opened"}, {}):
        assert isinstance(live_events.parse(bad), str)
    assert live_events.differs(Seen(3, "open"), Seen(3, "closed"))
    assert live_events.differs(Seen(3, None), Seen(4, "open"))
    assert not live_events.differs(Seen(3, None), Seen(3, "closed"))
    assert not live_events.differs(Seen(3, "open"), Seen(3, "open"))


def in_thread(coroutine: Any) -> Any:
    """Run in a thread of its own: other tests (the browser's) may leave an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _next(lines: Any) -> str:
    return await asyncio.wait_for(lines.__anext__(), NEXT_LINE)


def test_a_stream_sends_each_change_of_version_or_phase_and_ends_with_the_run() -> None:
    async def scenario() -> list[str]:
        follower = live_events.Watcher(7, Seen(3, "open"), lambda _run: Seen(3, "open"))
        lines = live_events.stream(follower, Seen(3, "open"), ping_seconds=NEXT_LINE)
        got = [await _next(lines)]  # retry
        waiting = asyncio.ensure_future(_next(lines))
        await asyncio.sleep(0)
        assert not waiting.done()  # nothing new: nothing sent
        follower.update(Seen(3, "closed"))  # the deadline passed
        got.append(await waiting)
        follower.update(Seen(4, "reveal"))
        got.append(await _next(lines))
        follower.update(Seen(5, "ended"))
        got.append(await _next(lines))
        try:
            await _next(lines)
        except StopAsyncIteration:
            got.append("end")
        assert follower.streams == 0
        return got

    assert in_thread(scenario()) == ["retry: 2000\n\n", "data: 3\n\n", "data: 4\n\n", "data: 5\n\n", "end"]


def test_a_page_already_behind_gets_an_event_at_once_and_a_quiet_stream_pings() -> None:
    async def scenario() -> list[str]:
        follower = live_events.Watcher(7, Seen(5, "open"), lambda _run: Seen(5, "open"))
        behind = live_events.stream(follower, Seen(4, None))
        quiet = live_events.stream(follower, Seen(5, "open"), ping_seconds=0.01)
        got = [await _next(behind), await _next(behind), await _next(quiet), await _next(quiet)]
        await behind.aclose()
        await quiet.aclose()
        return got

    assert in_thread(scenario()) == ["retry: 2000\n\n", "data: 5\n\n", "retry: 2000\n\n", ": ping\n\n"]


def request(query: dict[str, str]) -> Request:
    scope = {
        "type": "http", "method": "GET", "scheme": "http", "server": ("testserver", 80), "path": "/live/events",
        "root_path": "", "query_string": urlencode(query).encode(), "headers": [],
    }  # fmt: skip
    return Request(scope)


def test_the_route_refuses_a_bad_query_and_an_unknown_run(database: Path) -> None:
    async def statuses() -> list[int]:
        bad = await live_events.events(request({"run": "one", "v": "1"}))
        unknown = await live_events.events(request({"run": "999", "v": "1"}))
        return [bad.status_code, unknown.status_code]

    assert in_thread(statuses()) == [400, 404]


def test_the_route_streams_the_trainers_steps(database: Path, engine: Engine) -> None:
    trainer = user(engine, "anna")
    workshop = make_workshop(engine, trainer)
    run = live.start_run(engine, trainer, workshop.id, BANK, seconds=10)

    async def scenario() -> list[str]:
        response = await live_events.events(request({"run": str(run.run_id), "v": "1", "p": "lobby"}))
        assert isinstance(response, StreamingResponse)
        assert response.media_type == "text/event-stream"
        assert response.headers["cache-control"] == "no-store"
        lines = response.body_iterator
        got = [str(await _next(lines))]
        await asyncio.to_thread(live.control, engine, trainer, run.run_id, Action.OPEN, BANK)
        got.append(str(await _next(lines)))
        # Another process's control: the watcher reads it from the database (the cache forgets it here
        # too, which only makes it quicker).
        await asyncio.to_thread(
            live.control, engine, trainer, run.run_id, Action.END, BANK, now=live._now() + timedelta(seconds=1)
        )
        got.append(str(await _next(lines)))
        try:
            await _next(lines)
        except StopAsyncIteration:
            got.append("end")
        return got

    assert in_thread(scenario()) == ["retry: 2000\n\n", "data: 2\n\n", "data: 3\n\n", "end"]


def test_one_watcher_per_run_serves_every_stream_and_goes_with_the_last() -> None:
    reads: list[int] = []

    def read(run_id: int) -> Seen:
        reads.append(run_id)
        return Seen(1, "lobby")

    async def scenario() -> None:
        first = live_events.watcher(7, Seen(1, "lobby"), read)
        assert live_events.watcher(7, Seen(1, "lobby"), read) is first
        other = live_events.watcher(8, Seen(1, "lobby"), read)
        assert other is not first
        live_events._WATCHERS.pop((id(asyncio.get_running_loop()), 8))
        streams = [live_events.stream(first, Seen(1, "lobby"), ping_seconds=0.01) for _ in range(3)]
        for lines in streams:
            await _next(lines)
        assert first.streams == 3
        await asyncio.sleep(live_events.WATCH_SECONDS * 3)
        assert set(reads) == {7}  # only the watcher reads (streams and pings read nothing)
        for lines in streams:
            await lines.aclose()
        assert live_events.watcher(7, Seen(1, "lobby"), read) is not first  # the old one went with its streams

    in_thread(scenario())


def test_a_stream_of_a_run_that_is_deleted_says_so_and_ends() -> None:
    async def scenario() -> list[str]:
        follower = live_events.Watcher(7, Seen(2, "open"), lambda _run: Seen(2, "open"))
        lines = live_events.stream(follower, Seen(2, "open"), ping_seconds=NEXT_LINE)
        got = [await _next(lines)]
        follower.update(None)
        got.append(await _next(lines))
        try:
            await _next(lines)
        except StopAsyncIteration:
            got.append("end")
        return got

    assert in_thread(scenario()) == ["retry: 2000\n\n", "data: 0\n\n", "end"]
