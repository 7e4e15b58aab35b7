"""What a server process does once at start, before its first visitor: import what the pages need,
load the model, the course and the database engine, then freeze the objects that live as long as
the process so Python's full collections stop walking them.

Called from the server entry (serve.py) while Streamlit's runtime is up but before the server
accepts a connection. Without it, the first visitor of each page in each process waits for that
page's imports (the results page: pyarrow, which pulls in pandas, and vl-convert, about one second)
and for the content to load, and every full collection walks every object those imports made.
"""

from __future__ import annotations

import gc
import importlib
import threading
import time
from dataclasses import dataclass

import pyarrow
from streamlit.logger import get_logger

from content.problems import ContentError
from i18n import available_languages, babel_locale, translations
from storage.errors import UNAVAILABLE_ERRORS, SchemaError

# The modules pages import on their first run in a process, heaviest first. Page scripts are not
# here: importing one would run it.
PRELOADED = (
    "pyarrow",  # the results tables; building an Arrow array imports pandas too
    "pandas",
    "vl_convert",  # the chart downloads
    "reporting.export",
    "reporting.gaps",
    "reporting.headline",
    "reporting.radar",
    "reporting.tables",
    "learning.path",
    "views.messages",
    "views.results_widgets",
    "views.state",
    "views.widgets",
)

_LOG = get_logger(__name__)  # Streamlit's level and format: the ready line shows in the server's log


@dataclass(frozen=True)
class Warmed:
    seconds: float
    frozen_objects: int
    problems: tuple[str, ...]  # what could not be loaded; the pages show it to visitors as they do now


def warm_up() -> Warmed:
    """Import, load and connect what every process needs, then gc.freeze() what that left alive.

    A content or database problem does not stop the server: it is logged here, and the pages show
    their own message for it, as they do when it appears later."""
    started = time.perf_counter()
    for name in PRELOADED:
        importlib.import_module(name)
    from views import state  # after the imports above: it is one of them

    problems: list[str] = []
    try:
        state.model()
        state.course()
    except ContentError as error:
        problems.append(f"content: {error}")
    try:
        state.engine()  # the pool, and the schema check the first run would otherwise make
    except (SchemaError, *UNAVAILABLE_ERRORS) as error:
        problems.append(f"database: {error}")
    for language in available_languages():
        translations(language)
        babel_locale(language).number_symbols  # noqa: B018 - reading one loads the locale's CLDR data
    pyarrow.table({"warm": ["up"]})  # the first Arrow array from Python loads pyarrow's pandas shim
    # Collect first, so that no garbage is frozen: frozen objects are never collected.
    gc.collect()
    gc.freeze()
    warmed = Warmed(time.perf_counter() - started, gc.get_freeze_count(), tuple(problems))
    for problem in warmed.problems:
        _LOG.warning("start-up: %s", problem)
    _LOG.info(
        "start-up: ready in %.2f s; %d objects frozen out of full collections", warmed.seconds, warmed.frozen_objects
    )
    return warmed


def warm_dashboards() -> None:
    """In the background, once the process serves: read the open measurement waves into the
    dashboard's cache (services.dashboard.warm_open_waves), so the first manager to open a large
    wave does not wait for it. A failure only costs that first view its speed; it is logged."""

    def work() -> None:
        from services import dashboard
        from views import state

        started = time.perf_counter()
        try:
            waves = dashboard.warm_open_waves(state.engine(), state.model())
        except Exception:  # noqa: BLE001 - a warm-up that fails leaves the cache to fill on first view
            _LOG.warning("start-up: the dashboard's open waves were not read ahead", exc_info=True)
            return
        _LOG.info("start-up: %d open measurement waves read ahead in %.2f s", waves, time.perf_counter() - started)

    threading.Thread(target=work, name="warm-dashboards", daemon=True).start()
