"""Charts on the page in the visit's language: every chart goes through `localised` before Streamlit
draws it, so its axis numbers and dates use the language's separators and month names
(reporting.chart_locale)."""

from __future__ import annotations

from typing import Any, TypeVar

import altair as alt

from i18n import current_language
from reporting.chart_locale import chart_locale, with_locale

ChartOrSpec = TypeVar("ChartOrSpec", alt.TopLevelMixin, dict[str, Any])


def localised(chart: ChartOrSpec) -> ChartOrSpec:
    """The chart (an Altair chart or a Vega-Lite spec) with `config.locale` of the active language."""
    language = current_language()
    if isinstance(chart, dict):
        return with_locale(chart, language)
    copy = chart.copy(deep=False)
    config = copy.config.copy(deep=False) if isinstance(copy.config, alt.Config) else alt.Config()
    config.locale = chart_locale(language)
    copy.config = config
    return copy
