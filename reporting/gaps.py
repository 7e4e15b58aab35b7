"""The gap list as people read it: grouped by section, each gap in words.

The order is the rule's (docs/scoring.md, section 4); grouping keeps it within each section and
keeps each gap's number from the full list, so "gap 2" means the same thing in the "Start here"
list and in its section. A cell whose statements were all answered "don't know" is not known,
which is a different thing from nothing in place, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import STAGE_IDS, Model
from assessment.scoring import CellScore, Gap, Result
from i18n import _, ngettext
from reporting.numbers import Kind, as_percent, fmt

SECTIONS = ("maturity", "tee", "checklist")  # the order of the sections, as in the gap rule


def section_title(section: str) -> str:
    titles = {"maturity": _("Maturity dimensions"), "tee": _("The 4 T's"), "checklist": _("The checklist")}
    return titles[section]


@dataclass(frozen=True)
class GapSection:
    section: str
    gaps: tuple[tuple[int, Gap], ...]  # (number in the full list, from 1; the gap)


def grouped(gaps: tuple[Gap, ...]) -> list[GapSection]:
    """The non-empty sections in the rule's order, each with its gaps numbered as in the full list."""
    numbered = list(enumerate(gaps, start=1))
    sections = [GapSection(s, tuple((n, g) for n, g in numbered if g.kind == s)) for s in SECTIONS]
    return [section for section in sections if section.gaps]


def gap_cell(result: Result, gap: Gap) -> CellScore:
    """The scored cell behind a maturity gap."""
    assert gap.dimension is not None and gap.stage is not None
    return result.dimension(gap.dimension).cells[STAGE_IDS.index(gap.stage)]


def cell_state(cell: CellScore, locale: str = "en") -> str:
    """How much of a cell is in place, in words; unknown and unanswered are not "0 % in place"."""
    if cell.unknown == cell.statements:
        return _("not known: answered don't know")
    if cell.unanswered == cell.statements:
        return _("not answered yet")
    if cell.unknown + cell.unanswered == cell.statements:
        return _("not known: answered don't know or not answered")
    text = _("{percent} % in place").format(percent=fmt(as_percent(cell.coverage), Kind.PERCENT, locale))
    if cell.unknown:
        text += ngettext(" ({count} answered don't know)", " ({count} answered don't know)", cell.unknown).format(
            count=cell.unknown
        )
    return text


def checklist_state(answer: str | None) -> str:
    words = {"no": _("not done (answered no)"), "partly": _("partly done (answered partly)")}
    return words.get(answer or "", _("answered {answer}").format(answer=answer))


def gap_title(model: Model, result: Result, gap: Gap, locale: str = "en") -> str:
    """One line that names a gap and says where it stands, without its number."""
    if gap.kind == "maturity" and gap.dimension and gap.stage:
        return _("{dimension} at {stage}: {state}").format(
            dimension=model.dimension(gap.dimension).name,
            stage=model.stage(gap.stage).name,
            state=cell_state(gap_cell(result, gap), locale),
        )
    if gap.kind == "tee" and gap.tee:
        return _("{tee}: {score} of 100").format(
            tee=model.tee(gap.tee).name, score=fmt(gap.score, Kind.TEE, locale, missing="–")
        )
    item = model.checklist_item(gap.item or "")
    # "...business accounts: not done", not "...business accounts.: not done".
    return _("{text}: {state}").format(text=item.text.rstrip(". "), state=checklist_state(gap.answer))


def maturity_answer_words(answer: object) -> str:
    """A maturity statement's answer as it reads in a gap's details."""
    words = {
        "none": _("not in place"),
        "partly": _("partly in place"),
        "largely": _("largely in place"),
        "fully": _("fully in place"),
        "dont_know": _("don't know"),
    }
    return words.get(answer, _("not answered")) if isinstance(answer, str) else _("not answered")
