"""How a phone follows the trainer through a live quiz: the page reruns when the run moves on.

One interface, `follow(state)`, and two ways behind it, chosen per process by the environment
variable SMM_LIVE_FOLLOW (read once, at import):

- "poll": a fragment that runs every POLL_SECONDS, reads the run through the
  process-wide cache (services.live.cached_run_state: 300 phones cost one query per interval) and
  reruns the view (the page's live fragment) when the run's version or effective phase differs from the ones the page
  was built with (an open question past its deadline reads as closed without a new version).
- "push" (the default; benchmarks/README.md, "Live quiz load", says why): a small component that
  opens an EventSource on the route GET /live/events
  (views/live_events.py) and asks for a rerun when the route says the run moved on. The route
  watches each run once per process. The browser's EventSource reconnects by itself after a phone
  slept or the network dropped; the url carries the version and phase the page was built with, so
  a reconnection to a run that moved on meanwhile gets its event at once.

`wait_for_run(workshop_id)` follows a workshop that has no live quiz going yet, by polling the
cached id of its current run (both modes).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from services import live
from storage.errors import UNAVAILABLE_ERRORS
from views import state as page_state

FOLLOW_ENV: Final = "SMM_LIVE_FOLLOW"
POLL: Final = "poll"
PUSH: Final = "push"
MODES: Final = (POLL, PUSH)
DEFAULT_MODE: Final = PUSH
POLL_SECONDS: Final = 1.0
VIEW_FRAGMENT: Final = "live_view"  # the key of the phone's view fragment (views/live.py)
EVENTS_PATH: Final = "live/events"  # relative to the site's root; views/live_events.py serves it

log = logging.getLogger(__name__)


def mode_from(environ: Mapping[str, str]) -> str:
    """The follow mode an environment asks for; the default for none or an unknown one (logged)."""
    raw = environ.get(FOLLOW_ENV, "").strip().lower()
    if raw in MODES:
        return raw
    if raw:
        log.warning("%s=%r is neither %s; following by %s", FOLLOW_ENV, raw, " nor ".join(MODES), DEFAULT_MODE)
    return DEFAULT_MODE


MODE: Final = mode_from(os.environ)


@dataclass(frozen=True)
class Mark:
    """What a page was built from: the run's version and its effective phase at that moment."""

    run_id: int
    version: int
    phase: str


def mark_of(state: live.RunState) -> Mark:
    return Mark(state.run_id, state.version, state.phase.value)


def moved(built: Mark, now: live.RunState | None) -> bool:
    """True when the page built from `built` no longer shows the run as it is (`now`): another
    version, another effective phase (a deadline passed), or the run is gone."""
    if now is None:
        return True
    return (now.run_id, now.version, now.phase.value) != (built.run_id, built.version, built.phase)


def rerun_view() -> None:
    """Run the phone's view again (views/live.py's fragment): only the fragment when this is a run of
    it (a click, a follow event), the whole page when it runs as part of a full run (a click that
    reached the server while a full run was going is handled in the full run that follows)."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def events_url(built: Mark) -> str:
    """The route's url for a page built from `built`, relative to the site's root."""
    return f"{EVENTS_PATH}?run={built.run_id}&v={built.version}&p={built.phase}"


def follow(state: live.RunState) -> None:
    """Rerun the page when the run moves on from `state` (the state the page was built from)."""
    built = mark_of(state)
    if MODE == PUSH:
        _push(built)
    else:
        _poll_run(built)


@st.fragment(run_every=POLL_SECONDS)
def _poll_run(built: Mark) -> None:
    try:
        now = live.cached_run_state(page_state.engine(), built.run_id)
    except UNAVAILABLE_ERRORS:
        log.warning("database unavailable while following live run %s; trying again", built.run_id)
        return
    if moved(built, now):
        _rerun_enclosing_view()


def _rerun_enclosing_view() -> None:
    """From the poll timer's fragment, nested in the phone's view (views/live.py, the fragment with
    the key VIEW_FRAGMENT): a run of the view's fragment only, not of the whole page. Streamlit offers
    `st.rerun(scope="fragment")` (the timer's own fragment, which draws nothing) and a keyed rerun
    from widget callbacks only, so this asks for the rerun as `st.rerun` does, with the view's
    fragment as the one to run. Without that fragment (a page that follows without it) or if
    Streamlit's internals differ: the whole page, as before."""
    ctx = get_script_run_ctx()
    try:
        assert ctx is not None and ctx.script_requests is not None
        queue = ctx.fragment_storage.resolve_target(VIEW_FRAGMENT)
        request = RerunData(
            query_string=ctx.query_string,
            page_script_hash=ctx.page_script_hash,
            fragment_id_queue=queue,
            is_fragment_scoped_rerun=True,
            cached_message_hashes=ctx.cached_message_hashes,
            context_info=ctx.context_info,
        )
    except (AssertionError, AttributeError, TypeError, StreamlitAPIException):
        st.rerun(scope="app")
    ctx.script_requests.request_rerun(request)
    st.empty()  # the script runner takes the request at its next element: it stops this run here
    st.rerun(scope="app")  # not reached while the request above was taken


@st.fragment(run_every=POLL_SECONDS)
def _poll_workshop(workshop_id: int) -> None:
    try:
        run_id = live.cached_current_run_id(page_state.engine(), workshop_id)
    except UNAVAILABLE_ERRORS:
        log.warning("database unavailable while waiting for a live run in workshop %s", workshop_id)
        return
    if run_id is not None:
        st.rerun(scope="app")


def wait_for_run(workshop_id: int) -> None:
    """Rerun the page when the workshop's trainer starts a live quiz."""
    _poll_workshop(workshop_id)


# The push component. On each call (a new page build brings a new url) it keeps the EventSource of
# the same url or replaces it; any event of the stream asks for a rerun. An EventSource closed for
# good (the server refused the url, e.g. a restart that lost the run for a moment) is opened again
# after a few seconds. The cleanup closes it when the page drops the component.
_FOLLOW_JS = """
const sources = new WeakMap();
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  if (!data || typeof data.url !== 'string') return;
  const url = new URL(data.url, document.baseURI).href;
  const held = sources.get(parentElement);
  if (held && held.url === url) return held.close;
  if (held) { held.close(); }
  let source = null;
  let timer = null;
  let closed = false;
  const open = () => {
    if (closed) return;
    source = new EventSource(url);
    source.onmessage = (event) => { setTriggerValue('changed', String(event.data)); };
    source.onerror = () => {
      if (source && source.readyState === EventSource.CLOSED && !closed) {
        timer = setTimeout(open, 3000);
      }
    };
  };
  const close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
    if (source) source.close();
    if (sources.get(parentElement) === entry) sources.delete(parentElement);
  };
  const entry = { url, close };
  sources.set(parentElement, entry);
  open();
  return close;
}
"""
COMPONENT_NAME: Final = "smm_live_follow"
_follow_component = st.components.v2.component(COMPONENT_NAME, js=_FOLLOW_JS)


def _push(built: Mark) -> None:
    # Without a key (as views/widgets.rerun_on_reconnect): its id changes with its data, which is
    # what a new page build needs anyway; nothing reads its state.
    _follow_component(
        data={"url": events_url(built), "run": built.run_id, "version": built.version, "phase": built.phase},
        on_changed_change=lambda: None,
        height=0,
    )
