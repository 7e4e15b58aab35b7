"""A workshop's results as CSV files and an Excel workbook: the tables and their headings, numbers
as numbers, moments as dates, dated file names, and formula injection neutralised in both."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta, timezone

import openpyxl
import pytest

from reporting import workshop_export as export
from reporting.live_report import LivePlace, LiveQuestion, LiveRunReport
from workshops.results import OptionCount, ParticipantResult, QuestionStats, QuizStats, WorkshopResults

JOINED = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
DAY = date(2026, 12, 2)

RESULTS = WorkshopResults(
    workshop_id=7,
    code="ABC234",
    name="Kick-off",
    held_on=DAY,
    participants=(
        ParticipantResult("Ann", JOINED, JOINED + timedelta(minutes=40), "walk", "Walk", 2, {"mini": 100}),
        # Written in another zone: the export gives UTC.
        ParticipantResult("-1+2", JOINED.astimezone(timezone(timedelta(hours=1))), None, None, None, 0, {"mini": 33}),
        ParticipantResult("@SUM(A1)", JOINED, None, None, None, 0, {}),
    ),
    quizzes=(
        QuizStats(
            "mini",
            "Mini quiz",
            3,
            2,
            (100 + 33 + 33) / 3,
            (
                QuestionStats(
                    "q1",
                    1,
                    "single",
                    "Pick A",
                    3,
                    1,
                    (OptionCount("a", "A", True, 1), OptionCount("b", "=HYPERLINK()", False, 2)),
                ),
                QuestionStats(
                    "q2",
                    2,
                    "truefalse",
                    "True?",
                    2,
                    2,
                    (OptionCount("true", "", True, 2), OptionCount("false", "", False, 0)),
                ),
                QuestionStats("q3", 3, "short", "Say yes", 0, 0, ()),
            ),
        ),
    ),
)


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a byte order mark: spreadsheets read UTF-8 then
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_neutralised_puts_a_quote_before_a_formula_start_only() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert export.neutralised(text) == "'" + text
    for text in ("Ann", "1-2", "a=b", "", "'quoted"):
        assert export.neutralised(text) == text


def test_participants_csv() -> None:
    table = export.participants_table(RESULTS)
    found = rows(export.table_csv(table))
    assert found[0] == [
        "Nickname",
        "Joined (UTC)",
        "Finished (UTC)",
        "Stage",
        "Lessons done",
        "Best score (%): Mini quiz",
    ]
    assert found[1] == ["Ann", "2026-12-02 09:30:00", "2026-12-02 10:10:00", "Walk", "2", "100"]
    assert found[2] == ["'-1+2", "2026-12-02 09:30:00", "", "", "0", "33"]
    assert found[3] == ["'@SUM(A1)", "2026-12-02 09:30:00", "", "", "0", ""]


def test_quiz_question_and_option_tables() -> None:
    quizzes = rows(export.table_csv(export.quizzes_table(RESULTS)))
    assert quizzes == [
        ["Quiz", "Quiz id", "Finished attempts", "Participants", "Mean score (%)"],
        ["Mini quiz", "mini", "3", "2", "55.3"],
    ]
    questions = rows(export.table_csv(export.questions_table(RESULTS)))
    assert questions[0][-3:] == ["Answered", "Correct", "Percent correct (%)"]
    assert [q[1:4] + q[5:] for q in questions[1:]] == [
        ["1", "q1", "One answer", "3", "1", "33.3"],
        ["2", "q2", "True or false", "2", "2", "100.0"],
        ["3", "q3", "Short answer", "0", "0", ""],  # nobody answered: no percentage, not 0
    ]
    options = rows(export.table_csv(export.options_table(RESULTS)))
    assert [o[3:] for o in options[1:]] == [
        ["A", "yes", "1", "33.3"],
        ["'=HYPERLINK()", "no", "2", "66.7"],
        ["True", "yes", "2", "100.0"],
        ["False", "no", "0", "0.0"],
    ]


def test_file_names_are_dated_and_the_zip_holds_every_table() -> None:
    assert export.file_name("ABC234", "results", DAY, "xlsx") == "workshop-ABC234-results-2026-12-02.xlsx"
    with zipfile.ZipFile(io.BytesIO(export.csv_zip(RESULTS, DAY))) as archive:
        assert archive.namelist() == [
            f"workshop-ABC234-{key}-2026-12-02.csv"
            for key in (
                "participants",
                "quizzes",
                "questions",
                "options",
                "live-ranking",
                "live-questions",
                "live-options",
            )
        ]
        assert rows(archive.read("workshop-ABC234-participants-2026-12-02.csv"))[1][0] == "Ann"


def test_sheet_titles_are_ones_excel_accepts() -> None:
    assert export.sheet_title("Scores: a/b [x]?") == "Scores a b x"
    assert len(export.sheet_title("x" * 50)) == 31
    assert export.sheet_title("Participants", ["participants"]) == "Participants 2"


def test_the_workbook_opens_with_a_sheet_per_table() -> None:

    book = openpyxl.load_workbook(io.BytesIO(export.workbook(RESULTS)))
    assert book.sheetnames == [
        "Participants",
        "Quiz summary",
        "Question statistics",
        "Option counts",
        "Live ranking",
        "Live questions",
        "Live option counts",
    ]
    people = book["Participants"]
    assert people.freeze_panes == "A2"
    assert all(cell.font.bold for cell in people[1])
    assert [c.value for c in people[1]][:3] == ["Nickname", "Joined (UTC)", "Finished (UTC)"]
    assert people["B2"].value == datetime(2026, 12, 2, 9, 30) and people["B2"].is_date
    assert people["C2"].value == datetime(2026, 12, 2, 10, 10)
    assert people["B3"].value == datetime(2026, 12, 2, 9, 30)  # the +01:00 moment, in UTC
    assert (people["E2"].value, people["F2"].value, people["F4"].value) == (2, 100, None)
    assert isinstance(people["E2"].value, int)
    assert people.column_dimensions["A"].width >= len("Nickname")
    # Injection: text, never a formula.
    assert (people["A3"].value, people["A3"].data_type) == ("'-1+2", "s")
    assert (people["A4"].value, people["A4"].data_type) == ("'@SUM(A1)", "s")
    summary = book["Quiz summary"]
    assert summary["E2"].value == pytest.approx(55.3) and isinstance(summary["E2"].value, float)
    options = book["Option counts"]
    assert (options["D3"].value, options["D3"].data_type, options["F3"].value) == ("'=HYPERLINK()", "s", 2)
    questions = book["Question statistics"]
    assert questions["H4"].value is None  # nobody answered q3


def test_an_empty_workshop_still_gives_every_table() -> None:
    empty = WorkshopResults(8, "XYZ789", "Empty", DAY, (), ())
    assert [len(t.rows) for t in export.tables(empty)] == [0, 0, 0, 0, 0, 0, 0]
    assert rows(export.table_csv(export.participants_table(empty))) == [
        ["Nickname", "Joined (UTC)", "Finished (UTC)", "Stage", "Lessons done"]
    ]
    book = openpyxl.load_workbook(io.BytesIO(export.workbook(empty)))
    assert len(book.sheetnames) == 7


def test_a_finished_round_below_the_first_stage_reads_not_yet_at_it_and_an_unfinished_one_is_empty() -> None:
    finished = JOINED + timedelta(minutes=30)
    results = WorkshopResults(
        9, "ABC234", "Stages", DAY,
        (
            ParticipantResult("Below", JOINED, finished, None, None, 0, {}),
            ParticipantResult("Crawler", JOINED, finished, "crawl", "Crawl", 0, {}),
            ParticipantResult("Busy", JOINED, None, None, None, 0, {}),
        ),
        (),
        "Crawl",
    )  # fmt: skip
    stages = [row[3] for row in export.participants_table(results).rows]
    assert stages == ["Not yet at Crawl", "Crawl", None]


# Two live runs: the newer one (id 12) with a tie, a formula-like nickname and a question nobody
# answered; the older one (id 5) of a bank no longer in the course.
LIVE = (
    LiveRunReport(
        12,
        "mini",
        "Mini quiz",
        datetime(2026, 12, 2, 11, 0, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 12, 2, 10, 20, tzinfo=timezone.utc),
        3,
        (
            LiveQuestion(
                1, "q1", "single", "Pick", "Pick A", 3, 3, 2, 633.333, 2.25,
                (OptionCount("a", "A", True, 2), OptionCount("b", "B", False, 1)),
            ),
            LiveQuestion(
                2, "q2", "truefalse", "", "True?", 3, 0, 0, None, None,
                (OptionCount("true", "", True, 0), OptionCount("false", "", False, 0)),
            ),
        ),
        (
            LivePlace(1, "Ann", 950, 2, 1, 1),
            LivePlace(1, "=cmd", 950, 2, 1, 1),
            LivePlace(3, "Bo", 0, 2, 1, 0),
        ),
    ),
    LiveRunReport(
        5, "gone", "gone", datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), None, 1,
        (LiveQuestion(1, "x1", "", "", "", 1, 1, 1, None, 0.5, ()),),
        (LivePlace(1, "Cy", 0, 1, 1, 1),),
    ),
)  # fmt: skip


def test_live_tables_name_their_run_and_quiz_on_every_row() -> None:
    ranking = rows(export.table_csv(export.live_ranking_table(LIVE)))
    assert ranking[0] == [
        "Live run id", "Quiz", "Quiz id", "Run started (UTC)", "Place", "Nickname", "Points",
        "Questions they could answer", "Answered", "Right",
    ]  # fmt: skip
    assert ranking[1:] == [
        ["12", "Mini quiz", "mini", "2026-12-02 10:00:00", "1", "Ann", "950", "2", "1", "1"],
        ["12", "Mini quiz", "mini", "2026-12-02 10:00:00", "1", "'=cmd", "950", "2", "1", "1"],
        ["12", "Mini quiz", "mini", "2026-12-02 10:00:00", "3", "Bo", "0", "2", "1", "0"],
        ["5", "gone", "gone", "2026-12-02 09:00:00", "1", "Cy", "0", "1", "1", "1"],
    ]
    questions = rows(export.table_csv(export.live_questions_table(LIVE)))
    assert questions[0][4:] == [
        "Question number", "Question id", "Question type", "Question title", "Question",
        "Players who could answer", "Answered", "Right", "Right (% of answers)", "Mean points per answer",
        "Median answer time (s)",
    ]  # fmt: skip
    assert [q[0:1] + q[4:] for q in questions[1:]] == [
        ["12", "1", "q1", "One answer", "Pick", "Pick A", "3", "3", "2", "66.7", "633.3", "2.2"],
        ["12", "2", "q2", "True or false", "", "True?", "3", "0", "0", "", "", ""],
        ["5", "1", "x1", "", "", "", "1", "1", "1", "100.0", "", "0.5"],
    ]
    options = rows(export.table_csv(export.live_options_table(LIVE)))
    assert [o[0:1] + o[4:] for o in options[1:]] == [
        ["12", "1", "q1", "A", "yes", "2", "66.7"],
        ["12", "1", "q1", "B", "no", "1", "33.3"],
        ["12", "2", "q2", "True", "yes", "0", ""],
        ["12", "2", "q2", "False", "no", "0", ""],
    ]


def test_the_workbook_and_the_zip_hold_the_live_tables() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.workbook(RESULTS, LIVE)))
    ranking = book["Live ranking"]
    assert [c.value for c in ranking[1]] == [
        "Live run id", "Quiz", "Quiz id", "Run started (UTC)", "Place", "Nickname", "Points",
        "Questions they could answer", "Answered", "Right",
    ]  # fmt: skip
    assert [c.value for c in ranking[3]] == [
        12,
        "Mini quiz",
        "mini",
        datetime(2026, 12, 2, 10, 0),
        1,
        "'=cmd",
        950,
        2,
        1,
        1,
    ]
    assert ranking["F3"].data_type == "s" and ranking["D3"].is_date
    questions = book["Live questions"]
    assert questions["A2"].value == 12 and questions["I2"].value == "Pick A"
    assert (questions["M2"].value, questions["N2"].value, questions["O2"].value) == (66.7, 633.3, 2.2)
    assert questions["N2"].number_format == "0.0"
    assert questions.max_row == 4  # a heading and the three questions asked in the two runs
    assert book["Live option counts"]["G2"].value == "A"
    with zipfile.ZipFile(io.BytesIO(export.csv_zip(RESULTS, DAY, LIVE))) as archive:
        assert rows(archive.read("workshop-ABC234-live-ranking-2026-12-02.csv"))[1][5] == "Ann"
