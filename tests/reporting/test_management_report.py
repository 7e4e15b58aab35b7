"""The management report from plain figures: every section in order, charts at their own size with
their description and numbers, hidden groups without a figure in the PDF, the CSV or the workbook,
formula-looking text neutralised, and the document rendered by Typst and read back with poppler."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.model import Model
from reporting import pdf
from reporting.aggregate import GroupFigures, Target, benchmark, other_gaps, prioritised_gaps, trend
from reporting.management_report import (
    RADAR_WIDTH,
    TEXT_WIDTH_PX,
    WORKBOOK_NAME,
    ReportInput,
    WaveRef,
    chart_files,
    data_files,
    data_tables,
    file_stem,
    report_document,
)
from reporting.plan import Action, Progress, Status
from tests.reporting.conftest import spread_answers
from tests.reporting.test_aggregate import at_stages, figures_of

CREATED = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
OPENED = datetime(2026, 10, 1, tzinfo=timezone.utc)


def _group(model: Model, levels: list[str | None]) -> GroupFigures:
    answers = [at_stages(model, {}, default=level) for level in levels]
    return figures_of(model, [*answers, spread_answers(model)])


def _input(model: Model, **changes: object) -> ReportInput:
    figures = _group(model, ["crawl", "walk", "walk", "run", "fly", "walk"])
    previous = _group(model, ["crawl", "crawl", "walk", "crawl", "crawl"])
    targets = {"strategy": Target("fly", 5), "listening": Target("run", 3)}
    actions = (
        Action(
            1, '=HYPERLINK("x")', "Detail", "strategy", "Head of comms", date(2027, 1, 15), Status.OPEN, baseline=1.0
        ),
        Action(2, "Train the care team", "", None, "HR", None, Status.DONE),
    )
    values: dict[str, object] = {
        "organisation": "Acme #1 $x$ <b>",
        "wave": WaveRef("Autumn 2026", OPENED, None, figures.n),
        "threshold": 5,
        "figures": figures,
        "departments": (("Sales", figures), ("Care", None), (None, None)),
        "previous": previous,
        "previous_wave": "Spring 2026",
        "benchmark": benchmark(model, [(2, figures), (3, figures), (4, figures)]),
        "targets": targets,
        "priorities": prioritised_gaps(model, figures, targets),
        "others": other_gaps(model, figures),
        "trend": trend(model, [("Spring 2026", previous), ("Summer 2026", None), ("Autumn 2026", figures)]),
        "actions": actions,
        "progress": (Progress(1.0, 2.5, Decimal("1.5")), Progress(None, None, None)),
        "created": CREATED,
    }
    values.update(changes)
    return ReportInput(**values)  # type: ignore[arg-type]


def _texts(document: pdf.Document) -> str:
    """Every text of the document a reader sees (not the SVGs), one per line."""
    parts = [document.title, document.subtitle, document.author]
    for block in document.blocks:
        if isinstance(block, pdf.Heading | pdf.Paragraph | pdf.Note):
            parts.append(block.text)
        elif isinstance(block, pdf.Table):
            parts += [block.caption, *block.columns, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, pdf.Figure):
            parts += [block.caption, block.description]
            if block.table is not None:
                parts += [*block.table.columns, *(cell for row in block.table.rows for cell in row)]
    return "\n".join(parts)


def test_every_section_in_order_with_charts_at_their_own_size(model: Model) -> None:
    data = _input(model)
    assert data.figures is not None
    figures_n = data.figures.n
    document = report_document(model, data, "en")
    headings = [b.text for b in document.blocks if isinstance(b, pdf.Heading) and b.level == 1]
    assert headings == [
        "Where the organisation stands",
        "The maturity profile",
        "Agreement",
        "Departments",
        "The 4 T's and the checklist",
        "Priorities: the gaps to the target",
        "The trend over waves",
        "The 90-day plan",
    ]
    assert isinstance(document.blocks[0], pdf.Note) and "at least 5 respondents" in document.blocks[0].text
    figures = [b for b in document.blocks if isinstance(b, pdf.Figure)]
    assert len(figures) == 8  # stages, radar, agreement, 3 dimensions' statements, departments, trend
    for figure in figures:
        assert figure.description.strip() and figure.table is not None and figure.table.rows
        # The SVG is as wide as the figure's share of the text width: its text prints at its own size.
        svg_width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', figure.svg).group(1))  # type: ignore[union-attr]
        svg_height = float(re.search(r'<svg[^>]*\sheight="([\d.]+)"', figure.svg).group(1))  # type: ignore[union-attr]
        assert svg_width == pytest.approx(figure.width * TEXT_WIDTH_PX, abs=2)
        # A chart is one picture: it must fit the A4 text height (about 700 pt; 1 px = 0.75 pt).
        assert svg_height * 0.75 < 690, figure.caption
    radar = figures[1]
    assert radar.width * TEXT_WIDTH_PX == pytest.approx(RADAR_WIDTH, abs=20)
    assert radar.table is not None and radar.table.columns[-3:] == (
        "Previous wave: Spring 2026",
        f"Benchmark: 3 organisations, {3 * figures_n} respondents",
        "Target",
    )
    assert document.author == "Acme #1 $x$ <b>" and document.created == CREATED
    plan = next(b for b in document.blocks if isinstance(b, pdf.Table) and b.caption == "Actions")
    assert plan.rows[0][0] == '=HYPERLINK("x")' and plan.rows[0][5] == "1.0 → 2.5 (+1.5)"
    assert plan.rows[1][3] == "–" and plan.rows[1][4] == "Done"


def test_hidden_departments_and_waves_have_no_figure_anywhere(model: Model) -> None:
    data = _input(model)
    document = report_document(model, data, "en")
    heat = next(b for b in document.blocks if isinstance(b, pdf.Figure) and b.caption.startswith("Departments"))
    assert heat.table is not None
    columns = heat.table.columns
    assert columns[1:] == ("Sales", "Care", "No department given")
    sizes, *medians = heat.table.rows
    assert sizes == ("Respondents", str(data.figures.n if data.figures else ""), *["hidden (fewer than 5)"] * 2)
    assert {row[2] for row in medians} == {"hidden"} and {row[3] for row in medians} == {"hidden"}
    assert all(re.fullmatch(r"\d\.\d", row[1]) for row in medians)
    assert "Care (n =" not in _texts(document)
    # CSV and workbook: the hidden rows name the department and why, and carry no number.
    files = data_files(model, data)
    rows = list(csv.reader(io.StringIO(files["departments.csv"].decode("utf-8-sig"))))
    care = next(row for row in rows if row[0] == "Care")
    assert care[1] == "hidden (fewer than 5)" and set(care[2:]) == {""}
    sheet = load_workbook(io.BytesIO(files[WORKBOOK_NAME]))["Departments"]
    cells = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert all(value is None for value in cells["Care"][2:])
    assert all(value is None for value in cells["No department given"][2:])
    assert isinstance(cells["Sales"][2], int)
    # The hidden wave in the trend: no respondents, no stage, no median.
    trend_rows = list(csv.reader(io.StringIO(files["trend.csv"].decode("utf-8-sig"))))
    summer = next(row for row in trend_rows if row[0] == "Summer 2026")
    assert summer[1] == "hidden" and set(summer[2:]) == {""}


def test_under_the_threshold_the_report_says_so_and_has_no_figures(model: Model) -> None:
    data = _input(
        model,
        figures=None,
        wave=WaveRef("Autumn 2026", OPENED, None, None),
        departments=(),
        previous=None,
        priorities=(),
        others=None,
        progress=(Progress(1.0, None, None), Progress(None, None, None)),
    )
    document = report_document(model, data, "en")
    assert not any(isinstance(b, pdf.Figure) for b in document.blocks)
    text = _texts(document)
    assert "Fewer than 5 respondents" in text
    for stage in model.stages:
        assert stage.name not in text
    assert "1.0" not in text  # not even the plan's baseline
    assert chart_files(model, data, "en") == {}
    assert [t.key for t in data_tables(model, data)] == ["about", "plan"]
    plan = list(csv.reader(io.StringIO(data_files(model, data)["plan.csv"].decode("utf-8-sig"))))
    assert set(plan[1][-3:]) == {""}


def test_text_that_looks_like_a_formula_is_neutralised_in_the_files(model: Model) -> None:
    data = _input(model, organisation="=cmd|' /C calc'!A0")
    files = data_files(model, data)
    about = files["about.csv"].decode("utf-8-sig")
    assert "'=cmd" in about
    plan = list(csv.reader(io.StringIO(files["plan.csv"].decode("utf-8-sig"))))
    assert plan[1][0] == '\'=HYPERLINK("x")'
    book = load_workbook(io.BytesIO(files[WORKBOOK_NAME]))
    assert book["90-day plan"]["A2"].value == '\'=HYPERLINK("x")'
    assert book["90-day plan"]["A2"].data_type == "s"


def test_chart_files_are_png_and_svg_titled_with_the_organisation(model: Model) -> None:
    files = chart_files(model, _input(model), "en")
    keys = {name.rsplit(".", 1)[0] for name in files}
    statements = {key for key in keys if key.startswith("statements-")}
    assert keys - statements == {"stages", "radar", "agreement", "departments", "trend"}
    assert len(statements) == 3  # one per dimension people disagree on most
    for key in keys:
        assert files[f"{key}.png"].startswith(b"\x89PNG")
        svg = files[f"{key}.svg"].decode()
        assert svg.startswith("<svg") and "Acme #1 $x$ &lt;b&gt;" in svg


def test_file_stem_names_the_organisation_the_wave_and_the_day() -> None:
    assert (
        file_stem("Acme & Søn", "Autumn 2026", date(2026, 12, 3))
        == "management-report-acme-soen-autumn-2026-2026-12-03"
    )
    assert file_stem("Acme", None, date(2026, 12, 3)) == "management-report-acme-2026-12-03"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_document_renders_and_reads_back(model: Model) -> None:
    rendered = pdf.render_pdf(report_document(model, _input(model), "da"))
    text = subprocess.run(["pdftotext", "-", "-"], input=rendered, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "Acme #1 $x$ <b>" in flat  # printed as it is, never read as markup
    assert "1. oktober 2026" in flat  # Danish dates
    assert "Train the care team" in flat and "Spring 2026" in flat and "Autumn 2026" in flat
