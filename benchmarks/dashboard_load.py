"""The management dashboard with 100,000 completed assessments (issue 15, "Performance").

    python benchmarks/dashboard_load.py [--respondents 100000 --organisation 10000 --databases sqlite,postgresql]

For each database (a temporary SQLite file; a new PostgreSQL database, dropped afterwards) it makes
the data in bulk, then measures, interleaved in a shuffled order per repetition:

  a  the floor: benchmarks/trivial_app.py, one rerun after a radio click, as benchmarks/run.py times it;
  b  the database floor: the open wave's responses (department, job title, summary) read with the
     driver's own cursor, and the same read through `storage.management.responses_of`;
  c  `services.dashboard.dashboard` for the organisation's manager, cold (the per-process cache
     cleared first with `clear_cache`) and warm (the same view again), with no filter, a department
     and a department x job title; the organisation's cold view also with the collector off and after
     `gc.freeze()`, and the collector's runs counted inside every cold view;
  s  a cold view's steps, timed apart: read the rows, decode the summaries (collector on and off),
     decide the shown views, the organisation's figures, every department's;
  d  the dashboard page (views/dashboard.py in app.py, logged in as the manager) in AppTest, cold
     and warm, when the page exists in this tree;
  e  the PDF report for the manager: `services.reports.management_report` (the dashboard's values) and
     `reporting.management_report.report_files` (the PDF, typeset by Typst), cold and warm.

Medians, p90s and ratios to the floors are printed as a table and written as JSON (--json). Each
database's data generation is timed per table. One cold view per database is profiled (cProfile)
and its time broken down by the functions that matter. Nothing asserts on timings; the run fails
only when it did not reach what it claims to measure (a page that raises, a dashboard without
figures, a filter refused). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import math
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# benchmarks/run.py: the project on sys.path, the working directory at its root, one shared ScriptCache
# for every AppTest run (as the server compiles each page once), the trivial page and the checks.
import run as in_process  # noqa: E402
from loadkit import DEFAULT_POSTGRES_URL, clean, fresh_database, git_commit, percentile  # noqa: E402
from sqlalchemy import Engine, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from assessment import response_summary  # noqa: E402
from assessment.model import STAGE_IDS, Mode, Model  # noqa: E402
from assessment.version import model_version  # noqa: E402
from learning.content import Course, load_course  # noqa: E402
from reporting import anonymity  # noqa: E402
from reporting.aggregate import Member, group_figures, profile_figures  # noqa: E402
from reporting.management_report import report_files  # noqa: E402
from services import accounts, reports  # noqa: E402
from services import dashboard as dashboards  # noqa: E402
from services.results import scores_of  # noqa: E402
from storage import engine as storage_engine  # noqa: E402
from storage import management as management_store  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.schema import (  # noqa: E402
    answers,
    organisation_departments,
    organisation_job_titles,
    organisation_managers,
    organisation_members,
    organisations,
    respondents,
    rounds,
    wave_responses,
    waves,
)
from workshops.organisations import SECTORS  # noqa: E402

ROOT = in_process.ROOT
PASSWORD = "benchmark manager password"
MANAGER = "bench-manager"
ORGANISATION_NAME = "Benchmark organisation"
THRESHOLD = 5
# Distinct answer sets, drawn at maturity levels spread over the stages; every respondent takes one of
# them (scored and summarised once each), so 100,000 rounds cost 240 scorings, not 100,000.
ANSWER_SETS = 240
LEVEL_LOW, LEVEL_HIGH = 0.0, 3.6
# Of the measured organisation's respondents in its open wave, this share also answered its first wave.
FIRST_WAVE_SHARE = 0.8
NO_DEPARTMENT_SHARE = 0.02
NO_JOB_TITLE_SHARE = 0.04
CHUNK = 5000
OPEN_WAVE_START = datetime(2026, 10, 1, 8, 0, tzinfo=timezone.utc)
FIRST_WAVE_START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
FIRST_WAVE_END = datetime(2026, 5, 29, 17, 0, tzinfo=timezone.utc)
OTHERS_START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
WAVE_DAYS = 45
DEPARTMENT_NAMES = (
    "Sales", "Marketing", "Customer service", "IT", "Finance", "HR",
    "Logistics", "Legal", "Communications", "Operations", "Purchasing", "Research",
    "Facilities", "Quality", "Training", "Stores",
)  # fmt: skip
JOB_TITLE_NAMES = (
    "Manager", "Team lead", "Adviser", "Specialist", "Assistant", "Coordinator",
    "Analyst", "Director", "Trainee", "Consultant", "Officer", "Engineer",
)  # fmt: skip
# The functions a cold view's time is broken down by (cProfile's cumulative time of each).
PROFILED = (
    ("storage.management", "responses_since"),
    ("storage.management", "response_stamp"),
    ("storage.management", "latest_closed_statistics"),
    ("assessment.response_summary", "load"),
    ("reporting.anonymity", "shown_views"),
    ("reporting.aggregate", "group_figures"),
    ("services.dashboard", "_department_figures"),
    ("services.dashboard", "load_statistics"),
    ("reporting.aggregate", "benchmark"),
    ("reporting.aggregate", "trend"),
    ("services.dashboard", "_plan_gaps"),
)

Samples = dict[str, list[float]]


def require(condition: object, message: str) -> None:
    in_process.require(condition, message)


# The data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerSet:
    level: float
    answers: dict[str, str]
    summary: str  # response_summary.dump of its scores and answers
    scores: str  # the round's stored scores (assessment.stored_result)


def draw_answers(model: Model, level: float, rng: random.Random) -> dict[str, str]:
    """Answers to every item of the full assessment around a maturity level in stage units: a statement
    of stage k gets about 1.5 + 1.4 x (level - k) points, so a stage is reached about where the level
    passes k + 1/3; some "don't know", the 4 T's and the checklist follow the level."""
    values = ("none", "partly", "largely", "fully")
    drawn: dict[str, str] = {}
    for dimension in model.dimensions:
        dimension_level = level + rng.gauss(0.0, 0.4)
        for statement in dimension.statements:
            stage = STAGE_IDS.index(statement.stage)
            if rng.random() < 0.04 + 0.03 * stage:
                drawn[statement.id] = "dont_know"
                continue
            points = 1.5 + 1.4 * (dimension_level - stage) + rng.gauss(0.0, 0.6)
            drawn[statement.id] = values[max(0, min(3, round(points)))]
    for tee_statement in model.tee_statements(Mode.FULL):
        agreement = max(1, min(5, round(3 + 0.45 * (level - 1.5) + rng.gauss(0.0, 0.8))))
        drawn[tee_statement.id] = str(6 - agreement if tee_statement.reverse else agreement)
    for item in model.checklist:
        practice = level - 1.0 + rng.gauss(0.0, 0.8)
        drawn[item.id] = "yes" if practice > 0.5 else "partly" if practice > -0.3 else "no"
    return drawn


def answer_sets(model: Model, rng: random.Random) -> list[AnswerSet]:
    """ANSWER_SETS scored and summarised answer sets, lowest level first."""
    layout = model.item_ids(Mode.FULL)
    found = []
    for index in range(ANSWER_SETS):
        level = LEVEL_LOW + (LEVEL_HIGH - LEVEL_LOW) * index / (ANSWER_SETS - 1)
        drawn = draw_answers(model, level, rng)
        result, scores = scores_of(model, drawn, Mode.FULL.value)
        summary = response_summary.dump(response_summary.summarise(result, drawn, layout))
        found.append(AnswerSet(level, drawn, summary, scores))
    return found


def pick(sets: Sequence[AnswerSet], level: float) -> AnswerSet:
    share = (level - LEVEL_LOW) / (LEVEL_HIGH - LEVEL_LOW)
    return sets[max(0, min(len(sets) - 1, round(share * (len(sets) - 1))))]


@dataclass
class Scene:
    """What the measurements need to know of the data."""

    organisation_id: int
    manager_id: int
    token: str  # the manager's login
    open_wave: int
    first_wave: int
    departments: tuple[str, ...]
    job_titles: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    department: str | None = None  # the filters measured, chosen among the shown views
    job_title: str | None = None


class Rows:
    """Explicit ids for the bulk tables (no round trip per row to learn them), after any row already there."""

    def __init__(self, connection: Connection) -> None:
        self.respondent = int(connection.execute(select(func.coalesce(func.max(respondents.c.id), 0))).scalar_one())
        self.round = int(connection.execute(select(func.coalesce(func.max(rounds.c.id), 0))).scalar_one())
        self.respondents: list[dict[str, Any]] = []
        self.rounds: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.answered: list[tuple[int, AnswerSet, datetime]] = []  # rounds whose answers are inserted too

    def respondent_row(self, organisation_id: int, department: str | None, job_title: str | None, at: datetime) -> int:
        self.respondent += 1
        token_hash = hashlib.sha256(f"bench-{self.respondent}".encode()).hexdigest()
        self.respondents.append(
            {
                "id": self.respondent,
                "token_hash": token_hash,
                "organisation": None,
                "job_title": None,
                "language": "en",
                "created_at": at,
                "updated_at": at,
            }
        )
        self.members.append(
            {
                "respondent_id": self.respondent,
                "organisation_id": organisation_id,
                "department": department,
                "job_title": job_title,
                "joined_at": at,
            }
        )
        return self.respondent

    def completed_round(
        self,
        respondent_id: int,
        number: int,
        wave_id: int,
        department: str | None,
        job_title: str | None,
        answer_set: AnswerSet,
        at: datetime,
        version: str,
        with_answers: bool,
    ) -> None:
        """A completed round and its response in the wave; its scores and answers only `with_answers`."""
        self.round += 1
        self.rounds.append(
            {
                "id": self.round,
                "respondent_id": respondent_id,
                "number": number,
                "mode": Mode.FULL.value,
                "started_at": at - timedelta(minutes=25),
                "completed_at": at,
                "model_version": version,
                "scored_at": at if with_answers else None,
                "scores": answer_set.scores if with_answers else None,
            }
        )
        self.responses.append(
            {
                "wave_id": wave_id,
                "respondent_id": respondent_id,
                "round_id": self.round,
                "department": department,
                "job_title": job_title,
                "completed_at": at,
                "summary": answer_set.summary,
            }
        )
        if with_answers:
            self.answered.append((self.round, answer_set, at))


def _insert(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start : start + CHUNK])


def _answer_rows(answered: list[tuple[int, AnswerSet, datetime]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for round_id, answer_set, at in answered:
        moment = at - timedelta(minutes=1)
        batch.extend(
            {"round_id": round_id, "item_id": item, "value": value, "answered_at": moment}
            for item, value in answer_set.answers.items()
        )
        if len(batch) >= 10 * CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def timed_phase(seconds: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = round(seconds.get(name, 0.0) + time.perf_counter() - started, 3)


def _organisation(
    connection: Connection, name: str, sector: str, departments: Sequence[str], job_titles: Sequence[str], at: datetime
) -> int:
    organisation_id = int(
        connection.execute(
            insert(organisations).values(
                name=name,
                sector=sector,
                size_band="250+",
                default_language="en",
                created_at=at,
                updated_at=at,
                anonymity_threshold=THRESHOLD,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    for table, names in ((organisation_departments, departments), (organisation_job_titles, job_titles)):
        if names:
            connection.execute(
                insert(table),
                [{"organisation_id": organisation_id, "position": i, "name": n} for i, n in enumerate(names)],
            )
    return organisation_id


def _wave(connection: Connection, organisation_id: int, name: str, opened: datetime, closed: datetime | None) -> int:
    return int(
        connection.execute(
            insert(waves).values(
                organisation_id=organisation_id, name=name, threshold=THRESHOLD, opened_at=opened, closed_at=closed
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def _sizes(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` sizes between about half and one and a half times the mean."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, math.floor(w * scale)) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def make_data(engine: Engine, model: Model, args: argparse.Namespace, sets: Sequence[AnswerSet]) -> Scene:
    """The organisation measured (departments x job titles, a closed first wave with statistics and an
    open second wave with `--organisation` respondents) and the other organisations (one closed wave
    each, with statistics), so that the rounds completed add up to `--respondents`."""
    rng = random.Random(args.seed)
    seconds: dict[str, float] = {}
    version = model_version(model)
    size = args.organisation
    first_size = round(size * FIRST_WAVE_SHARE)
    others_total = args.respondents - size - first_size
    require(others_total >= args.other_organisations, "--respondents is too small for the organisation and the others")
    departments = DEPARTMENT_NAMES[: args.departments]
    job_titles = JOB_TITLE_NAMES[: args.job_titles]

    with timed_phase(seconds, "manager account"):
        manager = accounts.create_user(engine, MANAGER, "Benchmark manager", "manager", PASSWORD)
        token, _user = accounts.authenticate(engine, MANAGER, PASSWORD, None)

    with timed_phase(seconds, "organisations, waves, rows in memory"), engine.begin() as connection:
        rows = Rows(connection)
        organisation_id = _organisation(
            connection, ORGANISATION_NAME, "retail", departments, job_titles, OPEN_WAVE_START - timedelta(days=400)
        )
        connection.execute(insert(organisation_managers).values(user_id=manager.id, organisation_id=organisation_id))
        first_wave = _wave(connection, organisation_id, "Spring 2026", FIRST_WAVE_START, FIRST_WAVE_END)
        open_wave = _wave(connection, organisation_id, "Autumn 2026", OPEN_WAVE_START, None)
        # Departments and job titles differ in level, so their figures differ as a real organisation's do.
        department_level = {d: rng.uniform(0.9, 2.3) for d in departments}
        job_level = {j: rng.uniform(-0.3, 0.3) for j in job_titles}
        for person in range(size):
            department = None if rng.random() < NO_DEPARTMENT_SHARE else departments[person % len(departments)]
            job_title = (
                None
                if rng.random() < NO_JOB_TITLE_SHARE
                else job_titles[(person // len(departments)) % len(job_titles)]
            )
            level = department_level.get(department or "", 1.6) + job_level.get(job_title or "", 0.0)
            personal = rng.gauss(0.0, 0.45)
            joined = FIRST_WAVE_START - timedelta(days=30)
            respondent_id = rows.respondent_row(organisation_id, department, job_title, joined)
            number = 1
            if person < first_size:
                at = FIRST_WAVE_START + (FIRST_WAVE_END - FIRST_WAVE_START) * rng.random()
                rows.completed_round(
                    respondent_id, 1, first_wave, department, job_title, pick(sets, level - 0.3 + personal), at,
                    version, with_answers=False,
                )  # fmt: skip
                number = 2
            at = OPEN_WAVE_START + timedelta(days=60) * rng.random()
            rows.completed_round(
                respondent_id, number, open_wave, department, job_title, pick(sets, level + personal), at,
                version, with_answers=args.answers,
            )  # fmt: skip

        sector_ids = list(SECTORS)
        other_waves = []
        for index, members in enumerate(_sizes(others_total, args.other_organisations, rng)):
            own_departments = rng.sample(DEPARTMENT_NAMES, rng.randint(2, 6))
            own_titles = rng.sample(JOB_TITLE_NAMES, rng.randint(1, 4))
            opened = OTHERS_START + timedelta(days=rng.randint(0, 240))
            closed = opened + timedelta(days=WAVE_DAYS)
            other_id = _organisation(
                connection,
                f"Organisation {index + 1}",
                sector_ids[index % len(sector_ids)],
                own_departments,
                own_titles,
                opened - timedelta(days=30),
            )
            wave_id = _wave(connection, other_id, "First wave", opened, closed)
            other_waves.append(wave_id)
            level = rng.uniform(0.6, 2.6)
            for _person in range(members):
                department = rng.choice(own_departments)
                job_title = rng.choice(own_titles)
                respondent_id = rows.respondent_row(other_id, department, job_title, opened)
                at = opened + (closed - opened) * rng.random()
                rows.completed_round(
                    respondent_id, 1, wave_id, department, job_title, pick(sets, level + rng.gauss(0.0, 0.5)),
                    at, version, with_answers=False,
                )  # fmt: skip
        management_store.ensure_layout(
            connection, response_summary.layout_hash(model.item_ids(Mode.FULL)), model.item_ids(Mode.FULL)
        )

    for name, table, table_rows in (
        ("respondents", respondents, rows.respondents),
        ("organisation_members", organisation_members, rows.members),
        ("rounds", rounds, rows.rounds),
        ("wave_responses", wave_responses, rows.responses),
    ):
        with timed_phase(seconds, name), engine.begin() as connection:
            _insert(connection, table, table_rows)
    answer_count = 0
    if rows.answered:
        with timed_phase(seconds, "answers"):
            for batch in _answer_rows(rows.answered):
                with engine.begin() as connection:
                    connection.execute(insert(answers), batch)
                answer_count += len(batch)
    if engine.dialect.name == "postgresql":
        with timed_phase(seconds, "sequences and ANALYZE"), engine.begin() as connection:
            for name in ("respondents", "rounds"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
                )
            connection.execute(text("ANALYZE"))
    else:
        with timed_phase(seconds, "ANALYZE"), engine.begin() as connection:
            connection.execute(text("ANALYZE"))

    # Closed waves keep their statistics, computed from their responses as closing a wave does.
    with timed_phase(seconds, "statistics of the closed waves"):
        for wave_id in [first_wave, *other_waves]:
            figures = dashboards.wave_statistics(engine, wave_id, model)
            require(figures is not None, f"wave {wave_id} has no statistics")
            with engine.begin() as connection:
                connection.execute(update(waves).where(waves.c.id == wave_id).values(statistics=figures))
        dashboards.clear_cache()

    counts = {
        "completed_rounds": len(rows.rounds),
        "respondents": len(rows.respondents),
        "organisations": 1 + args.other_organisations,
        "organisation_respondents": size,
        "organisation_first_wave": first_size,
        "other_respondents": others_total,
        "wave_responses": len(rows.responses),
        "answers": answer_count,
        "rounds_with_scores": len(rows.answered),
        "distinct_answer_sets": len(sets),
    }
    seconds["total"] = round(sum(seconds.values()), 3)
    return Scene(organisation_id, manager.id, token, open_wave, first_wave, departments, job_titles, counts, seconds)


# Measuring -----------------------------------------------------------------------------------------


class Collections:
    """The garbage collector's runs (any generation) and their time inside a watched measurement: the
    cold view allocates hundreds of thousands of containers, and Python collects while it does."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.started: float | None = None
        self.count = 0
        self.full = 0
        self.seconds = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if self.key is None:
            return
        if phase == "start":
            self.started = time.perf_counter()
        elif self.started is not None:
            self.count += 1
            self.full += info["generation"] == 2
            self.seconds += time.perf_counter() - self.started
            self.started = None

    @contextmanager
    def watching(self, samples: Samples, key: str) -> Iterator[None]:
        self.key, self.count, self.full, self.seconds = key, 0, 0, 0.0
        gc.callbacks.append(self)
        try:
            yield
        finally:
            gc.callbacks.remove(self)
            self.key = None
            samples[f"{key}:gc_ms"].append(self.seconds)
            samples[f"{key}:gc_runs"].append(self.count)
            samples[f"{key}:gc_full"].append(self.full)


COLLECTIONS = Collections()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


class Measured:
    """Everything measured on one database, one step per scenario."""

    def __init__(self, engine: Engine, model: Model, course: Course, scene: Scene) -> None:
        self.engine, self.model, self.course, self.scene = engine, model, course, scene
        self.requests = {
            "none": dashboards.ViewRequest(),
            "department": dashboards.ViewRequest(department=scene.department),
            "department_job": dashboards.ViewRequest(department=scene.department, job_title=scene.job_title),
        }

    def view(self, request: dashboards.ViewRequest) -> dashboards.Dashboard:
        return dashboards.dashboard(
            self.engine, self.scene.manager_id, self.scene.organisation_id, self.model, self.course, request
        )

    def check(self, shown: dashboards.Dashboard, key: str) -> None:
        require(shown.wave is not None and shown.wave.id == self.scene.open_wave, f"{key}: not the open wave")
        require(shown.figures is not None, f"{key}: no figures shown")
        assert shown.figures is not None
        if key == "none":
            require(
                shown.figures.n == self.scene.counts["organisation_respondents"],
                f"{key}: {shown.figures.n} respondents, expected {self.scene.counts['organisation_respondents']}",
            )
            require(shown.previous is not None, "no previous wave's figures (the first wave's statistics)")
            require(shown.benchmark is not None, "no benchmark (the other organisations' statistics)")
        else:
            require(shown.view is not None and shown.view.shown, f"{key}: the filter is not shown")

    def raw_floor(self, samples: Samples) -> None:
        marker = "?" if self.engine.dialect.name == "sqlite" else "%s"
        query = f"SELECT department, job_title, summary FROM wave_responses WHERE wave_id = {marker}"  # noqa: S608
        raw = self.engine.raw_connection()
        try:

            def read() -> None:
                cursor = raw.cursor()
                cursor.execute(query, (self.scene.open_wave,))
                rows = cursor.fetchall()
                cursor.close()
                require(len(rows) == self.scene.counts["organisation_respondents"], "raw read: wrong row count")

            samples["raw_select"].append(timed(read))
            raw.rollback()
        finally:
            raw.close()

        def storage_read() -> None:
            found = storage_engine.reading(
                self.engine, lambda c: management_store.responses_of(c, self.scene.open_wave)
            )
            require(len(found) == self.scene.counts["organisation_respondents"], "responses_of: wrong row count")

        samples["responses_of"].append(timed(storage_read))

    def dashboards(self, key: str) -> Callable[[Samples], None]:
        request = self.requests[key]

        def step(samples: Samples) -> None:
            dashboards.clear_cache()
            shown: list[dashboards.Dashboard] = []
            with COLLECTIONS.watching(samples, f"dashboard_{key}_cold"):
                samples[f"dashboard_{key}_cold"].append(timed(lambda: shown.append(self.view(request))))
            samples[f"dashboard_{key}_warm"].append(timed(lambda: shown.append(self.view(request))))
            for found in shown:
                self.check(found, key)

        return step

    def after_completion(self, samples: Samples) -> None:
        """The organisation's view kept by the process, then one respondent completes again (their
        response replaced, with a later completion): the next view reads only that response and
        decides the views and figures again. What most views cost while a wave is being answered."""
        request = self.requests["none"]
        shown = [self.view(request)]
        with self.engine.begin() as connection:
            someone = connection.execute(
                select(wave_responses.c.respondent_id).where(wave_responses.c.wave_id == self.scene.open_wave).limit(1)
            ).scalar_one()
            connection.execute(
                update(wave_responses)
                .where(wave_responses.c.wave_id == self.scene.open_wave, wave_responses.c.respondent_id == someone)
                .values(completed_at=datetime.now(timezone.utc))
            )
        samples["dashboard_none_after_completion"].append(timed(lambda: shown.append(self.view(request))))
        for found in shown:
            self.check(found, "none")

    def read_ahead(self, samples: Samples) -> None:
        """What a starting process does in the background (`services.dashboard.warm_open_waves`): every
        open wave read into the cache, the organisation's the largest; then the first view."""
        dashboards.clear_cache()
        samples["read_ahead"].append(timed(lambda: dashboards.warm_open_waves(self.engine, self.model)))
        shown: list[dashboards.Dashboard] = []
        samples["dashboard_none_after_read_ahead"].append(timed(lambda: shown.append(self.view(self.requests["none"]))))
        for found in shown:
            self.check(found, "none")

    def collector_variants(self, samples: Samples) -> None:
        """The organisation's cold view with the collector off for the call, and after `gc.freeze()` (every
        object alive so far moved out of the collector's sight, as a server could do once started): what
        the collector's runs cost the cold view."""
        request = self.requests["none"]
        dashboards.clear_cache()
        gc.disable()
        try:
            shown: list[dashboards.Dashboard] = []
            samples["dashboard_none_cold_gc_off"].append(timed(lambda: shown.append(self.view(request))))
        finally:
            gc.enable()
        dashboards.clear_cache()
        gc.freeze()
        try:
            samples["dashboard_none_cold_frozen"].append(timed(lambda: shown.append(self.view(request))))
        finally:
            gc.unfreeze()
        for found in shown:
            self.check(found, "none")

    def sections(self, samples: Samples) -> None:
        """What a cold view does to the wave's responses, step by step with the same public functions as
        `services.dashboard` (timed apart, without a profiler's overhead): read the rows, decode the JSON,
        build the summaries, decide the shown views, the organisation's figures, each department's."""
        model, wave = self.model, self.scene.open_wave
        found: dict[str, Any] = {}

        def read() -> None:
            found["rows"] = storage_engine.reading(self.engine, lambda c: management_store.responses_of(c, wave))

        samples["section_read"].append(timed(read))
        rows = found["rows"]

        def decode() -> None:
            for row in rows:  # each document dropped at once, as `load` drops its dict
                json.loads(row.summary)

        samples["section_json"].append(timed(decode))

        def load() -> None:
            found["members"] = [Member(r.department, r.job_title, response_summary.load(r.summary)) for r in rows]

        samples["section_load"].append(timed(load))
        gc.disable()
        try:
            samples["section_load_gc_off"].append(timed(load))
        finally:
            gc.enable()
        members = found["members"]
        layouts = storage_engine.reading(
            self.engine, lambda c: management_store.layouts(c, {m.summary.layout for m in members})
        )
        samples["section_shown_views"].append(timed(lambda: anonymity.shown_views(members, THRESHOLD)))
        samples["section_organisation_figures"].append(timed(lambda: group_figures(model, members, layouts)))

        def departments() -> None:
            for name in {m.department for m in members}:
                profile_figures(model, [m for m in members if m.department == name])

        samples["section_department_figures"].append(timed(departments))

    def profile_cold(self, key: str = "none") -> dict[str, Any]:
        """One cold view under cProfile: the cumulative time of the functions in PROFILED, and the top 15."""
        dashboards.clear_cache()
        gc.collect()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        self.view(self.requests[key])
        profiler.disable()
        wall = time.perf_counter() - started
        stats = pstats.Stats(profiler)
        found: dict[str, dict[str, float]] = {}
        top = []
        for (filename, _line, name), (calls, _primitive, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            module = _module_of(filename)
            for wanted_module, wanted_name in PROFILED:
                if module == wanted_module and name == wanted_name:
                    entry = found.setdefault(f"{wanted_module}.{wanted_name}", {"calls": 0, "cumulative_ms": 0.0})
                    entry["calls"] += calls
                    entry["cumulative_ms"] = round(entry["cumulative_ms"] + cumulative * 1000, 1)
            top.append((own, f"{module}.{name}", calls))
        top.sort(reverse=True)
        return {
            "request": key,
            "wall_ms_under_profiler": round(wall * 1000, 1),
            "functions": found,
            "top_own_time": [{"function": n, "calls": c, "own_ms": round(o * 1000, 1)} for o, n, c in top[:15]],
        }


def _module_of(filename: str) -> str:
    path = Path(filename)
    try:
        relative = path.resolve().relative_to(ROOT)
    except ValueError:
        return path.stem
    return ".".join(relative.with_suffix("").parts)


class DashboardPage:
    """(d) views/dashboard.py through app.py with the manager's login, as `benchmarks/run.py` runs pages:
    cold (the service's cache cleared) and warm (a rerun)."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.at = AppTest.from_file(in_process.APP, default_timeout=120)
        self.at.session_state["staff_token"] = scene.token
        self.at.run()
        in_process.require_clean(self.at, "app, logged in")
        self.at.switch_page("views/dashboard.py")
        self.at.query_params["org"] = str(scene.organisation_id)
        self.at.run()
        self.check("dashboard page")

    def check(self, where: str) -> None:
        """The page ran clean, for this organisation, and drew its sections with the open wave's figures (a
        chart's text alternative names its respondents), no refusal, no error box."""
        in_process.require_clean(self.at, where)
        require(not self.at.error, f"{where}: error boxes {[e.value for e in self.at.error]}")
        require(
            any(ORGANISATION_NAME in str(m.value) for m in self.at.markdown), f"{where}: the organisation is not shown"
        )
        require(len(self.at.subheader) >= 8, f"{where}: {len(self.at.subheader)} sections drawn")
        respondents = f"{self.scene.counts['organisation_respondents']:,} respondents"
        require(any(respondents in str(c.value) for c in self.at.caption), f"{where}: no figure of the {respondents}")

    def step(self, samples: Samples) -> None:
        dashboards.clear_cache()
        samples["page_cold"].append(timed(self.at.run))
        self.check("dashboard page, cold")
        samples["page_warm"].append(timed(self.at.run))
        self.check("dashboard page, warm")


class PdfReport:
    """(e) The PDF as the dashboard page offers it: `services.reports.management_report` for the manager
    (the dashboard's figures as the report's values), typeset by `reporting.management_report.report_files`;
    cold (the dashboard's cache cleared first) and warm."""

    def __init__(self, measured: Measured) -> None:
        self.measured = measured

    def step(self, samples: Samples) -> None:
        dashboards.clear_cache()
        made: list[bytes] = []
        samples["pdf_cold"].append(timed(lambda: made.append(self.make())))
        samples["pdf_warm"].append(timed(lambda: made.append(self.make())))
        require(all(m.startswith(b"%PDF") for m in made), "the report is not a PDF")

    def make(self) -> bytes:
        measured = self.measured
        values = reports.management_report(
            measured.engine, measured.scene.manager_id, measured.scene.organisation_id, measured.model, measured.course
        )
        require(values.figures is not None, "the report has no figures")
        return report_files(measured.model, values, "en").pdf


# The report ----------------------------------------------------------------------------------------

ROWS = (
    ("trivial", "a", "trivial page: rerun after a radio click (the floor)"),
    ("raw_select", "b", "raw driver SELECT of the open wave's responses (the DB floor)"),
    ("responses_of", "b", "storage.management.responses_of, same rows"),
    ("dashboard_none_cold", "c", "dashboard(), organisation, cold"),
    ("dashboard_none_warm", "c", "dashboard(), organisation, warm"),
    ("dashboard_none_after_completion", "c", "dashboard(), organisation, after one more completion"),
    ("read_ahead", "c", "services.dashboard.warm_open_waves (a starting process, in the background)"),
    ("dashboard_none_after_read_ahead", "c", "dashboard(), organisation, first view after the read-ahead"),
    ("dashboard_none_cold_gc_off", "c", "dashboard(), organisation, cold, collector off"),
    ("dashboard_none_cold_frozen", "c", "dashboard(), organisation, cold, after gc.freeze()"),
    ("dashboard_department_cold", "c", "dashboard(), one department, cold"),
    ("dashboard_department_warm", "c", "dashboard(), one department, warm"),
    ("dashboard_department_job_cold", "c", "dashboard(), department x job title, cold"),
    ("dashboard_department_job_warm", "c", "dashboard(), department x job title, warm"),
    ("page_cold", "d", "dashboard page (AppTest, logged in), cold"),
    ("page_warm", "d", "dashboard page (AppTest, logged in), warm rerun"),
    ("pdf_cold", "e", "PDF report, cold (dashboard cache cleared)"),
    ("pdf_warm", "e", "PDF report, warm (dashboard cached)"),
    ("section_read", "s", "cold view, step: responses_of, the open wave"),
    ("section_json", "s", "cold view, step: json.loads of every summary, nothing kept (part of the next)"),
    ("section_load", "s", "cold view, step: response_summary.load of every summary"),
    ("section_load_gc_off", "s", "cold view, step: the same, garbage collector off"),
    ("section_shown_views", "s", "cold view, step: anonymity.shown_views"),
    ("section_organisation_figures", "s", "cold view, step: group_figures, the organisation"),
    ("section_department_figures", "s", "cold view, step: profile_figures, every department"),
)


def collections(samples: Samples) -> dict[str, dict[str, float]]:
    """Per watched measurement the median of the collector's runs, full runs and milliseconds."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    for key, values in samples.items():
        if ":" in key:
            measured, what = key.split(":", 1)
            value = statistics.median(values)
            found[measured][what] = round(value * 1000, 1) if what == "gc_ms" else value
    return dict(found)


def summarise(samples: Samples) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}
    for key, values in samples.items():
        if ":" in key:
            continue
        ordered = sorted(values)
        figures[key] = {
            "n": len(values),
            "median_ms": round(statistics.median(values) * 1000, 2),
            "p90_ms": round(percentile(ordered, 90) * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2),
        }
    trivial = figures.get("trivial", {}).get("median_ms")
    raw = figures.get("raw_select", {}).get("median_ms")
    for key, row in figures.items():
        row["x_trivial"] = round(row["median_ms"] / trivial, 1) if trivial else None
        row["x_raw_select"] = round(row["median_ms"] / raw, 1) if raw and key != "trivial" else None
    return figures


def table(databases: dict[str, dict[str, Any]]) -> str:
    names = list(databases)
    header = "| | scenario | " + " | ".join(f"{n} median ms (p90) | × trivial | × raw SELECT" for n in names) + " |"
    lines = [header, "|---|---|" + "---:|---:|---:|" * len(names)]
    for key, letter, description in ROWS:
        cells = []
        present = False
        for name in names:
            row = databases[name]["scenarios"].get(key)
            if row is None:
                cells.append("– | – | –")
                continue
            present = True
            ratio_raw = "–" if row["x_raw_select"] is None else f"{row['x_raw_select']:,}×"
            cells.append(f"{row['median_ms']:,.1f} ({row['p90_ms']:,.1f}) | {row['x_trivial']:,}× | {ratio_raw}")
        if present:
            lines.append(f"| {letter} | {description} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_database(name: str, report: dict[str, Any]) -> None:
    counts, seconds = report["data"]["counts"], report["data"]["seconds"]
    print(
        f"{name}: {counts['completed_rounds']:,} completed rounds of {counts['respondents']:,} respondents in "
        f"{counts['organisations']:,} organisations; the organisation: {counts['organisation_respondents']:,} in its "
        f"open wave, {counts['organisation_first_wave']:,} in its first; {counts['answers']:,} answers, "
        f"{counts['rounds_with_scores']:,} rounds with stored scores"
    )
    print(
        f"  data made in {seconds['total']:.1f} s: "
        + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items() if k != "total")
    )
    print(f"  filters: department {report['filters']['department']!r}, job title {report['filters']['job_title']!r}")
    for key, entry in report["collections"].items():
        print(
            f"  {key}: the collector ran {entry['gc_runs']:.0f} times ({entry['gc_full']:.0f} full), "
            f"{entry['gc_ms']:,.0f} ms (medians); {report['tracked_objects']:,} objects tracked at the end"
        )
    profile = report["profile_cold"]
    print(f"  one cold view under cProfile: {profile['wall_ms_under_profiler']:,.0f} ms; cumulative by function:")
    for function, entry in sorted(profile["functions"].items(), key=lambda item: -item[1]["cumulative_ms"]):
        print(f"    {entry['cumulative_ms']:>9,.1f} ms  {entry['calls']:>7,} calls  {function}")
    print("  most own time:")
    for entry in profile["top_own_time"][:8]:
        print(f"    {entry['own_ms']:>9,.1f} ms  {entry['calls']:>7,} calls  {entry['function']}")


# Main -------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--respondents", type=int, default=100_000, help="completed rounds in all (default 100,000)")
    parser.add_argument(
        "--organisation", type=int, default=10_000, help="the organisation's open wave (default 10,000)"
    )
    parser.add_argument("--other-organisations", type=int, default=300, help="default 300")
    parser.add_argument(
        "--departments", type=int, default=12, help=f"of the organisation (default 12, at most {len(DEPARTMENT_NAMES)})"
    )
    parser.add_argument(
        "--job-titles", type=int, default=8, help=f"of the organisation (default 8, at most {len(JOB_TITLE_NAMES)})"
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both (default)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("SMM_LOAD_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a PostgreSQL server and a user that may create databases; a new database is made and dropped",
    )
    parser.add_argument(
        "--no-answers", dest="answers", action="store_false",
        help="leave out the answers and stored scores of the organisation's open-wave rounds",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=7, help="measured repetitions (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded repetitions first (default 1)")
    parser.add_argument("--no-page", dest="page", action="store_false", help="skip the dashboard page (d)")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDF report (e)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not set(args.databases) <= {"sqlite", "postgresql"} or not args.databases:
        parser.error("--databases takes sqlite, postgresql or both")
    if not 1 <= args.departments <= len(DEPARTMENT_NAMES) or not 1 <= args.job_titles <= len(JOB_TITLE_NAMES):
        parser.error("too many departments or job titles")
    if args.repeat < 1 or args.warmup < 0 or args.organisation < THRESHOLD or args.other_organisations < 1:
        parser.error("--repeat at least 1, --organisation at least the threshold, --other-organisations at least 1")
    return args


def choose_filters(measured: Measured) -> None:
    """The first department x job title view (in the organisation's list order) that may be shown, and
    its department: the anonymity rules refuse some views of a small organisation."""
    scene = measured.scene
    shown = measured.view(dashboards.ViewRequest())
    departments = [d.name for d in shown.departments if d.figures is not None and d.name is not None]
    require(departments, "no department is shown")
    for department in departments:
        for job_title in scene.job_titles:
            view = measured.view(dashboards.ViewRequest(department=department, job_title=job_title)).view
            if view is not None and view.shown:
                scene.department, scene.job_title = department, job_title
                measured.requests["department"] = dashboards.ViewRequest(department=department)
                measured.requests["department_job"] = dashboards.ViewRequest(department=department, job_title=job_title)
                return
    require(False, "no department x job title view may be shown")


def measure_database(
    kind: str, url: str, model: Model, course: Course, sets: Sequence[AnswerSet], args: argparse.Namespace
) -> dict[str, Any]:
    os.environ["SMM_DATABASE_URL"] = url  # the page's engine (views.state) on this database
    if kind == "sqlite":
        os.environ["SMM_SQLITE_PATH"] = url.removeprefix("sqlite:///")
    engine = storage_engine.make_engine(url)
    try:
        started = time.perf_counter()
        upgrade(engine)
        migrated = time.perf_counter() - started
        scene = make_data(engine, model, args, sets)
        scene.seconds["migrations (not in total)"] = round(migrated, 3)
        measured = Measured(engine, model, course, scene)
        choose_filters(measured)
        trivial = in_process.TrivialPage()
        steps: dict[str, Callable[[Samples], None]] = {
            "trivial": trivial.step,
            "raw": measured.raw_floor,
            "sections": measured.sections,
            "collector": measured.collector_variants,
            "after_completion": measured.after_completion,
            "read_ahead": measured.read_ahead,
            "none": measured.dashboards("none"),
            "department": measured.dashboards("department"),
            "department_job": measured.dashboards("department_job"),
        }
        page_note = "not measured (--no-page)"
        if args.page:
            if (ROOT / "views" / "dashboard.py").exists():
                steps["page"] = DashboardPage(scene).step
                page_note = "views/dashboard.py in app.py, AppTest, logged in as the organisation's manager"
            else:
                page_note = "not measured: views/dashboard.py is not in this tree"
        pdf_note = "not measured (--no-pdf)"
        if args.pdf:
            steps["pdf"] = PdfReport(measured).step
            pdf_note = "services.reports.management_report + reporting.management_report.report_files (the PDF only)"
        order = random.Random(args.seed)
        samples: Samples = defaultdict(list)
        for repetition in range(args.warmup + args.repeat):
            record = samples if repetition >= args.warmup else defaultdict(list)
            names = list(steps)
            order.shuffle(names)
            for name in names:
                steps[name](record)
        profile = measured.profile_cold()
        return {
            "data": {"counts": scene.counts, "seconds": scene.seconds},
            "filters": {"department": scene.department, "job_title": scene.job_title},
            "page": page_note,
            "pdf": pdf_note,
            "scenarios": summarise(samples),
            "collections": collections(samples),
            "tracked_objects": len(gc.get_objects()),
            "profile_cold": profile,
        }
    finally:
        dashboards.clear_cache()
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    load_start = os.getloadavg()
    _path, model = in_process.load_checked_model()
    course = load_course(model)
    seconds: dict[str, float] = {}
    with timed_phase(seconds, "answer sets"):
        sets = answer_sets(model, random.Random(args.seed))
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {**in_process.machine_info(), "load_average_start": load_start},
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "answer_sets_seconds": seconds["answer sets"],
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="smm-dashboard-bench-") as folder:
        for kind in args.databases:
            with fresh_database(kind, Path(folder), args.postgres_url) as url:
                if kind == "sqlite":
                    url = f"sqlite:///{Path(folder) / 'dashboard.sqlite3'}"
                report["databases"][kind] = measure_database(kind, url, model, course, sets, args)
    report["machine"]["load_average_end"] = os.getloadavg()
    report["wall_seconds"] = round(time.perf_counter() - started, 1)

    machine = report["machine"]
    print(
        f"{report['date']} · commit {report['commit']} · {machine['cpus']} cores · Python {machine['python']} · "
        f"Streamlit {machine['streamlit']} · SQLite {machine['sqlite']} · load average "
        f"{load_start[0]:.1f} → {machine['load_average_end'][0]:.1f}"
    )
    print(
        f"{args.repeat} repetitions after {args.warmup} warm-up · {ANSWER_SETS} answer sets scored in "
        f"{report['answer_sets_seconds']:.1f} s · {report['wall_seconds']} s in all"
    )
    for kind, found in report["databases"].items():
        print()
        print_database(kind, found)
        print(f"  page: {found['page']}")
        print(f"  PDF: {found['pdf']}")
    print()
    print(table(report["databases"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(clean(report), indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
