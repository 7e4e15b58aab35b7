"""Markdown to safe HTML: tables, footnotes and a table of contents, then nh3.

Lesson authors write Markdown, not HTML. Whatever HTML slips in (or is put in
on purpose) is cleaned by nh3 with a short allow-list before it reaches the
page: no script, no event handlers, no style, no iframes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import markdown
import nh3

from assessment.model import Model
from lessons.directives import DirectiveLabels, directive_html, find_directives

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "p": {"class"},
    "td": {"align"},
    "th": {"align"},
}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]


def _flatten(tokens: list[dict[str, Any]]) -> list[Heading]:
    headings: list[Heading] = []
    for token in tokens:
        headings.append(Heading(token["level"], token["id"], re.sub(r"<[^>]+>", "", token["name"])))
        headings += _flatten(token.get("children", []))
    return headings


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# A footnote cited several times got one "↩" per citation side by side ("↩↩↩"), which reads as
# noise; one link back, to the first citation, is kept.
_REPEATED_BACKLINKS = re.compile(
    r'(<a class="footnote-backref"[^>]*>&#8617;</a>)(?:<a class="footnote-backref"[^>]*>&#8617;</a>)+'
)


_DEFAULT_LABELS = DirectiveLabels()


def render_markdown(text: str, model: Model | None = None, labels: DirectiveLabels = _DEFAULT_LABELS) -> Rendered:
    """Lesson Markdown as safe HTML. ```ladder and ```stages blocks are expanded from `model` (the
    visit's model); without a model, or where a block is broken, a short note stands in its place."""
    converter = markdown.Markdown(
        extensions=["tables", "footnotes", "toc", "sane_lists", "fenced_code"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    text, expanded = _expand_directives(text, model, labels)
    converted = converter.convert(text)
    for marker, block in expanded.items():
        converted = converted.replace(f"<p>{marker}</p>", block)
    html = wrap_tables(sanitise(_REPEATED_BACKLINKS.sub(r"\1", converted)))
    return Rendered(html, tuple(_flatten(converter.toc_tokens)))


def _expand_directives(text: str, model: Model | None, labels: DirectiveLabels) -> tuple[str, dict[str, str]]:
    """The text with each directive replaced by a marker paragraph, and the HTML for each marker.

    The HTML goes in after the Markdown conversion (so Markdown never reads model text) and before
    sanitising (so it passes the same allow-list as everything else)."""
    directives = find_directives(text)
    if not directives:
        return text, {}
    lines = text.splitlines()
    expanded: dict[str, str] = {}
    for number, directive in reversed(list(enumerate(directives))):
        marker = f"SMMDIRECTIVE{number}X"
        expanded[marker] = directive_html(directive, model, labels)
        lines[directive.start : directive.end] = ["", marker, ""]
    return "\n".join(lines) + "\n", expanded


def wrap_tables(html: str) -> str:
    """Let a wide table scroll sideways on a phone instead of widening the page.

    Runs after sanitising: the wrapper is the site's own markup, and its one inline
    style is fixed here, never taken from content."""
    return html.replace("<table>", '<div class="lesson-table" style="overflow-x: auto"><table>').replace(
        "</table>", "</table></div>"
    )
