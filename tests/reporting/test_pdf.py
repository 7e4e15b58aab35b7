"""The PDF report engine: every block type renders, user text prints literally (never as Typst
markup), Danish and Dutch letters survive, a chart's numbers and description are in the file,
the file is tagged PDF/UA-1, a Typst failure is a ReportError, and a 12-page report with six
charts is fast.

The PDF is read back with poppler (pdftotext, pdftoppm, pdfinfo), independently of Typst."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import vl_convert
from PIL import Image

from reporting.pdf import (
    BulletList,
    Document,
    Figure,
    Heading,
    Note,
    PageBreak,
    Paragraph,
    ReportError,
    Table,
    render_pdf,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdftoppm, pdfinfo) is not installed: the PDF cannot be read back",
)

# Typst's markup and code characters, HTML and a backslash: all must print as typed.
HOSTILE = "Acme #1 $x$ <b> *bold* _it_ @ref \\n `code` [x] // y /* z #let a = 1"
DIMENSIONS = ("Strategi", "Organisation", "Målinger", "Værktøjer")
SCORES = ("2,4", "3,1", "1,8", "0,9")  # as the caller formats them for Danish
DESCRIPTION = "Bar chart of the median score per dimension, from 0 to 4; highest Organisation (3.1)."


def chart_svg() -> str:
    spec = {
        "width": 240,
        "height": 160,
        "data": {
            "values": [{"d": d, "s": float(s.replace(",", "."))} for d, s in zip(DIMENSIONS, SCORES, strict=True)]
        },
        "mark": "bar",
        "encoding": {
            "x": {"field": "d", "type": "nominal", "title": None},
            "y": {"field": "s", "type": "quantitative", "title": "Score"},
        },
    }
    return str(vl_convert.vegalite_to_svg(spec))


def score_table(caption: str = "Median score per dimension") -> Table:
    return Table(
        caption=caption,
        columns=("Dimension", "Score"),
        rows=tuple(zip(DIMENSIONS, SCORES, strict=True)),
        align=("left", "right"),
    )


def every_block(language: str, local_text: str) -> Document:
    return Document(
        title="Modenhedsrapport æøå ÆØÅ",
        subtitle="Forår 2027 " + local_text,
        language=language,  # type: ignore[arg-type]
        author=HOSTILE,
        blocks=(
            Heading("Stadie og spredning", 1),
            Paragraph(local_text),
            Paragraph(HOSTILE),
            Heading("Radar", 2),
            Figure(chart_svg(), DESCRIPTION, caption="Median per dimension", table=score_table(), width=0.55),
            Figure(chart_svg(), DESCRIPTION, caption="Same chart, table below", table=score_table(""), width=0.9),
            Heading("Plan", 3),
            BulletList(("first action", "second action: " + HOSTILE)),
            Table("The 90-day plan", ("Action", "Owner", "Due"), (("Train the team", "Ann Ørsted", "1-3-2027"),)),
            PageBreak(),
            Heading("Anonymity", 1),
            Note("No figures for groups under 5 people. " + HOSTILE),
        ),
    )


def pdftotext(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())  # lines and pages joined: a phrase is found even where it wrapped


def pdfinfo(pdf: bytes, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def page_count(pdf: bytes) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", pdfinfo(pdf), re.M)
    assert found
    return int(found.group(1))


def pdf_contents(pdf: bytes) -> bytes:
    """The file with every Flate stream inflated, to look for strings the structure tree holds."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture(scope="module")
def danish_pdf() -> bytes:
    return render_pdf(every_block("da", "Vi måler, hvor vi står, og hvad vi gør først: æøå ÆØÅ."))


def test_every_block_renders_to_a_pdf_with_its_title_and_danish_letters(danish_pdf: bytes) -> None:
    assert danish_pdf.startswith(b"%PDF-")
    text = pdftotext(danish_pdf)
    assert "Modenhedsrapport æøå ÆØÅ" in text
    assert "Vi måler, hvor vi står, og hvad vi gør først: æøå ÆØÅ." in text
    assert "Ann Ørsted" in text
    assert "Title: Modenhedsrapport æøå ÆØÅ" in " ".join(pdfinfo(danish_pdf).split())


def test_user_text_prints_literally_everywhere(danish_pdf: bytes) -> None:
    text = pdftotext(danish_pdf)
    # In the title block and every page header (author), a paragraph, a list item and the note.
    assert text.count(HOSTILE) >= 5
    assert "No figures for groups under 5 people. " + HOSTILE in text
    assert "second action: " + HOSTILE in text


def test_a_charts_numbers_and_description_are_in_the_file(danish_pdf: bytes) -> None:
    text = pdftotext(danish_pdf)
    for dimension, score in zip(DIMENSIONS, SCORES, strict=True):
        assert f"{dimension} {score}" in text  # the table row, read left to right
    assert "Median score per dimension" in text
    # Captions are numbered in the document's language by Typst.
    assert "Figur 1: Median per dimension" in text
    assert "Tabel 1: The 90-day plan" in text
    assert DESCRIPTION.encode() in pdf_contents(danish_pdf)  # the image's alternative text


def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_structure(danish_pdf: bytes) -> None:
    info = pdfinfo(danish_pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    metadata = pdfinfo(danish_pdf, "-meta")
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    assert "<rdf:li>da</rdf:li>" in metadata
    structure = pdfinfo(danish_pdf, "-struct")
    for tag in ("H1", "H2", "H3", "Figure", "Table", "THead", "TH", "TD", "Caption", "L", "LI"):
        assert re.search(rf"^\s*{tag}\b", structure, re.M), tag


def page_text(pdf: bytes, page: int) -> str:
    args = ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"]
    return " ".join(subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode().split())


def test_a_page_break_starts_a_new_page_and_pages_are_numbered(danish_pdf: bytes) -> None:
    last = page_count(danish_pdf)
    assert last >= 2
    assert "Anonymity No figures" in page_text(danish_pdf, last)
    assert "Anonymity" not in page_text(danish_pdf, last - 1)
    assert "The 90-day plan" in page_text(danish_pdf, last - 1)
    for page in range(1, last + 1):
        assert re.search(rf"\b{page} ?/ ?{last}\b", page_text(danish_pdf, page))


def test_page_one_is_not_blank(danish_pdf: bytes, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(danish_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    width, height = page.size
    assert abs(width - 413) <= 1 and abs(height - 585) <= 1  # A4 at 50 dpi
    dark = sum(page.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.005 * width * height  # text, rules and bars; a blank page has none


def test_a_long_table_runs_over_pages_with_its_header_on_each() -> None:
    rows = tuple((f"Action {k}", "Ann") for k in range(120))
    pdf = render_pdf(Document(title="T", language="en", blocks=(Table("Plan", ("Step", "Owner"), rows),)))
    pages = page_count(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        assert page_text(pdf, page).count("Step Owner") == 1
    text = pdftotext(pdf)
    assert all(f"Action {k} Ann" in text for k in range(120))


def test_dutch_text_with_the_ij_ligature_letter() -> None:
    pdf = render_pdf(
        Document(
            title="Volwassenheid in het IJsselmeergebied",
            language="nl",
            blocks=(Paragraph("De ĳverige Ĳsselmonder meet € 1.234,5 per jaar."), score_table()),
        )
    )
    text = pdftotext(pdf)
    assert "De ĳverige Ĳsselmonder meet € 1.234,5 per jaar." in text
    assert "Tabel 1: Median score per dimension" in text
    assert "<rdf:li>nl</rdf:li>" in pdfinfo(pdf, "-meta")


def test_a_typst_compile_error_becomes_a_report_error() -> None:
    broken = Document(title="T", language="en", blocks=(Figure("<svg><g>", "A chart that never closes"),))
    with pytest.raises(ReportError, match="SVG"):
        render_pdf(broken)


def test_the_same_document_and_date_give_the_same_bytes() -> None:
    created = datetime(2027, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    document = Document(title="T", language="en", blocks=(Paragraph("x"),), created=created)
    first = render_pdf(document)
    assert render_pdf(document) == first
    assert "Mon Mar  1 08:30:00 2027 UTC" in pdfinfo(first)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Document(title="T", language="en", blocks=(Heading("A", 1), Heading("C", 3))),
        lambda: Document(title="T", language="en", blocks=(Heading("B", 2),)),
        lambda: Document(title=" ", language="en", blocks=()),
        lambda: Document(title="T", language="de", blocks=()),  # type: ignore[arg-type]
        lambda: Document(title="T", language="en", blocks=(), created=datetime(2027, 1, 1)),
        lambda: Table("c", ("A", "B"), (("1",),)),
        lambda: Table("c", ("A", "B"), (), align=("left",)),
        lambda: Table("c", ("A",), (), align=("middle",)),  # type: ignore[arg-type]
        lambda: Figure("<svg/>", " "),
        lambda: Figure("<svg/>", "d", width=1.5),
        lambda: Heading("A", 4),
    ],
)
def test_documents_the_pdf_could_not_honestly_carry_are_refused(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def test_a_twelve_page_report_with_six_charts_renders_well_under_five_seconds() -> None:
    svg = chart_svg()
    blocks: list[Heading | Paragraph | Figure | Table | BulletList | Note | PageBreak] = []
    for chapter in range(6):
        blocks += [
            Heading(f"Chapter {chapter + 1}", 1),
            Paragraph("The organisation stands at stage two in most dimensions. " * 20),
            Figure(svg, DESCRIPTION, caption=f"Chart {chapter + 1}", table=score_table(), width=0.55),
            Paragraph("More text about what the chart shows. " * 30),
            Table("Plan", ("Action", "Owner", "Due"), tuple((f"Action {k}", "Ann", "1-3-2027") for k in range(12))),
            PageBreak(),
        ]
    document = Document(title="Performance", language="en", blocks=tuple(blocks))
    pdf = render_pdf(document)  # its time is benchmarks/dashboard_load.py's, not a test's
    assert page_count(pdf) >= 12
