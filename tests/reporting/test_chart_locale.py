"""Charts format numbers and dates in the page's language (reporting.chart_locale), in the browser's
spec and in the exported images alike."""

from __future__ import annotations

import re

from i18n import set_language
from reporting.chart_locale import chart_locale, with_locale
from reporting.export import chart_svg

SPEC = {
    "data": {"values": [{"label": "a", "value": 12345.5}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "label", "type": "nominal"},
        "y": {"field": "value", "type": "quantitative", "axis": {"format": ",.1f"}},
    },
    "config": {"axis": {"labelFontSize": 12}},
}


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r">([0-9][0-9.,]*)<", svg)


def test_each_language_has_its_separators_and_month_names() -> None:
    assert chart_locale("nl")["number"]["decimal"] == ","
    assert chart_locale("da")["number"]["thousands"] == "."
    assert chart_locale("da")["time"]["months"][2] == "marts"
    assert chart_locale("en")["number"]["decimal"] == "."
    assert chart_locale("pt-br") == chart_locale("en")  # not a site language: English


def test_with_locale_keeps_the_spec_and_its_other_config() -> None:
    localised = with_locale(SPEC, "nl")
    assert localised["config"]["axis"] == {"labelFontSize": 12}
    assert localised["config"]["locale"]["number"]["decimal"] == ","
    assert "locale" not in SPEC["config"]  # a copy


def test_exported_charts_use_the_active_language() -> None:
    set_language("da")
    try:
        danish = _tick_labels(chart_svg(SPEC))
    finally:
        set_language("en")
    english = _tick_labels(chart_svg(SPEC))
    assert "10.000,0" in danish and "10,000.0" in english
