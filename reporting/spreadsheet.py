"""What every CSV and Excel export of the site does to text cells: a cell that begins like a formula
gets a ' in front, so a spreadsheet shows it instead of running it (CSV injection). Shared by the
workshop export, the plan and the management report; no wording here."""

from __future__ import annotations

# A text cell beginning with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Text a spreadsheet will not run: a ' in front when it begins like a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
