"""A workshop's results as tables, and those tables as CSV files (one per table, or all in a zip)
and as one Excel workbook with a sheet per table.

Plain Python: the tables are made from `workshops.results.WorkshopResults` and the workshop's live
quiz runs (`reporting.live_report.LiveRunReport`, one sheet per table for all runs, each row naming
its run and quiz), with column headings translated when they are made (call these functions inside
a page run, or after setting the language). Numbers stay numbers and moments stay moments (in UTC,
as the column heading says) in the workbook; the CSV writes them as plain figures and ISO dates.

Spreadsheet formula injection: a text cell that begins with = + - @ (or a tab or carriage return)
would be read as a formula by a spreadsheet. Every text cell from the data (nicknames above all,
and also names, titles and option texts) that begins so gets a ' in front, in the CSV and in the
workbook alike.

The workbook is written with openpyxl (a requirement of the site); the CSVs need nothing beyond the
standard library.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum

from i18n import _
from reporting.live_report import LiveRunReport
from reporting.spreadsheet import neutralised
from workshops.results import ParticipantResult, QuestionStats, QuizStats, WorkshopResults

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MIME = "application/zip"
CSV_MIME = "text/csv"

SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_WIDTH_MIN, _WIDTH_MAX = 8, 60
PERCENT_DECIMALS = 1


class Kind(Enum):
    TEXT = "text"
    INTEGER = "integer"
    PERCENT = "percent"  # a percentage 0-100 as a number, 1 decimal
    DECIMAL = "decimal"  # a number with 1 decimal (mean points, seconds)
    MOMENT = "moment"  # a datetime, in UTC


Cell = str | int | float | datetime | None


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind


@dataclass(frozen=True)
class Table:
    key: str  # in file names: participants, quizzes, questions, options
    title: str  # the sheet's name, translated
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, PERCENT_DECIMALS)


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


# The tables ---------------------------------------------------------------------------------------


def _stage_text(participant: ParticipantResult, first_stage: str) -> str | None:
    """The stage reached; "Not yet at <first stage>" for a finished round that reached none; empty
    for a participant who finished no round."""
    if participant.finished_at is None:
        return None
    if participant.stage_name:
        return participant.stage_name
    return _("Not yet at {stage}").format(stage=first_stage)


def participants_table(results: WorkshopResults) -> Table:
    """One row per participant, in the order they joined, with a best-score column per quiz attempted."""
    quizzes = results.quizzes
    columns = (
        Column(_("Nickname"), Kind.TEXT),
        Column(_("Joined (UTC)"), Kind.MOMENT),
        Column(_("Finished (UTC)"), Kind.MOMENT),
        Column(_("Stage"), Kind.TEXT),
        Column(_("Lessons done"), Kind.INTEGER),
        *(Column(_("Best score (%): {quiz}").format(quiz=quiz.title), Kind.INTEGER) for quiz in quizzes),
    )
    rows = tuple(
        (
            p.nickname,
            _utc(p.joined_at),
            _utc(p.finished_at),
            _stage_text(p, results.first_stage_name),
            p.lessons_done,
            *(p.best_scores.get(quiz.bank_id) for quiz in quizzes),
        )
        for p in results.participants
    )
    return Table("participants", _("Participants"), columns, rows)


def quizzes_table(results: WorkshopResults) -> Table:
    columns = (
        Column(_("Quiz"), Kind.TEXT),
        Column(_("Quiz id"), Kind.TEXT),
        Column(_("Finished attempts"), Kind.INTEGER),
        Column(_("Participants"), Kind.INTEGER),
        Column(_("Mean score (%)"), Kind.PERCENT),
    )
    rows = tuple(
        (quiz.title, quiz.bank_id, quiz.attempts, quiz.participants, _percent(quiz.mean_score))
        for quiz in results.quizzes
    )
    return Table("quizzes", _("Quiz summary"), columns, rows)


def question_type_label(kind: str) -> str:
    labels = {
        "single": _("One answer"),
        "multiple": _("Several answers"),
        "truefalse": _("True or false"),
        "ordering": _("Ordering"),
        "matching": _("Matching"),
        "short": _("Short answer"),
        "numerical": _("Number"),
    }
    return labels.get(kind, kind)


def questions_table(results: WorkshopResults) -> Table:
    columns = (
        Column(_("Quiz"), Kind.TEXT),
        Column(_("Question number"), Kind.INTEGER),
        Column(_("Question id"), Kind.TEXT),
        Column(_("Question type"), Kind.TEXT),
        Column(_("Question"), Kind.TEXT),
        Column(_("Answered"), Kind.INTEGER),
        Column(_("Correct"), Kind.INTEGER),
        Column(_("Percent correct (%)"), Kind.PERCENT),
    )
    rows = tuple(
        (
            quiz.title,
            q.position,
            q.question_id,
            question_type_label(q.type),
            q.prompt,
            q.answered,
            q.correct,
            _percent(q.percent_correct),
        )
        for quiz in results.quizzes
        for q in quiz.questions
    )
    return Table("questions", _("Question statistics"), columns, rows)


def option_label(question: QuestionStats, option_id: str, text: str) -> str:
    """An option as a person reads it: its text, or True / False for a true/false question."""
    if question.type == "truefalse":
        return _("True") if option_id == "true" else _("False")
    return text


def options_table(results: WorkshopResults) -> Table:
    columns = (
        Column(_("Quiz"), Kind.TEXT),
        Column(_("Question number"), Kind.INTEGER),
        Column(_("Question id"), Kind.TEXT),
        Column(_("Option"), Kind.TEXT),
        Column(_("Right answer"), Kind.TEXT),
        Column(_("Times chosen"), Kind.INTEGER),
        Column(_("Chosen by (% of those who answered)"), Kind.PERCENT),
    )
    rows = tuple(
        (
            quiz.title,
            q.position,
            q.question_id,
            option_label(q, o.option_id, o.text),
            _("yes") if o.correct else _("no"),
            o.chosen,
            _percent(100 * o.chosen / q.answered) if q.answered else None,
        )
        for quiz in results.quizzes
        for q in quiz.questions
        for o in q.options
    )
    return Table("options", _("Option counts"), columns, rows)


def _decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _run_columns() -> tuple[Column, ...]:
    """The columns that say which run a row is of, so several runs share one sheet."""
    return (
        Column(_("Live run id"), Kind.INTEGER),
        Column(_("Quiz"), Kind.TEXT),
        Column(_("Quiz id"), Kind.TEXT),
        Column(_("Run started (UTC)"), Kind.MOMENT),
    )


def _run_cells(run: LiveRunReport) -> tuple[Cell, ...]:
    return (run.run_id, run.bank_title, run.bank_id, _utc(run.started_at))


def live_ranking_table(live: Sequence[LiveRunReport]) -> Table:
    """The final ranking of each live run: one row per player, equal scores sharing a place."""
    columns = (
        *_run_columns(),
        Column(_("Place"), Kind.INTEGER),
        Column(_("Nickname"), Kind.TEXT),
        Column(_("Points"), Kind.INTEGER),
        Column(_("Questions they could answer"), Kind.INTEGER),
        Column(_("Answered"), Kind.INTEGER),
        Column(_("Right"), Kind.INTEGER),
    )
    rows = tuple(
        (*_run_cells(run), p.place, p.nickname, p.score, p.could_answer, p.answered, p.right)
        for run in live
        for p in run.ranking
    )
    return Table("live-ranking", _("Live ranking"), columns, rows)


def live_questions_table(live: Sequence[LiveRunReport]) -> Table:
    """Each question asked in each live run."""
    columns = (
        *_run_columns(),
        Column(_("Question number"), Kind.INTEGER),
        Column(_("Question id"), Kind.TEXT),
        Column(_("Question type"), Kind.TEXT),
        Column(_("Question title"), Kind.TEXT),
        Column(_("Question"), Kind.TEXT),
        Column(_("Players who could answer"), Kind.INTEGER),
        Column(_("Answered"), Kind.INTEGER),
        Column(_("Right"), Kind.INTEGER),
        Column(_("Right (% of answers)"), Kind.PERCENT),
        Column(_("Mean points per answer"), Kind.DECIMAL),
        Column(_("Median answer time (s)"), Kind.DECIMAL),
    )
    rows = tuple(
        (
            *_run_cells(run),
            q.position,
            q.question_id,
            question_type_label(q.type) if q.type else None,
            q.title,
            q.prompt,
            q.could_answer,
            q.answered,
            q.right,
            _percent(q.percent_right),
            _decimal(q.mean_points),
            _decimal(q.median_seconds),
        )
        for run in live
        for q in run.questions
    )
    return Table("live-questions", _("Live questions"), columns, rows)


def live_options_table(live: Sequence[LiveRunReport]) -> Table:
    """How often each option of each choice question asked live was chosen."""
    columns = (
        *_run_columns(),
        Column(_("Question number"), Kind.INTEGER),
        Column(_("Question id"), Kind.TEXT),
        Column(_("Option"), Kind.TEXT),
        Column(_("Right answer"), Kind.TEXT),
        Column(_("Times chosen"), Kind.INTEGER),
        Column(_("Chosen by (% of those who answered)"), Kind.PERCENT),
    )
    rows = tuple(
        (
            *_run_cells(run),
            q.position,
            q.question_id,
            live_option_label(q.type, o.option_id, o.text),
            _("yes") if o.correct else _("no"),
            o.chosen,
            _percent(100 * o.chosen / q.answered) if q.answered else None,
        )
        for run in live
        for q in run.questions
        for o in q.options
    )
    return Table("live-options", _("Live option counts"), columns, rows)


def live_option_label(kind: str, option_id: str, text: str) -> str:
    """An option of a live question as a person reads it (True / False for a true/false question)."""
    if kind == "truefalse":
        return _("True") if option_id == "true" else _("False")
    return text


def tables(results: WorkshopResults, live: Sequence[LiveRunReport] = ()) -> tuple[Table, ...]:
    """Every table of the export, in the order of the workbook's sheets; the live quiz tables hold the
    rows of `live` (the workshop's runs), and only their headings when it had none."""
    return (
        participants_table(results),
        quizzes_table(results),
        questions_table(results),
        options_table(results),
        live_ranking_table(live),
        live_questions_table(live),
        live_options_table(live),
    )


def quiz_questions(quiz: QuizStats) -> tuple[QuestionStats, ...]:
    """The questions of a quiz that someone answered (for charts)."""
    return tuple(q for q in quiz.questions if q.answered)


# File names ---------------------------------------------------------------------------------------


def file_name(code: str, what: str, day: date, extension: str) -> str:
    """workshop-<code>-<what>-<yyyy-mm-dd>.<extension>, e.g. workshop-ABC234-results-2026-12-02.xlsx."""
    return f"workshop-{code}-{what}-{day.isoformat()}.{extension}"


# CSV ----------------------------------------------------------------------------------------------


def _csv_value(value: Cell, kind: Kind) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return neutralised(value)
    return value


def table_csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte order mark (so a spreadsheet reads accents right),
    headings first; moments as yyyy-mm-dd hh:mm:ss in UTC, figures with a full stop."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralised(column.heading) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def csv_zip(results: WorkshopResults, day: date, live: Sequence[LiveRunReport] = ()) -> bytes:
    """Every table as its own CSV file, in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables(results, live):
            archive.writestr(file_name(results.code, table.key, day, "csv"), table_csv(table))
    return out.getvalue()


# Excel --------------------------------------------------------------------------------------------


def sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A title Excel accepts: no [ ] : * ? / \\, at most 31 characters, unique without case."""
    base = " ".join(title.translate(_SHEET_FORBIDDEN).split())[:SHEET_TITLE_MAX] or "Sheet"
    used = {t.casefold() for t in taken}
    candidate, number = base, 2
    while candidate.casefold() in used:
        suffix = f" {number}"
        candidate = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    return candidate


def _width(column: Column, values: list[Cell]) -> float:
    def shown(value: Cell) -> int:
        if value is None:
            return 0
        if isinstance(value, datetime):
            return 16
        return len(str(value))

    longest = max([len(column.heading), *(shown(v) for v in values)])
    return float(min(_WIDTH_MAX, max(_WIDTH_MIN, longest + 2)))


_NUMBER_FORMATS = {Kind.INTEGER: "0", Kind.PERCENT: "0.0", Kind.DECIMAL: "0.0", Kind.MOMENT: "yyyy-mm-dd hh:mm"}


def _excel_value(value: Cell) -> str | int | float | datetime | None:
    """Text neutralised (a ' before a formula start, so openpyxl keeps it as text, never a formula);
    moments in UTC without a time zone, which Excel does not keep."""
    if isinstance(value, str):
        return neutralised(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def workbook(results: WorkshopResults, live: Sequence[LiveRunReport] = ()) -> bytes:
    """The workshop's tables as one .xlsx workbook (`tables_workbook`)."""
    return tables_workbook(tables(results, live))


def tables_workbook(shown: Sequence[Table]) -> bytes:
    """One .xlsx workbook, a sheet per table: the heading row bold and frozen, columns wide enough
    for their contents, numbers as numbers and moments as dates (UTC, without a time zone, which
    Excel does not keep), text that begins like a formula with a ' in front. Shared by every
    workbook the site offers (a workshop's results, the management report's data)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    titles: list[str] = []
    bold = Font(bold=True)
    for table in shown:
        title = sheet_title(table.title, titles)
        titles.append(title)
        sheet = book.create_sheet(title)
        sheet.append([neutralised(column.heading) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row_number, row in enumerate(table.rows, start=2):
            for column_number, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                cell = sheet.cell(row=row_number, column=column_number, value=_excel_value(value))
                if column.kind in _NUMBER_FORMATS and value is not None and not isinstance(value, str):
                    cell.number_format = _NUMBER_FORMATS[column.kind]
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns):
            values_in_column = [row[index] for row in table.rows]
            sheet.column_dimensions[get_column_letter(index + 1)].width = _width(column, values_in_column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
