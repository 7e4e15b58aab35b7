"""Browser fixtures: the real site in a `streamlit run` subprocess, driven by headless Chromium.

The server runs once per session on a free port with its own SQLite file; `restart_server`
stops it and starts it again on the same port and database (answers must survive that).
Pages come in two sizes, desktop and phone. The helpers at the bottom wait for Streamlit
to finish a run instead of sleeping.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.stored import store_rounds

PROJECT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SERVER_START_TIMEOUT = 60.0
UI_TIMEOUT_MS = 20_000
SCREENSHOT_DIR = PROJECT / "screenshots"


# The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamlitServer:
    """`streamlit run serve.py` (the served entry: app.py with its start-up work) as a subprocess
    on a fixed port and SQLite file."""

    def __init__(self, port: int, database: Path, log_dir: Path) -> None:
        self.port = port
        self.database = database
        self.log_dir = log_dir
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._stderr_path: Path | None = None

    def start(self) -> None:
        assert self.process is None, "the server is already running"
        self.starts += 1
        env = os.environ.copy()
        env["SMM_SQLITE_PATH"] = str(self.database)
        env.pop("SMM_DATABASE_URL", None)  # always this test's SQLite file, never a configured database
        command = [
            sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.port", str(self.port),
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self._stderr_path = self.log_dir / f"streamlit-{self.starts}.stderr.log"
        stdout_path = self.log_dir / f"streamlit-{self.starts}.stdout.log"
        with open(stdout_path, "wb") as stdout, open(self._stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=stdout, stderr=stderr)
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                pytest.fail(f"the Streamlit server exited with code {code} while starting.\n{self.stderr()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    body = response.read().decode("utf-8", "replace").strip()
                if body == "ok":
                    return
                last_error = f"health check answered {body!r}"
            except (urllib.error.URLError, OSError) as error:
                last_error = str(error)
            time.sleep(0.2)
        self.stop()
        pytest.fail(
            f"the Streamlit server did not answer {self.url}/_stcore/health with 'ok' within "
            f"{SERVER_START_TIMEOUT:.0f} s (last: {last_error}).\n{self.stderr()}"
        )

    def stderr(self) -> str:
        if self._stderr_path is None or not self._stderr_path.exists():
            return "(no stderr captured)"
        text = self._stderr_path.read_text(encoding="utf-8", errors="replace")
        return "server stderr (last 4000 characters):\n" + (text[-4000:] or "(empty)")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Stop and start again: same port, same database, a fresh process (no session state, no caches)."""
        self.stop()
        self.start()

    def freeze(self) -> None:
        """SIGSTOP: the server hangs; what the browser sends meanwhile waits in its socket."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        """SIGKILL, as a crash or an impatient redeploy does: nothing in flight is finished."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    work = tmp_path_factory.mktemp("streamlit")
    database = work / "assessment.sqlite3"
    # As scripts/serve does with `python -m storage upgrade`: the site refuses a schema that is behind.
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    running = StreamlitServer(free_port(), database, work)
    running.start()
    try:
        yield running
    finally:
        running.stop()
    # Checked once the server is down, so the log is complete; a failure here shows as an error
    # in the teardown of the run's last test.
    warnings = deprecation_warnings(work)
    if warnings:
        pytest.fail(
            f"the server logged {len(warnings)} deprecation warning(s) during this browser test run; "
            "replace the deprecated call (a later Streamlit removes it):\n" + "\n".join(warnings[:5]),
            pytrace=False,
        )


DEPRECATION = re.compile(r"deprecat|will be removed", re.IGNORECASE)


def deprecation_warnings(log_dir: Path) -> list[str]:
    """Lines of the server's logs (every start, stdout and stderr) that announce a deprecation."""
    return [
        f"{log.name}: {line.strip()}"
        for log in sorted(log_dir.glob("streamlit-*.log"))
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
        if DEPRECATION.search(line)
    ]


def stored_respondent(
    server: StreamlitServer, mode: str = "full", answers: dict[str, str] | None = None
) -> tuple[str, int]:
    """A respondent made straight in the server's database, with answers and the round finished when
    answers are given; returns the resume token and the round's id."""
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        return store_rounds(engine, mode, [answers or {}])
    finally:
        engine.dispose()


@pytest.fixture
def restart_server(server: StreamlitServer) -> Callable[[], None]:
    """Call it to restart the session's server on the same port and database."""
    return server.restart


# The browser ------------------------------------------------------------------------------


@pytest.fixture
def new_page(chromium: Browser, server: StreamlitServer) -> Iterator[Callable[..., Page]]:
    """A factory: each call opens a fresh browser context (no cookies, no storage) and a page in it."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None) -> Page:
        context = chromium.new_context(viewport=viewport or DESKTOP, base_url=server.url, accept_downloads=True)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        with contextlib.suppress(PlaywrightError):  # a context the test closed itself, or a crashed browser
            context.close()


@pytest.fixture
def desktop_page(new_page: Callable[..., Page]) -> Page:
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page: Callable[..., Page]) -> Page:
    return new_page(PHONE)


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[Page, str], Path]:
    """Save a screenshot: into screenshots/ (full page) when SMM_SCREENSHOTS=1, else into tmp_path."""
    keep = os.environ.get("SMM_SCREENSHOTS") == "1"
    directory = SCREENSHOT_DIR if keep else tmp_path
    directory.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str) -> Path:
        wait_idle(page)
        path = directory / f"{name}.png"
        if not keep:
            page.screenshot(path=str(path))
            return path
        # Streamlit scrolls inside <main>, not the document, so a "full page" is only the viewport:
        # make the viewport as tall as the content for the picture, then put it back.
        viewport = page.viewport_size or DESKTOP
        height = page.evaluate(_CONTENT_HEIGHT_JS)
        page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 20_000))})
        try:
            page.evaluate(_TWO_FRAMES_JS)
            wait_idle(page)
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(viewport)
        return path

    return save


_CONTENT_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.ceil(Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0));
}"""
_TWO_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


# Waiting for Streamlit ------------------------------------------------------------------------

_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && status.getClientRects().length > 0) return false;
  // Stale elements belong to the previous run; skeletons stand in for widgets whose code is still loading.
  return !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]');
}"""


def wait_idle(page: Page, timeout: float = UI_TIMEOUT_MS) -> None:
    """Wait until Streamlit is connected, no script run is going, the "running" status widget is gone,
    no element is stale and no widget is still a loading skeleton.

    Right after a click the previous run's "idle" can still be showing, so after an interaction use
    `settle` with something only the new run shows."""
    page.wait_for_function(_IDLE_JS, timeout=timeout)


def settle(page: Page, *expected: Locator, timeout: float = UI_TIMEOUT_MS) -> None:
    """After an interaction: wait until every expected locator is visible, then until Streamlit is idle."""
    for locator in expected:
        expect(locator).to_be_visible(timeout=timeout)
    wait_idle(page, timeout)


def open_app(page: Page, path: str, *expected: Locator) -> None:
    """Go to a page of the site and wait for its first run; fail clearly on the content-error page."""
    page.goto(path)
    page.locator('[data-testid="stApp"]').wait_for()
    wait_idle(page)
    content_error = page.get_by_role("heading", name="The site's content has problems")
    if content_error.count():
        pytest.fail("the site shows its content-error page:\n" + main_text(page))
    settle(page, *expected)


def main_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def exact(text: str) -> re.Pattern[str]:
    """A pattern matching exactly this text (ignoring surrounding white space)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def horizontal_overflow(page: Page) -> dict[str, list[int]]:
    """Scroll width against visible width for the document and Streamlit's own scrolling containers."""
    return page.evaluate(
        """() => {
            const found = {document: [document.documentElement.scrollWidth, window.innerWidth]};
            for (const id of ['stApp', 'stAppViewContainer', 'stMain', 'stMainBlockContainer']) {
                const el = document.querySelector(`[data-testid="${id}"]`);
                if (el) found[id] = [el.scrollWidth, el.clientWidth];
            }
            return found;
        }"""
    )


def assert_no_horizontal_scroll(page: Page, where: str) -> None:
    widths = horizontal_overflow(page)
    scroll, viewport = widths["document"]
    assert scroll <= viewport + 1, f"{where}: the page scrolls sideways ({scroll} px wide in {viewport} px)"
    wider = {k: v for k, v in widths.items() if k != "document" and v[0] > v[1] + 1}
    assert not wider, f"{where}: content wider than its container (scrollWidth, clientWidth): {wider}"
