"""Several site processes behind nginx, in the foreground. Run it as `scripts/cluster P`.

Usage: scripts/cluster P [--port PORT] [--pid-file FILE] [--address ADDRESS] [--run-dir DIR] [--keep-going]

What it promises (the load benchmarks, benchmarks/room_load.py and live_load.py, rely on it):
- the database is SMM_DATABASE_URL (PostgreSQL; unset or SQLite works, with a warning on
  stderr); the catalogues are compiled and the schema is upgraded once, before any site process
  starts;
- P site processes listen on 127.0.0.1, ports PORT+1 .. PORT+P, each with its own log file in the
  run folder; their pids, one per line in port order, go to the --pid-file when one is given;
- nginx listens on ADDRESS:PORT (default 127.0.0.1:8500) with cookie affinity over the processes
  (deploy/nginx/), as a plain foreground process with its pid file (nginx.pid), logs
  (nginx-access.log, nginx.log) and temp paths in the run folder; every response names the
  process that answered in an X-Upstream header;
- once every process answers /_stcore/health directly and through nginx, stdout gets the site's
  address and then the line `cluster ready`; everything else goes to stderr;
- SIGTERM, SIGINT or SIGHUP stops nginx and every site process and exits 0; when any of them
  dies on its own, the rest are stopped and it exits 1 with the tail of that one's log (with
  --keep-going a site process may die while another still serves: a crash trial).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

PROJECT = Path(__file__).resolve().parents[1]
NGINX_DEPLOY = PROJECT / "deploy" / "nginx"
NGINX_TEMPLATE = NGINX_DEPLOY / "cluster.conf.template"
DEFAULT_PORT = 8500
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.2
HEALTH_TIMEOUT_S = 2.0
LOG_TAIL_LINES = 40
# nginx's `server` parameters for each site process: passive health checks (open-source nginx has
# no active ones). One refused connection takes the process out of the hash ring for 5 s.
UPSTREAM_PARAMETERS = "max_fails=1 fail_timeout=5s"
# Each open tab holds a websocket through nginx and one to its process; a room is a few hundred.
OPEN_FILES_WANTED = 65536


def site_command(port: int) -> list[str]:
    """How one site process starts: the only place that names the entry file and its options."""
    return [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]  # fmt: skip


def nginx_binary() -> str:
    """Debian's nginx; /usr/sbin is not on every user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        raise Failed("nginx is not installed: scripts/cluster installs Debian's package (apt-get install nginx)")
    return found


class Failed(Exception):
    """The cluster cannot start or keep running; the message says why (with a log tail)."""


# Stopping on a signal ---------------------------------------------------------------------------


class StopRequest:
    """Set by SIGTERM, SIGINT or SIGHUP; the loops look at it between their short waits."""

    signal_name: str | None = None

    @classmethod
    def install(cls) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, cls._handle)

    @classmethod
    def _handle(cls, signum: int, _frame: FrameType | None) -> None:
        cls.signal_name = signal.Signals(signum).name


def _die_with_this_process() -> Callable[[], None]:
    """A preexec_fn: on Linux the child gets SIGTERM when this supervisor dies, even by SIGKILL, so
    no site process or nginx outlives it. Elsewhere nothing (the signal handlers still stop them)."""
    parent = os.getpid()

    def preexec() -> None:
        if sys.platform.startswith("linux"):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
            if os.getppid() != parent:  # the supervisor died before prctl took effect
                os._exit(1)

    return preexec


# The processes ------------------------------------------------------------------------------------


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def exited(self) -> int | None:
        return self.process.poll()

    def signal_group(self, signum: int) -> None:
        """Signal the child's own process group (nginx's workers too) while the child is unreaped."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def tail(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            return f"(no log at {self.log}: {error})"
        shown = "\n".join(f"    {line}" for line in lines[-LOG_TAIL_LINES:]) or "    (empty)"
        return f"last {min(len(lines), LOG_TAIL_LINES)} lines of {self.log}:\n{shown}"


def start_child(name: str, command: list[str], log: Path, env: dict[str, str] | None = None) -> Child:
    with open(log, "ab") as out:
        # Its own session: Ctrl+C reaches only this supervisor, which stops the children in order
        # (nginx first, so no request reaches a process that is going away).
        process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_this_process(),  # safe: this supervisor runs no threads
        )
    return Child(name, process, log)


def stop_children(children: list[Child]) -> None:
    """SIGTERM to all, then SIGKILL to whatever still runs after STOP_TIMEOUT_S; reap every one."""
    for child in children:
        child.signal_group(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{child.name} did not stop within {STOP_TIMEOUT_S:.0f} s: killing it", file=sys.stderr)
            child.signal_group(signal.SIGKILL)
            child.process.wait()


def first_death(children: list[Child]) -> Child | None:
    return next((child for child in children if child.exited() is not None), None)


# Health --------------------------------------------------------------------------------------------

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def health(url: str) -> tuple[bool, str]:
    """(answered "ok", the process that answered according to nginx's X-Upstream, or "")."""
    try:
        with _OPENER.open(f"{url}/_stcore/health", timeout=HEALTH_TIMEOUT_S) as response:
            body = response.read().decode("utf-8", "replace").strip()
            # After a failed try nginx lists every process it asked: "a:1, b:2". The last one answered.
            upstream = response.headers.get("X-Upstream", "").split(",")[-1].strip()
            return body == "ok", upstream
    except (urllib.error.URLError, OSError):
        return False, ""


# The run -----------------------------------------------------------------------------------------


def port_is_free(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True


def database_warning() -> str | None:
    """None on PostgreSQL. SQLite is allowed for a local trial, with a warning: several processes
    on one machine share the file safely in WAL mode, but every write takes the one file lock."""
    url = os.environ.get("SMM_DATABASE_URL", "").strip()
    if url and not url.startswith("sqlite"):
        return None
    if url and (url.rstrip("/") in ("sqlite:", "sqlite:/", "sqlite://") or ":memory:" in url):
        raise Failed(f"SMM_DATABASE_URL={url} is an in-memory database: each process would have its own")
    where = url or f"the SQLite file {os.environ.get('SMM_SQLITE_PATH') or 'data/assessment.sqlite3'}"
    return (
        f"warning: SMM_DATABASE_URL is not a PostgreSQL URL, so every process uses {where}. "
        "Several processes on one machine can share SQLite (WAL), but their writes queue for one file "
        "lock: fine for a local trial, not for a room. Set SMM_DATABASE_URL=postgresql://... "
        "(docs/deploy.md)."
    )


def prepare(processes: int) -> None:
    """Once, before any site process starts: compiled catalogues and the newest schema."""
    for step in (["scripts/i18n.py", "compile"], ["-m", "storage", "upgrade"]):
        done = subprocess.run([sys.executable, *step], cwd=PROJECT, stdout=sys.stderr, stdin=subprocess.DEVNULL)
        if StopRequest.signal_name:  # Ctrl+C reached the step too; its exit code says nothing more
            return
        if done.returncode != 0:
            raise Failed(f"`python {' '.join(step)}` failed with exit code {done.returncode}")
    try:
        budget = connection_budget(processes)
    except Exception as error:  # only a warning is at stake: say so and go on
        budget = f"warning: could not compare the pools with PostgreSQL's connections: {error}"
    if budget:
        print(budget, file=sys.stderr)


def connection_budget(processes: int) -> str | None:
    """A warning when P processes, each with its full pool and overflow, could ask PostgreSQL for
    more connections than it has free now; then a burst ends in "busy" messages, not in waits."""
    sys.path.insert(0, str(PROJECT))
    from sqlalchemy import text

    from storage.engine import make_engine, pool_options

    engine = make_engine()
    try:
        if engine.dialect.name != "postgresql":
            return None
        with engine.connect() as connection:
            allowed = int(connection.execute(text("SHOW max_connections")).scalar_one())
            reserved = int(connection.execute(text("SHOW superuser_reserved_connections")).scalar_one())
            in_use = int(
                connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                ).scalar_one()
            )
    finally:
        engine.dispose()
    options = pool_options()
    per_process = options["pool_size"] + options["max_overflow"]
    wanted = processes * per_process
    free = allowed - reserved - (in_use - 1)  # this check's own connection is closed again
    if wanted <= free:
        return None
    return (
        f"warning: {processes} processes x (SMM_DB_POOL_SIZE {options['pool_size']} + SMM_DB_MAX_OVERFLOW "
        f"{options['max_overflow']}) = {wanted} connections at most, but PostgreSQL has {free} free now "
        f"(max_connections {allowed} - {reserved} reserved - {in_use - 1} in use). Lower the pool sizes or "
        "raise max_connections (docs/deploy.md)."
    )


def raise_open_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES_WANTED if hard == resource.RLIM_INFINITY else min(hard, OPEN_FILES_WANTED)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def render_nginx(run_dir: Path, listen: str, ports: list[int]) -> Path:
    servers = "\n".join(f"        server 127.0.0.1:{port} {UPSTREAM_PARAMETERS};" for port in ports)
    values = {"@RUN@": str(run_dir), "@DEPLOY@": str(NGINX_DEPLOY), "@SERVERS@": servers, "@LISTEN@": listen}
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for field, value in values.items():
        text = text.replace(field, value)
    unfilled = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    if unfilled:
        raise Failed(f"{NGINX_TEMPLATE}: fields nobody fills in: {', '.join(unfilled)}")
    # Workers of an nginx started by root run as nobody: they must reach the temp paths.
    (run_dir / "temp").mkdir(mode=0o755, exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def write_pid_file(path: Path, children: list[Child]) -> None:
    """One pid a line, in port order; written whole (rename), so a reader never sees half of it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text("".join(f"{child.process.pid}\n" for child in children), encoding="utf-8")
    partial.replace(path)


def wait_until_ready(sites: list[Child], nginx: Child, ports: list[int], nginx_url: str, timeout: float) -> None:
    """Every process answers its health check directly, and through nginx: cookie-less requests are
    routed by a random id, so they are repeated until each process has answered one."""
    deadline = time.monotonic() + timeout
    healthy: set[int] = set()
    through_nginx: set[str] = set()
    everyone = {f"127.0.0.1:{port}" for port in ports}
    while True:
        if StopRequest.signal_name:
            return
        dead = first_death([*sites, nginx])
        if dead:
            raise Failed(f"{dead.name} exited with code {dead.exited()} while starting.\n{dead.tail()}")
        for port in ports:
            if port not in healthy and health(f"http://127.0.0.1:{port}")[0]:
                healthy.add(port)
        if len(healthy) == len(ports):
            ok, upstream = health(nginx_url)
            if ok:
                through_nginx.add(upstream)
            if everyone <= through_nginx:
                return
        if time.monotonic() > deadline:
            waiting = [site for site, port in zip(sites, ports, strict=True) if port not in healthy]
            missing = sorted(everyone - through_nginx)
            detail = "\n".join(site.tail() for site in waiting) or nginx.tail()
            raise Failed(
                f"not ready within {timeout:.0f} s: no health from "
                f"{', '.join(s.name for s in waiting) or 'nobody directly'}; through nginx not yet "
                f"{', '.join(missing) or 'nobody'}.\n{detail}"
            )
        time.sleep(POLL_S if len(healthy) < len(ports) else POLL_S / 4)


def watch(nginx: Child, sites: list[Child], keep_going: bool) -> None:
    """Until a stop signal. A child that exits ends the cluster, so a benchmark never goes on with
    fewer processes than it asked for; with keep_going a site process may die (a crash trial, as
    under systemd while it restarts one) and nginx sends its browsers to the others."""
    running = list(sites)
    while not StopRequest.signal_name:
        if nginx.exited() is not None:
            raise Failed(f"{nginx.name} exited with code {nginx.exited()}.\n{nginx.tail()}")
        for site in [site for site in running if site.exited() is not None]:
            if not keep_going:
                raise Failed(f"{site.name} exited with code {site.exited()}.\n{site.tail()}")
            running.remove(site)
            if not running:
                raise Failed(f"every site process has exited; the last, {site.name}, with code {site.exited()}.")
            print(
                f"{site.name} exited with code {site.exited()}; {len(running)} still serve (--keep-going).\n"
                f"{site.tail()}",
                file=sys.stderr,
            )
        time.sleep(POLL_S)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/cluster", description="P site processes behind nginx, on SMM_DATABASE_URL, in the foreground."
    )
    parser.add_argument("processes", type=int, metavar="P", help="number of site processes (1 or more)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="nginx's port; the processes use the next P")
    parser.add_argument("--pid-file", type=Path, help="write the site processes' pids here, one per line")
    parser.add_argument("--address", default="127.0.0.1", help="nginx's address (0.0.0.0 for a room's network)")
    parser.add_argument("--run-dir", type=Path, help="config, pid file and logs (default: a new temp folder)")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="when a site process dies, serve on with the others (default: stop everything, exit 1)",
    )
    parser.add_argument("--start-timeout", type=float, default=START_TIMEOUT_S, help="seconds to wait for health")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("P must be 1 or more")
    if not 1 <= args.port <= 65535 - args.processes:
        parser.error(f"--port {args.port} leaves no room for {args.processes} process ports after it")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    StopRequest.install()
    ports = [args.port + i for i in range(1, args.processes + 1)]
    children: list[Child] = []
    pid_file_written = False
    try:
        warning = database_warning()
        if warning:
            print(warning, file=sys.stderr)
        busy = [p for p in ports if not port_is_free("127.0.0.1", p)]
        if not port_is_free(args.address, args.port):
            busy.insert(0, args.port)
        if busy:
            raise Failed(f"port(s) {', '.join(map(str, busy))} already in use: choose another --port")
        nginx = nginx_binary()
        run_dir = (args.run_dir or Path(tempfile.mkdtemp(prefix="smm-cluster-"))).resolve()
        run_dir.mkdir(parents=True, exist_ok=True)
        run_dir.chmod(0o755)  # nginx's workers (nobody, when started by root) read and write below it

        prepare(args.processes)
        raise_open_file_limit()
        for index, port in enumerate(ports, start=1):
            if StopRequest.signal_name:
                break
            log = run_dir / f"site-{port}.log"
            children.append(start_child(f"site process {index} (port {port})", site_command(port), log))
        sites = list(children)
        if args.pid_file and sites:
            write_pid_file(args.pid_file, sites)
            pid_file_written = True
        conf = render_nginx(run_dir, f"{args.address}:{args.port}", ports)
        nginx_url = f"http://127.0.0.1:{args.port}"
        if not StopRequest.signal_name:
            nginx_child = start_child(
                "nginx", [nginx, "-p", str(run_dir), "-c", str(conf), "-g", "daemon off;"], run_dir / "nginx.log"
            )
            children.insert(0, nginx_child)  # stopped first
            print(
                f"{len(sites)} site process(es) on ports {ports[0]}-{ports[-1]}, nginx on {args.address}:{args.port}; "
                f"config and logs in {run_dir}",
                file=sys.stderr,
            )
            wait_until_ready(sites, nginx_child, ports, nginx_url, args.start_timeout)
        if StopRequest.signal_name:
            print(f"{StopRequest.signal_name}: stopping", file=sys.stderr)
            return 0
        print(f"{nginx_url}/", flush=True)
        print("cluster ready", flush=True)
        watch(nginx_child, sites, args.keep_going)
        print(f"{StopRequest.signal_name}: stopping nginx and {len(sites)} site process(es)", file=sys.stderr)
        return 0
    except Failed as failure:
        print(f"scripts/cluster: {failure}", file=sys.stderr)
        return 1
    finally:
        stop_children(children)
        if pid_file_written:
            args.pid_file.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
