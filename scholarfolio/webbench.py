"""``scholarfolio bench web``: the web server against nginx serving the same bytes.

One run builds (or opens) a store, starts every candidate server on it, each in
its own process, fetches one profile's JSON and HTML from it and has nginx
serve those very bytes as static files. wrk then loads, in turn and on
127.0.0.1 only: nginx's JSON, each server's ``/api/authors/{id}``, nginx's
HTML, each server's ``/authors/{id}``, each server's search, and each
server's profile read from the store on every request (``Cache-Control:
no-cache`` goes past the response cache). Ratios to nginx come from the same
run, because this machine is shared and noisy.

wrk and nginx are Debian packages (``apt-get install wrk nginx``); granian is
a candidate only where it is installed.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scholarfolio import pipeline, profiles
from scholarfolio.demo import all_demo_files
from scholarfolio.errors import BadInput, BenchError
from scholarfolio.store import Store

HOST = "127.0.0.1"
CANDIDATES = ("granian", "uvicorn")
# The bar: at least this share of nginx's requests/s, p99 under this many ms.
TARGET_RATIO = 0.25
TARGET_P99_MS = 10.0
# A server process must answer /healthz within this many seconds.
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured against one URL."""

    url: str
    requests: int
    requests_per_second: float
    p99_ms: float
    errors: int


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise BenchError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(url: str, output: str) -> LoadResult:
    """The request count, rate, 99th percentile and errors in wrk's ``--latency`` report."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in ", output, re.M)
    if rate is None or p99 is None or total is None:
        raise BenchError(f"unreadable wrk output for {url}:\n{output}")
    sockets = re.search(r"Socket errors: (.*)$", output, re.M)
    errors = sum(int(n) for n in re.findall(r"\d+", sockets.group(1))) if sockets else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return LoadResult(
        url, int(total.group(1)), float(rate.group(1)), _milliseconds(p99.group(1)), errors
    )


@dataclass(frozen=True)
class Load:
    """How hard and how long wrk pushes each URL."""

    seconds: int = 10
    connections: int = 64
    threads: int = 2

    def run(self, url: str, headers: tuple[str, ...] = ()) -> LoadResult:
        """Load ``url`` (on 127.0.0.1 only) and return what wrk measured."""
        if not url.startswith(f"http://{HOST}:"):
            raise BadInput(f"the web benchmark loads only {HOST}, not {url}")
        command = [require_tool("wrk"), f"-t{self.threads}", f"-c{self.connections}"]
        command += [f"-d{self.seconds}s", "--latency", "--timeout", "10s"]
        for header in headers:
            command += ["-H", header]
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=self.seconds + 60, check=False
        )
        if done.returncode != 0:
            raise BenchError(f"wrk failed on {url}: {done.stderr.strip()}")
        return parse_wrk(url, done.stdout)


def require_tool(name: str) -> str:
    """The path of the program ``name``; BenchError saying how to install it if missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise BenchError(f"{name} is not installed; on Debian: apt-get install -y wrk nginx")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def fetch(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """GET ``path`` from 127.0.0.1:``port``: the status and the body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait_until_answers(port: int, path: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Return once ``path`` answers 200 on ``port``; BenchError if the process dies or hangs."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            code = process.returncode
            raise BenchError(f"process {process.pid} exited with {code} ({log}):\n{tail}")
        with contextlib.suppress(OSError):
            if fetch(port, path, timeout=5)[0] == 200:
                return
        time.sleep(0.1)
    raise BenchError(f"nothing answered {path} on port {port} within {START_TIMEOUT:.0f} s")


@contextlib.contextmanager
def _running(
    command: list[str], log: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process (with ``env`` added to its environment), ended when the block ends."""
    environment = None if env is None else {**os.environ, **env}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=environment
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def server_process(
    name: str, db: str, workdir: Path, env: Mapping[str, str] | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run candidate ``name`` on the store at ``db`` in its own process; its port and process."""
    port = free_port()
    # The runners live in the web layer, which this module may not import.
    command = [sys.executable, "-m", "scholarfolio.web.server", name, db, str(port)]
    log = workdir / f"{name}.log"
    with _running(command, log, env) as process:
        _wait_until_answers(port, "/healthz", process, log)
        yield port, process


@contextlib.contextmanager
def candidate_server(name: str, db: str, workdir: Path) -> Iterator[int]:
    """Run candidate ``name`` on the store at ``db`` in its own process; yields its port."""
    with server_process(name, db, workdir) as (port, _process):
        yield port


NGINX_CONF = """worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=16;
  client_body_temp_path {root}/tmp;
  proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp;
  scgi_temp_path {root}/tmp;
  types {{ application/json json; text/html html; }}
  server {{ listen {host}:{port}; root {root}/static; }}
}}
"""


@contextlib.contextmanager
def nginx_static(files: dict[str, bytes], workdir: Path) -> Iterator[int]:
    """nginx (one worker) serving ``files`` by name on 127.0.0.1; yields its port."""
    root = workdir / "nginx"
    (root / "static").mkdir(parents=True)
    (root / "tmp").mkdir()
    for name, body in files.items():
        (root / "static" / name).write_bytes(body)
    # Run as root, nginx's worker is 'nobody': every folder on the way must be readable.
    for folder in (workdir, root, root / "static"):
        folder.chmod(0o755)
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, host=HOST, port=port), encoding="utf-8")
    command = [
        require_tool("nginx"),
        "-c",
        str(conf),
        "-p",
        str(root),
        "-e",
        str(root / "nginx-error.log"),
    ]
    with _running(command, root / "nginx.log") as process:
        _wait_until_answers(port, f"/{next(iter(files))}", process, root / "nginx-error.log")
        yield port


def demo_store(workdir: Path) -> str:
    """Build the demo corpus into a fresh SQLite file in ``workdir``; its path."""
    location = str(workdir / "demo.db")
    with Store.open(location) as store:
        pipeline.ingest_paths(store, [str(path) for path in all_demo_files()])
        pipeline.build(store)
    return location


def installed_candidates() -> list[str]:
    """The candidate servers installed here, the one `serve` runs first."""
    return [name for name in CANDIDATES if importlib.util.find_spec(name) is not None]


def most_cited_author(location: str) -> str:
    """The id of the corpus's most cited author: a full, real profile."""
    with Store.open(location) as store:
        top = profiles.top_authors(store, limit=1)
    if not top:
        raise BadInput(f"the store at {location} has no authors; build it first")
    return str(top[0]["id"])


@dataclass(frozen=True)
class Paths:
    """The URLs measured on every server, all for one author."""

    author: str
    search: str

    @property
    def profile_json(self) -> str:
        return f"/api/authors/{quote(self.author)}"

    @property
    def profile_html(self) -> str:
        return f"/authors/{quote(self.author)}"


def search_path(port: int, query: str) -> str:
    """``/api/search?q=`` where the server has it, else the author search ``/api/authors?q=``."""
    for path in (f"/api/search?q={quote(query)}", f"/api/authors?q={quote(query)}"):
        if fetch(port, path)[0] == 200:
            return path
    raise BenchError(f"neither search answers {query!r} on port {port}")


def static_copies(port: int, paths: Paths) -> dict[str, bytes]:
    """The profile's JSON and HTML exactly as the server sends them, named for nginx."""
    copies = {}
    for name, path in (("profile.json", paths.profile_json), ("profile.html", paths.profile_html)):
        status, body = fetch(port, path)
        if status != 200:
            raise BenchError(f"{path} answered {status}")
        copies[name] = body
    return copies


NO_CACHE = ("Cache-Control: no-cache",)


def _plan(servers: list[str], paths: Paths) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(server, measurement, path, headers) in the order run: nginx right before its rivals."""
    plan: list[tuple[str, str, str, tuple[str, ...]]] = []
    plan.append(("nginx", "profile_json", "/profile.json", ()))
    plan += [(name, "profile_json", paths.profile_json, ()) for name in servers]
    plan.append(("nginx", "profile_html", "/profile.html", ()))
    plan += [(name, "profile_html", paths.profile_html, ()) for name in servers]
    plan += [(name, "search", paths.search, ()) for name in servers]
    plan += [(name, "profile_json_from_store", paths.profile_json, NO_CACHE) for name in servers]
    plan += [(name, "profile_html_from_store", paths.profile_html, NO_CACHE) for name in servers]
    return plan


def measure(load: Load, ports: dict[str, int], paths: Paths) -> dict[str, dict[str, LoadResult]]:
    """Every planned wrk run, by server then measurement."""
    results: dict[str, dict[str, LoadResult]] = {}
    servers = [name for name in ports if name != "nginx"]
    for server, what, path, headers in _plan(servers, paths):
        url = f"http://{HOST}:{ports[server]}{path}"
        # One request first, so a cached measurement starts warm.
        fetch(ports[server], path)
        results.setdefault(server, {})[what] = load.run(url, headers)
    return results


def _row(result: LoadResult, nginx: LoadResult | None) -> dict[str, Any]:
    row = {key: value for key, value in asdict(result).items() if key != "url"}
    row["p99_ms"] = round(result.p99_ms, 2)
    if nginx is not None:
        row["ratio_to_nginx"] = round(result.requests_per_second / nginx.requests_per_second, 3)
    return row


def _meets_target(rows: dict[str, dict[str, Any]]) -> bool:
    return all(
        rows[what]["ratio_to_nginx"] >= TARGET_RATIO and rows[what]["p99_ms"] < TARGET_P99_MS
        for what in ("profile_json", "profile_html")
    )


def report(
    results: dict[str, dict[str, LoadResult]], load: Load, paths: Paths, sizes: dict[str, int]
) -> dict[str, Any]:
    """The one JSON document: every rate, p99 and ratio to nginx measured in this run."""
    nginx = results.pop("nginx")
    servers = {
        name: {
            what: _row(result, nginx.get(what.removesuffix("_from_store")))
            for what, result in runs.items()
        }
        for name, runs in results.items()
    }
    return {
        "benchmark": "web",
        "cpus": os.cpu_count(),
        "load": asdict(load),
        "author": paths.author,
        "search_url": paths.search,
        "bytes": sizes,
        "nginx": {what: _row(result, None) for what, result in nginx.items()},
        "servers": servers,
        "target": {"ratio_to_nginx": TARGET_RATIO, "p99_ms": TARGET_P99_MS},
        "meets_target": {name: _meets_target(rows) for name, rows in servers.items()},
    }


def bench_web(
    db: str | None,
    load: Load,
    servers: list[str],
    query: str,
    author: str | None = None,
) -> dict[str, Any]:
    """Build or open the store, run nginx and every server in ``servers``, measure, report."""
    unknown = sorted(set(servers) - set(CANDIDATES))
    if unknown or not servers:
        raise BadInput(f"unknown server {unknown}; choose from {', '.join(CANDIDATES)}")
    for tool in ("wrk", "nginx"):
        require_tool(tool)
    with tempfile.TemporaryDirectory(prefix="scholarfolio-bench-") as tmp:
        workdir = Path(tmp)
        location = db or demo_store(workdir)
        with contextlib.ExitStack() as stack:
            ports = {
                name: stack.enter_context(candidate_server(name, location, workdir))
                for name in servers
            }
            first = ports[servers[0]]
            paths = Paths(author or most_cited_author(location), search_path(first, query))
            copies = static_copies(first, paths)
            ports["nginx"] = stack.enter_context(nginx_static(copies, workdir))
            sizes = {name.replace(".", "_"): len(body) for name, body in copies.items()}
            sizes["stylesheet"] = len(fetch(first, "/static/style.css")[1])
            results = measure(load, ports, paths)
    return report(results, load, paths, sizes)
