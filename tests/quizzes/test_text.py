"""quizzes.text.display_markdown: a text's line breaks kept on the page, fenced blocks untouched."""

from __future__ import annotations

import pytest

from quizzes.text import display_markdown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("One line.", "One line."),
        ("First line\nsecond line", "First line  \nsecond line"),
        ("A\nB\nC", "A  \nB  \nC"),
        ("Para one.\n\nPara two.", "Para one.\n\nPara two."),  # a blank line is a paragraph already
        ("Ends with spaces  \nnext", "Ends with spaces  \nnext"),  # not doubled
        ("Ends with a space \nnext", "Ends with a space  \nnext"),
        ("Backslash\\\nnext", "Backslash\\\nnext"),  # a hard break already
        ("Windows\r\nline", "Windows  \nline"),
        ("- one\n- two", "- one  \n- two"),  # harmless at the end of a list item
        ("", ""),
    ],
)
def test_single_line_breaks_become_hard_breaks(text: str, shown: str) -> None:
    assert display_markdown(text) == shown


def test_a_fenced_block_is_left_exactly_as_written() -> None:
    text = "Look at this:\n```\ndef f():\n    return  1\n\n# end\n```\nWhat does it return?\nOne word."
    assert display_markdown(text) == (
        "Look at this:\n```\ndef f():\n    return  1\n\n# end\n```\nWhat does it return?  \nOne word."
    )


def test_fences_of_tildes_longer_fences_and_an_unclosed_fence() -> None:
    assert display_markdown("~~~\na\nb\n~~~\nc\nd") == "~~~\na\nb\n~~~\nc  \nd"
    # a shorter or different fence inside does not close the block
    assert display_markdown("````\n```\na\n~~~\n````\nx\ny") == "````\n```\na\n~~~\n````\nx  \ny"
    assert display_markdown("```python\nx = 1\ny = 2") == "```python\nx = 1\ny = 2"  # open to the end
    assert display_markdown("```\na\n``` not a close\nb\n```") == "```\na\n``` not a close\nb\n```"
