"""The 90-day plan: proposals from the real model, validation per field, progress, CSV and iCalendar
read back with the csv module and icalendar."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import icalendar
import pytest

import i18n
from assessment.model import STAGE_IDS, Model
from reporting import plan_text
from reporting.plan import (
    CSV_COLUMNS,
    DETAIL_MAX,
    MANUAL,
    PROGRESS_COLUMNS,
    PROPOSED,
    TITLE_MAX,
    Action,
    ActionProblem,
    LinkRef,
    PlanGap,
    Progress,
    Status,
    check_action,
    due_dates,
    event_uid,
    make_action,
    plan_csv,
    plan_ical,
    progress,
    propose_actions,
    years_from,
)
from workshops.organisations import InvalidValues

TODAY = date(2026, 12, 3)
LESSON = LinkRef("strategy-basics", "Strategy, plainly")
BANK = LinkRef("strategy-quiz", "Quiz: strategy")


def gap(dimension: str, weighted: float, people: int = 10, next_stage: str = "walk", median: float = 1.0) -> PlanGap:
    return PlanGap(dimension, "run", median, weighted, people, next_stage)


def fields(problems: Sequence[object]) -> list[str]:
    return [p.field for p in problems if isinstance(p, ActionProblem)]


def valid(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Write the platform plans",
        "detail": "One plan per platform.\nGoals, audience, content.",
        "owner": "Head of communication",
        "due_on": TODAY + timedelta(days=30),
        "status": Status.OPEN,
        "today": TODAY,
    }
    return values | changes


def problems_of(**changes: object) -> list[ActionProblem]:
    found = check_action(**valid(**changes))  # type: ignore[arg-type]
    assert all(isinstance(p, ActionProblem) for p in found)
    return found  # type: ignore[return-value]


# Proposals --------------------------------------------------------------------------------------------------------


def test_proposals_come_highest_weighted_gap_first_ties_by_people_then_model_order(model: Model) -> None:
    ids = [d.id for d in model.dimensions]
    gaps = [
        gap(ids[0], 1.0, people=5),
        gap(ids[1], 3.0, people=5),
        gap(ids[2], 1.0, people=9),  # same weight as ids[0] and ids[3], more people: before them
        gap(ids[3], 1.0, people=5),  # ties with ids[0] on weight and people: after it, model order
        gap(ids[4], 2.0, people=1),
    ]
    actions = propose_actions(model, list(reversed(gaps)), TODAY)
    assert [a.dimension for a in actions] == [ids[1], ids[4], ids[2], ids[0], ids[3]]


def test_proposals_are_limited_skip_unweighted_gaps_and_repeated_dimensions(model: Model) -> None:
    ids = [d.id for d in model.dimensions]
    gaps = [gap(dimension, 10.0 - number) for number, dimension in enumerate(ids)]
    assert [a.dimension for a in propose_actions(model, gaps, TODAY)] == ids[:6]
    assert [a.dimension for a in propose_actions(model, gaps, TODAY, limit=2)] == ids[:2]
    assert propose_actions(model, gaps, TODAY, limit=0) == ()
    skipped = [gap(ids[0], 0.0), gap(ids[1], -1.0), gap(ids[2], 2.0), gap(ids[2], 1.0, next_stage="run")]
    actions = propose_actions(model, skipped, TODAY)
    assert [(a.dimension, a.title) for a in actions] == [
        (ids[2], f"{model.dimension(ids[2]).name}: reach {model.stage('walk').name}")
    ]


@pytest.mark.parametrize(
    ("count", "days", "offsets"),
    [
        (6, 90, [15, 30, 45, 60, 75, 90]),
        (3, 90, [30, 60, 90]),
        (4, 90, [23, 45, 68, 90]),  # ceil(22.5) = 23, ceil(67.5) = 68
        (1, 90, [90]),
        (2, 30, [15, 30]),
    ],
)
def test_due_dates_spread_over_the_plan_by_rank(model: Model, count: int, days: int, offsets: list[int]) -> None:
    assert due_dates(TODAY, count, days) == tuple(TODAY + timedelta(days=d) for d in offsets)
    gaps = [gap(d.id, 10.0 - n) for n, d in enumerate(model.dimensions[:count])]
    actions = propose_actions(model, gaps, TODAY, days=days)
    assert [a.due_on for a in actions] == [TODAY + timedelta(days=d) for d in offsets]


def test_a_proposal_carries_the_models_step_statements_help_lesson_and_quiz(model: Model) -> None:
    dimension = model.dimensions[0]
    found = PlanGap(dimension.id, "fly", 1.37, 2.6, 23, "run", LESSON, BANK)
    (action,) = propose_actions(model, [found], TODAY)
    assert action.title == f"{dimension.name}: reach {model.stage('run').name}"
    assert action.detail.startswith(model.stage("walk").next_step)  # walk's next step leads to run
    for statement in dimension.cell("run"):
        assert f"- {statement.text}\n  {statement.help}" in action.detail
    for other in (s for s in dimension.statements if s.stage != "run"):
        assert other.text not in action.detail
    assert action.detail.endswith(f"Lesson to run: {LESSON.title}\nQuiz to run: {BANK.title}")
    assert (action.lesson_id, action.bank_id) == (LESSON.id, BANK.id)
    assert (action.id, action.owner, action.status, action.source) == (None, "", Status.OPEN, PROPOSED)
    assert action.baseline == 1.37
    assert action.due_on == TODAY + timedelta(days=90)


def test_reaching_the_first_stage_takes_its_groundwork_and_no_links_are_left_out(model: Model) -> None:
    (action,) = propose_actions(model, [gap(model.dimensions[1].id, 1.0, next_stage="crawl")], TODAY)
    assert action.detail.startswith(model.stage("crawl").description)
    assert "Lesson to run" not in action.detail and "Quiz to run" not in action.detail
    assert (action.lesson_id, action.bank_id) == (None, None)


def test_every_cell_of_the_model_makes_an_action_that_passes_once_it_has_an_owner(model: Model) -> None:
    long_link = LinkRef("x", "A lesson with a rather long title, as translations sometimes make them, " * 2)
    for dimension in model.dimensions:
        for stage in STAGE_IDS:
            found = PlanGap(dimension.id, "fly", 0.5, 1.0, 3, stage, long_link, long_link)
            (action,) = propose_actions(model, [found], TODAY)
            assert len(action.title) <= TITLE_MAX and len(action.detail) <= DETAIL_MAX
            problems = check_action(action.title, action.detail, action.owner, action.due_on, action.status, TODAY)
            assert fields(problems) == ["owner"]  # a manager names the owner when accepting
            assert check_action(action.title, action.detail, "Team lead", action.due_on, action.status, TODAY) == []


def test_real_lessons_and_quizzes_found_as_the_service_finds_them_fit_every_cell(model: Model) -> None:
    """The service links a gap with learning.path (reporting may not import learning; a test may)."""
    from assessment.scoring import Gap
    from learning.path import links_for_gap
    from lessons.loader import load_lessons
    from quizzes.loader import load_banks

    lessons, _ = load_lessons()
    banks, _ = load_banks()
    linked = 0
    for dimension in model.dimensions:
        for stage in STAGE_IDS:
            links = links_for_gap(Gap("maturity", dimension.id, stage, 0.2), lessons, banks)
            lesson = LinkRef(links.lessons[0].id, links.lessons[0].title) if links.lessons else None
            bank = LinkRef(links.banks[0].id, links.banks[0].title) if links.banks else None
            linked += lesson is not None
            (action,) = propose_actions(model, [PlanGap(dimension.id, "fly", 0.5, 1.0, 3, stage, lesson, bank)], TODAY)
            assert check_action(action.title, action.detail, "Team lead", action.due_on, action.status, TODAY) == []
            if lesson is not None:
                assert f"Lesson to run: {lesson.title}" in action.detail and action.lesson_id == lesson.id
    assert linked > len(model.dimensions)  # most cells have a lesson: the links were really exercised


def test_a_detail_too_long_for_the_plan_loses_the_help_then_is_cut(model: Model) -> None:
    dimension = model.dimensions[0]
    wordy = tuple(dataclasses.replace(s, help="Help. " * 200) for s in dimension.statements)
    longer = dataclasses.replace(model, dimensions=(dataclasses.replace(dimension, statements=wordy),))
    (action,) = propose_actions(longer, [gap(dimension.id, 1.0, next_stage="walk")], TODAY)
    assert "Help." not in action.detail and len(action.detail) <= DETAIL_MAX
    assert all(s.text in action.detail for s in dimension.cell("walk"))

    endless = tuple(dataclasses.replace(s, text="Text " * 300) for s in dimension.statements)
    longest = dataclasses.replace(model, dimensions=(dataclasses.replace(dimension, statements=endless),))
    (cut,) = propose_actions(longest, [gap(dimension.id, 1.0)], TODAY)
    assert len(cut.detail) == DETAIL_MAX and cut.detail.endswith("…")


def test_proposals_are_deterministic_and_refuse_what_the_model_lacks(model: Model) -> None:
    gaps = [gap(d.id, float(n % 3), people=n) for n, d in enumerate(model.dimensions)]
    assert propose_actions(model, gaps, TODAY) == propose_actions(model, list(reversed(gaps)), TODAY)
    with pytest.raises(ValueError, match="dimension"):
        propose_actions(model, [gap("no-such-dimension", 1.0)], TODAY)
    with pytest.raises(ValueError, match="stage"):
        propose_actions(model, [gap(model.dimensions[0].id, 1.0, next_stage="soar")], TODAY)
    with pytest.raises(ValueError, match="day"):
        propose_actions(model, gaps, TODAY, days=0)


# Validation -------------------------------------------------------------------------------------------------------


def test_a_valid_action_has_no_problems() -> None:
    assert problems_of() == []
    assert problems_of(status="in_progress", due_on=None, detail="") == []


def test_every_problem_is_collected_in_form_order() -> None:
    found = problems_of(title="", detail="x" * 2001, owner="<b>", due_on=TODAY + timedelta(days=800), status="later")
    assert [(p.field, p.reason) for p in found] == [
        ("title", "missing"),
        ("detail", "too_long"),
        ("owner", "html"),
        ("due_on", "too_late"),
        ("status", "unknown"),
    ]
    assert "open, in_progress, done, dropped" in found[-1].message


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("   ", "missing"),
        ("x" * (TITLE_MAX + 1), "too_long"),
        ("Plan <script>", "html"),
        ("Bell\x07", "control"),
        ("Zero\u200bwidth", "control"),
    ],
)
def test_title_problems(title: str, reason: str) -> None:
    assert [(p.field, p.reason) for p in problems_of(title=title)] == [("title", reason)]


def test_title_length_counts_after_trimming_and_the_limits_are_inclusive() -> None:
    assert problems_of(title="  " + "x" * TITLE_MAX + "  ") == []
    (too_long,) = problems_of(title="y" * 121)
    assert (too_long.limit, too_long.found) == (120, 121)
    assert problems_of(title="Tal med kunderne: ære, øl, å") == []
    assert problems_of(title="Two\nlines\tbecome one") == []  # line breaks are runs of spaces in a title


def test_detail_takes_lines_and_tabs_but_no_other_control_characters_and_at_most_2000() -> None:
    assert problems_of(detail="First line\r\n\tindented\n\nthird") == []
    assert problems_of(detail="x" * DETAIL_MAX) == []
    assert problems_of(detail="x" * DETAIL_MAX + "   \n\n") == []  # trailing blanks are not counted
    (too_long,) = problems_of(detail="x" * (DETAIL_MAX + 1))
    assert (too_long.field, too_long.reason, too_long.found) == ("detail", "too_long", 2001)
    (control,) = problems_of(detail="null\x00byte")
    assert (control.field, control.reason, control.found) == ("detail", "control", 0)
    assert problems_of(detail="< 5 minutes > 1 hour") == []  # pages escape it; a detail may compare


def test_owner_is_needed_unless_the_action_is_dropped() -> None:
    for status in ("open", "in_progress", "done"):
        assert [(p.field, p.reason) for p in problems_of(owner=" ", status=status)] == [("owner", "missing")]
    assert problems_of(owner="", status=Status.DROPPED) == []
    assert [p.reason for p in problems_of(owner="o" * 81)] == ["too_long"]
    assert problems_of(owner="o" * 80) == []
    assert [p.reason for p in problems_of(owner="CEO <ceo@example.org>")] == ["html"]


def test_due_date_from_one_year_back_to_two_years_ahead() -> None:
    earliest, latest = date(2025, 12, 3), date(2028, 12, 3)
    assert problems_of(due_on=earliest) == [] and problems_of(due_on=latest) == []
    (early,) = problems_of(due_on=earliest - timedelta(days=1))
    assert (early.field, early.reason, early.limit) == ("due_on", "too_early", earliest)
    (late,) = problems_of(due_on=latest + timedelta(days=1))
    assert (late.field, late.reason, late.limit) == ("due_on", "too_late", latest)
    (moment,) = problems_of(due_on=datetime(2027, 1, 1, 9, 0))
    assert (moment.field, moment.reason) == ("due_on", "not_date")
    leap = date(2028, 2, 29)
    assert years_from(leap, -1) == date(2027, 2, 28) and years_from(leap, 2) == date(2030, 2, 28)
    assert problems_of(today=leap, due_on=date(2027, 2, 28)) == []
    assert [p.reason for p in problems_of(today=leap, due_on=date(2027, 2, 27))] == ["too_early"]


def test_make_action_cleans_the_texts_or_raises_every_problem() -> None:
    action = make_action(
        "  Write   the plans ",
        "Line one   \r\nLine two\n\n",
        " Head of  comms ",
        None,
        "in_progress",
        TODAY,
        id=7,
        dimension="strategy",
        baseline=1.5,
    )
    assert action == Action(
        7,
        "Write the plans",
        "Line one\nLine two",
        "strategy",
        "Head of comms",
        None,
        Status.IN_PROGRESS,
        MANUAL,
        None,
        None,
        1.5,
    )
    with pytest.raises(InvalidValues) as invalid:
        make_action("", "", "", None, "nope", TODAY)
    assert [p.field for p in invalid.value.problems] == ["title", "owner", "status"]
    with pytest.raises(ValueError, match="source"):
        make_action("T", "", "O", None, "open", TODAY, source="imported")


def test_problem_text_names_the_field_and_the_rule() -> None:
    (too_long,) = problems_of(title="z" * 130)
    assert plan_text.problem_text(too_long) == "Action: at most 120 characters; this one has 130. Please shorten it."
    (owner,) = problems_of(owner="")
    assert plan_text.problem_text(owner).startswith("Owner: name who takes the action")
    (late,) = problems_of(due_on=date(2030, 1, 1))
    assert plan_text.problem_text(late) == "Due date: choose December 3, 2028 or earlier."
    token = i18n.set_language("da")  # the date in the reader's language
    try:
        assert "3. december 2028" in plan_text.problem_text(late)
    finally:
        i18n._language.reset(token)


# Progress ---------------------------------------------------------------------------------------------------------


def action(number: int | None, **changes: object) -> Action:
    base = Action(number, f"Action {number}", "", "strategy", "Owner", TODAY, Status.OPEN, PROPOSED, baseline=1.25)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_progress_is_the_change_of_the_shown_figures_since_the_baseline() -> None:
    actions = [
        action(1),  # 1.25 shows as 1.3; 1.74 as 1.7: +0.4, as a reader sees them
        action(2, dimension="community", baseline=2.0),
        action(3, dimension="hidden"),
        action(4, dimension=None),
        action(5, dimension="missing"),
        action(6, baseline=None),
    ]
    found = progress(actions, {"strategy": 1.74, "community": 1.55, "hidden": None})
    assert found == (
        Progress(1.25, 1.74, Decimal("0.4")),
        Progress(2.0, 1.55, Decimal("-0.4")),
        Progress(1.25, None, None),
        Progress(1.25, None, None),
        Progress(1.25, None, None),
        Progress(None, 1.74, None),
    )


# CSV --------------------------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_reads_back_with_headings_labels_and_awkward_text() -> None:
    tricky = action(
        1,
        title='Svar på "spørgsmål", hurtigt; æøå ÆØÅ',
        detail='Line one, with a comma\nLine two "quoted"\r\nLine three',
        owner="Kommunikationschef, Århus",
        due_on=date(2027, 3, 3),
        status=Status.IN_PROGRESS,
        lesson_id="strategy-basics",
        bank_id="strategy-quiz",
    )
    formula = action(
        2,
        title='=HYPERLINK("http://x")',
        detail="-dash first",
        owner="+45 1234",
        dimension=None,
        due_on=None,
        baseline=None,
        source=MANUAL,
        lesson_id="=1+1",  # an id without a label is written, neutralised, as it is
        bank_id="@quiz",
    )
    headings = {column: f"Heading {column}" for column in CSV_COLUMNS} | {"title": "Handling, titel"}
    labels = plan_text.csv_labels({"strategy": "Strategi"}, {"strategy-basics": "Strategi, enkelt"}, {})
    rows = read_csv(plan_csv([tricky, formula], headings, labels))
    assert rows[0] == ["Handling, titel", *(f"Heading {c}" for c in CSV_COLUMNS[1:])]
    assert rows[1] == [
        tricky.title,
        tricky.detail,  # line breaks, \r\n too, come back as they were
        "Strategi",
        "Kommunikationschef, Århus",
        "2027-03-03",
        "In progress",
        "Proposed",
        "Strategi, enkelt",
        "strategy-quiz",  # no label given: the id
        "1.3",
    ]
    assert rows[2] == [
        '\'=HYPERLINK("http://x")',
        "'-dash first",
        "",
        "'+45 1234",
        "",
        "Open",
        "Added by hand",
        "'=1+1",
        "'@quiz",
        "",
    ]
    assert len(rows) == 3


def test_csv_adds_the_progress_columns_when_given() -> None:
    actions = [action(1), action(2, dimension=None)]
    figures = progress(actions, {"strategy": 0.84})
    rows = read_csv(plan_csv(actions, plan_text.csv_headings(), progress=figures))
    assert [heading for heading in rows[0][-3:]] == ["Median when accepted", "Median now", "Change"]
    assert len(rows[0]) == len(CSV_COLUMNS) + len(PROGRESS_COLUMNS)
    assert rows[1][-3:] == ["1.3", "0.8", "-0.5"]
    assert rows[2][-3:] == ["1.3", "", ""]
    assert rows[1][2] == "strategy"  # no labels: the stored id
    with pytest.raises(ValueError):
        plan_csv(actions, {}, progress=figures[:1])


def test_csv_of_an_empty_plan_is_its_headings() -> None:
    assert read_csv(plan_csv([], {})) == [list(CSV_COLUMNS)]


# iCalendar --------------------------------------------------------------------------------------------------------

NOW = datetime(2026, 12, 3, 14, 30, tzinfo=timezone(timedelta(hours=1)))


def events(data: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_ical_has_an_all_day_event_per_stored_action_with_a_due_date() -> None:
    actions = [
        action(3, due_on=date(2027, 1, 17)),
        action(4, due_on=None),  # no due date: left out
        action(None, due_on=date(2027, 2, 1)),  # not stored: no stable UID, left out
        action(5, due_on=date(2027, 3, 3), status=Status.DROPPED),
    ]
    data = plan_ical(actions, "Acme A/S", "Acme: 90-day plan", NOW)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Acme: 90-day plan"
    assert str(calendar["X-WR-CALDESC"]) == "Acme A/S"
    found = events(data)
    assert [str(e["UID"]) for e in found] == ["plan-action-3@smm", "plan-action-5@smm"]
    assert [e.decoded("DTSTART") for e in found] == [date(2027, 1, 17), date(2027, 3, 3)]
    assert [e.decoded("DTEND") for e in found] == [date(2027, 1, 18), date(2027, 3, 4)]
    assert all(type(e.decoded("DTSTART")) is date for e in found)  # all-day: a DATE, no time
    assert [str(e["STATUS"]) for e in found] == ["CONFIRMED", "CANCELLED"]
    assert found[0].decoded("DTSTAMP") == datetime(2026, 12, 3, 13, 30, tzinfo=timezone.utc)
    assert b"DTSTAMP:20261203T133000Z" in data
    assert b"\r\n" in data and b"DTSTART;VALUE=DATE:20270117" in data


def test_ical_uids_are_stable_across_exports() -> None:
    actions = [action(n, due_on=TODAY + timedelta(days=n)) for n in (11, 12)]
    first = events(plan_ical(actions, "Org", "Plan", NOW))
    later = events(plan_ical(list(reversed(actions)), "Org", "Plan", NOW + timedelta(days=30)))
    assert (
        sorted(str(e["UID"]) for e in first)
        == sorted(str(e["UID"]) for e in later)
        == [
            event_uid(11),
            event_uid(12),
        ]
    )


def test_ical_escapes_commas_semicolons_and_line_breaks_and_reads_them_back() -> None:
    tricky = action(
        8,
        title="Svar, hurtigt; på æøå",
        detail="One, two; three\nSecond line \\ backslash",
        owner="Chef; Århus",
        status=Status.IN_PROGRESS,
    )
    data = plan_ical([tricky], "Org", "Plan", NOW)
    assert b"SUMMARY:Svar\\, hurtigt\\; p" in data
    assert b"One\\, two\\; three\\nSecond line \\\\ backslash" in data.replace(b"\r\n ", b"")
    (event,) = events(data)
    assert str(event["SUMMARY"]) == tricky.title
    assert str(event["DESCRIPTION"]) == (
        "One, two; three\nSecond line \\ backslash\n\nOwner: Chef; Århus\nStatus: In progress"
    )


def test_ical_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_ical([action(1)], "Org", "Plan", datetime(2026, 12, 3, 12, 0))
    assert events(plan_ical([], "Org", "Plan", NOW)) == []
