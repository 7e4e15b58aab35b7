"""Server time per interaction, measured in-process with streamlit.testing.v1.AppTest.

    python benchmarks/run.py [--repeat N] [--warmup N] [--seed N] [--json PATH]

One run measures, interleaved in a shuffled order per repetition so machine noise
hits every scenario alike:

  a  the floor: benchmarks/trivial_app.py, one rerun after a radio click;
  b  the assessment page: answer a radio (its on_change saves the answer) and rerun;
  c  the results page of a fully answered assessment: one rerun;
  d  one answer written with raw sqlite3 (INSERT .. ON CONFLICT, WAL, commit) versus
     services.respondents.save_answer on the same kind of file;
  e  (b) followed by gc.collect(2), which is what runner.postScriptGC = true does
     after every script run in the real server (AppTest's runner never does it);
  f  the results page's first view: each repetition a respondent whose scores no
     earlier one had, so nothing cached per set of scores helps; beside (c)'s rerun;
  g  a lesson page: opening a lesson (from another lesson, with the token) and a rerun;
  h  a quiz click: answer a single-choice question of a started attempt (the form's
     submit stores it and the page moves on to the next question).

Medians and p90s are printed as a table and written to benchmarks/results/latest.json.
The set-up checks that each page is really reached and each answer really stored;
there are no timing assertions anywhere. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
APP = str(ROOT / "app.py")
TRIVIAL_APP = str(HERE / "trivial_app.py")
DEFAULT_JSON = HERE / "results" / "latest.json"

# The project's packages, and its .streamlit/config.toml, as when the site is served from the repository root.
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

import streamlit
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import (
    AppTest,
    local_script_runner,
)
from streamlit.testing.v1 import app_test as app_test_module

from assessment.demo import demo_answers
from assessment.loader import check_model, model_path
from assessment.model import CHECKLIST_VALUES, MATURITY_VALUES, TEE_VALUES, Mode, Model
from assessment.scoring import score
from content.files import display_path
from learning.content import load_course
from quizzes.attempt import encode
from services import learning
from services import respondents as visits
from storage import engine as storage_engine
from storage import respondents as answer_store
from storage.migrate import upgrade
from views.answer_widgets import item_of_key

# Creating an AppTest looks up a ScriptRunContext on the main thread, which has none; the warning is noise here.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True

# The real server compiles each page script once: its Runtime keeps one ScriptCache for every
# session and rerun. AppTest makes a new ScriptCache for every run, so each rerun would compile
# app.py and the page again, a cost the server never pays, that grows with the page's size and
# would inflate the ratios of the larger pages. One shared cache, as in the server.
_SHARED_SCRIPT_CACHE = ScriptCache()
app_test_module.ScriptCache = lambda: _SHARED_SCRIPT_CACHE  # type: ignore[attr-defined]
local_script_runner.ScriptCache = lambda: _SHARED_SCRIPT_CACHE  # type: ignore[attr-defined]

RAW_UPSERT = (
    "INSERT INTO answers (round_id, item_id, value, answered_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (round_id, item_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at"
)
DB_SAMPLES_PER_REPETITION = 10  # (d) is cheap: several writes of each kind per repetition

Samples = dict[str, list[float]]


class SetupError(RuntimeError):
    """The benchmark did not reach the state it claims to measure; its numbers would be meaningless."""


def require(condition: object, message: str) -> None:
    if not condition:
        raise SetupError(message)


def require_clean(at: AppTest, where: str) -> None:
    require(not at.exception, f"{where}: the script raised {[e.value for e in at.exception]}")


def open_page(token: str, page: str, where: str, **params: str) -> AppTest:
    """The app as a respondent with this resume token, switched to one page (with these query
    parameters), both runs clean."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = token
    at.run()
    require_clean(at, "start page")
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    require_clean(at, where)
    return at


def store_round(engine: Any, answers: dict[str, str]) -> tuple[str, int]:
    """A respondent whose first round holds these answers and is completed, written in one transaction
    (105 transactions per respondent would make the set-up of (f) slower than what it measures)."""
    token, _respondent, first_round = visits.start_assessment(engine, Mode.FULL.value)

    def work(connection: Any) -> None:
        at = answer_store.now()
        for item_id, value in answers.items():
            answer_store.save_answer(connection, first_round.id, item_id, value, at)
        answer_store.complete_round(connection, first_round.id, at)

    storage_engine.transaction(engine, work)
    require(visits.round_answers(engine, first_round.id) == answers, "not every answer was stored")
    return token, first_round.id


def require_results_page(at: AppTest, items: int, where: str) -> str:
    """The results page of a fully answered round is really shown; returns its title."""
    require_clean(at, where)
    require(at.title, f"{where}: no title")
    title = at.title[0].value
    require(
        title.startswith(("Your organisation is at the", "Not yet at the")), f"{where} not reached: title {title!r}"
    )
    complete = f"{items} of {items} questions answered"
    require(any(complete in c.value for c in at.caption), f"{where} does not say {complete!r}")
    return title


class GcWatch:
    """Counts Python's own (automatic) full collections that happen during each scenario's timed runs."""

    def __init__(self) -> None:
        self.scenario: str | None = None
        self.explicit = False
        self.count: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self._started: float | None = None

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2 or self.explicit or self.scenario is None:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.count[self.scenario] += 1
            self.seconds[self.scenario] += time.perf_counter() - self._started
            self._started = None

    def collect(self) -> float:
        """gc.collect(2) as postScriptGC runs it; returns its duration."""
        self.explicit = True
        try:
            started = time.perf_counter()
            gc.collect(2)
            return time.perf_counter() - started
        finally:
            self.explicit = False


WATCH = GcWatch()


def timed(scenario: str, action: Callable[[], object]) -> float:
    WATCH.scenario = scenario
    try:
        started = time.perf_counter()
        action()
        return time.perf_counter() - started
    finally:
        WATCH.scenario = None


# Scenarios -------------------------------------------------------------------------------------


class TrivialPage:
    """(a) The floor: what any Streamlit rerun costs in this harness."""

    options = ("second", "first")

    def __init__(self) -> None:
        self.at = AppTest.from_file(TRIVIAL_APP, default_timeout=60)
        self.at.run()
        require_clean(self.at, "trivial page")
        require(self.at.title[0].value == "Trivial page", "trivial page: title not rendered")
        self.turn = 0

    def step(self, samples: Samples) -> None:
        value = self.options[self.turn % 2]
        self.turn += 1
        elapsed = timed("trivial", lambda: self.at.radio(key="choice").set_value(value).run())
        require_clean(self.at, "trivial page")
        require(self.at.radio(key="choice").value == value, "trivial page: the radio click did not take")
        samples["trivial"].append(elapsed)


class AnswerOnAssessmentPage:
    """(b), and (e) with gc_after: set one radio on the assessment page, which saves the answer, and rerun."""

    values = ("partly", "largely")

    def __init__(self, engine: Any, model: Model, gc_after: bool) -> None:
        self.engine, self.gc_after = engine, gc_after
        self.name = "assessment_gc" if gc_after else "assessment"
        token, _respondent, first_round = visits.start_assessment(engine, Mode.FULL.value)
        self.round_id = first_round.id
        at = open_page(token, "views/assessment.py", "assessment page")
        self.header = model.dimensions[0].name
        require(
            [h.value for h in at.header] == [self.header],
            f"assessment page not reached: headers {[h.value for h in at.header]}, expected [{self.header!r}]",
        )
        keys = [r.key for r in at.radio if r.key and r.key.startswith(f"answer:{self.round_id}:")]
        require(keys, "assessment page: no answer radios for this round")
        self.at = at
        self.item_id = item_of_key(keys[0])
        require(model.section_of(self.item_id).value == "maturity", "the first question is expected to be a statement")
        require(visits.round_answers(engine, self.round_id) == {}, "a new round should have no answers")
        self.turn = 0
        self.interact(self.name)  # the first answer: the DB must go from 0 answers to 1
        require(len(visits.round_answers(engine, self.round_id)) == 1, "the first answer was not stored")

    def radio(self):  # noqa: ANN201 - AppTest's Radio element
        """The radio asking this item: its key names the answer it was drawn from, so it changes with
        every stored answer."""
        return next(r for r in self.at.radio if item_of_key(r.key or "") == self.item_id)

    def interact(self, scenario: str) -> tuple[float, float]:
        value = self.values[self.turn % 2]
        self.turn += 1
        gc_seconds = 0.0

        radio = self.radio()

        def click() -> None:
            nonlocal gc_seconds
            radio.set_value(value).run()
            if self.gc_after:
                gc_seconds = WATCH.collect()

        elapsed = timed(scenario, click)
        require_clean(self.at, "assessment page")
        require([h.value for h in self.at.header] == [self.header], "left the assessment page")
        require(self.radio().value == value, "the radio did not take the answer")
        require(not self.at.session_state["storage_busy"], "the answer is pending, not saved")
        stored = visits.round_answers(self.engine, self.round_id)
        require(stored == {self.item_id: value}, f"expected {{{self.item_id!r}: {value!r}}} in the DB, got {stored}")
        return elapsed, gc_seconds

    def step(self, samples: Samples, scenario: str | None = None) -> None:
        scenario = scenario or self.name
        elapsed, gc_seconds = self.interact(scenario)
        samples[scenario].append(elapsed)
        if self.gc_after:
            samples["gc_collect"].append(gc_seconds)


class ResultsPage:
    """(c) The heaviest page: stage, radar, tables, gaps, downloads, for a fully answered round, rerun."""

    def __init__(self, engine: Any, model: Model) -> None:
        answers = demo_answers(model)
        asked = model.item_ids(Mode.FULL)
        require(set(answers) == set(asked), "the sample answers must cover every item of the model")
        token, _round_id = store_round(engine, answers)
        at = open_page(token, "views/results.py", "results page")
        self.title = require_results_page(at, len(asked), "results page")
        self.at = at
        self.scores = scores_key(model, answers)

    def step(self, samples: Samples) -> None:
        elapsed = timed("results", self.at.run)
        require_clean(self.at, "results page")
        require(self.at.title[0].value == self.title, "left the results page")
        samples["results"].append(elapsed)


ScoresKey = tuple[tuple[str, object, object], ...]


def scores_key(model: Model, answers: dict[str, str]) -> ScoresKey:
    """A respondent's scores as plain values: whatever a page might keep per set of scores, two
    respondents with different keys cannot share it."""
    return tuple((d.id, d.score, d.stage) for d in score(model, answers, Mode.FULL).dimensions)


def section_value(model: Model, item_id: str) -> str:
    section = model.section_of(item_id)
    require(section is not None, f"{item_id} is not an item of the model")
    assert section is not None
    return section.value


class ResultsFirstView:
    """(f) The results page as each participant first sees it: a new session (the participant's own)
    on the start page, then the switch to the results page, timed. Every repetition is a respondent
    whose scores no earlier repetition, nor (c), had: what is cached per set of scores never helps,
    as in a workshop where every participant has their own."""

    def __init__(self, engine: Any, model: Model, seen: set[ScoresKey]) -> None:
        self.engine, self.model, self.seen = engine, model, seen
        self.asked = model.item_ids(Mode.FULL)
        self.values = {
            "maturity": list(MATURITY_VALUES),
            "tee": [str(v) for v in TEE_VALUES],
            "checklist": list(CHECKLIST_VALUES),
        }
        self.draw = random.Random(7)

    def fresh_answers(self) -> dict[str, str]:
        for _ in range(100):
            answers = {
                item_id: self.draw.choice(self.values[section_value(self.model, item_id)]) for item_id in self.asked
            }
            key = scores_key(self.model, answers)
            if key not in self.seen:
                self.seen.add(key)
                return answers
        raise SetupError("could not draw a set of scores that no earlier repetition had")

    def step(self, samples: Samples) -> None:
        token, _round_id = store_round(self.engine, self.fresh_answers())
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["t"] = token
        at.run()
        require_clean(at, "start page, before the first results view")
        at.switch_page("views/results.py")
        samples["results_first"].append(timed("results_first", at.run))
        require_results_page(at, len(self.asked), "results page, first view")


class LessonPage:
    """(g) A lesson with the respondent's token: opened from another lesson (the "Next lesson" link runs
    the same page with another ?lesson=), then one rerun. Two lessons in turn, so every open draws a
    lesson the previous run did not show."""

    def __init__(self, engine: Any, model: Model) -> None:
        course = load_course(model)
        require(len(course.lessons) >= 2, "the course needs two lessons")
        self.lessons = course.lessons[:2]
        token, _respondent, _round = visits.start_assessment(engine, Mode.FULL.value)
        self.at = open_page(token, "views/lessons.py", "lesson page", lesson=self.lessons[1].id)
        self.check(self.lessons[1].id, "lesson page")
        self.turn = 0

    def check(self, lesson_id: str, where: str) -> None:
        require_clean(self.at, where)
        lesson = next(lesson for lesson in self.lessons if lesson.id == lesson_id)
        titles = [t.value for t in self.at.title]
        require(titles == [lesson.title], f"{where}: expected the lesson {lesson.title!r}, got titles {titles}")
        # The toggle is drawn only for a respondent: the token was read and the session loaded.
        require(self.at.toggle(key=f"done:{lesson_id}@False"), f"{where}: no 'Mark as done' for this respondent")

    def step(self, samples: Samples) -> None:
        lesson_id = self.lessons[self.turn % 2].id
        self.turn += 1
        self.at.query_params["lesson"] = lesson_id
        samples["lesson_open"].append(timed("lesson_open", self.at.run))
        self.check(lesson_id, "lesson page, opened")
        samples["lesson_rerun"].append(timed("lesson_rerun", self.at.run))
        self.check(lesson_id, "lesson page, rerun")


class QuizClick:
    """(h) A started quiz attempt: choose an option of a single-choice question and press "Answer"; the
    form stores the response and the page moves on to the next open question (two script runs, as in
    the server). Questions of other kinds are answered outside the timing, straight in storage; a
    finished attempt is followed by a new one, also outside the timing."""

    BANK = "policy-governance"  # end-of-quiz feedback: an answer moves straight to the next question

    def __init__(self, engine: Any, model: Model) -> None:
        course = load_course(model)
        bank = course.bank(self.BANK)
        require(bank is not None, f"the course has no quiz {self.BANK}")
        assert bank is not None
        require(bank.feedback == "end", f"the quiz {self.BANK} is expected to give its feedback at the end")
        require(any(q.type == "single" for q in bank.questions), f"the quiz {self.BANK} has no single-choice question")
        self.engine, self.bank = engine, bank
        token, respondent, _round = visits.start_assessment(engine, Mode.FULL.value)
        self.respondent_id = respondent.id
        self.attempt_id = learning.start_attempt(engine, respondent.id, bank.id).id
        self.at = open_page(token, "views/quiz.py", "quiz page", quiz=bank.id)
        self.step(defaultdict(list))
        require(len(learning.responses(engine, self.attempt_id)) >= 1, "the first quiz answer was not stored")

    def open_question(self) -> int:
        """The index of the question the page asks now, after answering the others outside the timing."""
        while True:
            stored = learning.responses(self.engine, self.attempt_id)
            index = next((i for i, q in enumerate(self.bank.questions) if q.id not in stored), None)
            if index is None:  # all answered: finish this attempt, start the next (untimed)
                learning.finish_attempt(self.engine, self.attempt_id, 0)
                self.attempt_id = learning.start_attempt(self.engine, self.respondent_id, self.bank.id).id
                continue
            question = self.bank.questions[index]
            if question.type == "single":
                self.at.run()
                require_clean(self.at, "quiz page")
                return index
            learning.save_response(self.engine, self.attempt_id, question.id, encode(_right_response(question)))

    def step(self, samples: Samples) -> None:
        index = self.open_question()
        question = self.bank.questions[index]
        total = len(self.bank.questions)
        asked = f"Question {index + 1} of {total}"
        require([s.value for s in self.at.subheader] == [asked], f"quiz page: expected {asked!r}")
        choice = question.options[index % 2].id  # not always the first option
        radio = self.at.radio[0]
        submit = next(b for b in self.at.button if b.label == "Answer")

        def click() -> None:
            radio.set_value(choice)
            submit.click().run()

        samples["quiz_click"].append(timed("quiz_click", click))
        require_clean(self.at, "quiz page, after an answer")
        stored = learning.responses(self.engine, self.attempt_id)
        require(stored.get(question.id) == encode(choice), f"the answer {choice!r} to {question.id} was not stored")
        require([s.value for s in self.at.subheader] != [asked], "the quiz page did not move on after the answer")


def _right_response(question: Any) -> object:
    """A full response to a question of any kind but single choice (answered outside the timing)."""
    if question.type == "multiple":
        return sorted(o.id for o in question.options if o.correct)
    if question.type == "truefalse":
        return bool(question.answer)
    if question.type == "ordering":
        return [i.id for i in question.items]
    if question.type == "matching":
        return {p.id: p.id for p in question.pairs}
    raise SetupError(f"the benchmark cannot answer a {question.type} question")


class DatabaseFloor:
    """(d) One answer upserted with plain sqlite3 versus through services.respondents.save_answer, each on its
    own file."""

    values = ("partly", "largely")

    def __init__(self, folder: Path) -> None:
        raw_path, storage_path = folder / "raw.sqlite3", folder / "storage.sqlite3"
        round_ids = {}
        for path in (raw_path, storage_path):  # the app's own schema, foreign keys included, on both files
            engine = storage_engine.make_engine(f"sqlite:///{path}")
            upgrade(engine)
            round_ids[path] = visits.start_assessment(engine, Mode.FULL.value)[2].id
            if path == raw_path:
                engine.dispose()
            else:
                self.engine = engine
        with self.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        require(mode == "wal", f"the storage engine's SQLite file is in {mode} mode, expected wal")
        # The same connection settings storage applies on connect (storage/engine.py, _configure_sqlite).
        self.raw = sqlite3.connect(
            raw_path, timeout=storage_engine.SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        require(self.raw.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal", "raw file is not in WAL mode")
        self.raw.execute(f"PRAGMA busy_timeout={storage_engine.SQLITE_BUSY_TIMEOUT_MS}")
        self.raw.execute("PRAGMA foreign_keys=ON")
        self.raw_round, self.storage_round = round_ids[raw_path], round_ids[storage_path]
        self.item_id = "strategy.crawl.1"
        self.turn = 0
        self.step(defaultdict(list))
        raw_rows = self.raw.execute("SELECT count(*) FROM answers WHERE round_id = ?", (self.raw_round,)).fetchone()[0]
        require(raw_rows == 1, "the raw upsert did not store the answer")
        require(len(visits.round_answers(self.engine, self.storage_round)) == 1, "save_answer did not store the answer")

    def raw_upsert(self, value: str) -> None:
        now = datetime.now(timezone.utc).isoformat(sep=" ")
        self.raw.execute(RAW_UPSERT, (self.raw_round, self.item_id, value, now))
        self.raw.commit()

    def step(self, samples: Samples) -> None:
        for _ in range(DB_SAMPLES_PER_REPETITION):
            value = self.values[self.turn % 2]
            self.turn += 1
            samples["sqlite_raw"].append(timed("sqlite_raw", lambda v=value: self.raw_upsert(v)))
            samples["save_answer"].append(
                timed(
                    "save_answer", lambda v=value: visits.save_answer(self.engine, self.storage_round, self.item_id, v)
                )
            )
        stored = self.raw.execute(
            "SELECT value FROM answers WHERE round_id = ? AND item_id = ?", (self.raw_round, self.item_id)
        ).fetchone()
        require(stored == (value,), "the raw upsert did not store the last value")
        require(
            visits.round_answers(self.engine, self.storage_round) == {self.item_id: value}, "save_answer lost a value"
        )

    def close(self) -> None:
        self.raw.close()
        self.engine.dispose()


# Figures -------------------------------------------------------------------------------------------

ROWS = [  # key, scenario letter, description, compared with
    ("trivial", "a", "trivial page: rerun after a radio click (the floor)", "trivial"),
    ("assessment", "b", "assessment page: answer a radio (saved) + rerun", "trivial"),
    ("results", "c", "results page, fully answered: one rerun", "trivial"),
    ("results_first", "f", "results page, first view (scores not seen before)", "trivial"),
    ("lesson_open", "g", "lesson page: open a lesson (from another one)", "trivial"),
    ("lesson_rerun", "g", "lesson page: one rerun", "trivial"),
    ("quiz_click", "h", "quiz: answer a question (stored) + move on", "trivial"),
    ("assessment_gc", "e", "(b) + gc.collect(2) after the run (postScriptGC on)", "trivial"),
    ("gc_collect", "e", "gc.collect(2) alone, after (b)", "trivial"),
    ("sqlite_raw", "d", "raw sqlite3 upsert + commit, WAL file (the DB floor)", "sqlite_raw"),
    ("save_answer", "d", "services.respondents.save_answer, WAL file", "sqlite_raw"),
]


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]


def summarise(samples: Samples) -> dict[str, dict[str, Any]]:
    medians = {key: statistics.median(values) for key, values in samples.items()}
    figures = {}
    for key, letter, description, base in ROWS:
        values = samples[key]
        figures[key] = {
            "scenario": letter,
            "description": description,
            "n": len(values),
            "median_ms": round(medians[key] * 1000, 3),
            "p90_ms": round(p90(values) * 1000, 3),
            "compared_with": base,
            "ratio": round(medians[key] / medians[base], 2),
        }
    return figures


def post_script_gc(figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    off, on = figures["assessment"]["median_ms"], figures["assessment_gc"]["median_ms"]
    return {
        "off_median_ms": off,
        "on_median_ms": on,
        "added_median_ms": round(on - off, 3),
        "added_percent": round((on - off) / off * 100, 1),
        "gc_collect_median_ms": figures["gc_collect"]["median_ms"],
        "gc_collect_p90_ms": figures["gc_collect"]["p90_ms"],
    }


def clicks_without_forced_gc(page: AnswerOnAssessmentPage, clicks: int) -> dict[str, Any]:
    """(e), the other side: answer clicks in a row with no forced collection, as a server with
    postScriptGC = false runs them. How often does Python's own full collection step in, and how
    much cyclic garbage (what only a collection frees) piles up meanwhile?"""
    WATCH.collect()
    tracked_before = len(gc.get_objects())
    samples: Samples = defaultdict(list)
    for _ in range(clicks):
        page.step(samples, "soak")
    tracked_after = len(gc.get_objects())
    WATCH.explicit = True
    try:
        unreachable = gc.collect(2)
    finally:
        WATCH.explicit = False
    return {
        "clicks": clicks,
        "median_ms": round(statistics.median(samples["soak"]) * 1000, 3),
        "p90_ms": round(p90(samples["soak"]) * 1000, 3),
        "automatic_full_collections": WATCH.count["soak"],
        "automatic_full_collections_ms": round(WATCH.seconds["soak"] * 1000, 2),
        "tracked_objects_before": tracked_before,
        "tracked_objects_after": tracked_after,
        "unreachable_freed_by_final_collect": unreachable,
        "tracked_objects_after_final_collect": len(gc.get_objects()),
    }


def table(figures: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| | scenario | median ms | p90 ms | × trivial page | × raw sqlite3 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for key, letter, description, base in ROWS:
        row = figures[key]
        ratio = f"{row['ratio']:.2f}"
        floor, raw = (ratio, "–") if base == "trivial" else ("–", ratio)
        lines.append(f"| {letter} | {description} | {row['median_ms']:.2f} | {row['p90_ms']:.2f} | {floor} | {raw} |")
    return "\n".join(lines)


def model_info(path: Path, model: Model) -> dict[str, Any]:
    return {
        "path": display_path(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "dimensions": len(model.dimensions),
        "items_full": len(model.item_ids(Mode.FULL)),
        "first_step_questions": len(model.dimensions[0].statements),
    }


def machine_info() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


# Main -------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=100, help="measured repetitions (default 100)")
    parser.add_argument("--warmup", type=int, default=5, help="unrecorded repetitions first (default 5)")
    parser.add_argument(
        "--soak", type=int, default=200, help="answer clicks in a row without forced GC, after the rest (default 200)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the per-repetition order (default 1)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"output (default {DEFAULT_JSON.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    if args.repeat < 2 or args.warmup < 0 or args.soak < 0:
        parser.error("--repeat must be at least 2, --warmup and --soak at least 0")
    return args


def load_checked_model() -> tuple[Path, Model]:
    path = model_path()
    model, problems = check_model(path)
    if model is None:
        listing = "\n".join(f"  {p}" for p in problems)
        raise SystemExit(f"The model {path} cannot be used:\n{listing}\nSet SMM_MODEL_PATH to a valid model file.")
    return path, model


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    path, model = load_checked_model()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="smm-bench-") as folder:
        os.environ["SMM_SQLITE_PATH"] = str(Path(folder) / "app.sqlite3")
        os.environ.pop("SMM_DATABASE_URL", None)  # these figures are for SQLite
        engine = storage_engine.make_engine()
        upgrade(engine)
        database_floor = DatabaseFloor(Path(folder))
        answering = AnswerOnAssessmentPage(engine, model, gc_after=False)
        results = ResultsPage(engine, model)
        steps = {
            "a": TrivialPage().step,
            "b": answering.step,
            "c": results.step,
            "d": database_floor.step,
            "e": AnswerOnAssessmentPage(engine, model, gc_after=True).step,
            "f": ResultsFirstView(engine, model, seen={results.scores}).step,
            "g": LessonPage(engine, model).step,
            "h": QuizClick(engine, model).step,
        }
        order = random.Random(args.seed)
        gc.callbacks.append(WATCH)
        try:
            samples: Samples = defaultdict(list)
            for repetition in range(args.warmup + args.repeat):
                record = samples if repetition >= args.warmup else defaultdict(list)
                if repetition == args.warmup:
                    WATCH.count.clear()
                    WATCH.seconds.clear()
                letters = list(steps)
                order.shuffle(letters)
                for letter in letters:
                    steps[letter](record)
            soak = clicks_without_forced_gc(answering, args.soak) if args.soak else None
        finally:
            gc.callbacks.remove(WATCH)
            database_floor.close()
            engine.dispose()
    figures = summarise(samples)
    gc_figures = post_script_gc(figures)
    gc_figures["automatic_full_collections_in_interleaved_runs"] = {
        key: {"count": WATCH.count[key], "total_ms": round(WATCH.seconds[key] * 1000, 2)} for key, *_ in ROWS
    }
    gc_figures["clicks_without_forced_gc"] = soak
    report = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "model": model_info(path, model),
        "repeat": args.repeat,
        "warmup": args.warmup,
        "seed": args.seed,
        "db_samples_per_repetition": DB_SAMPLES_PER_REPETITION,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "scenarios": figures,
        "post_script_gc": gc_figures,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    machine, info = report["machine"], report["model"]
    print(
        f"{report['date']} · {machine['cpus']} cores · Python {machine['python']} · Streamlit {machine['streamlit']} "
        f"· SQLite {machine['sqlite']}"
    )
    print(
        f"model {info['path']} (sha256 {info['sha256'][:12]}, {info['items_full']} items, "
        f"{info['first_step_questions']} on the first step) · {args.repeat} repetitions after {args.warmup} warm-up "
        f"· {report['wall_seconds']} s"
    )
    print()
    print(table(figures))
    print()
    print(
        f"postScriptGC: a full gc.collect(2) after each run adds {gc_figures['added_median_ms']:.2f} ms to the median "
        f"answer click (+{gc_figures['added_percent']:.0f} %); the collection alone takes "
        f"{gc_figures['gc_collect_median_ms']:.2f} ms median, {gc_figures['gc_collect_p90_ms']:.2f} ms p90."
    )
    automatic = gc_figures["automatic_full_collections_in_interleaved_runs"]
    print(
        "Python's own full collections inside the timed runs above: "
        + ", ".join(f"{key} {value['count']}" for key, value in automatic.items())
    )
    if soak:
        print(
            f"{soak['clicks']} answer clicks in a row without forced GC: {soak['median_ms']:.2f} ms median, "
            f"{soak['p90_ms']:.2f} ms p90; Python ran {soak['automatic_full_collections']} full collection(s) "
            f"by itself ({soak['automatic_full_collections_ms']:.0f} ms in all); tracked objects "
            f"{soak['tracked_objects_before']} → {soak['tracked_objects_after']}, of which a final gc.collect(2) found "
            f"{soak['unreachable_freed_by_final_collect']} unreachable."
        )
    print(f"\nJSON: {display_path(args.json.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
