"""Synthetic organisations for the management dashboard: departments, job titles, two measurement
waves, members and their completed rounds, drawn so that stages, spreads and trends differ believably.

How the answers are drawn. Each organisation has a latent maturity `level` in stage units, a profile
of offsets per dimension (a retailer strong on content, a hospital on policy), dimensions its people
dispute (more noise there), and a `change` from the first wave to the second (most improve; one
declines). Each department shifts the level and has its own spread: a small spread is a department
whose people agree, a large one a department that disagrees. A respondent's level is drawn around
their department's (most of their own lean kept from wave to wave), each dimension adds the
organisation's offset and some noise, and a statement of stage k (Crawl 0 ... Fly 3) gets
1.5 + 1.4 x (level - k) points plus noise, rounded and clipped to the answers none, partly, largely,
fully: a stage is reached (2 points on average) about where the level passes k + 1/3, so a level of
0.5 is just at Crawl, 1.5 at Walk and 2.8 at Run. The 4 T's and the checklist follow the same level.
About one respondent in ten is unsure and answers "don't know" to some statements, more often the
higher ones.

How it is written. Organisations, their lists, invitation code, threshold and target profile, and the
waves, are written with the storage functions the services use, inside transactions, with the same
rules (a wave's threshold is the organisation's when it opens; one wave open at a time); the service
functions for these take an acting user, and an install seeded without `managers` has none. Each
respondent is one transaction: the member, the round, its answers in one bulk insert, and its
completion exactly as `services.respondents.complete_round` does it (first completion time, scores
stored with the model's version, `services.organisations.record_completion` putting the summary in
the open wave) but at a time inside the wave instead of now. Manager and trainer accounts, and the
trainer's workshops, go through `services.accounts` and `services.workshops`.
"""

from __future__ import annotations

import math
import random
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from assessment.model import STAGE_IDS, Mode, Model
from identity.rules import normalise_username
from learning.content import Course
from reporting.plan import Status, open_proposals
from services import accounts as accounts_service
from services import workshops as workshops_service
from services.dashboard import operator_dashboard
from services.organisations import check_threshold
from services.respondents import finish_round
from services.rules import new_token, token_hash
from storage import accounts as accounts_store
from storage import management as management_store
from storage import respondents as respondents_store
from storage import workshops as workshops_store
from storage.engine import reading, transaction
from storage.management import StoredTarget
from storage.respondents import Round
from storage.schema import answers as answers_table
from storage.schema import organisations as organisations_table
from workshops.codes import new_code
from workshops.organisations import make_organisation

__all__ = [
    "DEMO_ORGANISATIONS",
    "TRAINER_USERNAME",
    "AccountsExist",
    "AlreadySeeded",
    "DemoAccount",
    "DemoDepartment",
    "DemoOrganisation",
    "SeedReport",
    "SeededOrganisation",
    "SeededWave",
    "close_wave",
    "demo_names",
    "draw_answers",
    "existing_demo_organisations",
    "is_empty",
    "manager_username",
    "no_statistics",
    "seed",
]

# Every demo organisation's name ends so: nobody mistakes it for a real one, and a second seed finds it.
DEMO_SUFFIX = " (demo)"
TRAINER_USERNAME = "demo-trainer"
MANAGER_PREFIX = "manager-"

# The answers of a maturity statement by points, and the draw that gives them (see the module docstring).
POINT_VALUES = ("none", "partly", "largely", "fully")
POINTS_AT_LEVEL = 1.5
POINTS_PER_STAGE = 1.4
POINTS_NOISE = 0.6
DIMENSION_NOISE = 0.35
# In a disputed dimension people see the organisation more differently.
DISPUTED_NOISE = 0.9
# One respondent in ten is unsure: "don't know" to a statement of stage k with this chance plus k times
# the step (higher stages are less known), to a T statement with the T chance.
UNSURE_SHARE = 0.10
UNSURE_BASE = 0.10
UNSURE_STEP = 0.10
UNSURE_TEE = 0.15
# A T statement's agreement (1 to 5): 3 at a level of 1.5, this much more per stage, plus noise.
TEE_MIDDLE = 3.0
TEE_PER_STAGE = 0.45
TEE_NOISE = 0.8
CHECKLIST_NOT_APPLICABLE = 0.03
CHECKLIST_NOISE = 0.7
# How much easier or harder one checklist practice is than another, fixed per organisation.
CHECKLIST_EASE_SPREAD = 0.6
# Of a person's own lean this share stays from one wave to the next; the wave adds noise of this share
# of their department's spread.
PERSONAL_KEPT = 0.7
WAVE_NOISE = 0.5
# Of the first wave's respondents who completed, this share takes a new round in the second wave.
RETURNING_SHARE = 0.6
# Of the members who join in a wave, this share starts a round and never completes it.
UNFINISHED_SHARE = 0.06
NO_DEPARTMENT_SHARE = 0.05
NO_JOB_TITLE_SHARE = 0.12
NO_DEPARTMENT_SPREAD = 0.6
MIN_PER_WAVE = 2

# The calendar, in days before `now`: the organisations are made, a first wave runs for eight weeks,
# a second opens later and, for most, closed two weeks ago.
CREATED_DAYS_AGO = 300
FIRST_WAVE_DAYS_AGO = 270
FIRST_WAVE_DAYS = 56
SECOND_WAVE_DAYS_AGO = 80
SECOND_WAVE_CLOSED_DAYS_AGO = 14
# An open wave's completions stop a day before now.
OPEN_WAVE_QUIET_DAYS = 1
ROUND_MINUTES = (7, 35)


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    weight: float  # share of the organisation's respondents
    offset: float  # stage units, added to the organisation's level
    spread: float  # standard deviation of its respondents' levels: small agree, large disagree


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str  # for the manager's username
    name: str
    sector: str  # a key of workshops.organisations.SECTORS
    size_band: str
    language: str
    departments: tuple[DemoDepartment, ...]
    job_titles: tuple[str, ...]
    level: float  # latent maturity in the first wave, stage units
    change: float  # from the first wave to the second
    profile: Mapping[str, float]  # per dimension id, added to the level; missing: 0
    respondents: tuple[int, int]  # who complete a round in each wave, at scale 1
    second_wave_closed: bool
    quick_share: float  # of rounds taken as the quick scan
    not_applicable: float  # chance a statement that may not apply is answered "na"
    threshold: int
    # Dimensions that matter most to management (importance 5); None: no target profile set.
    priorities: tuple[str, ...] | None = None
    # Dimensions its people disagree about most.
    disputed: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return self.name + DEMO_SUFFIX

    def level_in(self, wave_index: int) -> float:
        return self.level + (self.change if wave_index else 0.0)


def _profile(**offsets: float) -> dict[str, float]:
    return offsets


def _departments(*rows: tuple[str, float, float, float]) -> tuple[DemoDepartment, ...]:
    return tuple(DemoDepartment(*row) for row in rows)


# fmt: off
DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        slug="zuidwaarde", name="Gemeente Zuidwaarde", sector="government", size_band="250+", language="nl",
        departments=_departments(
            ("Communicatie", 0.18, 0.7, 0.25),
            ("Klantcontactcentrum", 0.22, 0.3, 0.35),
            ("Burgerzaken", 0.20, -0.3, 0.45),
            ("Ruimte en Wonen", 0.17, -0.4, 0.9),
            ("Sociaal Domein", 0.19, 0.0, 0.6),
            ("Bestuursondersteuning", 0.04, 0.2, 0.3),
        ),
        job_titles=("Medewerker", "Senior medewerker", "Adviseur", "Teamleider", "Afdelingshoofd"),
        level=1.1, change=0.45,
        profile=_profile(policy=0.5, conversation=0.4, presence=0.2, strategy=0.1, organisation=-0.1,
                         community=-0.5, measurement=-0.4, innovation=-0.7),
        respondents=(110, 120), second_wave_closed=True, quick_share=0.35, not_applicable=0.6, threshold=5,
        priorities=("conversation", "listening", "measurement"), disputed=("innovation", "strategy"),
    ),
    DemoOrganisation(
        slug="aldric", name="St Aldric Hospital", sector="healthcare", size_band="250+", language="en",
        departments=_departments(
            ("Communications and Marketing", 0.15, 0.6, 0.3),
            ("Patient Services", 0.20, 0.1, 0.5),
            ("Nursing", 0.30, -0.4, 0.7),
            ("Medical Specialists", 0.15, -0.2, 1.0),
            ("HR and Recruitment", 0.12, 0.3, 0.3),
            ("IT and Digital", 0.08, 0.2, 0.4),
        ),
        job_titles=("Staff member", "Specialist", "Team lead", "Manager", "Director"),
        level=1.7, change=-0.45,  # the social media team left in a reorganisation
        profile=_profile(policy=0.6, organisation=0.2, strategy=0.2, conversation=0.1, listening=-0.2,
                         content=-0.3, community=-0.3, innovation=-0.6),
        respondents=(70, 55), second_wave_closed=True, quick_share=0.2, not_applicable=0.5, threshold=5,
        priorities=("policy", "conversation", "organisation"), disputed=("content", "community"),
    ),
    DemoOrganisation(
        slug="northgate", name="Northgate Outfitters", sector="retail", size_band="250+", language="en",
        departments=_departments(
            ("E-commerce", 0.20, 0.5, 0.3),
            ("Stores", 0.35, -0.5, 0.8),
            ("Customer Service", 0.20, 0.2, 0.3),
            ("Marketing", 0.15, 0.6, 0.25),
            ("Buying and Merchandising", 0.10, -0.2, 0.5),
        ),
        job_titles=("Associate", "Specialist", "Team lead", "Manager", "Head of department"),
        level=2.3, change=0.35,
        profile=_profile(content=0.5, presence=0.5, conversation=0.4, community=0.2, measurement=0.3,
                         listening=0.1, policy=-0.5, organisation=-0.2, innovation=-0.2),
        respondents=(60, 75), second_wave_closed=False, quick_share=0.5, not_applicable=0.05, threshold=5,
        priorities=("policy", "innovation"), disputed=("policy",),
    ),
    DemoOrganisation(
        slug="eastmere", name="University of Eastmere", sector="education", size_band="250+", language="en",
        departments=_departments(
            ("Central Communications", 0.12, 0.8, 0.3),
            ("Student Recruitment", 0.15, 0.5, 0.35),
            ("Faculty of Science", 0.25, -0.4, 0.95),
            ("Faculty of Arts and Humanities", 0.22, -0.1, 0.9),
            ("Library", 0.10, 0.0, 0.3),
            ("Research Office", 0.16, -0.3, 0.6),
        ),
        job_titles=("Lecturer", "Researcher", "Professional staff", "Team lead", "Head of department"),
        level=1.5, change=0.3,
        profile=_profile(strategy=-0.2, organisation=-0.4, policy=0.3, presence=0.3, content=0.2, community=0.3,
                         measurement=-0.3),
        respondents=(90, 100), second_wave_closed=True, quick_share=0.3, not_applicable=0.4, threshold=7,
        priorities=("strategy", "organisation", "measurement", "community"),
        disputed=("strategy", "organisation", "measurement"),
    ),
    DemoOrganisation(
        slug="hjortvang", name="Hjort & Vang Design", sector="manufacturing", size_band="50-249", language="da",
        departments=_departments(
            ("Design", 0.30, 0.4, 0.3),
            ("Salg", 0.20, -0.2, 0.5),
            ("Marketing", 0.20, 0.5, 0.25),
            ("Kundeservice", 0.15, 0.0, 0.4),
            ("Produktion", 0.15, -0.8, 0.6),
        ),
        job_titles=("Medarbejder", "Specialist", "Teamleder", "Chef"),
        level=2.8, change=0.3,
        profile=_profile(content=0.5, presence=0.3, community=0.4, innovation=0.3, strategy=0.1, listening=0.1,
                         organisation=-0.1, policy=-0.3),
        respondents=(25, 30), second_wave_closed=False, quick_share=0.4, not_applicable=0.1, threshold=5,
        priorities=None, disputed=("policy",),
    ),
    DemoOrganisation(
        slug="samenkracht", name="Samenkracht vzw", sector="nonprofit", size_band="10-49", language="nl",
        departments=_departments(
            ("Vrijwilligerswerking", 0.40, 0.1, 0.6),
            ("Communicatie", 0.20, 0.5, 0.3),
            ("Fondsenwerving", 0.25, 0.0, 0.4),
            ("Directie", 0.15, -0.1, 0.3),
        ),
        job_titles=("Medewerker", "Vrijwilliger", "Coördinator", "Directeur"),
        level=0.6, change=0.4,
        profile=_profile(community=0.4, conversation=0.2, strategy=-0.3, policy=-0.2, measurement=-0.5,
                         innovation=-0.4),
        respondents=(20, 24), second_wave_closed=True, quick_share=0.6, not_applicable=0.3, threshold=3,
        priorities=None, disputed=("conversation",),
    ),
)
# fmt: on


class AlreadySeeded(Exception):
    """Demo organisations are in the database already; nothing was added."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__("the demo organisations are there already: " + ", ".join(names))
        self.names = tuple(names)


class AccountsExist(Exception):
    """A demo account's username is taken; nothing was added."""

    def __init__(self, usernames: Sequence[str]) -> None:
        super().__init__("these accounts exist already: " + ", ".join(usernames))
        self.usernames = tuple(usernames)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str  # generated; shown once by the command line, stored only as its argon2 hash
    role: str
    organisation: str | None  # the organisation a manager manages; None for the trainer


@dataclass(frozen=True)
class SeededWave:
    id: int
    name: str
    closed: bool
    responses: int


@dataclass(frozen=True)
class SeededOrganisation:
    id: int
    name: str
    waves: tuple[SeededWave, ...]


@dataclass(frozen=True)
class SeedReport:
    organisations: tuple[SeededOrganisation, ...]
    respondents: int  # members made
    completed_rounds: int
    answers: int
    accounts: tuple[DemoAccount, ...]
    seconds: float

    @property
    def waves(self) -> int:
        return sum(len(o.waves) for o in self.organisations)


def no_statistics(_wave_id: int) -> str | None:
    """A closing wave's benchmark figures when none are computed (`seed`'s `statistics`)."""
    return None


def demo_names() -> tuple[str, ...]:
    return tuple(o.full_name for o in DEMO_ORGANISATIONS)


def manager_username(organisation: DemoOrganisation) -> str:
    return MANAGER_PREFIX + organisation.slug


def existing_demo_organisations(engine: Engine) -> list[str]:
    """The demo organisations' names that are in the database (any case)."""
    wanted = {name.casefold(): name for name in demo_names()}

    def work(connection: Connection) -> list[str]:
        found = connection.execute(
            select(organisations_table.c.name).where(func.lower(organisations_table.c.name).in_(list(wanted)))
        ).scalars()
        return sorted(name for name in found if name.casefold() in wanted)

    return reading(engine, work)


def is_empty(engine: Engine) -> bool:
    """The database has no organisation at all (a new install)."""

    def work(connection: Connection) -> bool:
        return connection.execute(select(organisations_table.c.id).limit(1)).first() is None

    return reading(engine, work)


# The calendar -----------------------------------------------------------------------------------


# Seasons as an organisation would name its waves in its own language (winter, spring, summer, autumn).
_SEASONS = {
    "en": ("Winter", "Spring", "Summer", "Autumn"),
    "nl": ("Winter", "Voorjaar", "Zomer", "Najaar"),
    "da": ("Vinter", "Forår", "Sommer", "Efterår"),
}


def _season(day: datetime, language: str = "en") -> str:
    """A wave's name from the month it opens, in the organisation's language: "Spring 2026",
    "Voorjaar 2026", "Forår 2026"."""
    index = {12: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2}.get(day.month, 3)
    return f"{_SEASONS.get(language, _SEASONS['en'])[index]} {day.year}"


@dataclass(frozen=True)
class _Window:
    name: str
    opens: datetime
    closes: datetime | None  # None: still open
    last_completion: datetime


def _windows(organisation: DemoOrganisation, now: datetime) -> tuple[_Window, _Window]:
    first_open = now - timedelta(days=FIRST_WAVE_DAYS_AGO)
    first_close = first_open + timedelta(days=FIRST_WAVE_DAYS)
    second_open = now - timedelta(days=SECOND_WAVE_DAYS_AGO)
    second_close = now - timedelta(days=SECOND_WAVE_CLOSED_DAYS_AGO)
    first = _Window(
        _season(first_open, organisation.language), first_open, first_close, first_close - timedelta(hours=1)
    )
    if organisation.second_wave_closed:
        second = _Window(
            _season(second_open, organisation.language), second_open, second_close, second_close - timedelta(hours=1)
        )
    else:
        second = _Window(
            _season(second_open, organisation.language), second_open, None, now - timedelta(days=OPEN_WAVE_QUIET_DAYS)
        )
    return first, second


def _moment(window: _Window, rng: random.Random) -> datetime:
    """A completion time in the window, most of them in its first weeks (the reminders come later)."""
    share = rng.betavariate(1.3, 2.6)
    return window.opens + (window.last_completion - window.opens) * share


# Answers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Drawn:
    """What is fixed per organisation across its respondents: the checklist items' ease."""

    checklist_ease: tuple[float, ...]


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def draw_answers(
    model: Model,
    mode: Mode,
    level: float,
    organisation: DemoOrganisation,
    drawn: _Drawn,
    unsure: bool,
    rng: random.Random,
) -> dict[str, str]:
    """One respondent's answers (as stored) to every item the mode asks, from their level."""
    answers: dict[str, str] = {}
    for dimension in model.dimensions:
        noise = DISPUTED_NOISE if dimension.id in organisation.disputed else DIMENSION_NOISE
        dimension_level = level + organisation.profile.get(dimension.id, 0.0) + rng.gauss(0.0, noise)
        for statement in dimension.statements:
            if mode is Mode.QUICK and not statement.quick:
                continue
            stage_index = STAGE_IDS.index(statement.stage)
            if statement.may_not_apply and rng.random() < organisation.not_applicable:
                answers[statement.id] = "na"
            elif unsure and rng.random() < UNSURE_BASE + UNSURE_STEP * stage_index:
                answers[statement.id] = "dont_know"
            else:
                points = POINTS_AT_LEVEL + POINTS_PER_STAGE * (dimension_level - stage_index)
                answers[statement.id] = POINT_VALUES[_clip(round(points + rng.gauss(0.0, POINTS_NOISE)), 0, 3)]
    tee_level = TEE_MIDDLE + TEE_PER_STAGE * (level - 1.5)
    for tee_statement in model.tee_statements(mode):
        if unsure and rng.random() < UNSURE_TEE:
            answers[tee_statement.id] = "dont_know"
            continue
        agreement = _clip(round(tee_level + rng.gauss(0.0, TEE_NOISE)), 1, 5)
        # A reversed statement describes poor conduct: a mature respondent disagrees with it.
        answers[tee_statement.id] = str(6 - agreement if tee_statement.reverse else agreement)
    for item, ease in zip(model.checklist, drawn.checklist_ease, strict=True):
        if rng.random() < CHECKLIST_NOT_APPLICABLE:
            answers[item.id] = "na"
            continue
        practice = level - 1.0 + ease + rng.gauss(0.0, CHECKLIST_NOISE)
        answers[item.id] = "yes" if practice > 0.5 else "partly" if practice > -0.3 else "no"
    return answers


# Respondents --------------------------------------------------------------------------------------


@dataclass
class _Person:
    """A member across waves: who they are and how they see the organisation."""

    respondent_id: int | None
    department: DemoDepartment | None
    job_title: str | None
    personal: float  # their own lean, stage units, kept from wave to wave
    rounds: int = 0


@dataclass(frozen=True)
class _Take:
    """One round to write. A new member's resume token is drawn before the transaction, so a retried
    commit finds the respondent it made instead of making a second one."""

    person: _Person
    token: str
    number: int
    mode: Mode
    answers: dict[str, str]
    started_at: datetime
    completed_at: datetime | None  # None: started and never completed


def _complete(connection: Connection, model: Model, round_: Round, at: datetime) -> None:
    """`services.respondents.complete_round` at a given time (`finish_round`)."""
    finish_round(connection, model, round_, at)


def _write_take(engine: Engine, model: Model, organisation_id: int, language: str, take: _Take) -> int:
    """One respondent's round in one transaction: joining (a new member), the round, its answers in one
    insert, and its completion. Returns the respondent's id."""
    person = take.person
    department = None if person.department is None else person.department.name
    finished = take.completed_at or take.started_at + timedelta(minutes=ROUND_MINUTES[0])
    step = (finished - take.started_at) / max(1, len(take.answers))

    def work(connection: Connection) -> int:
        if person.respondent_id is None:
            hashed = token_hash(take.token)
            found = respondents_store.by_token_hash(connection, hashed)
            if found is not None:
                return found.id
            respondent = respondents_store.insert_respondent(connection, hashed, None, None, language, take.started_at)
            management_store.put_member(
                connection, respondent.id, organisation_id, department, person.job_title, take.started_at
            )
            respondent_id = respondent.id
        else:
            respondent_id = person.respondent_id
            latest = respondents_store.latest_round(connection, respondent_id)
            if latest is not None and latest.number >= take.number:
                return respondent_id
        round_ = respondents_store.insert_round(
            connection, respondent_id, take.number, take.mode.value, take.started_at
        )
        connection.execute(
            insert(answers_table),
            [
                {"round_id": round_.id, "item_id": item_id, "value": value, "answered_at": take.started_at + step * i}
                for i, (item_id, value) in enumerate(take.answers.items(), start=1)
            ],
        )
        if take.completed_at is not None:
            _complete(connection, model, round_, take.completed_at)
        return respondent_id

    return transaction(engine, work)


def _new_people(organisation: DemoOrganisation, count: int, rng: random.Random) -> list[_Person]:
    """New members, spread over the departments by their weights (largest remainders, so even a small
    organisation has every department it should), a few without a department or job title."""
    placed = count - round(count * NO_DEPARTMENT_SHARE)
    total = sum(d.weight for d in organisation.departments)
    shares = [d.weight / total * placed for d in organisation.departments]
    seats = [math.floor(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: seats[i] - shares[i])
    for i in by_remainder[: placed - sum(seats)]:
        seats[i] += 1
    departments: list[DemoDepartment | None] = [
        d for d, n in zip(organisation.departments, seats, strict=True) for _ in range(n)
    ]
    departments += [None] * (count - placed)
    rng.shuffle(departments)
    people = []
    for department in departments:
        job_title = None if rng.random() < NO_JOB_TITLE_SHARE else rng.choice(organisation.job_titles)
        spread = NO_DEPARTMENT_SPREAD if department is None else department.spread
        people.append(_Person(None, department, job_title, rng.gauss(0.0, spread)))
    return people


def _take(
    model: Model,
    organisation: DemoOrganisation,
    drawn: _Drawn,
    person: _Person,
    wave_index: int,
    window: _Window,
    completes: bool,
    rng: random.Random,
) -> _Take:
    offset = 0.0 if person.department is None else person.department.offset
    spread = NO_DEPARTMENT_SPREAD if person.department is None else person.department.spread
    level = (
        organisation.level_in(wave_index)
        + offset
        + PERSONAL_KEPT * person.personal
        + rng.gauss(0.0, WAVE_NOISE * spread)
    )
    mode = Mode.QUICK if rng.random() < organisation.quick_share else Mode.FULL
    answers = draw_answers(model, mode, level, organisation, drawn, rng.random() < UNSURE_SHARE, rng)
    moment = _moment(window, rng)
    started_at = max(window.opens, moment - timedelta(minutes=rng.randint(*ROUND_MINUTES)))
    if not completes:
        # Left half way: the first part of the items answered, never completed.
        kept = list(answers.items())[: rng.randint(1, max(1, len(answers) - 1))]
        answers = dict(kept)
    return _Take(person, new_token(), person.rounds + 1, mode, answers, started_at, moment if completes else None)


# Organisations and waves --------------------------------------------------------------------------


def _target_stage(level: float) -> str:
    """One stage above the highest the level reaches (a level reaches stage k from k + 1/3)."""
    reached = math.floor(level - 1 / 3)
    return STAGE_IDS[_clip(reached + 1, 0, len(STAGE_IDS) - 1)]


def _free_code(connection: Connection) -> str:
    while True:
        code = new_code()
        if not workshops_store.code_taken(connection, code) and not management_store.invite_code_taken(
            connection, code
        ):
            return code


def _create_organisation(
    engine: Engine,
    model: Model,
    organisation: DemoOrganisation,
    manager_id: int | None,
    at: datetime,
    rng: random.Random,
) -> int:
    """The organisation with its lists, threshold, open invitation code, target profile and manager."""
    value = make_organisation(
        organisation.full_name,
        organisation.sector,
        organisation.size_band,
        organisation.language,
        [d.name for d in organisation.departments],
    )
    threshold = check_threshold(organisation.threshold)
    targets = []
    if organisation.priorities is not None:
        for dimension in model.dimensions:
            level = organisation.level_in(1) + organisation.profile.get(dimension.id, 0.0)
            importance = 5 if dimension.id in organisation.priorities else rng.choice((2, 3, 3, 4))
            targets.append(StoredTarget(dimension.id, _target_stage(level), importance))

    def work(connection: Connection) -> int:
        found = connection.execute(
            select(organisations_table.c.id).where(organisations_table.c.name == value.name)
        ).scalar()
        if found is not None:  # a retried commit that had gone through
            return int(found)
        stored = workshops_store.insert_organisation(
            connection, value.name, value.sector, value.size_band, value.language, (), at
        )
        management_store.set_lists(connection, stored.id, value.departments, organisation.job_titles, at)
        management_store.set_threshold(connection, stored.id, threshold, at)
        management_store.set_invite(connection, stored.id, _free_code(connection), True, at)
        management_store.set_targets(connection, stored.id, targets)
        if manager_id is not None:
            management_store.set_manager(connection, manager_id, stored.id, True)
        return stored.id

    return transaction(engine, work)


def _open_wave(engine: Engine, organisation_id: int, window: _Window, user_id: int | None) -> int:
    """As `services.organisations.open_wave`: one open wave at a time, with the organisation's threshold."""

    def work(connection: Connection) -> int:
        already = management_store.open_wave_of(connection, organisation_id)
        if already is not None:
            if already.name == window.name:
                return already.id
            raise RuntimeError(f"organisation {organisation_id} has the wave {already.name!r} open")
        settings = management_store.settings_of(connection, organisation_id)
        assert settings is not None
        wave = management_store.insert_wave(
            connection, organisation_id, window.name, settings.anonymity_threshold, window.opens, user_id
        )
        return wave.id

    return transaction(engine, work)


def close_wave(
    engine: Engine, wave_id: int, at: datetime, statistics: Callable[[int], str | None] = no_statistics
) -> None:
    """Close a wave at a time in the past with its benchmark figures, `statistics(wave_id)` (computed
    first, from the wave's committed responses, as `services.organisations.close_wave` expects them)."""
    figures = statistics(wave_id)

    def work(connection: Connection) -> None:
        wave = management_store.wave_by_id(connection, wave_id)
        if wave is not None and wave.closed_at is None:
            management_store.close_wave(connection, wave_id, at, figures)

    transaction(engine, work)


def _response_count(engine: Engine, wave_id: int) -> int:
    def work(connection: Connection) -> int:
        return management_store.response_counts(connection, [wave_id])[wave_id]

    return reading(engine, work)


@dataclass
class _Tally:
    respondents: int = 0
    completed: int = 0
    answers: int = 0


def _seed_organisation(
    engine: Engine,
    model: Model,
    organisation: DemoOrganisation,
    rng: random.Random,
    scale: float,
    now: datetime,
    trainer_id: int | None,
    manager_id: int | None,
    statistics: Callable[[int], str | None],
    tally: _Tally,
) -> SeededOrganisation:
    windows = _windows(organisation, now)
    created = now - timedelta(days=CREATED_DAYS_AGO)
    organisation_id = _create_organisation(engine, model, organisation, manager_id, created, rng)
    if trainer_id is not None:
        _kick_off_workshop(engine, trainer_id, organisation, organisation_id, windows[0])
    drawn = _Drawn(tuple(rng.gauss(0.0, CHECKLIST_EASE_SPREAD) for _ in model.checklist))
    completers: list[_Person] = []
    seeded: list[SeededWave] = []
    for wave_index, window in enumerate(windows):
        wave_id = _open_wave(engine, organisation_id, window, manager_id or trainer_id)
        wanted = max(MIN_PER_WAVE, round(organisation.respondents[wave_index] * scale))
        returning = rng.sample(completers, min(len(completers), round(len(completers) * RETURNING_SHARE), wanted))
        newcomers = _new_people(organisation, wanted - len(returning), rng)
        unfinished = _new_people(organisation, round(wanted * UNFINISHED_SHARE), rng)
        takes = [_take(model, organisation, drawn, p, wave_index, window, True, rng) for p in returning + newcomers]
        takes += [_take(model, organisation, drawn, p, wave_index, window, False, rng) for p in unfinished]
        completers = []
        for take in sorted(takes, key=lambda t: t.started_at):
            person = take.person
            if person.respondent_id is None:
                tally.respondents += 1
            person.respondent_id = _write_take(engine, model, organisation_id, organisation.language, take)
            person.rounds = take.number
            tally.answers += len(take.answers)
            if take.completed_at is not None:
                tally.completed += 1
                completers.append(person)
        if window.closes is not None:
            close_wave(engine, wave_id, window.closes, statistics)
        seeded.append(SeededWave(wave_id, window.name, window.closes is not None, _response_count(engine, wave_id)))
    return SeededOrganisation(organisation_id, organisation.full_name, tuple(seeded))


# Accounts ---------------------------------------------------------------------------------------

_KICK_OFF = {"en": "Social media kick-off", "nl": "Aftrap sociale media", "da": "Kickoff: sociale medier"}


def _kick_off_workshop(
    engine: Engine, trainer_id: int, organisation: DemoOrganisation, organisation_id: int, window: _Window
) -> None:
    """The trainer's workshop with the organisation, held as its first wave opened, closed since."""
    held = window.opens + timedelta(days=3)
    workshop = workshops_service.create_workshop(
        engine,
        trainer_id,
        _KICK_OFF[organisation.language],
        organisation_id,
        date(held.year, held.month, held.day),
        organisation.language,
        Mode.FULL.value,
        now=window.opens - timedelta(days=7),
    )
    workshops_service.close_workshop(engine, trainer_id, workshop.id, now=held + timedelta(days=1))


def _usernames() -> list[str]:
    return [TRAINER_USERNAME, *(manager_username(o) for o in DEMO_ORGANISATIONS)]


def _taken_usernames(engine: Engine) -> list[str]:
    def work(connection: Connection) -> list[str]:
        return [
            name
            for name in _usernames()
            if accounts_store.user_by_name(connection, normalise_username(name)) is not None
        ]

    return reading(engine, work)


def _new_password() -> str:
    # 96 random bits in 16 URL-safe characters: typed once, then changed by its owner.
    return secrets.token_urlsafe(12)


def _create_account(engine: Engine, username: str, display: str, role: str, at: datetime) -> tuple[int, DemoAccount]:
    password = _new_password()
    user = accounts_service.create_user(engine, username, display, role, password, now=at)
    return user.id, DemoAccount(username, password, role, None)


# Seeding ----------------------------------------------------------------------------------------


def seed(
    engine: Engine,
    model: Model,
    rng_seed: int = 2027,
    scale: float = 1.0,
    *,
    managers: bool = False,
    statistics: Callable[[int], str | None] = no_statistics,
    now: datetime | None = None,
    course: Course | None = None,
) -> SeedReport:
    """Fill the database with the demo organisations (DEMO_ORGANISATIONS), each with two waves (the
    first closed) and `scale` times their respondents (at least MIN_PER_WAVE per wave). `managers`:
    also a manager account per organisation and the trainer TRAINER_USERNAME with a workshop in each,
    with generated passwords (in the report, nowhere else). `statistics(wave_id)` gives a closing
    wave's benchmark figures. With `course`, each organisation with a target profile gets a 90-day
    plan: its first proposals accepted, with owners and statuses (`_seed_plan`). The same `rng_seed`
    and scale give the same answers.

    AlreadySeeded when a demo organisation exists, AccountsExist when `managers` and a demo account's
    username is taken; nothing is written then. Not one transaction: a seed that fails half way
    leaves what it wrote, and the next one is refused (delete the demo organisations first)."""
    if scale <= 0:
        raise ValueError(f"scale must be more than 0, got {scale}")
    started = time.perf_counter()
    at_now = now or datetime.now(timezone.utc)
    existing = existing_demo_organisations(engine)
    if existing:
        raise AlreadySeeded(existing)
    accounts: list[DemoAccount] = []
    trainer_id = None
    manager_ids: dict[str, int] = {}
    if managers:
        taken = _taken_usernames(engine)
        if taken:
            raise AccountsExist(taken)
        created = at_now - timedelta(days=CREATED_DAYS_AGO + 1)
        trainer_id, trainer = _create_account(engine, TRAINER_USERNAME, "Demo trainer", "trainer", created)
        accounts.append(trainer)
        for organisation in DEMO_ORGANISATIONS:
            user_id, account = _create_account(
                engine, manager_username(organisation), f"Manager, {organisation.name}", "manager", created
            )
            manager_ids[organisation.slug] = user_id
            accounts.append(DemoAccount(account.username, account.password, account.role, organisation.full_name))
    tally = _Tally()
    seeded = tuple(
        _seed_organisation(
            engine,
            model,
            organisation,
            random.Random(f"{rng_seed}/{organisation.slug}"),
            scale,
            at_now,
            trainer_id,
            manager_ids.get(organisation.slug),
            statistics,
            tally,
        )
        for organisation in DEMO_ORGANISATIONS
    )
    if course is not None:
        for made in seeded:
            _seed_plan(engine, model, course, made.id, at_now)
    return SeedReport(
        seeded, tally.respondents, tally.completed, tally.answers, tuple(accounts), time.perf_counter() - started
    )


# Owners and statuses of the demo plans' accepted actions, in the proposals' order.
PLAN_STEPS = (
    ("Head of marketing and communication", Status.DONE),
    ("Webcare team lead", Status.IN_PROGRESS),
    ("HR business partner", Status.OPEN),
)


def _seed_plan(engine: Engine, model: Model, course: Course, organisation_id: int, now: datetime) -> None:
    """The organisation's first proposals accepted into its plan, as a manager would on the plan page:
    the dashboard's proposals (`reporting.plan.open_proposals`) with an owner and a status each, made
    in its latest wave. Nothing for an organisation without targets or with its figures hidden."""
    board = operator_dashboard(engine, organisation_id, model, course)
    proposals = open_proposals(model, board.plan_gaps, board.actions, now.date())
    wave_id = None if board.wave is None else board.wave.id

    def work(connection: Connection) -> None:
        for proposal, (owner, status) in zip(proposals, PLAN_STEPS, strict=False):
            management_store.insert_action(
                connection,
                {
                    "organisation_id": organisation_id,
                    "wave_id": wave_id,
                    "dimension_id": proposal.dimension,
                    "title": proposal.title,
                    "detail": proposal.detail,
                    "owner": owner,
                    "due_on": proposal.due_on,
                    "status": status.value,
                    "source": proposal.source,
                    "lesson_id": proposal.lesson_id,
                    "bank_id": proposal.bank_id,
                    "baseline": proposal.baseline,
                    "created_at": now,
                    "updated_at": now,
                },
            )

    transaction(engine, work)
