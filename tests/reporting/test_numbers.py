"""The one rounding rule: half up, fixed decimals per kind, formatted per locale."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from reporting.numbers import MINUS, Kind, as_json, as_percent, change, fmt, plain, rounded, signed


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (62.5, Kind.TEE, "63"),  # Python's round() gives 62 (half to even)
        (68.75, Kind.TEE, "69"),
        (31.25, Kind.TEE, "31"),
        (Fraction(100, 3), Kind.TEE, "33"),
        (2.8333, Kind.SCORE, "2.8"),
        (Fraction(17, 6), Kind.SCORE, "2.8"),
        (2.25, Kind.SCORE, "2.3"),  # round(2.25, 1) gives 2.2
        (1.5, Kind.SCORE, "1.5"),
        (1, Kind.SCORE, "1.0"),  # "1" beside "2.83" no more
        (0, Kind.SCORE, "0.0"),
        (4, Kind.SCORE, "4.0"),
        (as_percent(0.5577), Kind.PERCENT, "56"),
        (as_percent(0.285), Kind.PERCENT, "29"),  # 0.285 * 100 is 28.499999999999996 in floats
        (as_percent(Fraction(5, 8)), Kind.PERCENT, "63"),
        (-0.04, Kind.SCORE, "0.0"),  # no "-0.0"
    ],
)
def test_half_up_to_the_kinds_decimals(value: object, kind: Kind, expected: str) -> None:
    assert fmt(value, kind) == expected
    assert plain(value, kind) == expected
    assert str(rounded(value, kind)) == expected


def test_decimals_per_kind() -> None:
    assert (Kind.SCORE.decimals, Kind.TEE.decimals, Kind.PERCENT.decimals) == (1, 0, 0)


def test_locale_decides_the_decimal_sign_not_the_digits() -> None:
    assert fmt(2.8333, Kind.SCORE, "en") == "2.8"
    assert fmt(2.8333, Kind.SCORE, "nl") == "2,8"
    assert fmt(2.8333, Kind.SCORE, "da") == "2,8"
    assert fmt(2.25, Kind.SCORE, "nl") == "2,3"
    assert plain(2.25, Kind.SCORE) == "2.3"  # files always use a full stop


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (0.5, Kind.SCORE, "+0.5"),
        (-1, Kind.TEE, f"{MINUS}1"),
        (Decimal("-0.4"), Kind.SCORE, f"{MINUS}0.4"),
        (0, Kind.TEE, "0"),
        (0.01, Kind.SCORE, "0.0"),
        (12.5, Kind.PERCENT, "+13"),
    ],
)
def test_signed_changes(value: object, kind: Kind, expected: str) -> None:
    assert signed(value, kind) == expected


def test_change_is_the_difference_of_the_figures_shown() -> None:
    # 1.3333 shows as 1.3 and 1.6667 as 1.7: the change shown is 0.4, not the exact 0.33.
    assert change(1.3333, 1.6667, Kind.SCORE) == Decimal("0.4")
    assert change(62.5, 68.75, Kind.TEE) == Decimal(6)
    assert change(None, 3, Kind.TEE) is None
    assert change(3, None, Kind.TEE) is None


def test_missing_values() -> None:
    assert fmt(None, Kind.TEE) == ""
    assert fmt(None, Kind.TEE, missing="–") == "–"
    assert signed(None, Kind.SCORE) == ""
    assert plain(None, Kind.PERCENT) == ""
    assert as_json(None, Kind.PERCENT) is None


def test_json_figures_are_the_rounded_ones() -> None:
    assert as_json(62.5, Kind.TEE) == 63
    assert isinstance(as_json(62.5, Kind.TEE), int)
    assert as_json(2.8333, Kind.SCORE) == 2.8
    assert as_json(as_percent(0.5577), Kind.PERCENT) == 56
