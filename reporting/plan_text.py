"""The 90-day plan's words: proposed actions' titles and details, status and source labels, the CSV's
headings, the calendar events' descriptions and the plan form's problems. Translated when called
(`i18n._`), so call these inside a page run or after setting the language.

Model content (stage next steps, statements and their help) arrives already in the reader's
language through the model's content overlays; these functions only put it together.

This module imports nothing of `reporting.plan` at run time (plan imports it): statuses and sources
arrive as their stored values, problems as the FieldProblem subclass plan makes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_date

from i18n import _, babel_locale

if TYPE_CHECKING:
    from workshops.organisations import FieldProblem


def action_title(dimension_name: str, stage_name: str) -> str:
    """A proposed action's title: the dimension and the stage it should reach next."""
    return _("{dimension}: reach {stage}").format(dimension=dimension_name, stage=stage_name)


def action_detail(
    step: str,
    dimension_name: str,
    stage_name: str,
    statements: Sequence[tuple[str, str]],
    lesson_title: str | None,
    bank_title: str | None,
) -> str:
    """A proposed action's detail: the model's step towards the stage, what the stage asks in this
    dimension (each statement as a point, its help, when `statements` gives one, indented on the next
    line), and the lesson and quiz to run. Plain text."""
    parts = [step.strip()]
    asks = [_("What {stage} asks in {dimension}:").format(stage=stage_name, dimension=dimension_name)]
    for text, help_text in statements:
        asks.append(f"- {text.strip()}")
        if help_text.strip():
            asks.append(f"  {help_text.strip()}")
    parts.append("\n".join(asks))
    run = []
    if lesson_title:
        run.append(_("Lesson to run: {title}").format(title=lesson_title))
    if bank_title:
        run.append(_("Quiz to run: {title}").format(title=bank_title))
    if run:
        parts.append("\n".join(run))
    return "\n\n".join(part for part in parts if part)


def status_label(status: str) -> str:
    labels = {
        "open": _("Open"),
        "in_progress": _("In progress"),
        "done": _("Done"),
        "dropped": _("Dropped"),
    }
    return labels.get(status, status)


def source_label(source: str) -> str:
    return {"proposed": _("Proposed"), "manual": _("Added by hand")}.get(source, source)


def csv_headings() -> dict[str, str]:
    """The plan CSV's headings by column id (`reporting.plan.CSV_COLUMNS`, `PROGRESS_COLUMNS`)."""
    return {
        "title": _("Action"),
        "detail": _("Detail"),
        "dimension": _("Dimension"),
        "owner": _("Owner"),
        "due_on": _("Due date"),
        "status": _("Status"),
        "source": _("Source"),
        "lesson": _("Lesson"),
        "bank": _("Quiz"),
        "baseline": _("Median when accepted"),
        "now": _("Median now"),
        "change": _("Change"),
    }


def csv_labels(
    dimension_names: Mapping[str, str], lesson_titles: Mapping[str, str], bank_titles: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """The words for the stored ids in the plan CSV, per column: dimension names, statuses, sources,
    lesson and quiz titles (the caller knows the lessons and quizzes)."""
    return {
        "dimension": dict(dimension_names),
        "status": {status: status_label(status) for status in ("open", "in_progress", "done", "dropped")},
        "source": {source: source_label(source) for source in ("proposed", "manual")},
        "lesson": dict(lesson_titles),
        "bank": dict(bank_titles),
    }


def event_description(detail: str, owner: str, status: str) -> str:
    """A calendar event's description: the action's detail, then its owner and status."""
    lines = [
        _("Owner: {owner}").format(owner=owner or _("not chosen yet")),
        _("Status: {status}").format(status=status_label(status)),
    ]
    return "\n\n".join(part for part in (detail.strip(), "\n".join(lines)) if part)


def _day(value: object) -> str:
    """A date in the reader's language (December 3, 2028; 3. december 2028)."""
    return format_date(value, format="long", locale=babel_locale()) if isinstance(value, date) else str(value)


def field_label(field: str) -> str:
    labels = {
        "title": _("Action"),
        "detail": _("Detail"),
        "owner": _("Owner"),
        "due_on": _("Due date"),
        "status": _("Status"),
    }
    return labels.get(field, field)


def problem_text(problem: FieldProblem) -> str:
    """One problem of the plan form as a sentence naming its field. `problem` is what
    `reporting.plan.check_action` returns: its `reason`, `limit` and `found` choose the words."""
    label = field_label(problem.field)
    reason = getattr(problem, "reason", "")
    limit = getattr(problem, "limit", None)
    found = getattr(problem, "found", None)
    if reason == "missing":
        if problem.field == "owner":
            return _("{field}: name who takes the action (a role or a person).").format(field=label)
        return _("{field}: this is needed.").format(field=label)
    if reason == "too_long":
        return _("{field}: at most {most} characters; this one has {length}. Please shorten it.").format(
            field=label, most=limit, length=found
        )
    if reason == "html":
        return _("{field}: < and > are not allowed (no HTML).").format(field=label)
    if reason == "control":
        return _("{field}: control characters are not allowed.").format(field=label)
    if reason == "too_early":
        return _("{field}: choose {earliest} or later.").format(field=label, earliest=_day(limit))
    if reason == "too_late":
        return _("{field}: choose {latest} or earlier.").format(field=label, latest=_day(limit))
    if reason == "not_date":
        return _("{field}: choose a date, or none.").format(field=label)
    if reason == "unknown":
        return _("{field}: choose one from the list.").format(field=label)
    return f"{label}: {problem.message}"
