"""Charts speak the page's language: Vega's number and date formats per language.

A Vega-Lite spec carries `config.locale` (d3-format and d3-time-format definitions); the browser's
Vega (Streamlit's charts) and vl-convert (the PNG and SVG downloads, the PDF's charts) both read
it, so "1.234,5" and "12. marts" come out of the same spec everywhere. The definitions are
vl-convert's own tables of d3 locales, looked up once per language.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Literal

import vl_convert as vlc

# The d3 locales the site's languages use (vl-convert's names, which have both a number and a time
# table); a language not listed formats as English.
D3Locale = Literal["en-GB", "nl-NL", "da-DK"]
D3_LOCALES: dict[str, D3Locale] = {"en": "en-GB", "nl": "nl-NL", "da": "da-DK"}
ENGLISH: D3Locale = "en-GB"


@functools.lru_cache(maxsize=16)
def _locale(name: D3Locale) -> tuple[tuple[str, Any], ...]:
    return (("number", vlc.get_format_locale(name)), ("time", vlc.get_time_format_locale(name)))


def chart_locale(language: str) -> dict[str, Any]:
    """`config.locale` for `language` ("nl" -> decimal comma, Dutch month names); a fresh dict."""
    name = D3_LOCALES.get(language.split("-")[0], ENGLISH)
    return copy.deepcopy(dict(_locale(name)))


def with_locale(spec: dict[str, Any], language: str) -> dict[str, Any]:
    """A copy of the spec whose config formats numbers and dates in `language`."""
    localised = dict(spec)
    localised["config"] = {**spec.get("config", {}), "locale": chart_locale(language)}
    return localised
