"""A small client of Streamlit's browser protocol, for load tests: one websocket per participant.

It speaks to `ws://HOST:PORT/_stcore/stream` as the Streamlit 1.67 frontend does
(`frontend/app/src/App.tsx` `sendRerunBackMsg`, `connection/WebsocketConnection.tsx`):

- the websocket offers the subprotocols `streamlit` and the XSRF token (a placeholder, as the frontend
  sends when it has no cookie; the app uses no auth), and the last session id on a reconnect;
- every run is asked for with `BackMsg.rerun_script`, whose `ClientState` carries the page's query
  string, the widget states of every widget the last run drew (the value the browser holds; a button's
  `trigger_value` only in the run its click asks for), the page's script hash (on the first run of a
  session none, with the page name taken from the URL path instead), the `context_info` a browser
  sends (timezone, locale, URL) and the hashes of the cacheable messages it holds, so that the server
  may answer with `ref_hash` references to them;
- it reads `ForwardMsg`s until the run's `script_finished`; `FINISHED_EARLY_FOR_RERUN` (`st.rerun`,
  `st.switch_page`) is followed to the end of the run that the server starts next. It keeps the query
  string from `page_info_changed`, the pages from `navigation`, the current page from `new_session`,
  and the page's elements from the deltas (by delta path; a new run replaces the previous run's).

Exceptions (exception deltas, script compilation errors), error boxes (`st.error`), `page_not_found`,
a run that does not finish in time and a websocket that fails are recorded in `Session.errors`, warnings
(`st.warning`) in `Session.warnings`; the caller says which alert texts are content (e.g. a quiz's
"Not right." feedback). Nothing is answered that a page does not ask for: components (`st.html`,
`st.components.v2`) get no reply of their own: the caller sets a component's value with `rerun(states=...)`
as the component's JavaScript would. `auto_rerun` (fragments with `run_every`) is recorded in
`Session.auto_reruns` (fragment id -> interval) and played only when the caller asks, with
`rerun_fragment`, as the frontend's timer does; a fragment's run replaces only the fragment's elements,
and a widget drawn by a fragment asks for a run of that fragment, as in the browser.
A login cookie goes with the websocket's handshake (`cookies=`), as a browser sends the site's cookies.

    session = Session("http://127.0.0.1:8501")
    await session.connect()
    await session.run("/?t=TOKEN")
    await session.set_radio(session.radios()[0], "Partly")
    await session.click("Next →")
    print(session.text())
    await session.close()
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Checkbox_pb2 import Checkbox
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

# What the frontend sends as the XSRF entry when it has no token (App.getSessionTokens).
PLACEHOLDER_AUTH_TOKEN = "PLACEHOLDER_AUTH_TOKEN"
DEFAULT_TIMEOUT = 180.0

# Element types that are widgets, and the WidgetState field each one's value goes in.
_VALUE_FIELDS = {
    "radio": "string_value",
    "selectbox": "string_value",
    "checkbox": "bool_value",
    "toggle": "bool_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "number_input": "double_value",
    "multiselect": "string_array_value",
}
_TRIGGERS = {"button", "download_button"}


class ProtocolError(RuntimeError):
    """The server did something a browser would not accept (a cache miss, a closed socket mid-run)."""


class RunTimeout(ProtocolError):
    """A run did not reach `script_finished` within the session's timeout."""


@dataclass
class Widget:
    """One widget of the current page, with the value the browser holds for it."""

    id: str
    kind: str  # radio, selectbox, checkbox, toggle, text_input, text_area, number_input, multiselect, button, ...
    label: str
    options: list[str]
    value: Any
    form_id: str
    path: tuple[int, ...]
    disabled: bool
    is_form_submitter: bool = False
    script_hash: str = ""  # the script that drew it: the page's, or the main script's (app.py)
    fragment_id: str = ""  # the fragment that drew it: its changes run that fragment only

    @property
    def key(self) -> str:
        """The user key of a widget with one (`$$ID-<hash>-<key>`), else ''."""
        if self.id.startswith("$$ID-"):
            parts = self.id.split("-", 2)
            return parts[2] if len(parts) == 3 else ""
        return ""


@dataclass
class PageLink:
    label: str
    page: str
    page_script_hash: str
    query_string: str
    external: bool
    path: tuple[int, ...]


@dataclass
class RunStats:
    """What one interaction cost as the client saw it."""

    seconds: float = 0.0
    runs: int = 0  # script runs followed to the end (2 for a switch_page or st.rerun)
    messages: int = 0
    bytes: int = 0


@dataclass
class _Element:
    kind: str
    proto: Any
    script_hash: str
    fragment_id: str = ""


@dataclass
class _Waiter:
    future: asyncio.Future[None]
    runs: int = 0
    messages: int = 0
    bytes: int = 0


@dataclass
class _Cached:
    msg: ForwardMsg
    last_run: int


class Session:
    """One browser tab: a websocket session, the page it shows, and the widget values it holds."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        locale: str = "en-US",
        timezone: str = "Europe/Amsterdam",
        timezone_offset: int = -60,
        expected_alerts: Collection[str] = (),
        name: str = "",
        cookies: dict[str, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path.rstrip("/")
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.stream_url = f"{scheme}://{parts.netloc}{self.base_path}/_stcore/stream"
        self.timeout = timeout
        self.locale, self.timezone, self.timezone_offset = locale, timezone, timezone_offset
        self.expected_alerts = tuple(expected_alerts)
        self.name = name
        self.cookies = dict(cookies or {})

        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.url_path = "/"
        self.query_string = ""
        self.page_script_hash = ""
        self.main_script_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.page_paths: dict[str, str] = {}  # page_script_hash -> url_pathname
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds, as the last full run asked
        self.last = RunStats()

        self._elements: dict[tuple[int, ...], _Element] = {}
        self._blocks: dict[tuple[int, ...], Any] = {}
        self._values: dict[str, Any] = {}  # widget id -> value the browser holds
        self._cache: dict[str, _Cached] = {}
        self._max_cached_age = 2
        self._run_count = 0
        self._waiter: _Waiter | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed_reason: str | None = None

    # Connection ------------------------------------------------------------------------------

    async def connect(self) -> None:
        subprotocols = [Subprotocol("streamlit"), Subprotocol(PLACEHOLDER_AUTH_TOKEN)]
        if self.session_id:  # a reconnect asks for the same server session
            subprotocols.append(Subprotocol(self.session_id))
        try:
            self.ws = await asyncio.wait_for(
                connect(
                    self.stream_url,
                    subprotocols=subprotocols,
                    origin=self.origin,  # type: ignore[arg-type]
                    max_size=None,  # a browser takes any size
                    ping_interval=None,  # browsers send no pings; the server's are answered
                    open_timeout=None,
                    close_timeout=2,
                    additional_headers=self._cookie_header(),
                ),
                self.timeout,
            )
        except (OSError, WebSocketException, asyncio.TimeoutError) as error:
            self._record_error(f"websocket connect failed: {error!r}")
            raise ProtocolError(f"websocket connect failed: {error!r}") from error
        self._closed_reason = None
        self._reader = asyncio.create_task(self._read())

    def _cookie_header(self) -> dict[str, str] | None:
        if not self.cookies:
            return None
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._reader
        self.ws = None
        self._reader = None

    # Driving the page -------------------------------------------------------------------------

    async def run(self, path_and_query: str = "/") -> RunStats:
        """Open a URL in this tab, as typing it in the address bar (or following a link from outside) does."""
        parts = urlsplit(path_and_query)
        path = parts.path or "/"
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :] or "/"
        self.url_path = path
        self.query_string = parts.query
        self.page_script_hash = ""
        self._values.clear()
        return await self._rerun(page_script_hash="", page_name=path.strip("/"))

    async def rerun(
        self, triggers: Iterable[str] = (), states: dict[str, tuple[str, Any]] | None = None, fragment_id: str = ""
    ) -> RunStats:
        """Ask for a run of the current page with the widget values held (and these buttons clicked).
        `states` sends other widget states as well, by widget id: (WidgetState field, value), e.g. a
        component's `("json_value", "...")`, as its JavaScript sets them. `fragment_id`: the fragment
        that drew the widget whose state changed (`fragment_of`), whose run the frontend asks for."""
        return await self._rerun(
            page_script_hash=self.page_script_hash, triggers=set(triggers), states=states, fragment_id=fragment_id
        )

    async def rerun_fragment(self, fragment_id: str) -> RunStats:
        """The run a fragment's `run_every` timer asks for (the frontend's auto-rerun): only that fragment
        runs, unless it calls `st.rerun()`, whose full run is followed to its end."""
        return await self._rerun(page_script_hash=self.page_script_hash, fragment_id=fragment_id, auto=True)

    async def set_value(self, widget: Widget | str, value: Any) -> RunStats:
        """Change a widget's value and run, as a click or a typed value outside a form does."""
        found = self.widget(widget) if isinstance(widget, str) else widget
        if found.form_id:
            raise ValueError(f"{found.label!r} is in a form: fill() it, then click() the form's submit button")
        self._values[found.id] = value
        return await self._rerun(page_script_hash=self.page_script_hash, fragment_id=found.fragment_id)

    def fill(self, widget: Widget | str, value: Any) -> None:
        """Change a widget's value without a run (a widget in a form waits for the submit button)."""
        found = self.widget(widget) if isinstance(widget, str) else widget
        self._values[found.id] = value

    async def set_radio(self, widget: Widget | str, option_label: str) -> RunStats:
        found = self.widget(widget, kind="radio") if isinstance(widget, str) else widget
        if option_label not in found.options:
            raise ValueError(f"{option_label!r} is not an option of {found.label!r}: {found.options}")
        return await self.set_value(found, option_label)

    async def click(self, button: Widget | str) -> RunStats:
        """Click a button (a form's submit button sends the form's filled values with it)."""
        found = self.widget(button, kind="button") if isinstance(button, str) else button
        if found.disabled:
            raise ValueError(f"button {found.label!r} is disabled")
        return await self._rerun(
            page_script_hash=self.page_script_hash, triggers={found.id}, fragment_id=found.fragment_id
        )

    async def follow(self, link: PageLink | str) -> RunStats:
        """Click an `st.page_link`: the linked page with the link's query string."""
        found = self.page_link(link) if isinstance(link, str) else link
        if found.external:
            raise ValueError(f"{found.label!r} leads out of the app")
        return await self._change_page(found.page_script_hash, found.query_string)

    async def navigate(self, url_pathname: str) -> RunStats:
        """Choose a page in the navigation menu (no query string, as the menu's links have none)."""
        if url_pathname not in self.pages:
            raise ValueError(f"no page {url_pathname!r} in the navigation: {sorted(self.pages)}")
        return await self._change_page(self.pages[url_pathname], "")

    # Reading the page ------------------------------------------------------------------------

    def widgets(self, kind: str | None = None) -> list[Widget]:
        found = []
        for path in sorted(self._elements):
            element = self._elements[path]
            if element.kind not in _VALUE_FIELDS and element.kind not in _TRIGGERS:
                continue
            if kind is not None and element.kind != kind:
                continue
            found.append(self._widget(path, element))
        return found

    def widget(self, which: Widget | str, kind: str | None = None) -> Widget:
        """A widget by its label (or its id), the first one in page order."""
        if isinstance(which, Widget):
            return which
        for widget in self.widgets(kind):
            if which in (widget.label, widget.id):
                return widget
        labels = [(w.kind, w.label) for w in self.widgets()]
        raise LookupError(f"no {kind or 'widget'} {which!r} on the page ({self.url_path}); widgets: {labels}")

    def radios(self) -> list[Widget]:
        return self.widgets("radio")

    def components(self) -> list[tuple[str, Any]]:
        """(widget id, proto) of every custom component on the page (`st.components.v2`, v1), page order."""
        return [
            (e.proto.id, e.proto)
            for _path, e in sorted(self._elements.items())
            if e.kind in ("bidi_component", "component_instance")
        ]

    def fragment_of(self, widget_id: str) -> str:
        """The fragment that drew the element with this id ("" for none, or no such element)."""
        for element in self._elements.values():
            if getattr(element.proto, "id", None) == widget_id:
                return element.fragment_id
        return ""

    def buttons(self) -> list[Widget]:
        return self.widgets("button")

    def has_widget(self, label: str, kind: str | None = None) -> bool:
        return any(w.label == label for w in self.widgets(kind))

    def page_links(self) -> list[PageLink]:
        links = []
        for path in sorted(self._elements):
            element = self._elements[path]
            if element.kind == "page_link":
                link = element.proto
                links.append(
                    PageLink(link.label, link.page, link.page_script_hash, link.query_string, link.external, path)
                )
        return links

    def page_link(self, which: str) -> PageLink:
        """A page link by its label, or the first whose label starts with `which`."""
        links = self.page_links()
        for link in links:
            if link.label == which:
                return link
        for link in links:
            if link.label.startswith(which):
                return link
        raise LookupError(f"no page link {which!r} on {self.url_path}; links: {[link.label for link in links]}")

    def alerts(self) -> list[tuple[str, str]]:
        """(kind, body) of every alert on the page: error, warning, info, success."""
        return [
            (Alert.Format.Name(e.proto.format).lower(), e.proto.body)
            for _path, e in sorted(self._elements.items())
            if e.kind == "alert"
        ]

    def text(self) -> str:
        """The page's text in page order: titles, markdown, alerts, captions, code, progress labels."""
        lines = []
        for _path, element in sorted(self._elements.items()):
            proto, kind = element.proto, element.kind
            if kind in ("heading", "markdown", "alert", "text"):
                lines.append(proto.body)
            elif kind == "code":
                lines.append(proto.code_text)
            elif kind == "progress" and proto.text:
                lines.append(proto.text)
            elif kind == "metric":
                lines.append(f"{proto.label}: {proto.body}")
            elif kind == "exception":
                lines.append(f"{proto.type}: {proto.message}")
        return "\n".join(lines)

    @property
    def page_path(self) -> str:
        """The current page's url_pathname ('' for the default page)."""
        return self.page_paths.get(self.page_script_hash, self.url_path.strip("/"))

    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    # Internals -------------------------------------------------------------------------------

    def _widget(self, path: tuple[int, ...], element: _Element) -> Widget:
        proto, kind = element.proto, element.kind
        options = list(getattr(proto, "options", []))
        return Widget(
            id=proto.id,
            kind=kind,
            label=proto.label,
            options=options,
            value=self._values.get(proto.id),
            form_id=getattr(proto, "form_id", ""),
            path=path,
            disabled=bool(getattr(proto, "disabled", False)),
            is_form_submitter=bool(getattr(proto, "is_form_submitter", False)),
            script_hash=element.script_hash,
            fragment_id=element.fragment_id,
        )

    async def _change_page(self, page_script_hash: str, query_string: str) -> RunStats:
        # App.onPageChange: only the main script's widgets go along (the old page's are cleared), and the
        # query string becomes the link's.
        self.query_string = query_string
        return await self._rerun(page_script_hash=page_script_hash, only_main_script=True)

    def _client_state_widgets(self, back: BackMsg, triggers: set[str], only_main_script: bool) -> None:
        for path in sorted(self._elements):
            element = self._elements[path]
            if only_main_script and element.script_hash != self.main_script_hash:
                continue
            widget_id = getattr(element.proto, "id", "")
            if element.kind in _TRIGGERS:
                if widget_id in triggers:
                    state = back.rerun_script.widget_states.widgets.add()
                    state.id = widget_id
                    state.trigger_value = True
                continue
            field_name = _VALUE_FIELDS.get(element.kind)
            if field_name is None:
                continue
            state = back.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            value = self._values.get(widget_id)
            if value is None:
                continue  # a cleared value: the id alone
            if field_name == "string_array_value":
                state.string_array_value.data.extend(value)
            else:
                setattr(state, field_name, value)

    async def _rerun(
        self,
        page_script_hash: str,
        page_name: str = "",
        triggers: set[str] | None = None,
        only_main_script: bool = False,
        states: dict[str, tuple[str, Any]] | None = None,
        fragment_id: str = "",
        auto: bool = False,
    ) -> RunStats:
        if self.ws is None:
            raise ProtocolError("not connected")
        if self._waiter is not None:
            raise ProtocolError("a run is already in progress")
        back = BackMsg()
        client_state = back.rerun_script
        client_state.query_string = self.query_string
        client_state.page_script_hash = page_script_hash
        client_state.page_name = page_name
        self._client_state_widgets(back, triggers or set(), only_main_script)
        for widget_id, (field_name, value) in (states or {}).items():
            state = back.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            setattr(state, field_name, value)
        if fragment_id:  # a widget of a fragment, or its run_every timer: that fragment runs
            client_state.fragment_id = fragment_id
            client_state.is_auto_rerun = auto
        client_state.cached_message_hashes.extend(self._cache)
        info = client_state.context_info
        info.timezone = self.timezone
        info.timezone_offset = self.timezone_offset
        info.locale = self.locale
        info.url = self._url()
        info.is_embedded = False
        info.color_scheme = "light"
        waiter = _Waiter(asyncio.get_running_loop().create_future())
        self._waiter = waiter
        started = time.perf_counter()
        try:
            await self.ws.send(back.SerializeToString())
            await asyncio.wait_for(asyncio.shield(waiter.future), self.timeout)
        except asyncio.TimeoutError as error:
            self._record_error(f"timeout: no script_finished within {self.timeout:.0f} s")
            raise RunTimeout(f"{self.name}: no script_finished within {self.timeout:.0f} s") from error
        except WebSocketException as error:
            self._record_error(f"websocket failed: {error!r}")
            raise ProtocolError(f"websocket failed: {error!r}") from error
        finally:
            self._waiter = None
        self.last = RunStats(time.perf_counter() - started, waiter.runs, waiter.messages, waiter.bytes)
        return self.last

    def _url(self) -> str:
        query = f"?{self.query_string}" if self.query_string else ""
        return f"{self.origin}{self.base_path}{self.url_path}{query}"

    def _record_error(self, what: str) -> None:
        self.errors.append(f"{self.url_path}: {what}")

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                if isinstance(raw, str):
                    raise ProtocolError("text frame from the server")
                self._handle(raw)
            self._closed_reason = "the server closed the websocket"
        except WebSocketException as error:
            self._closed_reason = f"websocket failed: {error!r}"
        except ProtocolError as error:
            self._closed_reason = str(error)
        except Exception as error:  # a bug here must not hang the waiter
            self._closed_reason = f"client failed reading a message: {error!r}"
        if self._waiter is not None and not self._waiter.future.done():
            self._record_error(self._closed_reason or "websocket closed")
            self._waiter.future.set_exception(ProtocolError(self._closed_reason or "websocket closed"))

    def _handle(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        waiter = self._waiter
        if waiter is not None:
            waiter.messages += 1
            waiter.bytes += len(raw)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"cached ForwardMsg miss for hash {msg.ref_hash}")
            cached.last_run = self._run_count
            resolved = ForwardMsg()
            resolved.CopyFrom(cached.msg)
            resolved.metadata.CopyFrom(msg.metadata)
            msg, kind = resolved, resolved.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = _Cached(msg, self._run_count)

        if kind == "new_session":
            self._on_new_session(msg)
        elif kind == "delta":
            self._on_delta(msg)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            self._on_navigation(msg)
        elif kind == "script_finished":
            self._on_script_finished(msg)
        elif kind == "page_not_found":
            self._record_error(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            if msg.session_event.HasField("script_compilation_exception"):
                problem = msg.session_event.script_compilation_exception
                self._record_error(f"script compilation error: {problem.type}: {problem.message}")
        elif kind == "auto_rerun":
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":  # fragments a fragment's run no longer drew: their timers end
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment_id, None)
        # page_config_changed, session_status_changed, page_profile, logo, git_info_changed,
        # parent_message, heartbeat_ack: nothing a participant acts on.

    def _on_new_session(self, msg: ForwardMsg) -> None:
        new = msg.new_session
        if new.initialize.session_id:
            self.session_id = new.initialize.session_id
        if new.config.max_cached_message_age:
            self._max_cached_age = new.config.max_cached_message_age
        self.main_script_hash = new.main_script_hash
        self.page_script_hash = new.page_script_hash
        if new.app_pages:
            self._set_pages(new.app_pages)
        if msg.metadata.run.fragment_ids:
            return  # a fragment's run redraws the fragment's elements only; the rest of the page stays
        self.auto_reruns.clear()  # the frontend's timers end with the page they ran on; a full run sets them again
        # A new run draws the page afresh; what the last run drew and this one does not goes away.
        self._elements.clear()
        self._blocks.clear()

    def _on_navigation(self, msg: ForwardMsg) -> None:
        navigation = msg.navigation
        self._set_pages(navigation.app_pages)
        if navigation.page_script_hash:
            self.page_script_hash = navigation.page_script_hash
        path = self.page_paths.get(self.page_script_hash)
        if path is not None:
            self.url_path = "/" + path

    def _set_pages(self, pages: Iterable[Any]) -> None:
        for page in pages:
            # The first page with a path wins: a hidden duplicate of the default page ("start") keeps its own.
            self.pages.setdefault(page.url_pathname, page.page_script_hash)
            self.page_paths.setdefault(page.page_script_hash, page.url_pathname)

    def _on_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "add_block":
            self._blocks[path] = delta.add_block
            # A block replaces whatever was at its path, and everything below it.
            for stale in [p for p in self._elements if p[: len(path)] == path]:
                del self._elements[stale]
            return
        if which != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type") or ""
        proto = getattr(element, kind) if kind else None
        if kind == "checkbox" and proto.type == Checkbox.StyleType.TOGGLE:
            kind = "toggle"
        self._elements[path] = _Element(kind, proto, msg.metadata.active_script_hash, delta.fragment_id)
        if kind in _VALUE_FIELDS:
            self._take_widget_value(kind, proto)
        elif kind == "exception":
            self._record_error(f"exception on the page: {proto.type}: {proto.message}")
        elif kind == "alert":
            self._check_alert(proto)

    def _take_widget_value(self, kind: str, proto: Any) -> None:
        """The value the frontend shows: the server's when it sets one, else the one the browser already
        holds for this widget id, else the widget's default."""
        widget_id = proto.id
        if proto.set_value:
            self._values[widget_id] = _set_value_of(kind, proto)
        elif widget_id not in self._values:
            self._values[widget_id] = _default_of(kind, proto)

    def _check_alert(self, alert: Any) -> None:
        if alert.format not in (Alert.Format.ERROR, Alert.Format.WARNING):
            return
        if any(alert.body.startswith(expected) for expected in self.expected_alerts):
            return
        where = "error box" if alert.format == Alert.Format.ERROR else "warning box"
        if alert.format == Alert.Format.ERROR:
            self._record_error(f"{where}: {alert.body[:200]}")
        else:
            self.warnings.append(f"{self.url_path}: {where}: {alert.body[:200]}")

    def _on_script_finished(self, msg: ForwardMsg) -> None:
        status = msg.script_finished
        waiter = self._waiter
        if waiter is not None:
            waiter.runs += 1
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # the server runs again (st.rerun, st.switch_page): wait for that run's end
        # The frontend forgets the widget values of widgets the finished run did not draw
        # (removeInactiveWidgetState) and ages its message cache (incrementRunCount).
        drawn = {getattr(e.proto, "id", None) for e in self._elements.values()}
        for widget_id in [w for w in self._values if w not in drawn]:
            del self._values[widget_id]
        self._run_count += 1
        for hash_, cached in list(self._cache.items()):
            if self._run_count - cached.last_run > self._max_cached_age:
                del self._cache[hash_]
        if waiter is not None and not waiter.future.done():
            waiter.future.set_result(None)


def _default_of(kind: str, proto: Any) -> Any:
    if kind in ("radio", "selectbox"):
        return proto.options[proto.default] if proto.HasField("default") and proto.options else None
    if kind in ("checkbox", "toggle"):
        return bool(proto.default)
    if kind in ("text_input", "text_area"):
        return proto.default if proto.HasField("default") else None
    if kind == "number_input":
        return proto.default if proto.HasField("default") else None
    if kind == "multiselect":
        return [proto.options[i] for i in proto.default]
    return None


def _set_value_of(kind: str, proto: Any) -> Any:
    if kind in ("radio", "selectbox"):
        return proto.raw_value if proto.HasField("raw_value") else None
    if kind in ("checkbox", "toggle"):
        return bool(proto.value)
    if kind in ("text_input", "text_area", "number_input"):
        return proto.value if proto.HasField("value") else None
    if kind == "multiselect":
        return list(proto.raw_values)
    return None
