"""The management dashboard's 90-day plan: actions, their validation, the actions the dashboard
proposes from the organisation's prioritised gaps, their progress against the next wave, and the
plan as CSV and as an iCalendar file of due dates.

An action is stored with a status (open, in progress, done, dropped) and a source: "proposed" (the
dashboard proposed it and a manager accepted it, perhaps edited) or "manual" (a manager added it).
Its baseline is its dimension's median score (0 to 4) in the wave it was accepted in; its progress
is the change of that median since, in the figures a reader sees (`reporting.numbers.change`).

Rules of `check_action` (every problem collected, each naming its field, as `workshops.organisations`
does; `make_action` raises InvalidValues with all of them):
- title: 1 to 120 characters once trimmed (runs of spaces made one), no < or >, no control characters;
- detail: up to 2,000 characters, several lines allowed, no control characters but line breaks and tabs;
- owner (a role or a name the manager types): up to 80 characters, no < or > or control characters,
  needed unless the action is dropped (a proposal has none until a manager accepts it);
- due date: none, or a day from one year before today to two years after today;
- status: one of the four.

Lessons and quizzes come in as `LinkRef`s (id and title) that the caller has found with
`learning.path`: reporting and learning are sibling layers and do not import each other.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum

import icalendar

from assessment.model import STAGE_IDS, Model
from reporting.numbers import Kind, change, plain
from reporting.spreadsheet import neutralised
from workshops.organisations import FieldProblem, InvalidValues, clean_name

TITLE_MAX = 120
DETAIL_MAX = 2000
OWNER_MAX = 80
PLAN_DAYS = 90
PROPOSALS_MAX = 6
PAST_YEARS = 1  # a due date may lie this many years before today (a plan written down afterwards)
FUTURE_YEARS = 2  # and this many after

PROPOSED = "proposed"
MANUAL = "manual"
SOURCES = (PROPOSED, MANUAL)

# Reasons of an ActionProblem; plan_text.problem_text turns them into sentences.
MISSING = "missing"
TOO_LONG = "too_long"
HTML = "html"
CONTROL = "control"
NOT_DATE = "not_date"
TOO_EARLY = "too_early"
TOO_LATE = "too_late"
UNKNOWN = "unknown"

# The plan CSV's columns, in order; PROGRESS_COLUMNS follow when progress is given.
CSV_COLUMNS = ("title", "detail", "dimension", "owner", "due_on", "status", "source", "lesson", "bank", "baseline")
PROGRESS_COLUMNS = ("now", "change")

CSV_MIME = "text/csv"
ICAL_MIME = "text/calendar"
PRODID = "-//Social media maturity self-assessment//90-day plan//EN"


class Status(str, Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class LinkRef:
    """A lesson or quiz bank to run, as the caller found it: its id and its title in the reader's language."""

    id: str
    title: str


@dataclass(frozen=True)
class PlanGap:
    """One of the organisation's prioritised gaps: a dimension whose median is short of its target stage."""

    dimension: str
    target_stage: str
    median: float  # the dimension's median score, 0 to 4
    weighted_gap: float  # gap to target times management's importance: the priority
    people: int  # how many respondents the gap concerns
    next_stage: str  # the dimension's lowest stage not reached, at or below the target
    lesson: LinkRef | None = None
    bank: LinkRef | None = None


@dataclass(frozen=True)
class Action:
    id: int | None  # storage's; None until stored
    title: str
    detail: str
    dimension: str | None
    owner: str
    due_on: date | None
    status: Status
    source: str = MANUAL
    lesson_id: str | None = None
    bank_id: str | None = None
    baseline: float | None = None  # the dimension's median in the wave the action was accepted in


@dataclass(frozen=True)
class ActionProblem(FieldProblem):
    """A FieldProblem of an action, with the rule it breaks, for the page's own words."""

    reason: str = ""
    limit: int | date | None = None  # the most characters, or the earliest or latest due date
    found: int | None = None  # the characters typed, or the control character's code point


@dataclass(frozen=True)
class Progress:
    """An action's dimension median when accepted and now, and the change in shown figures (1 decimal)."""

    baseline: float | None
    now: float | None
    change: Decimal | None


# Validation -------------------------------------------------------------------------------------------------------


def clean_detail(text: str) -> str:
    """A detail as stored: NFC, line breaks as \\n, spaces at line ends and blank lines around it removed."""
    normalised = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in normalised.split("\n")).strip("\n")


def years_from(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _control(text: str, allowed: str = "") -> str | None:
    return next((c for c in text if unicodedata.category(c)[0] == "C" and c not in allowed), None)


def _check_line(field: str, text: object, maximum: int, needed: bool) -> list[FieldProblem]:
    if not isinstance(text, str):
        return [ActionProblem(field, "must be text", MISSING)]
    line = clean_name(text)
    if not line:
        return [ActionProblem(field, "is needed", MISSING)] if needed else []
    problems: list[FieldProblem] = []
    if len(line) > maximum:
        problems.append(
            ActionProblem(field, f"at most {maximum} characters; this has {len(line)}", TOO_LONG, maximum, len(line))
        )
    if "<" in line or ">" in line:
        problems.append(ActionProblem(field, "cannot contain < or > (no HTML)", HTML))
    control = _control(line)
    if control is not None:
        problems.append(
            ActionProblem(
                field, f"cannot contain the control character U+{ord(control):04X}", CONTROL, found=ord(control)
            )
        )
    return problems


def _check_detail(detail: object) -> list[FieldProblem]:
    if not isinstance(detail, str):
        return [ActionProblem("detail", "must be text", MISSING)]
    text = clean_detail(detail)
    problems: list[FieldProblem] = []
    if len(text) > DETAIL_MAX:
        problems.append(
            ActionProblem(
                "detail", f"at most {DETAIL_MAX} characters; this has {len(text)}", TOO_LONG, DETAIL_MAX, len(text)
            )
        )
    control = _control(text, allowed="\n\t")
    if control is not None:
        problems.append(
            ActionProblem(
                "detail", f"cannot contain the control character U+{ord(control):04X}", CONTROL, found=ord(control)
            )
        )
    return problems


def _status(status: object) -> Status | None:
    try:
        return Status(status)
    except ValueError:
        return None


def check_action(
    title: str, detail: str, owner: str, due_on: date | None, status: Status | str, today: date
) -> list[FieldProblem]:
    """Every problem of an action as typed (module docstring: the rules), in form order."""
    problems = _check_line("title", title, TITLE_MAX, needed=True)
    problems += _check_detail(detail)
    known = _status(status)
    problems += _check_line("owner", owner, OWNER_MAX, needed=known is not Status.DROPPED)
    if due_on is not None:
        if not isinstance(due_on, date) or isinstance(due_on, datetime):
            problems.append(ActionProblem("due_on", "must be a date (or none)", NOT_DATE))
        else:
            earliest, latest = years_from(today, -PAST_YEARS), years_from(today, FUTURE_YEARS)
            if due_on < earliest:
                problems.append(
                    ActionProblem(
                        "due_on", f"{due_on.isoformat()} is before {earliest.isoformat()}", TOO_EARLY, earliest
                    )
                )
            elif due_on > latest:
                problems.append(
                    ActionProblem("due_on", f"{due_on.isoformat()} is after {latest.isoformat()}", TOO_LATE, latest)
                )
    if known is None:
        choices = ", ".join(s.value for s in Status)
        problems.append(ActionProblem("status", f"choose one of {choices}, not '{status}'", UNKNOWN))
    return problems


def make_action(
    title: str,
    detail: str,
    owner: str,
    due_on: date | None,
    status: Status | str,
    today: date,
    *,
    id: int | None = None,
    dimension: str | None = None,
    source: str = MANUAL,
    lesson_id: str | None = None,
    bank_id: str | None = None,
    baseline: float | None = None,
) -> Action:
    """A validated Action with its texts cleaned, or InvalidValues with every problem.
    An unknown `source` is a programming error (ValueError), not a form problem."""
    if source not in SOURCES:
        raise ValueError(f"source is one of {SOURCES}, not {source!r}")
    problems = check_action(title, detail, owner, due_on, status, today)
    if problems:
        raise InvalidValues(problems)
    return Action(
        id,
        clean_name(title),
        clean_detail(detail),
        dimension,
        clean_name(owner),
        due_on,
        Status(status),
        source,
        lesson_id,
        bank_id,
        baseline,
    )


# Proposals --------------------------------------------------------------------------------------------------------


def _step_towards(model: Model, stage: str) -> str:
    """The model's advice for reaching `stage`: the previous stage's next step; for the first stage,
    which has none before it, its own description (the groundwork it asks)."""
    position = STAGE_IDS.index(stage)
    if position == 0:
        return model.stage(stage).description
    return model.stage(STAGE_IDS[position - 1]).next_step


def _detail(model: Model, gap: PlanGap) -> str:
    from reporting import plan_text  # wording: imported when words are needed (the use cases import this module)

    """The proposal's detail; the statements' help is left out, then the text cut, should it not fit."""
    dimension = model.dimension(gap.dimension)
    stage = model.stage(gap.next_stage)
    cell = dimension.cell(gap.next_stage)
    lesson = gap.lesson.title if gap.lesson else None
    bank = gap.bank.title if gap.bank else None
    step = _step_towards(model, gap.next_stage)
    with_help = [(s.text, s.help) for s in cell]
    detail = plan_text.action_detail(step, dimension.name, stage.name, with_help, lesson, bank)
    if len(detail) > DETAIL_MAX:
        without_help = [(s.text, "") for s in cell]
        detail = plan_text.action_detail(step, dimension.name, stage.name, without_help, lesson, bank)
    if len(detail) > DETAIL_MAX:
        detail = detail[: DETAIL_MAX - 1].rstrip() + "…"
    return detail


def _title(model: Model, gap: PlanGap) -> str:
    from reporting import plan_text

    title = plan_text.action_title(model.dimension(gap.dimension).name, model.stage(gap.next_stage).name)
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def priority_order(model: Model, gaps: Sequence[PlanGap]) -> list[PlanGap]:
    """Highest weighted gap first; ties: more people first, then the model's dimension order."""
    place = {dimension.id: number for number, dimension in enumerate(model.dimensions)}
    return sorted(gaps, key=lambda gap: (-gap.weighted_gap, -gap.people, place.get(gap.dimension, len(place))))


def due_dates(today: date, count: int, days: int = PLAN_DAYS) -> tuple[date, ...]:
    """`count` due dates spread evenly over `days`, by rank: the n-th of N after ceil(days * n / N) days,
    so the first is due soonest and the last on the plan's last day (6 over 90: 15, 30, ..., 90)."""
    return tuple(today + timedelta(days=-(-days * rank // count)) for rank in range(1, count + 1))


def propose_actions(
    model: Model, gaps: Sequence[PlanGap], today: date, days: int = PLAN_DAYS, limit: int = PROPOSALS_MAX
) -> tuple[Action, ...]:
    """One open action per gap, highest priority first (`priority_order`), at most `limit`.

    Left out: gaps with no weight (a weighted gap of 0 or less: management gave the dimension no
    importance, or the target is met) and any later gap of a dimension already proposed. Each action
    is titled with its dimension and the stage to reach next; its detail is the model's step towards
    that stage, the stage's statements in that dimension with their help, and the lesson and quiz to
    run. Due dates by rank (`due_dates`). No owner: a manager chooses one when accepting.
    The baseline is the gap's median, the figure the plan starts from when accepted in this wave."""
    if days < 1:
        raise ValueError(f"a plan lasts at least one day, not {days}")
    known_dimensions = {dimension.id for dimension in model.dimensions}
    chosen: list[PlanGap] = []
    for gap in priority_order(model, gaps):
        if gap.dimension not in known_dimensions:
            raise ValueError(f"the model has no dimension {gap.dimension!r}")
        if gap.next_stage not in STAGE_IDS:
            raise ValueError(f"the model has no stage {gap.next_stage!r}")
        if len(chosen) >= limit or gap.weighted_gap <= 0 or any(c.dimension == gap.dimension for c in chosen):
            continue
        chosen.append(gap)
    return tuple(
        Action(
            id=None,
            title=_title(model, gap),
            detail=_detail(model, gap),
            dimension=gap.dimension,
            owner="",
            due_on=due_on,
            status=Status.OPEN,
            source=PROPOSED,
            lesson_id=gap.lesson.id if gap.lesson else None,
            bank_id=gap.bank.id if gap.bank else None,
            baseline=gap.median,
        )
        for gap, due_on in zip(chosen, due_dates(today, len(chosen), days), strict=True)
    )


def open_proposals(model: Model, gaps: Sequence[PlanGap], actions: Sequence[Action], today: date) -> tuple[Action, ...]:
    """The proposals (`propose_actions`) that are not in the plan already: one whose dimension and
    title an action has (accepted, perhaps edited since only in its other fields) is left out."""
    taken = {(action.dimension, action.title) for action in actions}
    return tuple(p for p in propose_actions(model, gaps, today) if (p.dimension, p.title) not in taken)


# Progress ---------------------------------------------------------------------------------------------------------


def progress(actions: Sequence[Action], medians_now: Mapping[str, float | None]) -> tuple[Progress, ...]:
    """Per action (same order) its baseline, its dimension's median now and the change: the change is
    None for an action without a dimension or baseline, and when the dimension's median is not in
    `medians_now` or is None there (hidden under the anonymity threshold, or not measured)."""
    found = []
    for action in actions:
        now = medians_now.get(action.dimension) if action.dimension is not None else None
        found.append(Progress(action.baseline, now, change(action.baseline, now, Kind.SCORE)))
    return tuple(found)


# Files ------------------------------------------------------------------------------------------------------------


def plan_csv(
    actions: Sequence[Action],
    headings: Mapping[str, str],
    labels: Mapping[str, Mapping[str, str]] | None = None,
    progress: Sequence[Progress] | None = None,
) -> bytes:
    """The plan as CSV in UTF-8 with a byte order mark (so Excel reads Danish letters right), a row per
    action under `headings` (column id -> heading; `plan_text.csv_headings()`; a missing one is the id).

    `labels` gives words for stored ids per column ("dimension", "status", "source", "lesson", "bank";
    `plan_text.csv_labels`); an id without one is written as it is. With `progress` (one per action,
    `progress()`), the median now and the change follow. Dates ISO (yyyy-mm-dd), figures with a full
    stop and one decimal; text that begins like a spreadsheet formula gets a ' in front."""
    if progress is not None and len(progress) != len(actions):
        raise ValueError(f"{len(progress)} progress figures for {len(actions)} actions")
    words = labels or {}

    def label(column: str, value: str | None) -> str:
        return "" if value is None else neutralised(words.get(column, {}).get(value, value))

    def figure(value: float | Decimal | None) -> str:
        return plain(value, Kind.SCORE)

    columns = CSV_COLUMNS + (PROGRESS_COLUMNS if progress is not None else ())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralised(headings.get(column, column)) for column in columns])
    for number, action in enumerate(actions):
        row = [
            neutralised(action.title),
            neutralised(action.detail),
            label("dimension", action.dimension),
            neutralised(action.owner),
            action.due_on.isoformat() if action.due_on else "",
            label("status", action.status.value),
            label("source", action.source),
            label("lesson", action.lesson_id),
            label("bank", action.bank_id),
            figure(action.baseline),
        ]
        if progress is not None:
            row += [figure(progress[number].now), figure(progress[number].change)]
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")


def event_uid(action_id: int) -> str:
    """An action's calendar UID: the same in every export, so a calendar that imports the file again
    updates the event instead of adding a second one."""
    return f"plan-action-{action_id}@smm"


def plan_ical(actions: Sequence[Action], organisation_name: str, calendar_name: str, now: datetime) -> bytes:
    """The plan's due dates as an iCalendar file (RFC 5545): one all-day VEVENT per stored action with a
    due date. Actions without a due date, and actions not stored yet (no id, hence no stable UID), are
    left out.

    VEVENT rather than VTODO: Google Calendar and Outlook drop VTODOs when importing a file, and an
    all-day event on the due date is what a manager's calendar shows. DTSTART is the due date (a DATE,
    no time, so no time zone can move it), DTEND the day after (DTEND is exclusive). SUMMARY is the
    title, DESCRIPTION the detail, owner and status (`plan_text.event_description`); a dropped action
    is STATUS:CANCELLED, so importing the file again cancels the event it made before. DTSTAMP is
    `now` (an aware datetime), in UTC. The organisation's name is the calendar's description.
    icalendar escapes commas, semicolons and line breaks in the texts."""
    from reporting import plan_text

    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    stamp = now.astimezone(timezone.utc)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-caldesc", organisation_name)
    for action in actions:
        if action.id is None or action.due_on is None:
            continue
        event = icalendar.Event()
        event.add("uid", event_uid(action.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", action.due_on)
        event.add("dtend", action.due_on + timedelta(days=1))
        event.add("summary", action.title)
        event.add("description", plan_text.event_description(action.detail, action.owner, action.status.value))
        event.add("status", "CANCELLED" if action.status is Status.DROPPED else "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def file_name(organisation_slug: str, day: date, extension: str) -> str:
    """plan-<organisation>-<yyyy-mm-dd>.<extension>, e.g. plan-acme-2026-12-03.ics."""
    return f"plan-{organisation_slug}-{day.isoformat()}.{extension}"
