"""The management dashboard's use case (issue 15): one organisation's maturity in one measurement
wave, for its managers, its trainers and admins, without exposing anyone.

One reading transaction fetches what the dashboard needs: who may see it
(`services.organisations.may_see`), the organisation and its waves, the chosen wave's responses
(the summaries stored at completion, never re-scored), its targets and plan, the previous waves'
and other organisations' stored statistics. The figures are `reporting.aggregate`'s and whether a
group may be shown is `reporting.anonymity`'s:
- the wave's own threshold (fixed when it opened) applies to every group: the organisation, each
  department, each job title, the filtered view; a hidden group shows no figure, not even its count;
- departments (and job titles) are siblings: when one is hidden, the next-smallest is hidden too
  until the hidden ones add up to the threshold, so subtracting the shown ones from the organisation
  reveals no small group;
- a filtered view (a department, a job title, or both) whose group differs from a group already
  shown (the organisation, its department, its job title) by fewer than the threshold is refused.
Nothing returned carries a name, a nickname or an individual answer.

Speed: reading 10,000 summaries takes about 0.3 s, so each process keeps the members of a wave it
read, keyed by the database and the wave, and reads them again only when the wave's responses change
(their count or their latest completion, one indexed query per view). Other organisations and
closed waves are read from the statistics stored when a wave closed: one small row each.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from assessment import response_summary
from assessment.model import STAGE_IDS, Model
from assessment.scoring import Gap
from learning.content import Course
from learning.path import links_for_gap
from reporting import anonymity
from reporting.aggregate import (
    Benchmark,
    ChecklistFigures,
    DimensionFigures,
    GroupFigures,
    Member,
    OtherGaps,
    PriorityGap,
    Target,
    Trend,
    benchmark,
    group_figures,
    other_gaps,
    prioritised_gaps,
    profile_figures,
    trend,
)
from reporting.plan import Action, LinkRef, PlanGap, Progress, Status, progress
from services.organisations import NotAllowed, may_manage, may_see
from storage import management as store
from storage.engine import reading, transaction
from storage.management import OrganisationSettings, StoredAction, StoredTarget, StoredWave

__all__ = [
    "Dashboard",
    "DepartmentFigures",
    "NotAllowed",
    "ViewRequest",
    "WaveInfo",
    "dashboard",
    "wave_statistics",
]

STATISTICS_FORMAT = 1
SCOPES = ("all", "sector")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ViewRequest:
    """What the dashboard is asked to show: a wave (None: the latest), a filter, a benchmark scope."""

    wave_id: int | None = None
    department: str | None = None
    job_title: str | None = None
    scope: str = "all"  # benchmark against all other organisations, or the same sector only

    @property
    def filtered(self) -> bool:
        return self.department is not None or self.job_title is not None


@dataclass(frozen=True)
class WaveInfo:
    id: int
    name: str
    opened_at: datetime
    closed_at: datetime | None
    threshold: int
    respondents: int | None  # None when under the wave's threshold: the count is a figure too


@dataclass(frozen=True)
class DepartmentFigures:
    name: str | None  # None: the respondents who gave no department
    figures: GroupFigures | None  # None: hidden (under the threshold, or hidden with a small sibling)


@dataclass(frozen=True)
class Dashboard:
    organisation: OrganisationSettings
    waves: tuple[WaveInfo, ...]  # oldest first
    wave: WaveInfo | None  # None: the organisation has no wave yet
    threshold: int
    request: ViewRequest
    figures: GroupFigures | None  # the organisation's, or the filtered group's; None when hidden
    view: anonymity.FilterView | None  # for a filtered view: shown, hidden or refused, and why
    # The organisation's list, then names no longer listed, then none given; each department's figures
    # are its profile (`reporting.aggregate.profile_figures`: size, stages, dimensions), not its answers.
    departments: tuple[DepartmentFigures, ...]
    previous: GroupFigures | None  # the wave before, when shown (organisation level only)
    previous_wave: WaveInfo | None
    benchmark: Benchmark | None
    targets: Mapping[str, Target]
    priorities: tuple[PriorityGap, ...]
    others: OtherGaps | None
    trend: Trend
    plan_gaps: tuple[PlanGap, ...]  # what the plan's proposals come from (`reporting.plan.open_proposals` words them)
    actions: tuple[Action, ...]
    progress: tuple[Progress, ...]
    may_manage: bool
    links: Mapping[str, tuple[LinkRef | None, LinkRef | None]] = field(
        default_factory=dict
    )  # dimension -> lesson, quiz


# Wave statistics ---------------------------------------------------------------------------------


def dump_statistics(figures: GroupFigures, threshold: int) -> str:
    """What other organisations' benchmarks and this organisation's trend need of a closed wave."""
    return json.dumps(
        {
            "f": STATISTICS_FORMAT,
            "threshold": threshold,
            "n": figures.n,
            "stage": figures.stage,
            "d": [
                [d.dimension, d.respondents, d.stage, d.median, d.q1, d.q3, list(d.cells)] for d in figures.dimensions
            ],
        },
        separators=(",", ":"),
    )


def load_statistics(text: str) -> tuple[int, GroupFigures] | None:
    """(threshold, figures) of stored statistics; the figures hold the group's size, pooled stage and
    per dimension the pooled stage, cells and quartiles only (what the trend and the benchmark use).
    None for text that is not statistics of this format."""
    try:
        raw: Any = json.loads(text)
        if raw.get("f") != STATISTICS_FORMAT:
            return None
        dimensions = tuple(DimensionFigures(d[0], int(d[1]), d[2], tuple(d[6]), d[3], d[4], d[5], ()) for d in raw["d"])
        figures = GroupFigures(
            n=int(raw["n"]),
            stage=raw["stage"],
            stages=(),
            dimensions=dimensions,
            agreement=(),
            statements=(),
            tees=(),
            checklist=ChecklistFigures(None, 0, ()),
            gaps=(),
        )
        return int(raw["threshold"]), figures
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


# Reading a wave's members, cached per process ------------------------------------------------------


@dataclass(frozen=True)
class _WaveData:
    stamp: tuple[int, datetime | None]
    members: tuple[Member, ...]
    layouts: Mapping[str, Sequence[str]]
    departments: anonymity.DepartmentViews  # the organisation and its departments (the sibling rule)
    by_respondent: Mapping[int, Member]  # the same members by respondent, to bring them up to date


_cache: dict[tuple[str, int], _WaveData] = {}
_figures_cache: dict[tuple[str, int, tuple[int, datetime | None], str | None, str | None, bool], GroupFigures] = {}
_views_cache: dict[tuple[str, int, tuple[int, datetime | None]], anonymity.ShownViews] = {}
_statistics_cache: dict[tuple[str, int], tuple[int, GroupFigures] | None] = {}
_lock = threading.Lock()
_CACHED_WAVES = 16
_CACHED_STATISTICS = 4096


def _views(url: str, wave_id: int, data: _WaveData, threshold: int) -> anonymity.ShownViews:
    """Every view of the wave decided at once (`reporting.anonymity.shown_views`, up to 0.8 s), for a
    filtered view; kept per process until the wave's responses change."""
    key = (url, wave_id, data.stamp)
    with _lock:
        found = _views_cache.get(key)
    if found is None:
        found = anonymity.shown_views(data.members, threshold)
        with _lock:
            if len(_views_cache) >= _CACHED_WAVES:
                _views_cache.pop(next(iter(_views_cache)))
            _views_cache[key] = found
    return found


def _closed_statistics(url: str, wave_id: int, text: str) -> tuple[int, GroupFigures] | None:
    """A closed wave's stored statistics, read once per process (they never change once stored)."""
    key = (url, wave_id)
    with _lock:
        if key in _statistics_cache:
            return _statistics_cache[key]
    loaded = load_statistics(text)
    with _lock:
        if len(_statistics_cache) >= _CACHED_STATISTICS:
            _statistics_cache.pop(next(iter(_statistics_cache)))
        _statistics_cache[key] = loaded
    return loaded


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading ten thousand summaries makes some 300,000 objects and no cycles: the cyclic garbage
    collector would run some 500 times over them for nothing (measured: half the reading time).
    Nested pauses keep it paused until the outermost ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_members(wave_id: int, rows: Sequence[store.KeyedResponse]) -> dict[int, Member]:
    found: dict[int, Member] = {}
    with _collector_paused():
        for row in rows:
            try:
                summary = response_summary.load(row.response.summary)
            except response_summary.SummaryError:
                _log.warning("wave %s: a response summary could not be read and is left out", wave_id)
                continue
            found[row.respondent_id] = Member(row.response.department, row.response.job_title, summary)
    return found


def _members(connection: Connection, wave_id: int, threshold: int) -> _WaveData:
    """The wave's members as of now. A process keeps what it read; when the wave's responses changed
    since (their count or latest completion), it reads only those completed after what it holds,
    unless some went (a respondent deleted their data): then it reads them all again."""
    key = (str(connection.engine.url), wave_id)
    stamp = store.response_stamp(connection, wave_id)
    with _lock:
        found = _cache.get(key)
    if found is not None and found.stamp == stamp:
        return found
    by_respondent: dict[int, Member] = {}
    if found is not None and found.stamp[1] is not None and stamp[0] >= found.stamp[0]:
        by_respondent = dict(found.by_respondent)
        by_respondent.update(_read_members(wave_id, store.responses_since(connection, wave_id, found.stamp[1])))
        if len(by_respondent) != stamp[0]:  # some went and others came: start again
            by_respondent = {}
    if not by_respondent:
        by_respondent = _read_members(wave_id, store.responses_since(connection, wave_id, None))
    layouts = store.layouts(connection, {m.summary.layout for m in by_respondent.values()})
    kept = {respondent: m for respondent, m in by_respondent.items() if m.summary.layout in layouts}
    members = tuple(kept.values())
    data = _WaveData(stamp, members, layouts, anonymity.department_views(members, threshold), kept)
    with _lock:
        if len(_cache) >= _CACHED_WAVES:
            _cache.pop(next(iter(_cache)))
        _cache[key] = data
    return data


def _figures(
    model: Model,
    url: str,
    wave_id: int,
    data: _WaveData,
    department: str | None,
    job_title: str | None,
    any_department: bool = True,
    profile: bool = False,
) -> GroupFigures | None:
    """The figures of the wave's members in the department and job title (None: any department, or
    with any_department False the members who gave none; job title None: any); None for an empty
    group. `profile`: the dimension figures only (`reporting.aggregate.profile_figures`). Kept per
    process until the wave's responses change."""
    group = department if any_department or department else "\x00none"
    key = (url, wave_id, data.stamp, group, job_title, profile)
    with _lock:
        found = _figures_cache.get(key)
    if found is not None:
        return found
    members = [
        m
        for m in data.members
        if (m.department == department or (department is None and any_department))
        and (job_title is None or m.job_title == job_title)
    ]
    if not members:
        return None
    figures = profile_figures(model, members) if profile else group_figures(model, members, data.layouts)
    with _lock:
        if len(_figures_cache) >= 8 * _CACHED_WAVES:
            _figures_cache.pop(next(iter(_figures_cache)))
        _figures_cache[key] = figures
    return figures


def _read_wave(connection: Connection, wave: StoredWave) -> _WaveData:
    return _members(connection, wave.id, wave.threshold)


def warm_open_waves(engine: Engine, model: Model, budget_seconds: float = 60.0) -> int:
    """Read every open wave's members, its departments' visibility and the organisation's figures into this process's
    cache, the largest wave first, until `budget_seconds` are spent; the number of waves read. A
    process that starts does this once (views/startup.py), so the first manager to open a large
    wave's dashboard does not wait for ten thousand summaries to be read (about 1.4 s for 10,000);
    from then on a view reads only what was completed since."""
    started = time.monotonic()
    url = str(engine.url)
    done = 0
    for wave, responses in reading(engine, store.open_waves_by_size):
        if time.monotonic() - started > budget_seconds:
            break
        with _collector_paused():
            data = reading(engine, functools.partial(_read_wave, wave=wave))
            if responses >= wave.threshold and data.departments.organisation_shown:
                _figures(model, url, wave.id, data, None, None)
                _views(url, wave.id, data, wave.threshold)  # the filters' decisions, for a first filtered view
        done += 1
    return done


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _figures_cache.clear()
        _views_cache.clear()
        _statistics_cache.clear()


# The dashboard -----------------------------------------------------------------------------------


def _wave_info(wave: StoredWave, count: int) -> WaveInfo:
    return WaveInfo(
        wave.id, wave.name, wave.opened_at, wave.closed_at, wave.threshold, count if count >= wave.threshold else None
    )


def _targets(stored: Sequence[StoredTarget], model: Model) -> dict[str, Target]:
    known = {d.id for d in model.dimensions}
    return {
        t.dimension_id: Target(t.target_stage if t.target_stage in STAGE_IDS else None, t.importance)
        for t in stored
        if t.dimension_id in known and 1 <= t.importance <= 5
    }


def _action(stored: StoredAction) -> Action:
    try:
        status = Status(stored.status)
    except ValueError:
        status = Status.OPEN
    return Action(
        id=stored.id,
        title=stored.title,
        detail=stored.detail,
        dimension=stored.dimension_id,
        owner=stored.owner,
        due_on=stored.due_on,
        status=status,
        source=stored.source,
        lesson_id=stored.lesson_id,
        bank_id=stored.bank_id,
        baseline=stored.baseline,
    )


def _links(model: Model, course: Course, dimension: str, stage: str) -> tuple[LinkRef | None, LinkRef | None]:
    found = links_for_gap(Gap("maturity", dimension=dimension, stage=stage), course.lessons, course.banks)
    lesson = LinkRef(found.lessons[0].id, found.lessons[0].title) if found.lessons else None
    bank = LinkRef(found.banks[0].id, found.banks[0].title) if found.banks else None
    return lesson, bank


def _next_stage(figure: DimensionFigures, target: str) -> str:
    """The first stage the group has not reached in the dimension, up to the target."""
    reached = -1 if figure.stage is None else STAGE_IDS.index(figure.stage)
    return STAGE_IDS[min(reached + 1, STAGE_IDS.index(target))]


def _plan_gaps(model: Model, course: Course, figures: GroupFigures, priorities: Sequence[PriorityGap]) -> list[PlanGap]:
    found = []
    for gap in priorities:
        next_stage = _next_stage(figures.dimension(gap.dimension), gap.target)
        lesson, bank = _links(model, course, gap.dimension, next_stage)
        found.append(PlanGap(gap.dimension, gap.target, gap.median, gap.weighted, gap.people, next_stage, lesson, bank))
    return found


def _department_figures(
    model: Model, url: str, wave_id: int, data: _WaveData, listed: Sequence[str], views: anonymity.DepartmentViews
) -> tuple[DepartmentFigures, ...]:
    """Each department of the organisation's list, then any other a respondent gave (a name since
    removed from the list), then "no department": figures where the sibling rule shows them."""
    given = {m.department for m in data.members}
    names: list[str | None] = [*listed, *sorted(n for n in given if n is not None and n not in listed)]
    if None in given:
        names.append(None)
    return tuple(
        DepartmentFigures(
            name,
            _figures(model, url, wave_id, data, name, None, any_department=False, profile=True)
            if name in views.departments
            else None,
        )
        for name in names
    )


def dashboard(
    engine: Engine,
    user_id: int,
    organisation_id: int,
    model: Model,
    course: Course,
    request: ViewRequest | None = None,
) -> Dashboard:
    """The organisation's dashboard for the user; NotAllowed unless they may see it."""

    def access(connection: Connection) -> bool:
        may_see(connection, user_id, organisation_id, "see this organisation's dashboard")
        try:
            may_manage(connection, user_id, organisation_id, "manage")
        except NotAllowed:
            return False
        return True

    return _dashboard(engine, organisation_id, model, course, access, request)


def operator_dashboard(
    engine: Engine,
    organisation_id: int,
    model: Model,
    course: Course,
    request: ViewRequest | None = None,
) -> Dashboard:
    """The dashboard for whoever runs the site's command line (`python -m reports`): they hold the
    database already, so no account is checked; the anonymity rules apply all the same. Pages never
    call this. UnknownOrganisation for an id that is no organisation."""

    def access(connection: Connection) -> bool:
        if store.settings_of(connection, organisation_id) is None:
            raise UnknownOrganisation(organisation_id)
        return False

    return _dashboard(engine, organisation_id, model, course, access, request)


class UnknownOrganisation(LookupError):
    def __init__(self, organisation_id: int) -> None:
        super().__init__(f"no organisation with id {organisation_id}")
        self.organisation_id = organisation_id


@_collector_paused()
def _dashboard(
    engine: Engine,
    organisation_id: int,
    model: Model,
    course: Course,
    access: Callable[[Connection], bool],
    request: ViewRequest | None,
) -> Dashboard:
    """The dashboard once `access` (inside the reading) let the viewer in; it says whether they manage.

    With the garbage collector paused: a view that reads or figures out a wave of 10,000 makes some
    hundreds of thousands of objects, none in a cycle, and the collector ran over them again and
    again (full collections included) for nothing; it now passes over them once, after the view.
    Measured on the benchmark's cold view: about 1.15 s with it running, 0.94 s paused."""
    asked = request or ViewRequest()
    url = str(engine.url)

    def work(connection: Connection) -> tuple[Any, ...]:
        manages = access(connection)
        settings = store.settings_of(connection, organisation_id)
        assert settings is not None
        waves = store.waves_of(connection, organisation_id)
        counts = store.response_counts(connection, [w.id for w in waves])
        chosen = next((w for w in waves if w.id == asked.wave_id), waves[-1] if waves else None)
        data = _members(connection, chosen.id, chosen.threshold) if chosen is not None else None
        others = store.latest_closed_statistics(connection, organisation_id)
        return (
            settings,
            waves,
            counts,
            chosen,
            data,
            others,
            store.targets_of(connection, organisation_id),
            store.actions_of(connection, organisation_id),
            manages,
        )

    settings, waves, counts, chosen, data, others, stored_targets, stored_actions, manages = reading(engine, work)
    infos = tuple(_wave_info(w, counts[w.id]) for w in waves)
    info = next((i for i in infos if chosen is not None and i.id == chosen.id), None)
    threshold = chosen.threshold if chosen is not None else settings.anonymity_threshold
    targets = _targets(stored_targets, model)
    actions = tuple(_action(a) for a in stored_actions)

    organisation_figures = None
    departments: tuple[DepartmentFigures, ...] = ()
    figures = None
    decision = None
    if chosen is not None and data is not None:
        if asked.filtered:
            views = _views(url, chosen.id, data, threshold)
            refusal = views.refusals.get(
                (asked.department, asked.job_title), anonymity.Refusal(anonymity.Reason.UNDER_THRESHOLD)
            )
            decision = anonymity.FilterView(asked.department, asked.job_title, anonymity.status_of(refusal), refusal)
        if data.departments.organisation_shown:
            organisation_figures = _figures(model, url, chosen.id, data, None, None)
            departments = _department_figures(model, url, chosen.id, data, settings.departments, data.departments)
            figures = organisation_figures
            if decision is not None:
                figures = (
                    _figures(model, url, chosen.id, data, asked.department, asked.job_title) if decision.shown else None
                )

    # The wave before the chosen one, from its stored statistics (or its responses while it is open).
    previous = None
    previous_info = None
    trend_waves: list[tuple[str, GroupFigures | None]] = []
    if chosen is not None:
        position = next(i for i, w in enumerate(waves) if w.id == chosen.id)
        for index, wave in enumerate(waves[: position + 1]):
            shown_figures = (
                organisation_figures if wave.id == chosen.id else _stored_figures(url, wave, counts[wave.id])
            )
            trend_waves.append((wave.name, shown_figures))
            if index == position - 1:
                previous, previous_info = shown_figures, infos[index]
    trend_figures = trend(model, trend_waves)

    peer = [
        (organisation, figures_)
        for organisation, sector, wave_id, text in others
        if (asked.scope != "sector" or sector == settings.sector)
        for loaded in [_closed_statistics(url, wave_id, text)]
        if loaded is not None and loaded[1].n >= max(loaded[0], anonymity.MIN_THRESHOLD)
        for figures_ in [loaded[1]]
    ]
    compared = benchmark(model, peer, excluding=organisation_id)

    priorities: tuple[PriorityGap, ...] = ()
    other: OtherGaps | None = None
    plan_gaps: tuple[PlanGap, ...] = ()
    links: dict[str, tuple[LinkRef | None, LinkRef | None]] = {}
    if figures is not None:
        priorities = prioritised_gaps(model, figures, targets)
        other = other_gaps(model, figures)
        plan_gaps = tuple(_plan_gaps(model, course, figures, priorities))
        links = {g.dimension: (g.lesson, g.bank) for g in plan_gaps}
    medians_now = (
        {d.dimension: d.median for d in organisation_figures.dimensions} if organisation_figures is not None else {}
    )
    return Dashboard(
        organisation=settings,
        waves=infos,
        wave=info,
        threshold=threshold,
        request=asked,
        figures=figures,
        view=decision,
        departments=departments,
        previous=None if asked.filtered else previous,
        previous_wave=previous_info,
        benchmark=compared,
        targets=targets,
        priorities=priorities,
        others=other,
        trend=trend_figures,
        plan_gaps=plan_gaps,
        actions=actions,
        progress=progress(actions, medians_now),
        may_manage=manages,
        links=links,
    )


def _stored_figures(url: str, wave: StoredWave, count: int) -> GroupFigures | None:
    """A closed wave's figures from its statistics, when its group reached its threshold."""
    if wave.statistics is None or count < wave.threshold:
        return None
    loaded = _closed_statistics(url, wave.id, wave.statistics)
    if loaded is None or loaded[1].n < wave.threshold:
        return None
    return loaded[1]


# Waves: closing with statistics ------------------------------------------------------------------


def wave_statistics(engine: Engine, wave_id: int, model: Model) -> str | None:
    """The statistics of a wave, to store when it closes; None for a wave without responses."""

    def work(connection: Connection) -> tuple[StoredWave | None, _WaveData | None]:
        wave = store.wave_by_id(connection, wave_id)
        return wave, None if wave is None else _members(connection, wave_id, wave.threshold)

    wave, data = reading(engine, work)
    if wave is None or data is None or not data.members:
        return None
    return dump_statistics(profile_figures(model, data.members), wave.threshold)


def close_wave(engine: Engine, user_id: int, organisation_id: int, wave_id: int, model: Model) -> None:
    """Close the wave, storing its statistics for the trend and other organisations' benchmark."""
    from services import organisations

    organisations.close_wave(engine, user_id, organisation_id, wave_id, wave_statistics(engine, wave_id, model))


# Targets and the plan ------------------------------------------------------------------------------


def set_targets(
    engine: Engine, user_id: int, organisation_id: int, model: Model, targets: Mapping[str, Target]
) -> None:
    """Management's target profile: a target stage and importance per dimension of the model."""
    known = {d.id for d in model.dimensions}
    unknown = sorted(set(targets) - known)
    if unknown:
        raise ValueError(f"unknown dimensions: {', '.join(unknown)}")

    def work(connection: Connection) -> None:
        may_manage(connection, user_id, organisation_id, "set this organisation's targets")
        store.set_targets(
            connection,
            organisation_id,
            [StoredTarget(d, t.stage, t.importance) for d, t in targets.items()],
        )

    transaction(engine, work)


def _values(action: Action, organisation_id: int, wave_id: int | None, at: datetime) -> dict[str, object]:
    return {
        "organisation_id": organisation_id,
        "wave_id": wave_id,
        "dimension_id": action.dimension,
        "title": action.title,
        "detail": action.detail,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.status.value,
        "source": action.source,
        "lesson_id": action.lesson_id,
        "bank_id": action.bank_id,
        "baseline": action.baseline,
        "updated_at": at,
    }


def save_action(engine: Engine, user_id: int, organisation_id: int, action: Action, wave_id: int | None = None) -> int:
    """Store a new action (accepted from the proposals or added) or an edit of a stored one (its id);
    returns its id. The action is already checked (`reporting.plan.make_action`)."""
    at = datetime.now(timezone.utc)

    def work(connection: Connection) -> int:
        may_manage(connection, user_id, organisation_id, "change this organisation's plan")
        if action.id is None:
            return store.insert_action(connection, {**_values(action, organisation_id, wave_id, at), "created_at": at})
        stored = store.action_by_id(connection, action.id)
        if stored is None or stored.organisation_id != organisation_id:
            raise NotAllowed("change this action")
        values = _values(action, organisation_id, stored.wave_id, at)
        store.update_action(connection, action.id, values)
        return action.id

    return transaction(engine, work)


def delete_action(engine: Engine, user_id: int, organisation_id: int, action_id: int) -> None:
    def work(connection: Connection) -> None:
        may_manage(connection, user_id, organisation_id, "change this organisation's plan")
        stored = store.action_by_id(connection, action_id)
        if stored is None or stored.organisation_id != organisation_id:
            raise NotAllowed("change this action")
        store.delete_action(connection, action_id)

    transaction(engine, work)


__all__ += [
    "SCOPES", "UnknownOrganisation", "operator_dashboard", "clear_cache", "warm_open_waves", "close_wave",
    "delete_action", "dump_statistics", "load_statistics", "save_action", "set_targets",
]  # fmt: skip
