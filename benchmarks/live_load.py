"""A live quiz, played at Streamlit's websocket protocol level against the real site.

    python benchmarks/live_load.py --participants N [--processes P] [--questions Q] [--follow poll|push|both]
                                   [--database sqlite|postgresql] [--answer-window MIN MAX] [--pause S]
                                   [--bank ID] [--seed N] [--timeout S] [--json FILE]

For each follow mode (both by default, one after the other), the site is started on a fresh database
with SMM_LIVE_FOLLOW set (one `streamlit run serve.py`, or `scripts/cluster P` behind nginx), and:

  join     N participants, each one websocket session of benchmarks/stclient.py, join the workshop by
           its code on the join page (/join?code=..., nickname, "Join") and open /live?t=<their token>
           (the contract is /work/wt/SHARED/LIVE-CONTRACT.md, kept in benchmarks/README.md);
  follow   every phone follows the run as the page asks: poll, the fragment's `run_every` auto-rerun
           played as the frontend's timer plays it; push, one server-sent events stream per phone on
           the url of the page's `smm_live_follow` component, each `data:` line answered with the
           component's trigger (a rerun_script carrying `json_trigger_value`), the stream reopened on
           the component's new url after each rerun;
  quiz     the trainer runs Q questions of the bank (fun-quiz, ten single-choice questions, by default):
           through the presenter page (/live-presenter, logged in with the `smm_session` cookie) when
           it offers the controls, else with services.live.control from this process (the output says
           which); each phone, once it shows "Question n of Q", waits a time drawn from --answer-window
           and clicks an option (the contract's `live_opt_<question>_<option>` buttons; `multiple`:
           checkboxes and `live_submit_<question>`), and the click is timed to the run that shows
           "Answer received".

Measured per mode: answers sent, acknowledged and stored (read from live_answers at the end), lost
(sent minus stored, acknowledged or not); the ack time p50/p95/p99 (the click's moment to the end of
the run that shows "Answer received", including any wait for the phone's own poll or push run in
flight, as a browser's click waits for the run the server is busy with); next_to_all (the trainer's
"open"/"next" to the last phone showing the new question's caption) per question, and per phone
p50/p95; the servers' CPU (utime+stime from /proc) as utilisation while the phones wait in the lobby
and during the quiz, and their peak RSS; errors (exception elements, error boxes, websocket failures,
timeouts, a phone that never showed a question or never acknowledged a click, server log errors).
The floor, once per run: the same N sessions idle on benchmarks/trivial_app.py (servers' CPU and RSS),
then one radio click each, spread over a few seconds (round trip p50/p95).

Exit status 1 on any lost answer or error; never on timings. See benchmarks/README.md, "Live quiz load".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import loadkit as kit  # noqa: E402

fmt = kit.fmt

kit.use_project_python()
sys.path.insert(0, str(kit.ROOT))

from stclient import ProtocolError, Session, Widget  # noqa: E402

FOLLOWS = ("poll", "push")
SESSION_COOKIE = "smm_session"  # views/session_routes.SESSION_COOKIE (not imported: it imports streamlit's server)
CAPTION = re.compile(r"^Question (\d+) of (\d+)$", re.MULTILINE)
ACK = "Answer received"
GIVEN = "Your answer: "  # the page's caption of the answer stored, once the question has closed
COMPONENT = "smm_live_follow"
# Alerts that are the page's content, not a failure: the reveal of a wrong answer.
EXPECTED_ALERTS = ("Not right:",)
TIMER_S = 20
IDLE_S = 5.0  # the servers' CPU with every session open and no one clicking
SETTLE_S = 2.0
TRAINER = "loadtrainer"
PASSWORD = "live load trainer password"
PRESENTER_PATH = "/live-presenter"


class FlowError(RuntimeError):
    """A page is not what the flow leads to, or lacks what a participant needs to go on."""


# Setting the scene, in storage ----------------------------------------------------------------------


@dataclass
class Scene:
    database_url: str
    trainer_id: int
    login_token: str
    workshop_id: int
    code: str


def make_scene(database_url: str) -> Scene:
    """A trainer with a login session and an open workshop of today, written through the services."""
    from services import accounts
    from services import workshops as ws
    from storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        trainer = accounts.create_user(engine, TRAINER, "Load trainer", "trainer", PASSWORD)
        token, _user = accounts.authenticate(engine, TRAINER, PASSWORD, None)
        org = ws.create_organisation(engine, trainer.id, "Load test", "retail", "10-49", "en", [])
        workshop = ws.create_workshop(engine, trainer.id, "Live load", org.id, date.today(), "en", "quick")
        return Scene(database_url, trainer.id, token, workshop.id, workshop.code)
    finally:
        engine.dispose()


def load_bank(bank_id: str, questions: int) -> Any:
    from quizzes.loader import BANK_DIR, load_banks

    banks, _problems = load_banks(BANK_DIR)
    bank = next((b for b in banks if b.id == bank_id), None)
    if bank is None:
        raise SystemExit(f"no bank {bank_id!r} among {[b.id for b in banks]}")
    if len(bank.questions) < questions:
        raise SystemExit(f"bank {bank_id!r} has {len(bank.questions)} questions, fewer than --questions {questions}")
    kinds = {q.type for q in bank.questions[:questions]}
    if not kinds <= {"single", "truefalse", "multiple"}:
        raise SystemExit(f"bank {bank_id!r}: the generator answers single, truefalse and multiple only, not {kinds}")
    return bank


def start_run(scene: Scene, bank: Any, questions: int) -> int:
    from services import live
    from storage.engine import make_engine

    engine = make_engine(scene.database_url)
    try:
        state = live.start_run(
            engine, scene.trainer_id, scene.workshop_id, bank, seconds=TIMER_S, question_count=questions
        )
        return state.run_id
    finally:
        engine.dispose()


# A phone --------------------------------------------------------------------------------------------


@dataclass
class Sent:
    question_id: str
    response: Any  # what the stored response must decode to
    acked: bool = False
    acked_closed: bool = False  # acknowledged by the closed question's "Your answer: …", not "Answer received"


async def play_timers(
    session: Session, lock: asyncio.Lock, stop: asyncio.Event, after: Callable[[], None] = lambda: None
) -> None:
    """A run of the page's first `run_every` fragment every interval, until `stop`."""
    while not stop.is_set():
        timers = dict(session.auto_reruns)
        if not timers:
            await asyncio.sleep(0.2)
            continue
        fragment_id, interval = next(iter(timers.items()))
        await asyncio.sleep(max(interval, 0.05))
        async with lock:
            if stop.is_set():
                break
            if fragment_id in session.auto_reruns:
                await session.rerun_fragment(fragment_id)
                after()


class Phone:
    """One participant's phone: a session on the live page, following the run, answering each question."""

    def __init__(self, index: int, url: str, seed: int, timeout: float, question_ids: tuple[str, ...] = ()) -> None:
        self.index = index
        self.url = url
        self.question_ids = question_ids  # the bank's, to read a key apart (ids may hold underscores)
        self.session = Session(url, timeout=timeout, name=f"phone {index}", expected_alerts=EXPECTED_ALERTS)
        self.rng = random.Random(f"{seed}:{index}")
        self.token = ""
        self.lock = asyncio.Lock()
        self.shown = 0  # the highest question number the page has shown
        self.shown_at: dict[int, float] = {}
        self.changed = asyncio.Event()
        self.sent: list[Sent] = []
        self.acks_ms: list[float] = []
        self.problems: list[str] = []
        self.follow_runs = 0
        self.events = 0

    async def locked(self, action: Callable[[], Awaitable[Any]]) -> None:
        """One run of the page at a time, as the one tab a participant has."""
        async with self.lock:
            await action()
            self.observe()

    def observe(self) -> None:
        found = [int(n) for n, _of in CAPTION.findall(self.session.text())]
        if found and max(found) > self.shown:
            self.shown = max(found)
            self.shown_at[self.shown] = time.perf_counter()
            self.changed.set()

    async def join(self, code: str) -> None:
        session = self.session
        await session.connect()
        await session.run(f"/join?code={code}")
        session.fill(session.widget("Nickname", "text_input"), f"Player {self.index:04d}")
        await session.click("Join")
        self.token = session.query().get("t", "")
        if not self.token:
            raise FlowError(f"no resume token after joining; the page shows {session.text()[:300]!r}")

    async def open_live(self) -> None:
        await self.locked(lambda: self.session.run(f"/live?t={self.token}"))
        if self.session.page_path != "live":
            raise FlowError(f"/live did not open: page {self.session.page_path!r}: {self.session.text()[:300]!r}")

    # Following the run ------------------------------------------------------------------------------

    async def timers(self, stop: asyncio.Event) -> None:
        """The frontend's timers of the page's `run_every` fragments (the live page's poll, the waiting
        page's), played in both follow modes as a browser plays them."""
        await play_timers(self.session, self.lock, stop, self._after_timer)

    def _after_timer(self) -> None:
        self.follow_runs += 1
        self.observe()

    def component(self) -> tuple[str, dict[str, Any]] | None:
        for widget_id, proto in self.session.components():
            if COMPONENT in getattr(proto, "component_name", ""):
                return widget_id, json.loads(proto.json) if proto.json else {}
        return None

    async def push(self, stop: asyncio.Event) -> None:
        """The component: a server-sent events stream on its url; each event is answered with its trigger,
        and the stream is opened again on the url of the component the rerun drew."""
        while not stop.is_set():
            found = self.component()
            if found is None or "url" not in found[1]:
                await asyncio.sleep(0.2)
                continue
            widget_id, data = found
            url = data["url"]
            async for event in sse(self.url, url, stop):
                self.events += 1
                trigger = json.dumps([{"event": "changed", "value": event}])
                states = {f"$$STREAMLIT_INTERNAL_KEY_{widget_id}__events": ("json_trigger_value", trigger)}
                self.follow_runs += 1
                # Drawn in the page's fragment, the component asks for a run of that fragment only.
                fragment_id = self.session.fragment_of(widget_id)
                await self.locked(partial(self.session.rerun, states=states, fragment_id=fragment_id))
                now = self.component()
                if now is None or now[1].get("url") != url:
                    break  # the real component closes the old stream and opens the new url
            else:
                if not stop.is_set():
                    await asyncio.sleep(0.5)  # the stream ended (the run ended): EventSource's retry

    # Answering --------------------------------------------------------------------------------------

    async def answer(self, number: int, since: float, window: tuple[float, float], wait_s: float) -> None:
        """Wait for question `number`, think, click an option; the click's time to "Answer received"."""
        deadline = since + wait_s
        while self.shown < number:
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise FlowError(f"question {number} not shown within {wait_s:.0f} s: {self.session.text()[-200:]!r}")
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        await asyncio.sleep(self.rng.uniform(*window))
        clicked = [time.perf_counter()]
        record: list[Sent] = []
        await self.locked(lambda: self._click(record, clicked))
        if any(body == ACK for kind, body in self.session.alerts() if kind == "success"):
            record[0].acked = True
            self.acks_ms.append((time.perf_counter() - clicked[0]) * 1000)
        elif self._shown_as_given(number):
            # Stored, but the timer ran out before the page's rerun: "Time is up" and "Your answer: …",
            # read from storage. An acknowledgement, late.
            record[0].acked = record[0].acked_closed = True
            self.acks_ms.append((time.perf_counter() - clicked[0]) * 1000)
        else:
            raise FlowError(f"no {ACK!r} after answering question {number}: {self.session.text()[-300:]!r}")

    async def _click(self, record: list[Sent], clicked: list[float]) -> None:
        """Answer the open question; `clicked` becomes the moment of the click that sends it (the
        option's button, or "Send" after the ticks of a multiple-choice question)."""
        session = self.session
        options = [w for w in session.buttons() if w.key.startswith("live_opt_") and not w.disabled]
        if options:
            button = self.rng.choice(options)
            question_id, option_id = self._split_key(button.key.removeprefix("live_opt_"))
            response: Any = option_id == "true" if option_id in ("true", "false") else option_id
            record.append(Sent(question_id, response))
            self.sent.append(record[0])
            await session.click(button)
            return
        boxes = [w for w in session.widgets("checkbox") if w.key.startswith("live_chk_")]
        submit = next((w for w in session.buttons() if w.key.startswith("live_submit_")), None)
        if not boxes or submit is None:
            raise FlowError(f"no answer widgets on the page: {[(w.kind, w.key) for w in session.widgets()]}")
        question_id = submit.key.removeprefix("live_submit_")
        ticked = {self.rng.randrange(len(boxes))} | {i for i in range(len(boxes)) if self.rng.random() < 0.3}
        chosen = []
        for i, box in enumerate(boxes):
            if i in ticked:  # each tick reruns the page, as in the browser
                await session.set_value(session.widget(box.id), True)
                chosen.append(box.key.removeprefix(f"live_chk_{question_id}_"))
        record.append(Sent(question_id, sorted(chosen)))
        self.sent.append(record[0])
        clicked[0] = time.perf_counter()
        await session.click(session.widget(submit.id))

    def _shown_as_given(self, number: int) -> bool:
        text = self.session.text()
        return f"Question {number} of " in text and any(line.startswith(GIVEN) for line in text.splitlines())

    def _split_key(self, rest: str) -> tuple[str, str]:
        """(question id, option id) of `<question>_<option>`, the rest of a `live_opt_` key."""
        known = [q for q in self.question_ids if rest.startswith(f"{q}_")]
        question_id = max(known, key=len) if known else rest.rsplit("_", 1)[0]
        return question_id, rest.removeprefix(f"{question_id}_")


async def sse(base_url: str, relative: str, stop: asyncio.Event) -> AsyncIterator[str]:
    """The `data:` values of a server-sent events stream, over plain HTTP/1.0 (no chunking)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = f"{parts.path.rstrip('/')}/{relative.lstrip('/')}"
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.0\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            raise ProtocolError(f"GET {path}: {status.decode(errors='replace').strip()}")
        while (await reader.readline()).strip():
            pass  # headers
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                return
            text = line.decode().rstrip("\r\n")
            if text.startswith("data:"):
                yield text[5:].strip()
    finally:
        writer.close()
        with suppress(Exception):
            await writer.wait_closed()


# The trainer ----------------------------------------------------------------------------------------


class ServiceTrainer:
    """The trainer's controls through services.live from this process (another process than the site's:
    the phones learn of each step from the database)."""

    how = "services.live from the generator process (the presenter page was not used)"

    def __init__(self, scene: Scene, bank: Any) -> None:
        from storage.engine import make_engine

        self.scene, self.bank = scene, bank
        self.engine = make_engine(scene.database_url)
        self.run_id = 0
        self.errors: list[str] = []

    async def start(self, questions: int) -> int:
        self.run_id = await asyncio.to_thread(start_run, self.scene, self.bank, questions)
        return self.run_id

    async def press(self, action: str) -> None:
        from services import live

        def work() -> None:
            state = live.run_state(self.engine, self.run_id)
            assert state is not None
            if action == "close" and state.phase is not live.Phase.OPEN:
                return  # the timer closed the question first
            live.control(
                self.engine,
                self.scene.trainer_id,
                self.run_id,
                live.Action(action),
                self.bank,
                seen_version=state.version,
            )

        await asyncio.to_thread(work)

    async def close(self) -> None:
        self.engine.dispose()


class PageTrainer:
    """The trainer on the presenter page over the websocket, logged in by the session cookie: starts
    the run with the page's form and presses the page's controls (`live_control_<action>`); the page's
    own once-a-second fragment is played meanwhile, as the projector's browser plays it."""

    how = "the presenter page (/live-presenter) over the websocket, logged in with the smm_session cookie"

    def __init__(self, url: str, scene: Scene, bank: Any, timeout: float) -> None:
        self.session = Session(url, timeout=timeout, name="presenter", cookies={SESSION_COOKIE: scene.login_token})
        self.scene, self.bank = scene, bank
        self.lock = asyncio.Lock()
        self.stop = asyncio.Event()
        self.errors = self.session.errors
        self.run_id = 0
        self._timers: asyncio.Task[None] | None = None

    async def open(self) -> bool:
        """Whether the presenter page is there with its start form."""
        await self.session.connect()
        await self.session.run(f"{PRESENTER_PATH}?w={self.scene.workshop_id}")
        return self.session.page_path == PRESENTER_PATH.strip("/") and self._button("live_start") is not None

    def _button(self, key: str) -> Widget | None:
        return next((b for b in self.session.buttons() if b.key == key), None)

    async def start(self, questions: int) -> int:
        from services import live
        from storage.engine import make_engine

        session = self.session
        await session.set_value(session.widget("Quiz", "selectbox"), self.bank.title)
        await session.set_value(session.widget("Seconds per question", "number_input"), float(TIMER_S))
        await session.set_value(session.widget("Number of questions", "number_input"), float(questions))
        await session.click("Start the live quiz")
        engine = make_engine(self.scene.database_url)
        try:
            going = await asyncio.to_thread(live.current_run, engine, self.scene.workshop_id)
        finally:
            engine.dispose()
        if going is None or going.question_count != questions or going.bank_id != self.bank.id:
            raise FlowError(f"the presenter's start made no run of {questions} questions: {session.text()[-300:]!r}")
        self.run_id = going.run_id
        self._timers = asyncio.create_task(play_timers(session, self.lock, self.stop))
        return self.run_id

    async def press(self, action: str) -> None:
        async with self.lock:
            if action == "close" and self._button("live_control_close") is None and self._button("live_control_reveal"):
                return  # the timer closed the question first
            if action == "end":
                sure = next((w for w in self.session.widgets("checkbox") if w.key.startswith("live_end_sure_")), None)
                if sure is None:
                    raise FlowError("the presenter page has no 'Yes, end the quiz now' tick")
                await self.session.set_value(sure, True)
            button = self._button(f"live_control_{action}")
            if button is None or button.disabled:
                keys = [w.key for w in self.session.buttons()]
                raise FlowError(f"the presenter page offers no {action!r} control: {keys}")
            await self.session.click(button)

    async def close(self) -> None:
        self.stop.set()
        if self._timers is not None:
            with suppress(Exception):
                await self._timers
        await self.session.close()


# One follow mode ------------------------------------------------------------------------------------


@dataclass
class ModeOutcome:
    follow: str
    trainer: str = ""
    joined: int = 0
    join_ms: list[float] = field(default_factory=list)
    open_ms: list[float] = field(default_factory=list)
    next_to_all_ms: list[float] = field(default_factory=list)  # per question
    per_phone_ms: list[float] = field(default_factory=list)  # every phone, every question
    acks_ms: list[float] = field(default_factory=list)
    answers_sent: int = 0
    answers_acked: int = 0
    answers_acked_closed: int = 0
    answers_stored: int = 0
    lost: int = 0
    lost_acked: int = 0
    lost_examples: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lobby_cpu_util: float = math.nan
    quiz_cpu_util: float = math.nan
    quiz_wall_s: float = 0.0
    rss_base_mb: float = 0.0
    rss_peak_mb: float = 0.0
    threads_peak: int = 0
    follow_runs: int = 0
    events: int = 0
    client_cpu_util: float = math.nan


async def gather_problems(coros: list[Awaitable[Any]], labels: list[str], errors: list[str]) -> None:
    for label, result in zip(labels, await asyncio.gather(*coros, return_exceptions=True), strict=True):
        if isinstance(result, BaseException):
            errors.append(f"{label}: {type(result).__name__}: {result}"[:500])


async def play_mode(
    follow: str, site: kit.Site, scene: Scene, bank: Any, args: argparse.Namespace, outcome: ModeOutcome
) -> list[Phone]:
    monitor = kit.Monitor(site.pids)
    monitor.start()
    ids = tuple(q.id for q in bank.questions)
    phones = [Phone(i, site.urls[i % len(site.urls)], args.seed, args.timeout, ids) for i in range(args.participants)]
    stop = asyncio.Event()
    followers: list[asyncio.Task[None]] = []
    playing: list[Phone] = []
    trainer: ServiceTrainer | PageTrainer | None = None
    try:
        await warm_up(site, scene, args.timeout, outcome.errors)
        outcome.rss_base_mb = monitor.rss() / 2**20
        spread = min(10.0, args.participants / 30)

        async def arrive(phone: Phone) -> None:
            await asyncio.sleep(phone.rng.uniform(0, spread))
            started = time.perf_counter()
            await phone.join(scene.code)
            outcome.join_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await phone.open_live()
            outcome.open_ms.append((time.perf_counter() - started) * 1000)

        # Everyone joins and opens the live page before the trainer starts: the page waits for a run.
        await gather_problems([arrive(p) for p in phones], [f"phone {p.index} join" for p in phones], outcome.errors)
        playing = [p for p in phones if p.session.page_path == "live"]
        outcome.joined = len(playing)
        for phone in playing:
            followers.append(asyncio.create_task(phone.timers(stop), name=f"phone {phone.index} timers"))
            if follow == "push":
                followers.append(asyncio.create_task(phone.push(stop), name=f"phone {phone.index} push"))

        page = PageTrainer(site.urls[0], scene, bank, args.timeout)
        trainer = page
        try:
            usable = await page.open()
        except ProtocolError:
            usable = False
        if not usable:
            shown = "; ".join([*page.errors, page.session.text()[:200]])
            await page.close()
            trainer = ServiceTrainer(scene, bank)
            outcome.trainer = f"{trainer.how}; the presenter page showed: {shown!r}"
        else:
            outcome.trainer = trainer.how
        run_id = await trainer.start(args.questions)

        # The lobby: everyone in, following, no one clicking.
        await asyncio.sleep(SETTLE_S + 1.0)
        cpu0 = kit.process_cpu_seconds(site.pids)
        await asyncio.sleep(IDLE_S)
        outcome.lobby_cpu_util = (kit.process_cpu_seconds(site.pids) - cpu0) / IDLE_S

        cpu0, client0, wall0 = kit.process_cpu_seconds(site.pids), kit.client_cpu_seconds(), time.perf_counter()
        for number in range(1, args.questions + 1):
            pressed = time.perf_counter()
            await trainer.press("open" if number == 1 else "next")
            wait_s = args.timeout
            await gather_problems(
                [p.answer(number, pressed, tuple(args.answer_window), wait_s) for p in playing],
                [f"phone {p.index} question {number}" for p in playing],
                outcome.errors,
            )
            shown = [p.shown_at[number] - pressed for p in playing if number in p.shown_at]
            outcome.per_phone_ms += [s * 1000 for s in shown]
            if len(shown) == len(playing) and shown:
                outcome.next_to_all_ms.append(max(shown) * 1000)
            await asyncio.sleep(args.pause)
            await trainer.press("close")
            await asyncio.sleep(args.pause)
            await trainer.press("reveal")
            await asyncio.sleep(args.pause)
        await trainer.press("podium")
        await asyncio.sleep(args.pause)
        await trainer.press("end")
        await asyncio.sleep(args.pause)
        outcome.quiz_wall_s = time.perf_counter() - wall0
        outcome.quiz_cpu_util = (kit.process_cpu_seconds(site.pids) - cpu0) / outcome.quiz_wall_s
        outcome.client_cpu_util = (kit.client_cpu_seconds() - client0) / outcome.quiz_wall_s
        check_stored(scene, run_id, phones, outcome)
    except (ProtocolError, FlowError) as error:
        outcome.errors.append(f"the quiz stopped: {type(error).__name__}: {error}"[:500])
    finally:
        stop.set()
        if followers:
            _done, pending = await asyncio.wait(followers, timeout=5)
            for task in pending:  # a stream waiting for its next line
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for task in followers:
            if not task.cancelled() and task.exception() is not None:  # the phone stopped following
                error = task.exception()
                outcome.errors.append(f"{task.get_name()}: {type(error).__name__}: {error}"[:500])
        await monitor.stop()
        outcome.rss_peak_mb = monitor.peak_rss / 2**20
        outcome.threads_peak = monitor.peak_threads
        if trainer is not None:
            outcome.errors += [f"presenter: {e}" for e in trainer.errors]
            await trainer.close()
        for phone in phones:
            outcome.errors += [f"phone {phone.index}: {e}" for e in phone.session.errors]
            outcome.acks_ms += phone.acks_ms
            outcome.follow_runs += phone.follow_runs
            outcome.events += phone.events
        await asyncio.gather(*(p.session.close() for p in phones), return_exceptions=True)
    return phones


async def warm_up(site: kit.Site, scene: Scene, timeout: float, errors: list[str]) -> None:
    """One visitor on each process, unrecorded: the join page, then the live page before any run (the
    imports and the first compile happen before the measured play)."""
    for index, url in enumerate(site.processes):
        phone = Phone(-1 - index, url, 0, timeout)
        try:
            await phone.join(scene.code)
            await phone.open_live()
        except (ProtocolError, FlowError, LookupError) as error:
            errors.append(f"warm-up on {url}: {type(error).__name__}: {error}"[:500])
        errors += [f"warm-up on {url}: {e}" for e in phone.session.errors]
        await phone.session.close()


def check_stored(scene: Scene, run_id: int, phones: list[Phone], outcome: ModeOutcome) -> None:
    """Every answer a phone sent, acknowledged or not, must be in live_answers with its response."""
    from services import respondents
    from storage import live as store
    from storage.engine import make_engine, reading

    engine = make_engine(scene.database_url)
    try:
        stored = {
            (a.respondent_id, a.question_id): json.loads(a.response)
            for a in reading(engine, lambda connection: store.answers_of_run(connection, run_id))
        }
        for phone in phones:
            if not phone.token:
                continue
            respondent_id = respondents.find_respondent(engine, phone.token).id
            for sent in phone.sent:
                outcome.answers_sent += 1
                outcome.answers_acked += sent.acked
                outcome.answers_acked_closed += sent.acked_closed
                value = stored.get((respondent_id, sent.question_id))
                same = sorted(value) == sent.response if isinstance(value, list) else value == sent.response
                if same:
                    outcome.answers_stored += 1
                else:
                    outcome.lost += 1
                    outcome.lost_acked += sent.acked
                    if len(outcome.lost_examples) < 10:
                        outcome.lost_examples.append(
                            f"phone {phone.index} {sent.question_id}: sent {sent.response!r}, stored {value!r}"
                        )
    finally:
        engine.dispose()


# The floor ------------------------------------------------------------------------------------------


@dataclass
class FloorOutcome:
    idle_cpu_util: float = math.nan
    rss_base_mb: float = 0.0
    rss_idle_mb: float = 0.0
    rss_peak_mb: float = 0.0
    click_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def play_floor(site: kit.Site, participants: int, seed: int, timeout: float, outcome: FloorOutcome) -> None:
    monitor = kit.Monitor(site.pids)
    monitor.start()
    await asyncio.sleep(SETTLE_S)
    outcome.rss_base_mb = monitor.rss() / 2**20
    sessions = [Session(site.urls[i % len(site.urls)], timeout=timeout, name=f"floor {i}") for i in range(participants)]
    rng = random.Random(f"{seed}:floor")
    spread = min(10.0, participants / 30)

    async def arrive(session: Session) -> None:
        await asyncio.sleep(rng.uniform(0, spread))
        await session.connect()
        await session.run("/")

    async def click(session: Session) -> None:
        await asyncio.sleep(rng.uniform(0, 5.0))
        started = time.perf_counter()
        await session.set_radio("Pick one", "second")
        outcome.click_ms.append((time.perf_counter() - started) * 1000)

    try:
        await gather_problems([arrive(s) for s in sessions], [f"{s.name} open" for s in sessions], outcome.errors)
        await asyncio.sleep(SETTLE_S)
        cpu0 = kit.process_cpu_seconds(site.pids)
        await asyncio.sleep(IDLE_S)
        outcome.idle_cpu_util = (kit.process_cpu_seconds(site.pids) - cpu0) / IDLE_S
        outcome.rss_idle_mb = monitor.rss() / 2**20
        open_ = [s for s in sessions if s.ws is not None]
        await gather_problems([click(s) for s in open_], [f"{s.name} click" for s in open_], outcome.errors)
    finally:
        await monitor.stop()
        outcome.rss_peak_mb = monitor.peak_rss / 2**20
        for session in sessions:
            outcome.errors += [f"{session.name}: {e}" for e in session.errors]
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)


# Figures --------------------------------------------------------------------------------------------


def _quantiles(prefix: str, values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {f"p{q}_{prefix}ms": kit.percentile(ordered, q) for q in (50, 95, 99)}


def floor_figures(floor: FloorOutcome, participants: int) -> dict[str, Any]:
    clicks = sorted(floor.click_ms)
    return {
        "floor_idle_cpu_util": floor.idle_cpu_util,
        "floor_rss_base_mb": floor.rss_base_mb,
        "floor_rss_idle_mb": floor.rss_idle_mb,
        "floor_rss_peak_mb": floor.rss_peak_mb,
        "floor_kb_per_session": (floor.rss_idle_mb - floor.rss_base_mb) * 1024 / max(participants, 1),
        "floor_click_count": len(clicks),
        "floor_click_p50_ms": kit.percentile(clicks, 50),
        "floor_click_p95_ms": kit.percentile(clicks, 95),
        "floor_errors": len(floor.errors),
    }


def mode_figures(outcome: ModeOutcome, floor: dict[str, Any], participants: int) -> dict[str, Any]:
    acks = sorted(outcome.acks_ms)
    per_phone = sorted(outcome.per_phone_ms)
    return {
        "follow": outcome.follow,
        "trainer": outcome.trainer,
        "participants": participants,
        "joined": outcome.joined,
        "join_p50_ms": kit.percentile(sorted(outcome.join_ms), 50),
        "join_p95_ms": kit.percentile(sorted(outcome.join_ms), 95),
        "open_p50_ms": kit.percentile(sorted(outcome.open_ms), 50),
        "open_p95_ms": kit.percentile(sorted(outcome.open_ms), 95),
        "answers_sent": outcome.answers_sent,
        "answers_acked": outcome.answers_acked,
        "answers_acked_after_close": outcome.answers_acked_closed,
        "answers_stored": outcome.answers_stored,
        "lost": outcome.lost,
        "lost_acked": outcome.lost_acked,
        "lost_examples": outcome.lost_examples,
        "p50_ack_ms": kit.percentile(acks, 50),
        "p95_ack_ms": kit.percentile(acks, 95),
        "p99_ack_ms": kit.percentile(acks, 99),
        "next_to_all_ms": outcome.next_to_all_ms,
        "next_to_all_max_ms": max(outcome.next_to_all_ms, default=math.nan),
        "next_to_all_median_ms": statistics.median(outcome.next_to_all_ms) if outcome.next_to_all_ms else math.nan,
        "next_per_phone_p50_ms": kit.percentile(per_phone, 50),
        "next_per_phone_p95_ms": kit.percentile(per_phone, 95),
        "follow_runs": outcome.follow_runs,
        "push_events": outcome.events,
        "lobby_cpu_util": outcome.lobby_cpu_util,
        "quiz_cpu_util": outcome.quiz_cpu_util,
        "quiz_wall_s": outcome.quiz_wall_s,
        "rss_base_mb": outcome.rss_base_mb,
        "rss_peak_mb": outcome.rss_peak_mb,
        "kb_per_session_peak": (outcome.rss_peak_mb - outcome.rss_base_mb) * 1024 / max(participants, 1),
        "threads_peak": outcome.threads_peak,
        "client_cpu_util": outcome.client_cpu_util,
        "errors": len(outcome.errors),
        "error_examples": outcome.errors[:20],
        **floor,
    }


def print_report(report: dict[str, Any]) -> None:
    opts = report["options"]
    print()
    print(
        f"Live quiz load: {opts['participants']} participants, {opts['processes']} process(es), {opts['database']},"
        f" {opts['questions']} questions of {opts['bank']}, answers {opts['answer_window'][0]:g}-"
        f"{opts['answer_window'][1]:g} s into a {TIMER_S} s timer, seed {opts['seed']}"
    )
    floor = report["floor"]
    print(
        f"floor (trivial page, {opts['participants']} idle sessions):"
        f" CPU {fmt(floor['floor_idle_cpu_util'] * 100, 1)} %"
        f" of a core, RSS {fmt(floor['floor_rss_idle_mb'], 1)} MB ({fmt(floor['floor_kb_per_session'])} KB/session),"
        f" a click p50 {fmt(floor['floor_click_p50_ms'])} ms, p95 {fmt(floor['floor_click_p95_ms'])} ms"
    )
    for follow, m in report["modes"].items():
        print()
        print(f"[{follow}] trainer: {m['trainer']}")
        print(
            f"  joined {m['joined']}/{m['participants']}: join p50 {fmt(m['join_p50_ms'])}"
            f" p95 {fmt(m['join_p95_ms'])} ms,"
            f" open /live p50 {fmt(m['open_p50_ms'])} p95 {fmt(m['open_p95_ms'])} ms"
        )
        print(
            f"  answers: sent {m['answers_sent']}, acknowledged {m['answers_acked']}"
            f" ({m['answers_acked_after_close']} of them after the timer), stored {m['answers_stored']},"
            f" lost {m['lost']} (of them acknowledged {m['lost_acked']})"
        )
        for example in m["lost_examples"]:
            print(f"    {example}")
        print(
            f"  ack ms: p50 {fmt(m['p50_ack_ms'])}, p95 {fmt(m['p95_ack_ms'])}, p99 {fmt(m['p99_ack_ms'])}"
            f"   (floor click p50 {fmt(m['floor_click_p50_ms'])}, p95 {fmt(m['floor_click_p95_ms'])})"
        )
        print(
            f"  next -> all phones ms: median {fmt(m['next_to_all_median_ms'])}, max {fmt(m['next_to_all_max_ms'])};"
            f" per phone p50 {fmt(m['next_per_phone_p50_ms'])}, p95 {fmt(m['next_per_phone_p95_ms'])};"
            f" per question {[round(v) for v in m['next_to_all_ms']]}"
        )
        print(
            f"  server CPU: lobby {fmt(m['lobby_cpu_util'] * 100, 1)} %, quiz {fmt(m['quiz_cpu_util'] * 100, 1)} % of a"
            f" core (floor idle {fmt(m['floor_idle_cpu_util'] * 100, 1)} %); RSS {fmt(m['rss_base_mb'], 1)} ->"
            f" peak {fmt(m['rss_peak_mb'], 1)} MB (floor {fmt(m['floor_rss_idle_mb'], 1)}),"
            f" {m['threads_peak']} threads;"
            f" follow runs {m['follow_runs']}, push events {m['push_events']}; client CPU"
            f" {fmt(m['client_cpu_util'] * 100, 0)} %"
        )
        print(f"  errors: {m['errors']}")
        for error in m["error_examples"][:8]:
            print(f"    {error[:200]}")
    for line in report["server_log_errors"][:5] + report["floor_errors"][:5]:
        print(f"    {line[:200]}")
    print(f"result: {'OK' if report['ok'] else 'FAILED'}")


# The command ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    kit.add_site_options(parser, None)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--follow", choices=[*FOLLOWS, "both"], default="both")
    parser.add_argument("--bank", default="fun-quiz")
    parser.add_argument("--answer-window", type=float, nargs=2, default=(1.0, 8.0), metavar=("MIN", "MAX"))
    parser.add_argument("--pause", type=float, default=2.0, help="seconds the trainer waits between controls")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a run or a question may take")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the server logs and SQLite files (their folder)")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.processes < 1 or args.questions < 1:
        parser.error("--participants, --processes and --questions must be 1 or more")
    if not 0 <= args.answer_window[0] <= args.answer_window[1] < TIMER_S:
        parser.error(f"--answer-window MIN MAX needs 0 <= MIN <= MAX < {TIMER_S} (the question's timer)")
    # More than one process shares one database: PostgreSQL, as scripts/kit.cluster serves it.
    args.database = args.database or ("postgresql" if args.processes > 1 else "sqlite")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    bank = load_bank(args.bank, args.questions)
    follows = FOLLOWS if args.follow == "both" else (args.follow,)
    work = Path(tempfile.mkdtemp(prefix="smm-live-load-"))
    started_at = datetime.now(timezone.utc)
    load_start = os.getloadavg()
    modes: dict[str, Any] = {}
    server_log_errors: list[str] = []
    floor = FloorOutcome()
    try:
        with kit.streamlit_processes(kit.FLOOR_ENTRY, args.processes, os.environ.copy(), work, "floor") as floor_site:
            asyncio.run(play_floor(floor_site, args.participants, args.seed, args.timeout, floor))
            server_log_errors += floor_site.log_errors()
        floor_row = floor_figures(floor, args.participants)
        for follow in follows:
            outcome = ModeOutcome(follow)
            (work / follow).mkdir()
            with kit.fresh_database(args.database, work / follow, args.postgres_url) as database_url:
                env = kit.site_environment(database_url)
                env["SMM_LIVE_FOLLOW"] = follow
                kit.upgrade(env)
                scene = make_scene(database_url)
                site_cm = (
                    kit.cluster(args.processes, env, work / follow)
                    if args.processes > 1
                    else kit.streamlit_processes(kit.ENTRY, 1, env, work / follow, f"app-{follow}")
                )
                with site_cm as site:
                    asyncio.run(play_mode(follow, site, scene, bank, args, outcome))
                    log_errors = site.log_errors()
            outcome.errors += log_errors
            server_log_errors += log_errors
            modes[follow] = mode_figures(outcome, floor_row, args.participants)
    finally:
        if args.keep:
            print(f"server logs and databases kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    lost = sum(m["lost"] for m in modes.values())
    errors = sum(m["errors"] for m in modes.values()) + len(floor.errors)
    return {
        "started_at": started_at.isoformat(timespec="seconds"),
        "commit": kit.git_commit(),
        "machine": kit.machine(load_start),
        "options": {
            **kit.site_options(args),
            "questions": args.questions,
            "follow": list(follows),
            "bank": args.bank,
            "answer_window": list(args.answer_window),
            "pause": args.pause,
            "timer_s": TIMER_S,
            "seed": args.seed,
            "timeout": args.timeout,
        },
        "floor": floor_row,
        "floor_errors": floor.errors[:20],
        "modes": modes,
        "server_log_errors": server_log_errors[:50],
        "lost": lost,
        "errors": errors,
        "ok": lost == 0 and errors == 0 and bool(modes),
    }


def main(argv: list[str] | None = None) -> int:
    return kit.run_command(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
