"""A workshop room, played at Streamlit's websocket protocol level against the real site.

    python benchmarks/room_load.py --participants N [--processes P] [--database sqlite|postgresql]
                                   [--think MIN MAX] [--answers K] [--quick-share F] [--quiz-answers Q]
                                   [--results-window S] [--seed N] [--timeout S] [--json FILE]

It starts the site itself on a fresh database (SQLite in a temporary folder, or a PostgreSQL database
it creates and drops), one `streamlit run` process or `scripts/cluster P` (P processes behind nginx),
and plays N participants, each one websocket session of benchmarks/stclient.py, in one asyncio
process. Every interaction is timed from the rerun request to the run's `script_finished`:

  open         the start page (/)                            [phase "open"; all open, then a pause]
  start        the start form: quick scan or full assessment [phase "assessment"]
  answer       one answer radio of the step, a random option
  next         "Next →" once the step's questions are answered
  results      the Results page from the menu, everyone within --results-window s  [phase "results"]
  lesson       the first lesson linked from the results ("Start here")            [phase "learning"]
  done         the lesson's "Mark as done" toggle
  quiz open    the lesson's "Take the quiz" link
  quiz start   "Start the quiz"
  quiz answer  one question answered (every widget of its form filled) and submitted
  quiz next    "Next question" (quizzes with feedback after each question)

Each interaction is preceded by a think time drawn uniformly from --think (the results by a delay in
the window instead). Then the same N participants play the floor, benchmarks/trivial_app.py, with the
same think times and the same interactions (each one a radio click on the trivial page, the opening a
page load). At the end the database is read: every answer the client set must be stored with that
value, every quiz response submitted must be stored, every lesson marked done must be done.

Reported per interaction kind: count, errors, p50/p95/p99/max; per phase: throughput, the server's CPU
(utime+stime of all site processes, /proc) per interaction and as utilisation; the servers' RSS (peak,
sampled every 0.5 s) and memory per open session; the same for the floor and the ratios app/floor; the
client's own CPU. Exit status 1 on any lost answer or error (an exception or an error or warning box on a
page, a page that is not the one the flow leads to, a websocket failure, a timeout, an error in a server
log); never on timings. See benchmarks/README.md, "Room load".
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SETTLE_S = 2.0  # before a memory reading: let the last runs' threads end
IDLE_S = 5.0  # the servers' CPU with no one clicking, measured before the play

sys.path.insert(0, str(HERE))

from loadkit import (  # noqa: E402
    ENTRY,
    FLOOR_ENTRY,
    ROOT,
    Monitor,
    add_site_options,
    client_cpu_seconds,
    cluster,
    fmt,
    fresh_database,
    git_commit,
    machine,
    percentile,
    process_cpu_seconds,
    run_command,
    site_environment,
    site_options,
    streamlit_processes,
    upgrade,
    use_project_python,
)

use_project_python()
sys.path.insert(0, str(ROOT))

from stclient import PageLink, ProtocolError, Session, Widget  # noqa: E402

PHASES = ("open", "assessment", "results", "learning")
KINDS = (
    "open",
    "start",
    "answer",
    "next",
    "results",
    "lesson",
    "done",
    "quiz open",
    "quiz start",
    "quiz answer",
    "quiz next",
)
PHASE_OF = {
    "open": "open",
    "start": "assessment",
    "answer": "assessment",
    "next": "assessment",
    "results": "results",
    "lesson": "learning",
    "done": "learning",
    "quiz open": "learning",
    "quiz start": "learning",
    "quiz answer": "learning",
    "quiz next": "learning",
}
# Alerts that are a page's content, not a failure: a quiz's feedback on a wrong or partly right answer.
EXPECTED_ALERTS = ("Not right.", "Partly right:")


class FlowError(RuntimeError):
    """The page is not the one the flow leads to, or lacks what a participant needs to go on."""


# Participants ------------------------------------------------------------------------------------


@dataclass
class Timing:
    kind: str
    seconds: float
    ok: bool
    started: float
    ended: float
    messages: int = 0
    bytes: int = 0


@dataclass
class Outcome:
    """What one play (app or floor) recorded."""

    timings: list[Timing] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)
    finished: int = 0
    participants: int = 0
    idle_cpu_util: float = 0.0


def _label_values() -> list[dict[str, str]]:
    """Answer label -> stored value, for each kind of answer radio (views/widgets.py, in English)."""
    from views import widgets

    return [
        {label: str(value) for value, label in labels.items()}
        for labels in (widgets.maturity_labels(), widgets.tee_labels(), widgets.checklist_labels())
    ]


class Actor:
    """One participant: a Session, a private random stream for think times, and what it did per phase."""

    def __init__(self, index: int, url: str, seed: int, timeout: float) -> None:
        self.index = index
        self.session = Session(url, timeout=timeout, expected_alerts=EXPECTED_ALERTS, name=f"participant {index}")
        self.think_rng = random.Random(f"{seed}:{index}:think")
        self.rng = random.Random(f"{seed}:{index}:choice")
        self.kinds: dict[str, list[str]] = defaultdict(list)
        self.failed = False

    def next_action(self, phase: str) -> tuple[str, Callable[[], Awaitable[Any]]] | None:
        raise NotImplementedError

    async def close(self) -> None:
        await self.session.close()


class AppActor(Actor):
    """A workshop participant on the real site, driving its widgets as a browser does."""

    label_values: list[dict[str, str]] = []

    def __init__(self, index: int, url: str, seed: int, timeout: float, mode: str, answers: int, quiz_answers: int):
        super().__init__(index, url, seed, timeout)
        self.mode = mode
        self.answers_wanted = answers
        self.quiz_wanted = quiz_answers
        self.started = False
        self.answers_done = 0
        self.steps_done = 0
        self.token = ""
        self.sent: list[tuple[int, str, str]] = []  # (round id, item id, stored value expected)
        self.lesson_id = ""
        self.marked_done = False
        self.quiz_stage = 0  # 0 lesson, 1 done, 2 quiz open, 3 quiz start, 4 answering
        self.quiz_done = 0
        self.quiz_sent: list[tuple[int, str]] = []  # (attempt id, question id)
        self.assessment_over = False

    # What comes next, by phase -----------------------------------------------------------------

    def next_action(self, phase: str) -> tuple[str, Callable[[], Awaitable[Any]]] | None:
        session = self.session
        if phase == "open":
            return None if self.kinds["open"] else ("open", self.open)
        if phase == "assessment":
            if not self.started:
                return ("start", self.start)
            if self.answers_done >= self.answers_wanted or self.assessment_over:
                return None
            if self._open_answer_radios():
                return ("answer", self.answer)
            if session.has_widget("Next →", "button"):
                return ("next", self.next_step)
            self.assessment_over = True  # the last step, all answered: nothing more to answer here
            return None
        if phase == "results":
            return None if self.kinds["results"] else ("results", self.results)
        if phase == "learning":
            if self.quiz_stage == 0:
                return ("lesson", self.lesson)
            if self.quiz_stage == 1:
                if session.has_widget("Mark as done", "toggle"):
                    return ("done", self.mark_done)
                self.quiz_stage = 2
            if self.quiz_stage == 2:
                return ("quiz open", self.quiz_open)
            if self.quiz_stage == 3:
                return ("quiz start", self.quiz_start)
            if self.quiz_done >= self.quiz_wanted:
                return None
            if self._quiz_form():
                return ("quiz answer", self.quiz_answer)
            if session.has_widget("Next question", "button"):
                return ("quiz next", self.quiz_next)
            return None  # the quiz is over (fewer questions than asked for)
        raise ValueError(phase)

    # The interactions --------------------------------------------------------------------------

    async def open(self) -> None:
        await self.session.connect()
        await self.session.run("/")
        if not self.session.has_widget("Start the assessment", "button"):
            raise FlowError(f"the start page has no start form; it shows: {self.session.text()[:300]!r}")

    async def start(self) -> None:
        session = self.session
        version = session.widget("Which version?", "radio")
        prefix = "Quick scan" if self.mode == "quick" else "Full assessment"
        option = next((o for o in version.options if o.startswith(prefix)), None)
        if option is None:
            raise FlowError(f"no {prefix!r} among the versions {version.options}")
        session.fill(version, option)
        await session.click("Start the assessment")
        self.started = True
        self.token = session.query().get("t", "")
        if session.page_path != "assessment" or not self.token:
            raise FlowError(f"after the start form: page {session.page_path!r}, query {session.query_string!r}")

    def _open_answer_radios(self) -> list[Widget]:
        return [w for w in self.session.radios() if answer_key(w) is not None and w.value is None]

    async def answer(self) -> None:
        session = self.session
        radio = self._open_answer_radios()[0]
        round_id, item_id, _stored = answer_key(radio)  # type: ignore[misc]
        label = self.rng.choice(radio.options)
        expected = self._stored_value(radio.options, label)
        self.sent.append((round_id, item_id, expected))
        self.answers_done += 1
        await session.set_radio(radio, label)
        shown = [w for w in session.radios() if (answer_key(w) or (0, ""))[:2] == (round_id, item_id)]
        if not shown or shown[0].value != label or answer_key(shown[0])[2] != expected:  # type: ignore[index]
            state = [(w.value, w.key) for w in shown]
            raise FlowError(f"answer {item_id}={label!r} ({expected}) is not shown as stored after the click: {state}")

    def _stored_value(self, options: list[str], label: str) -> str:
        for labels in self.label_values:
            if list(labels) == options:
                return labels[label]
        raise FlowError(f"answer options of an unknown kind: {options}")

    async def next_step(self) -> None:
        before = self.session.query().get("step")
        await self.session.click("Next →")
        after = self.session.query().get("step")
        if self.session.page_path != "assessment" or before == after:
            raise FlowError(f"Next did not move on: page {self.session.page_path!r}, step {before} -> {after}")
        self.steps_done += 1

    async def results(self) -> None:
        await self.session.navigate("results")
        text = self.session.text()
        if self.session.page_path != "results" or "There are no results" in text:
            raise FlowError(f"the results page did not open: page {self.session.page_path!r}: {text[:300]!r}")

    async def lesson(self) -> None:
        session = self.session
        links = [link for link in session.page_links() if _is_lesson_link(link)]
        self.quiz_stage = 1
        if not links:  # no gap with a lesson: the lesson list from the menu, then its first lesson
            raise FlowError(f"the results page links to no lesson: {[link.label for link in session.page_links()]}")
        await session.follow(links[0])
        self.lesson_id = session.query().get("lesson", "")
        if session.page_path != "lessons" or not self.lesson_id:
            raise FlowError(f"the lesson did not open: page {session.page_path!r}, query {session.query_string!r}")

    async def mark_done(self) -> None:
        session = self.session
        self.quiz_stage = 2
        self.marked_done = True
        await session.set_value(session.widget("Mark as done", "toggle"), True)
        toggle = session.widget("Mark as done", "toggle")
        if toggle.value is not True or not toggle.key.endswith("@True"):
            raise FlowError(f"the lesson is not shown as done after the click: {toggle.value!r} {toggle.key!r}")

    async def quiz_open(self) -> None:
        session = self.session
        self.quiz_stage = 3
        await session.follow(session.page_link("Take the quiz"))
        if session.page_path != "quiz" or not session.query().get("quiz"):
            raise FlowError(f"the quiz did not open: page {session.page_path!r}, query {session.query_string!r}")
        if not session.has_widget("Start the quiz", "button"):
            raise FlowError(f"the quiz page has no start button: {session.text()[:300]!r}")

    async def quiz_start(self) -> None:
        self.quiz_stage = 4
        await self.session.click("Start the quiz")
        if not self._quiz_form():
            raise FlowError(f"no question after starting the quiz: {self.session.text()[:300]!r}")

    def _quiz_form(self) -> list[Widget]:
        return [w for w in self.session.widgets() if w.form_id.startswith("question:")]

    async def quiz_answer(self) -> None:
        session = self.session
        form = self._quiz_form()
        fields = [w for w in form if not w.is_form_submitter]
        submit = next((w for w in form if w.is_form_submitter), None)
        if not fields or submit is None:
            raise FlowError(f"the question's form has no fields or no submit button: {[w.label for w in form]}")
        attempt, question = _quiz_key(fields[0])
        checkboxes = [w for w in fields if w.kind == "checkbox"]
        ticked = self.rng.randrange(len(checkboxes)) if checkboxes else -1
        for widget in fields:
            session.fill(widget, self._quiz_value(widget, checkboxes, ticked))
        self.quiz_sent.append((attempt, question))
        self.quiz_done += 1
        await session.click(submit)
        if any(w.form_id == fields[0].form_id for w in session.widgets()):
            raise FlowError(f"question {question} is still asked after answering: {session.text()[-300:]!r}")

    def _quiz_value(self, widget: Widget, checkboxes: list[Widget], ticked: int) -> Any:
        if widget.kind in ("radio", "selectbox"):
            return self.rng.choice(widget.options)
        if widget.kind == "checkbox":
            # At least one ticked: an empty answer is refused by the page.
            return checkboxes.index(widget) == ticked or self.rng.random() < 0.4
        if widget.kind == "multiselect":
            return self.rng.sample(widget.options, len(widget.options))
        if widget.kind in ("text_input", "text_area"):
            return "social media"
        if widget.kind == "number_input":
            return 1.0
        raise FlowError(f"a quiz widget of an unknown kind: {widget.kind} {widget.label!r}")

    async def quiz_next(self) -> None:
        await self.session.click("Next question")
        if not self._quiz_form():
            raise FlowError(f"no question after 'Next question': {self.session.text()[-300:]!r}")


_ANSWER_KEY = re.compile(r"answer:(\d+):([^@]+)@(.*)$")


def answer_key(widget: Widget) -> tuple[int, str, str] | None:
    """(round id, item id, stored value or '-') of an assessment answer radio (views/answer_widgets.py)."""
    match = _ANSWER_KEY.match(widget.key)
    return (int(match[1]), match[2], match[3]) if match else None


def _is_lesson_link(link: PageLink) -> bool:
    return link.label.startswith("Lesson: ") and "lesson=" in link.query_string


_QUIZ_KEY = re.compile(r"quiz:(\d+):([^:]+)")


def _quiz_key(widget: Widget) -> tuple[int, str]:
    match = _QUIZ_KEY.match(widget.key)
    if not match:
        raise FlowError(f"a quiz widget without an attempt and question in its key: {widget.key!r}")
    return int(match[1]), match[2]


class FloorActor(Actor):
    """The same participant on the trivial page: the same interactions, each one a radio click."""

    def __init__(self, index: int, url: str, seed: int, timeout: float, plan: dict[str, list[str]]):
        super().__init__(index, url, seed, timeout)
        self.plan = {phase: list(kinds) for phase, kinds in plan.items()}
        self.turn = 0

    def next_action(self, phase: str) -> tuple[str, Callable[[], Awaitable[Any]]] | None:
        kinds = self.plan.get(phase, [])
        if not kinds:
            return None
        kind = kinds.pop(0)
        return (kind, self.open if kind == "open" else self.click)

    async def open(self) -> None:
        await self.session.connect()
        await self.session.run("/")
        if "Trivial page" not in self.session.text():
            raise FlowError(f"the trivial page did not open: {self.session.text()[:200]!r}")

    async def click(self) -> None:
        value = ("second", "first")[self.turn % 2]
        self.turn += 1
        await self.session.set_radio("Pick one", value)
        if self.session.widget("Pick one", "radio").value != value:
            raise FlowError("the trivial page's radio did not take the click")


# The play ----------------------------------------------------------------------------------------


@dataclass
class Options:
    participants: int
    think: tuple[float, float]
    results_window: float
    timeout: float


async def act(actor: Actor, kind: str, action: Callable[[], Awaitable[Any]], outcome: Outcome) -> None:
    """One interaction, timed; whatever went wrong in it is counted as an error of its kind."""
    session = actor.session
    errors_before, warnings_before = len(session.errors), len(session.warnings)
    actor.kinds[PHASE_OF[kind]].append(kind)
    started = time.perf_counter()
    problem = None
    try:
        await action()
    except (ProtocolError, FlowError, LookupError, ValueError) as error:
        problem = f"{type(error).__name__}: {error}"
        actor.failed = True  # the flow cannot go on from a page it does not know
    ended = time.perf_counter()
    # What the page showed (exceptions, error and warning boxes) and what the session saw fail
    # (timeouts, websocket failures) are in the session; a failure it did not record is added.
    new = session.errors[errors_before:] + session.warnings[warnings_before:]
    recorded = bool(session.errors[errors_before:])
    if problem and not (problem.startswith(("ProtocolError", "RunTimeout")) and recorded):
        new.append(problem)
    for message in new:
        outcome.errors.append({"participant": actor.index, "kind": kind, "error": message[:500]})
    last = session.last
    outcome.timings.append(Timing(kind, ended - started, not new, started, ended, last.messages, last.bytes))


async def play_phase(actor: Actor, phase: str, options: Options, outcome: Outcome) -> None:
    rng = actor.think_rng
    low, high = options.think
    first = True
    while not actor.failed:
        if phase == "open" and first:
            delay = rng.uniform(0, high)  # participants arrive over one think time
        elif phase == "results" and first:
            delay = rng.uniform(0, options.results_window)
        else:
            delay = rng.uniform(low, high)
        first = False
        await asyncio.sleep(delay)
        step = actor.next_action(phase)
        if step is None:
            return
        kind, action = step
        await act(actor, kind, action, outcome)


async def play(actors: list[Actor], pids: list[int], options: Options, outcome: Outcome) -> None:
    """The phases in order, each a barrier: everyone finishes a phase before the next begins."""
    monitor = Monitor(pids)
    monitor.start()
    await asyncio.sleep(SETTLE_S)
    # What the servers burn with no one clicking (event loop, polling): at a slow pace it is a good part
    # of the CPU per interaction, so the figures are also given net of it.
    idle_cpu = process_cpu_seconds(pids)
    await asyncio.sleep(IDLE_S)
    outcome.idle_cpu_util = (process_cpu_seconds(pids) - idle_cpu) / IDLE_S
    outcome.memory["rss_base"] = monitor.rss()
    outcome.participants = len(actors)
    try:
        for phase in PHASES:
            cpu0, client0, wall0 = process_cpu_seconds(pids), client_cpu_seconds(), time.perf_counter()
            await asyncio.gather(*(play_phase(actor, phase, options, outcome) for actor in actors))
            wall = time.perf_counter() - wall0
            outcome.phases[phase] = {
                "wall_s": wall,
                "server_cpu_s": process_cpu_seconds(pids) - cpu0,
                "client_cpu_s": client_cpu_seconds() - client0,
            }
            # Every session is open (and idle) on the page this phase left it on.
            await asyncio.sleep(SETTLE_S)
            outcome.memory[f"rss_after_{phase}"] = monitor.rss()
        outcome.memory["sessions_open"] = sum(1 for a in actors if a.session.ws is not None)
    finally:
        await monitor.stop()
        outcome.memory["rss_peak"] = monitor.peak_rss
        outcome.memory["threads_peak"] = monitor.peak_threads
        outcome.finished = sum(1 for a in actors if not a.failed)
        await asyncio.gather(*(actor.close() for actor in actors), return_exceptions=True)


async def warm_up(actor: Actor, phases: tuple[str, ...] = PHASES) -> list[str]:
    """One participant through every phase, unrecorded: imports, caches and the first compile happen
    before the measured play, as on a site that has served a visitor."""
    outcome = Outcome()
    options = Options(1, (0.0, 0.0), 0.0, actor.session.timeout)
    for phase in phases:
        await play_phase(actor, phase, options, outcome)
    await actor.close()
    return [f"warm-up {e['kind']}: {e['error']}" for e in outcome.errors]


# The database check ------------------------------------------------------------------------------


def check_database(database_url: str, actors: list[AppActor]) -> dict[str, Any]:
    from services import learning
    from services import respondents as visits
    from storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        answers = {"sent": 0, "stored": 0, "lost": 0, "examples": []}
        rounds: dict[int, dict[str, str]] = {}
        quiz = {"sent": 0, "stored": 0, "lost": 0, "examples": []}
        lessons = {"sent": 0, "stored": 0, "lost": 0, "examples": []}
        for actor in actors:
            for round_id, item_id, value in actor.sent:
                if round_id not in rounds:
                    rounds[round_id] = visits.round_answers(engine, round_id)
                answers["sent"] += 1
                stored = rounds[round_id].get(item_id)
                if stored == value:
                    answers["stored"] += 1
                else:
                    answers["lost"] += 1
                    answers["examples"].append(f"round {round_id} {item_id}: sent {value!r}, stored {stored!r}")
            responses: dict[int, dict[str, str]] = {}
            for attempt_id, question_id in actor.quiz_sent:
                if attempt_id not in responses:
                    responses[attempt_id] = learning.responses(engine, attempt_id)
                quiz["sent"] += 1
                if question_id in responses[attempt_id]:
                    quiz["stored"] += 1
                else:
                    quiz["lost"] += 1
                    quiz["examples"].append(f"attempt {attempt_id} {question_id}: not stored")
            if actor.marked_done and actor.lesson_id:
                lessons["sent"] += 1
                respondent = visits.find_respondent(engine, actor.token)
                if actor.lesson_id in learning.lessons_completed(engine, respondent.id):
                    lessons["stored"] += 1
                else:
                    lessons["lost"] += 1
                    lessons["examples"].append(f"participant {actor.index}: {actor.lesson_id} not done")
        for record in (answers, quiz, lessons):
            record["examples"] = record["examples"][:10]
        return {"answers": answers, "quiz_responses": quiz, "lessons_done": lessons}
    finally:
        engine.dispose()


# Figures -----------------------------------------------------------------------------------------


def _phase_row(count: int, wall: float, cpu: float, client_cpu: float, idle_util: float) -> dict[str, float]:
    def per(value: float, by: float) -> float:
        return value / by if by else math.nan

    net = max(0.0, cpu - idle_util * wall)
    return {
        "interactions": count,
        "wall_s": wall,
        "throughput_per_s": per(count, wall),
        "server_cpu_s": cpu,
        "server_cpu_ms_per_interaction": per(cpu * 1000, count),
        # less what the servers burnt idle over the same time
        "server_cpu_net_ms_per_interaction": per(net * 1000, count),
        "server_cpu_util": per(cpu, wall),
        "client_cpu_s": client_cpu,
        "client_cpu_util": per(client_cpu, wall),
    }


def summarise(outcome: Outcome) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    by_kind: dict[str, list[Timing]] = defaultdict(list)
    for timing in outcome.timings:
        by_kind[timing.kind].append(timing)
    for kind in KINDS:
        timings = by_kind.get(kind, [])
        if not timings:
            continue
        seconds = sorted(t.seconds for t in timings)
        kinds[kind] = {
            "count": len(timings),
            "errors": sum(1 for t in timings if not t.ok),
            "p50_ms": percentile(seconds, 50) * 1000,
            "p95_ms": percentile(seconds, 95) * 1000,
            "p99_ms": percentile(seconds, 99) * 1000,
            "max_ms": seconds[-1] * 1000,
            "mean_ms": statistics.fmean(seconds) * 1000,
            "messages_mean": statistics.fmean(t.messages for t in timings),
            "kbytes_mean": statistics.fmean(t.bytes for t in timings) / 1024,
        }
    phases: dict[str, Any] = {}
    for phase, measured in outcome.phases.items():
        count = sum(1 for t in outcome.timings if PHASE_OF[t.kind] == phase)
        phases[phase] = _phase_row(
            count, measured["wall_s"], measured["server_cpu_s"], measured["client_cpu_s"], outcome.idle_cpu_util
        )
    phases["all"] = _phase_row(
        len(outcome.timings),
        sum(p["wall_s"] for p in outcome.phases.values()),
        sum(p["server_cpu_s"] for p in outcome.phases.values()),
        sum(p["client_cpu_s"] for p in outcome.phases.values()),
        outcome.idle_cpu_util,
    )
    memory = dict(outcome.memory)
    n = max(outcome.participants, 1)
    mb = 1024 * 1024
    base = memory.get("rss_base", 0)
    summary_memory: dict[str, Any] = {
        "rss_base_mb": base / mb,
        "rss_peak_mb": memory.get("rss_peak", 0) / mb,
        "threads_peak": memory.get("threads_peak", 0),
        "sessions_open_at_end": memory.get("sessions_open", 0),
        # RSS with every session open and idle after each phase (start page, assessment page with the
        # answers given, results page, quiz page), and (that RSS - RSS before they connected) / N.
        "rss_after_mb": {phase: memory.get(f"rss_after_{phase}", 0) / mb for phase in PHASES},
        "per_session_kb": {phase: (memory.get(f"rss_after_{phase}", 0) - base) / n / 1024 for phase in PHASES},
    }
    errors_by_kind: dict[str, int] = defaultdict(int)
    for error in outcome.errors:
        errors_by_kind[error["kind"]] += 1
    return {
        "participants": outcome.participants,
        "finished": outcome.finished,
        "idle_server_cpu_util": outcome.idle_cpu_util,
        "kinds": kinds,
        "phases": phases,
        "memory": summary_memory,
        "errors": {"count": len(outcome.errors), "by_kind": dict(errors_by_kind), "examples": outcome.errors[:20]},
    }


def ratios(app: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float:
        return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan

    kinds = {
        kind: {q: ratio(row[f"{q}_ms"], floor["kinds"][kind][f"{q}_ms"]) for q in ("p50", "p95", "p99")}
        for kind, row in app["kinds"].items()
        if kind in floor["kinds"]
    }
    phases = {
        phase: {
            "server_cpu_per_interaction": ratio(
                row["server_cpu_ms_per_interaction"], floor["phases"][phase]["server_cpu_ms_per_interaction"]
            ),
            "server_cpu_net_per_interaction": ratio(
                row["server_cpu_net_ms_per_interaction"], floor["phases"][phase]["server_cpu_net_ms_per_interaction"]
            ),
            "throughput": ratio(row["throughput_per_s"], floor["phases"][phase]["throughput_per_s"]),
        }
        for phase, row in app["phases"].items()
        if phase in floor["phases"]
    }
    memory = {
        "per_session": {
            phase: ratio(app["memory"]["per_session_kb"][phase], floor["memory"]["per_session_kb"][phase])
            for phase in PHASES
        },
        "rss_peak": ratio(app["memory"]["rss_peak_mb"], floor["memory"]["rss_peak_mb"]),
    }
    return {"kinds": kinds, "phases": phases, "memory": memory}


def print_report(report: dict[str, Any]) -> None:
    app, floor, ratio = report["app"], report["floor"], report["ratios"]
    opts = report["options"]
    print()
    print(
        f"Room load: {opts['participants']} participants, {opts['processes']} process(es), {opts['database']}, "
        f"think {opts['think'][0]:g}-{opts['think'][1]:g} s, {opts['answers']} answers, "
        f"{opts['quiz_answers']} quiz answers, results within {opts['results_window']:g} s, seed {opts['seed']}"
    )
    print()
    print("Time to script_finished, ms (app | floor | app/floor)")
    header = (
        f"{'interaction':<12} {'n':>6} {'err':>4} | {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} |"
        f" {'p50':>6} {'p95':>6} {'p99':>6} | {'×p50':>6} {'×p95':>6} {'×p99':>6}"
    )
    print(header)
    print("-" * len(header))
    for kind, row in app["kinds"].items():
        low = floor["kinds"].get(kind, {})
        r = ratio["kinds"].get(kind, {})
        print(
            f"{kind:<12} {row['count']:>6} {row['errors']:>4} | {fmt(row['p50_ms']):>8} {fmt(row['p95_ms']):>8}"
            f" {fmt(row['p99_ms']):>8} {fmt(row['max_ms']):>8} | {fmt(low.get('p50_ms', math.nan)):>6}"
            f" {fmt(low.get('p95_ms', math.nan)):>6} {fmt(low.get('p99_ms', math.nan)):>6} |"
            f" {fmt(r.get('p50', math.nan), 1):>6} {fmt(r.get('p95', math.nan), 1):>6}"
            f" {fmt(r.get('p99', math.nan), 1):>6}"
        )
    print()
    print(
        "Per phase: throughput, server CPU per interaction (gross, and net of the idle servers' own CPU),"
        " utilisation (app | floor | app/floor)"
    )
    header = (
        f"{'phase':<11} {'n':>5} {'wall s':>7} {'/s':>6} {'ms/i':>6} {'net':>6} {'util':>5} {'client':>6} |"
        f" {'/s':>6} {'ms/i':>6} {'net':>6} {'util':>5} | {'×ms/i':>5} {'×net':>5}"
    )
    print(header)
    print("-" * len(header))
    nan = math.nan
    for phase, row in app["phases"].items():
        low = floor["phases"].get(phase, {})
        r = ratio["phases"].get(phase, {})
        print(
            f"{phase:<11} {row['interactions']:>5} {fmt(row['wall_s'], 1):>7} {fmt(row['throughput_per_s'], 1):>6}"
            f" {fmt(row['server_cpu_ms_per_interaction'], 1):>6} {fmt(row['server_cpu_net_ms_per_interaction'], 1):>6}"
            f" {fmt(row['server_cpu_util'], 2):>5} {fmt(row['client_cpu_util'], 2):>6} |"
            f" {fmt(low.get('throughput_per_s', nan), 1):>6} {fmt(low.get('server_cpu_ms_per_interaction', nan), 1):>6}"
            f" {fmt(low.get('server_cpu_net_ms_per_interaction', nan), 1):>6}"
            f" {fmt(low.get('server_cpu_util', nan), 2):>5} |"
            f" {fmt(r.get('server_cpu_per_interaction', nan), 1):>5}"
            f" {fmt(r.get('server_cpu_net_per_interaction', nan), 1):>5}"
        )
    print(
        f"idle servers: app {fmt(app['idle_server_cpu_util'] * 100, 1)} %, floor"
        f" {fmt(floor['idle_server_cpu_util'] * 100, 1)} % of a core"
    )
    print()
    am, fm = app["memory"], floor["memory"]
    print("Memory of the site processes (RSS), every session open and idle after each phase")
    print(f"{'':<18} {'before':>7} " + " ".join(f"{p:>10}" for p in PHASES) + f" {'peak':>7}  threads")
    for name, m in (("app MB", am), ("floor MB", fm)):
        print(
            f"{name:<18} {fmt(m['rss_base_mb'], 1):>7} "
            + " ".join(f"{fmt(m['rss_after_mb'][p], 1):>10}" for p in PHASES)
            + f" {fmt(m['rss_peak_mb'], 1):>7}  {m['threads_peak']}"
        )
    for name, m in (("app KB/session", am), ("floor KB/session", fm)):
        print(f"{name:<18} {'':>7} " + " ".join(f"{fmt(m['per_session_kb'][p]):>10}" for p in PHASES))
    print(f"{'app/floor':<18} {'':>7} " + " ".join(f"{fmt(ratio['memory']['per_session'][p], 1):>10}" for p in PHASES))
    print()
    db = report["database"]
    for name, record in db.items():
        print(f"{name.replace('_', ' ')}: sent {record['sent']}, stored {record['stored']}, lost {record['lost']}")
        for example in record["examples"]:
            print(f"    {example}")
    print(
        f"participants finished: app {app['finished']}/{app['participants']},"
        f" floor {floor['finished']}/{floor['participants']}"
    )
    print(
        f"errors: app {app['errors']['count']}, floor {floor['errors']['count']},"
        f" server logs {len(report['server_log_errors'])}, warm-up {len(report['warm_up_errors'])}"
    )
    for error in (app["errors"]["examples"] + floor["errors"]["examples"])[:10]:
        print(f"    participant {error['participant']} {error['kind']}: {error['error'][:200]}")
    for line in (report["server_log_errors"] + report["warm_up_errors"])[:5]:
        print(f"    {line[:200]}")
    client = report["client"]
    print(
        f"client: {fmt(client['cpu_s'], 1)} s CPU, busiest phase at {fmt(client['max_phase_util'], 2)} of a core"
        + ("  ** the client may be the bottleneck: its figures are upper bounds **" if client["bottleneck"] else "")
    )
    print(f"result: {'OK' if report['ok'] else 'FAILED'}")


# The command -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_site_options(parser, "sqlite")
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 10.0), metavar=("MIN", "MAX"))
    parser.add_argument("--answers", type=int, default=8, help="answers per participant")
    parser.add_argument("--quick-share", type=float, default=0.5, help="share of participants taking the quick scan")
    parser.add_argument("--quiz-answers", type=int, default=3, help="quiz questions answered per participant")
    parser.add_argument("--results-window", type=float, default=10.0, help="everyone opens the results within S s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a run may take before it is an error")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.processes < 1:
        parser.error("--participants and --processes must be 1 or more")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think MIN MAX needs 0 <= MIN <= MAX")
    if not 0 <= args.quick_share <= 1:
        parser.error("--quick-share is a share between 0 and 1")
    return args


def modes(count: int, quick_share: float, seed: int) -> list[str]:
    quick = round(count * quick_share)
    chosen = ["quick"] * quick + ["full"] * (count - quick)
    random.Random(f"{seed}:modes").shuffle(chosen)
    return chosen


def run(args: argparse.Namespace) -> dict[str, Any]:
    AppActor.label_values = _label_values()
    options = Options(args.participants, tuple(args.think), args.results_window, args.timeout)  # type: ignore[arg-type]
    work = Path(tempfile.mkdtemp(prefix="smm-room-load-"))
    client_start = client_cpu_seconds()
    load_start = os.getloadavg()
    started_at = datetime.now(timezone.utc)
    try:
        with fresh_database(args.database, work, args.postgres_url) as database_url:
            env = site_environment(database_url)
            upgrade(env)
            site_cm = (
                cluster(args.processes, env, work)
                if args.processes > 1
                else streamlit_processes(ENTRY, 1, env, work, "app")
            )
            with site_cm as site:
                app_outcome = Outcome()
                # One warm-up participant on each process, straight to its port: behind nginx it would
                # reach a random one, and another process would import and compile during the play.
                warm = [AppActor(-1, url, args.seed, args.timeout, "quick", 2, 1) for url in site.processes]
                actors = [
                    AppActor(
                        i, site.urls[i % len(site.urls)], args.seed, args.timeout, mode, args.answers, args.quiz_answers
                    )
                    for i, mode in enumerate(modes(args.participants, args.quick_share, args.seed))
                ]

                async def app_play() -> list[str]:
                    problems = [problem for actor in warm for problem in await warm_up(actor)]
                    await play(actors, site.pids, options, app_outcome)  # type: ignore[arg-type]
                    return problems

                warm_problems = asyncio.run(app_play())
                database = check_database(database_url, actors)
                server_log_errors = site.log_errors()
            # The floor: the same participants, the same think times and interactions, on the trivial page,
            # with as many processes (each participant on one of them in turn, as the proxy's stickiness does).
            floor_env = os.environ.copy()
            with streamlit_processes(FLOOR_ENTRY, args.processes, floor_env, work, "floor") as floor_site:
                floor_outcome = Outcome()
                warm_plan = {"open": ["open"], "assessment": ["answer", "answer"]}
                floor_warm = [FloorActor(-1, url, args.seed, args.timeout, warm_plan) for url in floor_site.processes]
                floor_actors = [
                    FloorActor(
                        a.index, floor_site.urls[a.index % len(floor_site.urls)], args.seed, args.timeout, dict(a.kinds)
                    )
                    for a in actors
                ]

                async def floor_play() -> list[str]:
                    problems = [problem for actor in floor_warm for problem in await warm_up(actor)]
                    await play(floor_actors, floor_site.pids, options, floor_outcome)  # type: ignore[arg-type]
                    return problems

                warm_problems += asyncio.run(floor_play())
                server_log_errors += floor_site.log_errors()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    app_summary, floor_summary = summarise(app_outcome), summarise(floor_outcome)
    phase_utils = [
        p["client_cpu_util"] for p in list(app_summary["phases"].values()) + list(floor_summary["phases"].values())
    ]
    client_util = max((u for u in phase_utils if not math.isnan(u)), default=0.0)
    lost = sum(record["lost"] for record in database.values())
    errors = (
        app_summary["errors"]["count"] + floor_summary["errors"]["count"] + len(server_log_errors) + len(warm_problems)
    )
    unfinished = (app_summary["participants"] - app_summary["finished"]) + (
        floor_summary["participants"] - floor_summary["finished"]
    )
    return {
        "started_at": started_at.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "entry": ENTRY,
        "machine": machine(load_start),
        "options": {
            **site_options(args),
            "think": list(args.think),
            "answers": args.answers,
            "quick_share": args.quick_share,
            "quiz_answers": args.quiz_answers,
            "results_window": args.results_window,
            "seed": args.seed,
            "timeout": args.timeout,
        },
        "app": app_summary,
        "floor": floor_summary,
        "ratios": ratios(app_summary, floor_summary),
        "database": database,
        "server_log_errors": server_log_errors[:50],
        "warm_up_errors": warm_problems,
        "client": {
            "cpu_s": client_cpu_seconds() - client_start,
            "max_phase_util": client_util,
            "bottleneck": client_util > 0.7,
        },
        "lost": lost,
        "errors": errors,
        "unfinished_participants": unfinished,
        "ok": lost == 0 and errors == 0 and unfinished == 0,
    }


def main(argv: list[str] | None = None) -> int:
    return run_command(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
