"""PDF reports from a small document model, typeset by Typst (the `typst` package).

A report is a `Document`: a title block and a sequence of blocks (headings, paragraphs, bullet
lists, tables, charts with their numbers, notes, page breaks). `render_pdf` turns it into PDF bytes.

Rules:

- Every text is plain text. The document travels to the layout (reporting/templates/report.typ) as
  JSON data, not as Typst source, so nothing a user typed (an organisation's name, a plan's title)
  is ever read as markup or code: "Acme #1 $x$ <b>" prints as it is.
- The PDF is tagged and declared PDF/UA-1: document title and language set, headings and tables
  tagged (tables with a header row), every chart with a description for screen readers (required,
  non-empty). A chart's numbers go in a table beside or below it, so they can be read too.
- A4, page numbers "n / total" at the foot; from page 2 on, the title and the author head the page.
  Fonts are those embedded in the typst package (Libertinus Serif), never the machine's, so the
  same document gives the same pages everywhere; they cover Danish (æøå) and Dutch (ĳ).
- A chart is an SVG (from vl-convert). It is drawn at `width` (a fraction of the text width); its
  table goes beside it when the chart takes at most 60 % of the width, below it otherwise.
- Any failure of Typst (a broken SVG, an error in the layout, a panic inside the compiler) is a
  `ReportError` carrying Typst's message.

This module has no wording of its own: the caller translates and formats numbers
(`reporting.numbers`) before building the document. Figure and table captions get their
"Figure 1" / "Figur 1" / "Figuur 1" prefix from Typst in the document's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final, Literal, TypeAlias

import typst

__all__ = [
    "Alignment",
    "Block",
    "BulletList",
    "Document",
    "Figure",
    "Heading",
    "Language",
    "Note",
    "PageBreak",
    "Paragraph",
    "ReportError",
    "Table",
    "document_data",
    "render_pdf",
]

Language = Literal["en", "nl", "da"]
Alignment = Literal["left", "center", "right"]

LANGUAGES: tuple[Language, ...] = ("en", "nl", "da")
ALIGNMENTS: tuple[Alignment, ...] = ("left", "center", "right")
HEADING_LEVELS = (1, 2, 3)
TEMPLATE = Path(__file__).parent / "templates" / "report.typ"
PDF_STANDARD: Final = "ua-1"
BESIDE_MAX_WIDTH = 0.6  # a chart at most this wide (fraction of the text width) has its table beside it
MIN_FIGURE_WIDTH = 0.2


class ReportError(Exception):
    """The PDF could not be made; the message is Typst's."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 (section) to 3

    def __post_init__(self) -> None:
        if self.level not in HEADING_LEVELS:
            raise ValueError(f"heading level {self.level} is not one of {HEADING_LEVELS}")
        if not self.text.strip():
            raise ValueError("a heading needs text")


@dataclass(frozen=True)
class Paragraph:
    """Plain text; a line break in it stays a line break."""

    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row. `align` has one entry per column; by default every column is
    left-aligned (figures are better right-aligned: say so)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[Alignment, ...] | None = None

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} has {len(row)} cells for {len(self.columns)} columns")
        if self.align is not None:
            if len(self.align) != len(self.columns):
                raise ValueError(f"{len(self.align)} alignments for {len(self.columns)} columns")
            for alignment in self.align:
                if alignment not in ALIGNMENTS:
                    raise ValueError(f"alignment {alignment!r} is not one of {ALIGNMENTS}")

    @property
    def alignments(self) -> tuple[Alignment, ...]:
        left: Alignment = "left"
        return self.align if self.align is not None else (left,) * len(self.columns)


@dataclass(frozen=True)
class Figure:
    """A chart as SVG, its description for screen readers, its caption and its numbers."""

    svg: str
    description: str
    caption: str = ""
    table: Table | None = None
    width: float = 0.55  # fraction of the text width

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValueError("a figure needs a description for screen readers")
        if not MIN_FIGURE_WIDTH <= self.width <= 1:
            raise ValueError(f"figure width {self.width} is not between {MIN_FIGURE_WIDTH} and 1")


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Note:
    """A shaded box set apart from the text, e.g. the anonymity statement."""

    text: str


Block: TypeAlias = Heading | Paragraph | BulletList | Table | Figure | PageBreak | Note


@dataclass(frozen=True)
class Document:
    """`author` is who the report is by or for (an organisation); it is in the title block, the
    page headers and the PDF's metadata. `created` (timezone-aware) is the PDF's creation date;
    by default the moment it is rendered."""

    title: str
    language: Language
    blocks: tuple[Block, ...]
    subtitle: str = ""
    author: str = ""
    created: datetime | None = field(default=None)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a document needs a title")
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {LANGUAGES}")
        if self.created is not None and self.created.utcoffset() is None:
            raise ValueError("the creation date needs a timezone")
        # PDF/UA-1: the first heading is of level 1 and no level is skipped on the way down.
        level = 0
        for block in self.blocks:
            if isinstance(block, Heading):
                if block.level > level + 1:
                    raise ValueError(f"heading {block.text!r} of level {block.level} follows level {level}")
                level = block.level


def _table_data(table: Table) -> dict[str, object]:
    return {
        "caption": table.caption,
        "columns": list(table.columns),
        "rows": [list(row) for row in table.rows],
        "align": list(table.alignments),
    }


def _block_data(block: Block) -> dict[str, object]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, BulletList):
        return {"kind": "bullets", "items": list(block.items)}
    if isinstance(block, Table):
        return {"kind": "table", **_table_data(block)}
    if isinstance(block, Figure):
        return {
            "kind": "figure",
            "svg": block.svg,
            "description": block.description,
            "caption": block.caption,
            "table": None if block.table is None else _table_data(block.table),
            "width": block.width,
        }
    if isinstance(block, Note):
        return {"kind": "note", "text": block.text}
    return {"kind": "pagebreak"}


def document_data(document: Document) -> str:
    """The document as the JSON the layout reads."""
    return json.dumps(
        {
            "title": document.title,
            "subtitle": document.subtitle,
            "author": document.author,
            "language": document.language,
            "blocks": [_block_data(block) for block in document.blocks],
        },
        ensure_ascii=False,
    )


def _is_panic(error: BaseException) -> bool:
    # pyo3 turns a Rust panic into pyo3_runtime.PanicException, a BaseException that cannot be
    # imported by name.
    return type(error).__name__ == "PanicException"


def render_pdf(document: Document) -> bytes:
    """The document as a tagged PDF/UA-1 file."""
    try:
        pdf = typst.compile(
            TEMPLATE,
            format="pdf",
            root=TEMPLATE.parent,  # the layout reads no files; nothing outside its own folder is in reach
            sys_inputs={"document": document_data(document)},
            pdf_standards=PDF_STANDARD,
            ignore_system_fonts=True,
            timestamp=document.created,
        )
    except typst.TypstError as error:
        raise ReportError(_typst_message(error)) from error
    except BaseException as error:
        if _is_panic(error):
            raise ReportError(f"Typst failed: {error}") from error
        raise
    return pdf


def _typst_message(error: typst.TypstError) -> str:
    return "\n".join([error.message, *(f"hint: {hint}" for hint in error.hints or [])])
