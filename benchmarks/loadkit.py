"""What the load generators share (benchmarks/room_load.py, benchmarks/live_load.py): starting the site
on a fresh database (one `streamlit run` process, or `scripts/cluster P` behind nginx), the servers' CPU,
RSS and threads read from /proc, the errors in their logs, percentiles and the JSON of a report."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The site's entry script, relative to the project root (the one `scripts/serve` runs).
ENTRY = "serve.py"
FLOOR_ENTRY = "benchmarks/trivial_app.py"
CLUSTER = ROOT / "scripts" / "cluster"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT_S = 180.0
RSS_SAMPLE_S = 0.5
_SERVER_LOG_ERROR = re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b")


def use_project_python() -> None:
    """Run this script again with the project's .venv Python when another one started it: the clients
    need Streamlit's protobufs and the websockets package, which live there (scripts/_venv.sh dev)."""
    if sys.executable != PYTHON and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(PYTHON, [PYTHON, *sys.argv])


# Measuring the servers ---------------------------------------------------------------------------


def _clock_ticks() -> int:
    return os.sysconf(os.sysconf_names["SC_CLK_TCK"])


def process_cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (not their children), in seconds."""
    total = 0
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
    return total / _clock_ticks()


def process_rss_bytes(pids: list[int]) -> int:
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
    return total


def process_threads(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("Threads:"):
                    total += int(line.split()[1])
    return total


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Monitor:
    """Samples the site processes' RSS (and threads) every RSS_SAMPLE_S while the play runs."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak_rss = 0
        self.peak_threads = 0
        self._task: asyncio.Task[None] | None = None

    def rss(self) -> int:
        value = process_rss_bytes(self.pids)
        self.peak_rss = max(self.peak_rss, value)
        return value

    async def _sample(self) -> None:
        while True:
            self.rss()
            self.peak_threads = max(self.peak_threads, process_threads(self.pids))
            await asyncio.sleep(RSS_SAMPLE_S)

    def start(self) -> None:
        self._task = asyncio.create_task(self._sample())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task


# The sites ---------------------------------------------------------------------------------------


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports on 127.0.0.1."""
    rng = random.Random()
    for _attempt in range(200):
        base = rng.randrange(20000, 50000 - count)
        sockets = []
        try:
            for port in range(base, base + count):
                probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(probe)
                probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for probe in sockets:
                probe.close()
    raise RuntimeError(f"no {count} consecutive free ports found")


def wait_healthy(url: str, process: subprocess.Popen[Any], log: Path, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with code {process.returncode}\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise RuntimeError(f"{url}: no healthy answer within {timeout:.0f} s ({last})\n{tail(log)}")


def tail(path: Path, size: int = 3000) -> str:
    if not path.exists():
        return f"({path} is missing)"
    return f"{path} (last {size} characters):\n" + path.read_text(errors="replace")[-size:]


def stop_process(process: subprocess.Popen[Any], sig: int = signal.SIGTERM, wait: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Site:
    """Running site processes: where participants connect, and the pids whose CPU and memory count."""

    urls: list[str]  # participants are spread over these in turn (one URL behind a proxy)
    pids: list[int]
    logs: list[Path]
    processes: list[str] = field(default_factory=list)  # each process's own address, for the warm-up

    def log_errors(self) -> list[str]:
        found = []
        for log in self.logs:
            if log.exists():
                for line in log.read_text(errors="replace").splitlines():
                    if _SERVER_LOG_ERROR.search(line):
                        found.append(f"{log.name}: {line.strip()[:300]}")
        return found


@contextmanager
def streamlit_processes(entry: str, count: int, env: dict[str, str], work: Path, name: str) -> Iterator[Site]:
    """`count` plain `streamlit run` processes on consecutive ports, each its own site."""
    base = free_ports(count)
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        for index in range(count):
            port = base + index
            log = work / f"{name}-{port}.log"
            logs.append(log)
            command = [PYTHON, "-m", "streamlit", "run", entry, "--server.port", str(port), "--server.headless", "true"]
            with open(log, "wb") as out:
                processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        urls = [f"http://127.0.0.1:{base + i}" for i in range(count)]
        for url, process, log in zip(urls, processes, logs, strict=True):
            wait_healthy(url, process, log)
        yield Site(urls, [p.pid for p in processes], logs, urls)
    finally:
        for process in processes:
            stop_process(process)


@contextmanager
def cluster(count: int, env: dict[str, str], work: Path) -> Iterator[Site]:
    """`scripts/cluster P --port PORT --pid-file FILE`: P site processes behind nginx on PORT.

    The contract: it upgrades the schema, starts the processes on PORT+1..PORT+P and nginx on PORT,
    prints `cluster ready` once every process answers /_stcore/health through nginx, writes the site
    processes' pids to FILE (one per line), runs in the foreground and stops everything on SIGTERM."""
    if not CLUSTER.exists():
        raise RuntimeError(f"{CLUSTER.relative_to(ROOT)} is missing: --processes > 1 needs it")
    port = free_ports(count + 1)
    pid_file = work / "cluster.pids"
    log = work / "cluster.log"
    command = [str(CLUSTER), str(count), "--port", str(port), "--pid-file", str(pid_file)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    ready = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        with open(log, "w") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if line.strip() == "cluster ready":
                    ready.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.2):
            if process.poll() is not None:
                raise RuntimeError(f"scripts/cluster exited with code {process.returncode}\n{tail(log)}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"scripts/cluster did not print 'cluster ready' in {START_TIMEOUT_S:.0f} s\n{tail(log)}"
                )
        pids: list[int] = []
        for _wait in range(50):  # the file may be written a moment after the line
            if pid_file.exists():
                pids = [int(line) for line in pid_file.read_text().split()]
                if len(pids) == count:
                    break
            time.sleep(0.2)
        if len(pids) != count:
            raise RuntimeError(f"{pid_file} names {len(pids)} processes, expected {count}")
        processes = [f"http://127.0.0.1:{port + i}" for i in range(1, count + 1)]
        yield Site([f"http://127.0.0.1:{port}"], pids, [log], processes)
    finally:
        stop_process(process)
        reader.join(timeout=5)


# The database ------------------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str, work: Path, admin_url: str) -> Iterator[str]:
    """A URL to a new, empty database; a PostgreSQL database is dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{work / 'room.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text

    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"smm_load_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        yield url.replace("postgresql+psycopg://", "postgresql://", 1)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def site_environment(database_url: str) -> dict[str, str]:
    env = os.environ.copy()
    env["SMM_DATABASE_URL"] = database_url
    if database_url.startswith("sqlite:///"):
        env["SMM_SQLITE_PATH"] = database_url.removeprefix("sqlite:///")
    return env


def upgrade(env: dict[str, str]) -> None:
    done = subprocess.run(
        [PYTHON, "-m", "storage", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m storage upgrade failed:\n{done.stdout}{done.stderr}")


# Figures -----------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def clean(value: Any) -> Any:
    """NaN is not JSON: null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def fmt(value: float | None, digits: int = 0) -> str:
    """A figure for the printed report: thousands separated, "–" for none or NaN."""
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def add_site_options(parser: argparse.ArgumentParser, database_default: str | None) -> None:
    """--participants, --processes, --database and --postgres-url, as both generators take them."""
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--processes", type=int, default=1, help="site processes (more than 1: scripts/cluster)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default=database_default)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("SMM_LOAD_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a PostgreSQL server and a user that may create databases (the database in it is where to connect)",
    )


def run_command(
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], dict[str, Any]],
    print_report: Callable[[dict[str, Any]], None],
) -> int:
    """Run, print, write the JSON (`args.json`); exit status 1 unless the report is ok."""
    # A SIGTERM ends the run as Ctrl+C does: the servers, nginx and the PostgreSQL database it made
    # are stopped and dropped on the way out, instead of outliving it.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(128 + signal.SIGTERM))
    report = run(args)
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(clean(report), indent=2) + "\n")
        print(f"figures written to {args.json}")
    return 0 if report["ok"] else 1


def machine(load_average_start: tuple[float, float, float]) -> dict[str, Any]:
    """What the report says of the machine: Python, cores and the load average at the start and now."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_start": load_average_start,
        "load_average_end": os.getloadavg(),
    }


def site_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of `add_site_options`, for the report."""
    return {"participants": args.participants, "processes": args.processes, "database": args.database}
