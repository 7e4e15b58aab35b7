"""One rounding rule for every figure a person reads: the page, the radar, the CSV and the JSON.

Rule: round half up (away from zero), on the decimal value, to a fixed number of decimals per
kind of figure:

- a dimension score (0 to 4): 1 decimal, e.g. 2.8333 -> 2.8, 1.25 -> 1.3;
- a T score (0 to 100): whole numbers, e.g. 62.5 -> 63, 68.75 -> 69;
- a percentage (coverage, compliance): whole numbers, e.g. 55.77 % -> 56 %.

A change between two rounds is the difference of the two rounded figures, so the "before",
"now" and "change" a reader sees always add up (1.3 -> 1.7 is +0.4, even if the exact change
is 0.33). Decisions (stage reached, gap or not) never use these: they are made on exact numbers
in `assessment.scoring`.

Formatting for the screen goes through Babel with a locale, so a decimal comma comes with the
language; files for machines (CSV, JSON) use `plain` / `as_json`, always with a full stop.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction

from babel.numbers import format_decimal

Number = float | int | Fraction | Decimal

MINUS = "\u2212"  # the typographic minus sign, for signed changes on screen


class Kind(Enum):
    """A kind of figure; its number of decimals is in DECIMALS."""

    SCORE = "score"  # dimension score, 0 to 4
    TEE = "tee"  # T score, 0 to 100
    PERCENT = "percent"  # percentage, 0 to 100

    @property
    def decimals(self) -> int:
        return DECIMALS[self]


DECIMALS: dict[Kind, int] = {Kind.SCORE: 1, Kind.TEE: 0, Kind.PERCENT: 0}


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return Decimal(value)
    # The shortest repr, not the binary expansion: 0.285 is 0.285 here, not 0.28499999...
    return Decimal(repr(float(value)))


@functools.lru_cache(maxsize=8192, typed=True)  # the same Decimal for the same share: `rounded` then hashes it once
def as_percent(fraction: Number) -> Decimal:
    """A share from 0 to 1 as a percentage (not yet rounded): 0.5577 -> 55.77."""
    return _decimal(fraction) * 100


# Kept per (value, kind), typed so 1 and 1.0 stay apart: a results page rounds about a hundred figures
# per run, from a small set (scores are sums of a few answer points, coverages small fractions).
@functools.lru_cache(maxsize=8192, typed=True)
def rounded(value: Number, kind: Kind) -> Decimal:
    """The figure as shown: half up to the kind's decimals. 62.5 -> 63 (TEE), 2.25 -> 2.3 (SCORE)."""
    quantum = Decimal(1).scaleb(-kind.decimals)
    result = _decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return result + 0  # -0.0 -> 0.0: a figure that rounds to nothing has no sign


def change(before: Number | None, after: Number | None, kind: Kind) -> Decimal | None:
    """After minus before, of the rounded figures; None when either is missing."""
    if before is None or after is None:
        return None
    return rounded(after, kind) - rounded(before, kind)


def _pattern(kind: Kind) -> str:
    return "0." + "0" * kind.decimals if kind.decimals else "0"


@functools.lru_cache(maxsize=4096)
def _written(figure: Decimal, pattern: str, locale: str) -> str:
    """Babel's writing of a rounded figure, kept: the figures shown are few (0.0 to 4.0, 0 to 100) and
    the results page writes about a hundred of them on every run."""
    return format_decimal(figure, format=pattern, locale=locale)


def fmt(value: Number | None, kind: Kind, locale: str = "en", missing: str = "") -> str:
    """A figure for the screen: rounded by the rule, written the locale's way ("2.8", "2,8")."""
    if value is None:
        return missing
    return _written(rounded(value, kind), _pattern(kind), locale)


def signed(value: Number | None, kind: Kind, locale: str = "en", missing: str = "") -> str:
    """A change for the screen, always with its sign: "+0.5", "−1" (typographic minus), "0"."""
    if value is None:
        return missing
    figure = rounded(value, kind)
    text = _written(abs(figure), _pattern(kind), locale)
    if figure > 0:
        return f"+{text}"
    if figure < 0:
        return f"{MINUS}{text}"
    return text


def plain(value: Number | None, kind: Kind) -> str:
    """A figure for a file: rounded by the rule, full stop as decimal sign, no grouping ("" if missing)."""
    if value is None:
        return ""
    return f"{rounded(value, kind):.{kind.decimals}f}"


def as_json(value: Number | None, kind: Kind) -> int | float | None:
    """A figure for JSON: a whole number when the kind has no decimals, else a float of the rounded figure."""
    if value is None:
        return None
    figure = rounded(value, kind)
    return int(figure) if kind.decimals == 0 else float(figure)
