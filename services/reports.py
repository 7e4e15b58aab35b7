"""The management report's use case (issue 15, section 5): one organisation's wave as a PDF, its charts
as PNG and SVG, its figures as CSV and Excel, for a user who may see the organisation's dashboard or
for whoever runs the site's command line (`python -m reports`).

The figures are the dashboard's (`services.dashboard`), so the report applies the same anonymity
rules: a hidden group has no figure in any of the files. The report is written in `locale` (the
organisation's default language unless the caller names one); the model and the course the caller
passes should be in that language too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from assessment.model import Model
from learning.content import Course
from reporting import report_input as report
from services import accounts
from services import dashboard as dash
from services.dashboard import Dashboard, UnknownOrganisation, ViewRequest
from storage import management as store
from storage import workshops as workshops_store
from storage.engine import reading
from storage.errors import SchemaAhead, SchemaBehind, StorageBusy

__all__ = [
    "DatabaseUnavailable",
    "OrganisationEntry",
    "SchemaAhead",
    "SchemaBehind",
    "StorageBusy",
    "UnknownOrganisation",
    "UnknownWave",
    "find_organisation",
    "find_wave",
    "list_organisations_and_waves",
    "management_report",
    "open_engine",
    "operator_report",
    "report_input",
]


class UnknownWave(LookupError):
    def __init__(self, organisation: str, wave: str) -> None:
        super().__init__(f"{organisation} has no wave {wave!r}")
        self.organisation = organisation
        self.wave = wave


class DatabaseUnavailable(Exception):
    """The database could not be reached at all (a server down, a wrong address)."""


@dataclass(frozen=True)
class OrganisationEntry:
    id: int
    name: str
    sector: str
    default_language: str
    waves: tuple[dash.WaveInfo, ...]  # oldest first

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "sector": self.sector,
            "default_language": self.default_language,
            "waves": [
                {
                    "id": wave.id,
                    "name": wave.name,
                    "opened_at": wave.opened_at.isoformat(),
                    "closed_at": None if wave.closed_at is None else wave.closed_at.isoformat(),
                    "respondents": wave.respondents,
                }
                for wave in self.waves
            ],
        }


def open_engine(url: str | None = None) -> Engine:
    """The site's database at the newest schema (`services.accounts.open_engine`); DatabaseUnavailable
    when it cannot be reached, SchemaBehind or SchemaAhead when its schema is not this code's."""
    try:
        return accounts.open_engine(url)
    except DBAPIError as error:
        raise DatabaseUnavailable(type(error.orig).__name__ if error.orig is not None else str(error)) from error


# Organisations and waves, for the command line ------------------------------------------------------


def _entries(connection: Connection) -> list[OrganisationEntry]:
    found = []
    for organisation in workshops_store.all_organisations(connection):
        settings = store.settings_of(connection, organisation.id)
        if settings is None:
            continue
        waves = store.waves_of(connection, organisation.id)
        counts = store.response_counts(connection, [w.id for w in waves])
        infos = tuple(
            dash.WaveInfo(
                w.id,
                w.name,
                w.opened_at,
                w.closed_at,
                w.threshold,
                counts[w.id] if counts[w.id] >= w.threshold else None,
            )
            for w in waves
        )
        found.append(OrganisationEntry(settings.id, settings.name, settings.sector, settings.default_language, infos))
    return sorted(found, key=lambda entry: (entry.name.casefold(), entry.id))


def list_organisations_and_waves(engine: Engine) -> list[dict[str, Any]]:
    """Every organisation (by name) with its waves, oldest first: id, name, opening and closing (ISO
    8601), respondents (null under the wave's threshold: a count is a figure too). For the operator:
    no account is checked."""
    return [entry.as_json() for entry in reading(engine, _entries)]


def find_organisation(engine: Engine, wanted: str) -> OrganisationEntry:
    """The organisation whose id is `wanted` (digits), else whose name is `wanted` exactly (then
    without case); UnknownOrganisation otherwise, or when the name is not unique."""
    entries = reading(engine, _entries)
    text = wanted.strip()
    if text.isdigit():
        found = [e for e in entries if e.id == int(text)]
        if found:
            return found[0]
    exact = [e for e in entries if e.name == text]
    if len(exact) == 1:
        return exact[0]
    loose = [e for e in entries if e.name.casefold() == text.casefold()]
    if len(loose) == 1:
        return loose[0]
    raise UnknownOrganisation(-1) from None


def find_wave(entry: OrganisationEntry, wanted: str | int | None) -> dash.WaveInfo | None:
    """The organisation's wave by id or exact name (then without case); the latest for None (None when
    it has no wave); UnknownWave otherwise."""
    if wanted is None:
        return entry.waves[-1] if entry.waves else None
    text = str(wanted).strip()
    if text.isdigit():
        found = [w for w in entry.waves if w.id == int(text)]
        if found:
            return found[0]
    for matches in (
        [w for w in entry.waves if w.name == text],
        [w for w in entry.waves if w.name.casefold() == text.casefold()],
    ):
        if len(matches) >= 1:
            return matches[-1]
    raise UnknownWave(entry.name, text)


# The report ----------------------------------------------------------------------------------------


def report_input(board: Dashboard, course: Course, created: datetime) -> report.ReportInput:
    """The dashboard's figures as the report's input (the organisation's level, never a filtered view)."""
    wave = board.wave
    return report.ReportInput(
        organisation=board.organisation.name,
        wave=None if wave is None else report.WaveRef(wave.name, wave.opened_at, wave.closed_at, wave.respondents),
        threshold=board.threshold,
        figures=board.figures,
        departments=tuple((d.name, d.figures) for d in board.departments),
        previous=board.previous,
        previous_wave=None if board.previous_wave is None else board.previous_wave.name,
        benchmark=board.benchmark,
        benchmark_scope=board.request.scope,
        targets=board.targets,
        priorities=board.priorities,
        others=board.others,
        trend=board.trend,
        actions=board.actions,
        progress=board.progress,
        plan_gaps=board.plan_gaps,
        links=board.links,
        lesson_titles={lesson.id: lesson.title for lesson in course.lessons},
        bank_titles={bank.id: bank.title for bank in course.banks},
        created=created,
        language=board.organisation.default_language,
    )


def _organisation_level(request: ViewRequest | None) -> ViewRequest:
    """The report is the organisation's: the chosen wave and benchmark scope, never a filtered view."""
    asked = request or ViewRequest()
    return ViewRequest(wave_id=asked.wave_id, scope=asked.scope)


def management_report(
    engine: Engine,
    user_id: int,
    organisation_id: int,
    model: Model,
    course: Course,
    request: ViewRequest | None = None,
    now: datetime | None = None,
) -> report.ReportInput:
    """What the report of the organisation's wave (`request.wave_id`, None: the latest) shows, for a
    user who may see its dashboard (NotAllowed otherwise); `reporting.management_report.report_files`
    makes the files, in the language the caller chooses."""
    moment = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    board = dash.dashboard(engine, user_id, organisation_id, model, course, _organisation_level(request))
    return report_input(board, course, moment)


def operator_report(
    engine: Engine,
    organisation_id: int,
    wave: int | str | None,
    model: Model,
    course: Course,
    now: datetime | None = None,
    scope: str = "all",
) -> report.ReportInput:
    """The report for the command line: no account checked, the anonymity rules all the same. `wave`
    is a wave's id or name (None: the latest); UnknownOrganisation or UnknownWave otherwise."""
    moment = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    entry = next((e for e in reading(engine, _entries) if e.id == organisation_id), None)
    if entry is None:
        raise UnknownOrganisation(organisation_id)
    chosen = find_wave(entry, wave)
    board = dash.operator_dashboard(
        engine,
        organisation_id,
        model,
        course,
        ViewRequest(wave_id=None if chosen is None else chosen.id, scope=scope),
    )
    return report_input(board, course, moment)
