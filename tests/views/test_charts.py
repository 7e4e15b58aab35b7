"""Page charts get the visit's number and date formats (views.charts.localised)."""

from __future__ import annotations

import altair as alt

from i18n import set_language
from views.charts import localised


def test_an_altair_chart_keeps_its_config_and_gets_the_locale() -> None:
    chart = alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q").configure_axis(labelFontSize=14)
    set_language("nl")
    try:
        config = localised(chart).to_dict()["config"]
    finally:
        set_language("en")
    assert config["axis"]["labelFontSize"] == 14
    assert config["locale"]["number"]["decimal"] == ","
    assert "locale" not in chart.to_dict()["config"]


def test_a_spec_gets_the_locale_of_the_language_of_the_run() -> None:
    set_language("da")
    try:
        spec = localised({"mark": "bar"})
    finally:
        set_language("en")
    assert spec["config"]["locale"]["time"]["months"][0] == "januar"
