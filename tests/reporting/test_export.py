"""Downloads: the radar as PNG and SVG, answers and scores as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import struct
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import score
from reporting.export import (
    answers_and_scores_csv,
    answers_and_scores_json,
    chart_png,
    chart_subtitle,
    chart_svg,
    download_stem,
    slug,
)
from reporting.radar import RadarSeries, radar_spec
from reporting.tables import dimension_table, stage_table, tee_table
from tests.reporting.conftest import (
    Answers,
    expected_compliance,
    expected_dimension_score,
    expected_dimension_stage,
    expected_overall_stage,
    expected_tee_score,
    points_of,
    stage_statements,
)

HEADER = ["record", "id", "section", "dimension_or_group", "stage", "text", "answer", "value", "exact"]
MODES = [Mode.FULL, Mode.QUICK]


# Chart images -------------------------------------------------------------------------------------------------------

TITLE = "Maturity by dimension (0-4)"
SUBTITLE = "Walkers & Co. BV · Round 2 · 2 December 2026"


@pytest.fixture
def chart(model: Model, demo: Answers) -> dict:
    series = [RadarSeries("Round 2 (this round)", score(model, demo)), RadarSeries("Round 1", score(model, {}), True)]
    return radar_spec(model, series, title=TITLE, subtitle=SUBTITLE)


def half_up(value: float | Fraction | Decimal, decimals: int = 0) -> Decimal:
    """The rounding rule, worked out here on its own."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chart_png(chart: dict) -> None:
    data = chart_png(chart)

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data.endswith(b"IEND\xaeB`\x82")


def test_chart_png_scale_multiplies_the_pixels(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", score(model, demo))])
    width_1, height_1 = png_size(chart_png(spec, scale=1))
    width_2, height_2 = png_size(chart_png(spec))  # default scale 2

    assert width_1 >= spec["width"] and height_1 >= spec["height"]
    assert (width_2, height_2) == pytest.approx((2 * width_1, 2 * height_1), abs=2)


def test_chart_svg(chart: dict, model: Model) -> None:
    svg = chart_svg(chart)

    assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    assert TITLE in svg
    assert "Walkers &amp; Co. BV · Round 2 · 2 December 2026" in svg
    for word in ("Strategy", "Measurement", "Content", "innovation", "Crawl", "Walk"):
        assert word in svg
    assert "Round 1" in svg  # the legend of two series


# CSV ----------------------------------------------------------------------------------------------------------------


def parse_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body)
    return header, [dict(zip(header, row, strict=True)) for row in body]


def about_rows(rows: list[dict[str, str]]) -> dict[str, str]:
    return {row["id"]: row["value"] for row in rows if row["record"] == "about"}


def answer_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in rows if row["record"] == "answer"]


def score_rows(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    scores = [row for row in rows if row["record"] == "score"]
    by_id = {row["id"]: row for row in scores}
    assert len(by_id) == len(scores), "score ids are unique"
    return by_id


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_csv_answer_rows_cover_the_items_asked(model: Model, answers: Answers, mode: Mode) -> None:
    header, rows = parse_csv(answers_and_scores_csv(model, answers, score(model, answers, mode)))
    asked = answer_rows(rows)

    assert header == HEADER
    assert [row["id"] for row in asked] == list(model.item_ids(mode))
    assert rows[3 : 3 + len(asked)] == asked, "about rows first, then answers, then scores"
    for row in asked:
        assert row["answer"] == str(answers.get(row["id"], ""))
        assert row["value"] == row["exact"] == ""


def test_csv_quick_mode_has_quick_items_and_the_whole_checklist(model: Model, spread: Answers) -> None:
    _header, rows = parse_csv(answers_and_scores_csv(model, spread, score(model, spread, Mode.QUICK)))
    ids = [row["id"] for row in answer_rows(rows)]
    quick = [s.id for s in model.maturity_statements(Mode.FULL) if s.quick]
    quick += [t.id for t in model.tee_statements(Mode.FULL) if t.quick]

    assert ids == quick + [item.id for item in model.checklist]
    assert len(ids) < len(model.item_ids(Mode.FULL))


def test_csv_answer_rows_describe_their_item(model: Model, demo: Answers) -> None:
    _header, rows = parse_csv(answers_and_scores_csv(model, demo, score(model, demo)))
    by_id = {row["id"]: row for row in answer_rows(rows)}

    for dimension in model.dimensions:
        for statement in dimension.statements:
            row = by_id[statement.id]
            assert (row["section"], row["dimension_or_group"], row["stage"], row["text"]) == (
                "maturity",
                dimension.id,
                statement.stage,
                statement.text,
            )
    for tee in model.tees:
        for statement in tee.statements:
            row = by_id[statement.id]
            text = f"{statement.text} (reverse-keyed)" if statement.reverse else statement.text
            assert (row["section"], row["dimension_or_group"], row["stage"], row["text"]) == ("tee", tee.id, "", text)
    for item in model.checklist:
        row = by_id[item.id]
        assert (row["section"], row["dimension_or_group"], row["stage"], row["text"]) == (
            "checklist",
            item.group,
            "",
            item.text,
        )
    assert any(row["text"].endswith(" (reverse-keyed)") for row in by_id.values())


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_csv_score_rows(model: Model, answers: Answers, mode: Mode) -> None:
    result = score(model, answers, mode)
    _header, rows = parse_csv(answers_and_scores_csv(model, answers, result))
    scores = score_rows(rows)
    expected_ids = [
        "stage",
        *(f"stage_coverage.{stage}" for stage in STAGE_IDS),
        *(f"dimension.{d.id}" for d in model.dimensions),
        *(f"tee.{tee.id}" for tee in model.tees),
        "checklist.compliance",
    ]

    assert list(scores) == expected_ids
    assert rows[-len(expected_ids) :] == list(scores.values()), "scores come last"

    overall = scores["stage"]
    assert (overall["section"], overall["stage"], overall["value"]) == ("overall", result.stage or "", "")
    assert overall["stage"] == (expected_overall_stage(model, answers, mode) or "")

    for stage in STAGE_IDS:
        row = scores[f"stage_coverage.{stage}"]
        statements = stage_statements(model, stage, mode)
        share = Fraction(points_of(answers, statements), 3 * len(statements))
        assert (row["section"], row["stage"]) == ("maturity", stage)
        assert row["value"] == str(half_up(share * 100))
        assert row["exact"] == f"{float(share * 100):.4f}"

    for dimension in model.dimensions:
        row = scores[f"dimension.{dimension.id}"]
        expected = expected_dimension_score(dimension, answers, mode)
        assert (row["section"], row["dimension_or_group"]) == ("maturity", dimension.id)
        assert row["stage"] == (expected_dimension_stage(dimension, answers, mode) or "")
        assert row["value"] == str(half_up(expected, 1))
        assert row["exact"] == f"{expected:.4f}" == f"{result.dimension(dimension.id).score:.4f}"

    for tee in model.tees:
        row = scores[f"tee.{tee.id}"]
        expected_t = expected_tee_score(model, tee.id, answers, mode)
        assert (row["section"], row["dimension_or_group"]) == ("tee", tee.id)
        assert row["value"] == ("" if expected_t is None else str(half_up(expected_t)))
        assert row["exact"] == ("" if expected_t is None else f"{expected_t:.4f}")

    compliance = expected_compliance(model, answers)
    row = scores["checklist.compliance"]
    assert row["section"] == "checklist"
    assert row["value"] == ("" if compliance is None else str(half_up(Decimal(repr(compliance)) * 100)))


def test_csv_about_rows_name_the_organisation_round_and_date(model: Model, demo: Answers) -> None:
    done = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
    text = answers_and_scores_csv(model, demo, score(model, demo), "Walkers & Co. BV", 2, done)
    _header, rows = parse_csv(text)
    assert about_rows(rows) == {"organisation": "Walkers & Co. BV", "round": "2", "completed_at": done.isoformat()}
    _header, rows = parse_csv(answers_and_scores_csv(model, demo, score(model, demo)))
    assert about_rows(rows) == {"organisation": "", "round": "", "completed_at": ""}


def test_csv_round_trips_text_with_commas(model: Model) -> None:
    """Many statements contain commas; the CSV quoting must keep each text in one field."""
    _header, rows = parse_csv(answers_and_scores_csv(model, {}, score(model, {})))
    texts = {row["id"]: row["text"] for row in answer_rows(rows)}
    originals = {s.id: s.text for s in model.maturity_statements()} | {item.id: item.text for item in model.checklist}

    assert any("," in text for text in originals.values())
    for item_id, text in originals.items():
        assert texts[item_id] == text


# JSON ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_at", "expected"),
    [
        (None, None),
        (datetime(2024, 3, 5, 14, 30, 0, tzinfo=timezone.utc), "2024-03-05T14:30:00+00:00"),
        (
            datetime(2024, 3, 5, 14, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1))),
            "2024-03-05T14:30:00.123456+01:00",
        ),
        (datetime(2024, 12, 31, 23, 59, 59), "2024-12-31T23:59:59"),
    ],
    ids=["not-completed", "utc", "offset-with-microseconds", "naive"],
)
def test_json_header_fields(model: Model, demo: Answers, completed_at: datetime | None, expected: str | None) -> None:
    document = json.loads(answers_and_scores_json(model, demo, score(model, demo), 3, completed_at))

    assert list(document) == ["organisation", "round", "mode", "completed_at", "answers", "shown", "scores"]
    assert document["organisation"] is None
    assert document["round"] == 3
    assert document["mode"] == "full"
    assert document["completed_at"] == expected
    if completed_at is not None:
        assert datetime.fromisoformat(document["completed_at"]) == completed_at


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_json_answers_and_scores(model: Model, answers: Answers, mode: Mode) -> None:
    result = score(model, answers, mode)
    with_stray = answers | {"not.an.item": "fully", "": "yes"}
    document = json.loads(answers_and_scores_json(model, with_stray, result, 1, None))

    assert document["mode"] == mode.value
    # Every known answer, also those a quick scan does not ask, so that it can grow into a full assessment.
    assert document["answers"] == answers
    assert list(document["answers"]) == [item_id for item_id in model.item_ids(Mode.FULL) if item_id in answers]
    assert document["scores"] == result.to_dict()


def test_json_keeps_answer_types(model: Model, demo: Answers) -> None:
    """T answers stay numbers, the rest stay strings."""
    document = json.loads(answers_and_scores_json(model, demo, score(model, demo), 1, None))

    for statement in model.tee_statements():
        assert isinstance(document["answers"][statement.id], int)
    for item in model.checklist:
        assert isinstance(document["answers"][item.id], str)


def test_json_is_indented_for_people_who_open_it(model: Model, demo: Answers) -> None:
    text = answers_and_scores_json(model, demo, score(model, demo), 1, None)

    assert text.startswith('{\n  "organisation": null,\n  "round": 1,\n')


def test_json_names_the_organisation_and_shows_the_rounded_figures(model: Model, demo: Answers) -> None:
    result = score(model, demo)
    document = json.loads(answers_and_scores_json(model, demo, result, 2, None, "Walkers & Co. BV"))
    shown = document["shown"]

    assert document["organisation"] == "Walkers & Co. BV"
    assert shown["stage"] == result.stage
    for dimension in model.dimensions:
        figures = shown["dimensions"][dimension.id]
        assert figures["score"] == float(half_up(expected_dimension_score(dimension, demo), 1))
        assert figures["stage"] == expected_dimension_stage(dimension, demo)
    for tee in model.tees:
        expected = expected_tee_score(model, tee.id, demo)
        assert shown["tees"][tee.id] == (None if expected is None else int(half_up(expected)))
    compliance = expected_compliance(model, demo)
    assert compliance is not None
    assert shown["checklist_compliance_percent"] == int(half_up(Decimal(repr(compliance)) * 100))


def test_page_table_csv_and_json_show_the_same_digits(model: Model, spread: Answers, demo: Answers) -> None:
    """One result, three places: the page's tables, the CSV's value column and the JSON's shown object."""
    for answers in (spread, demo):
        result = score(model, answers)
        _header, rows = parse_csv(answers_and_scores_csv(model, answers, result))
        csv_values = {row["id"]: row["value"] for row in score_rows(rows).values()}
        shown = json.loads(answers_and_scores_json(model, answers, result, 1, None))["shown"]
        page = {row["dimension"]: row for row in dimension_table(model, result).rows}
        tees = {row["tee"]: row for row in tee_table(model, result).rows}
        for dimension in model.dimensions:
            on_page = page[dimension.name]["score"]
            assert (
                on_page
                == csv_values[f"dimension.{dimension.id}"]
                == f"{shown['dimensions'][dimension.id]['score']:.1f}"
            )
            for stage in STAGE_IDS:
                assert page[dimension.name][stage] == str(shown["dimensions"][dimension.id]["coverage_percent"][stage])
        for tee in model.tees:
            figure = shown["tees"][tee.id]
            if figure is not None:
                assert tees[tee.name]["tee_score"] == csv_values[f"tee.{tee.id}"] == str(figure)
        stage_rows = stage_table(model, result)
        for stage, on_page in zip(STAGE_IDS, stage_rows["coverage"], strict=True):
            assert on_page == csv_values[f"stage_coverage.{stage}"] == str(shown["stage_coverage_percent"][stage])
        assert csv_values["checklist.compliance"] == str(shown["checklist_compliance_percent"])


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        ("Walkers & Co. BV", "maturity-walkers-co-bv-round-2-2026-12-02"),
        ("Ærø Økologisk Café", "maturity-aeroe-oekologisk-cafe-round-2-2026-12-02"),
        ("", "maturity-round-2-2026-12-02"),
        (None, "maturity-round-2-2026-12-02"),
        ("!!!", "maturity-round-2-2026-12-02"),
        ("x" * 80, f"maturity-{'x' * 40}-round-2-2026-12-02"),
    ],
)
def test_download_stem(organisation: str | None, expected: str) -> None:
    assert download_stem(organisation, 2, date(2026, 12, 2)) == expected


def test_slug_is_safe_in_a_file_name() -> None:
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("A  b--c") == "a-b-c"


def test_chart_subtitle() -> None:
    assert chart_subtitle("Walkers & Co. BV", 2, date(2026, 12, 2)) == "Walkers & Co. BV · Round 2 · December 2, 2026"
    assert chart_subtitle("Walkers & Co. BV", 2, date(2026, 12, 2), locale="en_GB") == SUBTITLE
    assert chart_subtitle(None, 1, date(2026, 1, 5)) == "Round 1 · January 5, 2026"
    assert chart_subtitle("  ", 1, date(2026, 1, 5), locale="nl") == "Round 1 · 5 januari 2026"
