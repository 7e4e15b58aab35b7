"""A question's texts as the Markdown a page shows. Pure functions, no I/O.

Texts (prompt, options, feedback, explanation) are written as they should look: every line break
stays a line break on the page. Markdown would join two lines of a paragraph into one, so each
single line break outside a fenced block becomes a hard break (two spaces before it). A block
fenced by ``` (or ~~~) lines is preformatted and left exactly as written: its spaces and lines
are the point (an imported <pre> block goes there).
"""

from __future__ import annotations

import re

# A fence line: up to three spaces, then three or more backticks or tildes (CommonMark).
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HARD_BREAK = "  "


def display_markdown(text: str) -> str:
    """`text` with every single line break kept as a Markdown hard break outside fenced blocks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    fence: str | None = None  # the fence that opened the block we are in
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            # A closing fence: at least as long as the opening one, of the same character, nothing else.
            closing = opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
            if closing and not line.strip().strip(fence[0]):
                fence = None
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        joins_next = line.strip() and following.strip() and not _FENCE.match(following)
        # A line already ending in a hard break (two spaces, or a backslash) keeps it.
        broken = line.endswith(HARD_BREAK) or line.rstrip().endswith("\\")
        out.append(line.rstrip() + HARD_BREAK if joins_next and not broken else line)
    return "\n".join(out)
