"""``scholarfolio bench soak``: the production server under steady load while a build runs.

One run serves a built store with the server ``serve`` runs (granian behind the
response cache, in its own process, as ``bench web`` starts it) and has wrk load
three kinds of HTML page at once, one wrk process each, for the whole run:
profiles, searches and works, cycling through real URLs taken from the store.
Every other request says ``Cache-Control: no-cache`` so that half the load reads
the store, as it must while the build rewrites it. At the halfway point a real
build runs in its own process (``scholarfolio ingest`` of held-back files first,
when there are any, then ``scholarfolio build``) against the store being served.

The report: requests, answers outside 2xx/3xx, 5xx answers (counted by wrk's Lua
``response`` hook), socket errors, p50/p99 latency per page kind, the server's
resident memory (``VmRSS`` of /proc/<pid>/status) sampled through the run, and
whether the build finished. Loopback only; wrk is a Debian package
(``apt-get install wrk``). The API rate limit is switched off in the server the
soak starts, though only HTML pages are loaded.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scholarfolio import pipeline, profiles, settings, works
from scholarfolio.demo import demo_files, openalex_demo_files
from scholarfolio.errors import BadInput, BenchError
from scholarfolio.store import Store
from scholarfolio.webbench import HOST, fetch, require_tool, server_process

KINDS = ("profile", "search", "work")
# Demo OpenAlex files left out of the first build and ingested at the halfway point.
DEMO_HELD_BACK = 4
# Seconds between two readings of the server's resident memory.
RSS_EVERY_S = 5.0
# A build that has not finished this long after the load ended counts as not finished.
BUILD_GRACE_S = 1800.0

# The wrk script of one page kind: cycles through PATHS (each thread from its own
# offset), sends every other request with Cache-Control: no-cache, counts 5xx answers
# per thread, and prints one SOAK line with the totals and percentiles at the end.
LUA = """local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  n = offset
  server_errors = 0
end
function request()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if n %% 2 == 0 then
    return wrk.format("GET", path, {["Cache-Control"] = "no-cache"})
  end
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local fives = 0
  for _, thread in ipairs(threads) do fives = fives + thread:get("server_errors") end
  local e = summary.errors
  io.write(string.format(
    "SOAK requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d timeout=%%d "
    .. "status=%%d server_errors=%%d p50_us=%%d p99_us=%%d max_us=%%d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    fives, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class SoakPlan:
    """How long and how hard: ``connections`` per page kind, one wrk thread each."""

    seconds: int = 600
    connections: int = 8
    urls_per_kind: int = 100

    def check(self) -> None:
        """BadInput unless the plan can run."""
        if self.seconds < 2:
            raise BadInput("a soak lasts at least 2 seconds")
        if not 1 <= self.connections <= 1000:
            raise BadInput("connections per page kind must be between 1 and 1000")
        if self.urls_per_kind < 1:
            raise BadInput("at least one URL per page kind")


@dataclass(frozen=True)
class KindResult:
    """What wrk measured on one kind of page."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non_2xx_3xx: int
    server_errors_5xx: int
    socket_errors: dict[str, int]


def parse_soak_line(output: str) -> KindResult:
    """The SOAK line the Lua script's ``done`` prints at the end of wrk's report."""
    match = re.search(r"^SOAK (.*)$", output, re.M)
    if match is None:
        raise BenchError(f"wrk printed no SOAK line:\n{output}")
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    seconds = max(values["duration_us"], 1) / 1e6
    return KindResult(
        requests=values["requests"],
        requests_per_second=round(values["requests"] / seconds, 1),
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        non_2xx_3xx=values["status"],
        server_errors_5xx=values["server_errors"],
        socket_errors={key: values[key] for key in ("connect", "read", "write", "timeout")},
    )


def lua_script(paths: Sequence[str]) -> str:
    """The wrk script cycling through ``paths`` (URL paths, already percent-encoded)."""
    if not paths or not all(path.isascii() and path.startswith("/") for path in paths):
        raise BadInput("the soak needs percent-encoded URL paths")
    return LUA % {"paths": ", ".join(json.dumps(path) for path in paths)}


def _spread(items: Sequence[Any], count: int) -> list[Any]:
    """At most ``count`` of ``items``, evenly spread over the whole sequence."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _title_words(title: str) -> str:
    """The first two plain words of four letters or more in ``title`` (no LaTeX, no 'the')."""
    return " ".join([word for word in title.split() if word.isalpha() and len(word) >= 4][:2])


def _search_words(store: Store, count: int) -> list[str]:
    """Real queries, alternately: family names of the most cited authors and title words."""
    names = [row["name"].split()[-1] for row in profiles.top_authors(store, count) if row["name"]]
    listed = works.list_works(store)
    titles = [_title_words(entry["title"] or "") for entry in itertools.islice(listed, count)]
    # Ends the listing's read now rather than when the generator is collected.
    listed.close()  # type: ignore[attr-defined]
    pairs = itertools.zip_longest(names, titles, fillvalue="")
    return list(dict.fromkeys(query for pair in pairs for query in pair if query))


def store_paths(store: Store, count: int) -> dict[str, list[str]]:
    """Up to ``count`` real URL paths of each page kind in ``store``."""
    authors = [str(row["id"]) for row in profiles.top_authors(store, count)]
    work_ids = _spread(works.all_work_ids(store), count)
    queries = _search_words(store, count)[:count]
    paths = {
        "profile": [f"/authors/{quote(author, safe='')}" for author in authors],
        "search": [f"/search?q={quote(query, safe='')}" for query in queries],
        "work": [f"/works/{work_id}" for work_id in work_ids],
    }
    empty = [kind for kind, found in paths.items() if not found]
    if empty:
        raise BadInput(f"the store has nothing to load for: {', '.join(empty)}; build it first")
    return paths


def rss_kb(pid: int) -> int:
    """The resident memory of process ``pid`` in KiB (``VmRSS`` in /proc/<pid>/status)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    if match is None:
        raise BenchError(f"no VmRSS for process {pid}")
    return int(match.group(1))


@dataclass
class BuildRun:
    """The build started halfway: its commands, timing and outcome."""

    commands: list[list[str]]
    started_after_s: float = 0.0
    seconds: float | None = None
    returncode: int | None = None
    output_tail: str = ""

    @property
    def finished(self) -> bool:
        """Whether every command ran and exited 0."""
        return self.returncode == 0 and self.seconds is not None


def build_commands(location: str, extra: Sequence[str]) -> list[list[str]]:
    """``scholarfolio ingest`` of ``extra`` (if any), then ``scholarfolio build``, on a store."""
    cli = [sys.executable, "-m", "scholarfolio", "--db", location]
    ingest = [[*cli, "ingest", *extra]] if extra else []
    return [*ingest, [*cli, "build"]]


def _run_build(run: BuildRun, timeout: float, clock_zero: float) -> None:
    """Run the build's commands one after the other; the outcome goes into ``run``."""
    run.started_after_s = round(time.monotonic() - clock_zero, 1)
    started = time.monotonic()
    output = []
    for command in run.commands:
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            run.output_tail = f"{command[-1]} still running after {timeout:.0f} s"
            return
        output.append(done.stdout + done.stderr)
        run.returncode = done.returncode
        if done.returncode != 0:
            break
    run.seconds = round(time.monotonic() - started, 1)
    run.output_tail = "".join(output)[-1500:].strip()


@contextlib.contextmanager
def _wrk_processes(
    port: int, paths: dict[str, list[str]], plan: SoakPlan, workdir: Path
) -> Iterator[dict[str, subprocess.Popen[str]]]:
    """One wrk process per page kind, all started now; killed if the block fails."""
    wrk = require_tool("wrk")
    running: dict[str, subprocess.Popen[str]] = {}
    try:
        for kind in KINDS:
            script = workdir / f"soak-{kind}.lua"
            script.write_text(lua_script(paths[kind]), encoding="ascii")
            command = [wrk, "-t1", f"-c{plan.connections}", f"-d{plan.seconds}s"]
            command += ["--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}"]
            running[kind] = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        yield running
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def _warm_up(port: int, paths: dict[str, list[str]]) -> dict[str, int]:
    """Fetch every URL once (filling the cache); the count of each status seen."""
    statuses: dict[str, int] = {}
    for path in itertools.chain.from_iterable(paths.values()):
        status = str(fetch(port, path)[0])
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def _load(
    port: int, pid: int, paths: dict[str, list[str]], plan: SoakPlan, build: BuildRun, workdir: Path
) -> tuple[dict[str, KindResult], list[tuple[float, int]]]:
    """The load itself: wrk on every kind, the build at half time, memory read all along."""
    samples = [(0.0, rss_kb(pid))]
    zero = time.monotonic()
    builder = threading.Thread(
        target=_run_build, args=(build, plan.seconds + BUILD_GRACE_S, zero), daemon=True
    )
    with _wrk_processes(port, paths, plan, workdir) as running:
        next_sample = zero + RSS_EVERY_S
        while any(process.poll() is None for process in running.values()):
            now = time.monotonic()
            if builder.ident is None and now - zero >= plan.seconds / 2:
                builder.start()
            if now >= next_sample:
                samples.append((round(now - zero, 1), rss_kb(pid)))
                next_sample = now + RSS_EVERY_S
            time.sleep(0.1)
        results = {}
        for kind, process in running.items():
            stdout, stderr = process.communicate()
            if process.returncode != 0:
                raise BenchError(f"wrk failed on {kind} pages: {stderr.strip()}")
            results[kind] = parse_soak_line(stdout)
    samples.append((round(time.monotonic() - zero, 1), rss_kb(pid)))
    # A build slower than the load's second half is waited for, and reported as slow.
    if builder.ident is not None:
        builder.join(BUILD_GRACE_S)
    return results, samples


def demo_store(workdir: Path) -> tuple[str, list[str]]:
    """The demo corpus built in ``workdir`` without its last OpenAlex files; those files."""
    location = str(workdir / "demo.db")
    rest = [str(path) for path in openalex_demo_files()]
    first, held_back = rest[:-DEMO_HELD_BACK], rest[-DEMO_HELD_BACK:]
    with Store.open(location) as store:
        pipeline.ingest_paths(store, [str(path) for path in demo_files()] + first)
        pipeline.build(store)
    return location, held_back


def soak(db: str | None, plan: SoakPlan, extra: Sequence[str] = ()) -> dict[str, Any]:
    """Run the soak on ``db`` (default: the demo with held-back files) and report it.

    ``extra``: files ingested into ``db`` at half time, before the build.
    """
    plan.check()
    require_tool("wrk")
    with tempfile.TemporaryDirectory(prefix="scholarfolio-soak-") as tmp:
        workdir = Path(tmp)
        location, held_back = (db, list(extra)) if db else demo_store(workdir)
        with Store.open(location) as store:
            paths = store_paths(store, plan.urls_per_kind)
        build = BuildRun(build_commands(location, held_back))
        # The API limiter would answer 429 to a load from one address; switch it off.
        env = {settings.API_RATE.env_var: "0"}
        with server_process("granian", location, workdir, env) as (port, process):
            rss_start = rss_kb(process.pid)
            statuses = _warm_up(port, paths)
            results, samples = _load(port, process.pid, paths, plan, build, workdir)
            alive = process.poll() is None and fetch(port, "/healthz")[0] == 200
    return report(plan, paths, statuses, results, samples, build, rss_start, alive)


def _shown(command: list[str]) -> str:
    """``scholarfolio VERB ARGS`` of one build command, files by name, without the store."""
    verb, *args = command[5:]
    return " ".join(["scholarfolio", verb, *(Path(arg).name for arg in args)])


def report(
    plan: SoakPlan,
    paths: dict[str, list[str]],
    warm_up: dict[str, int],
    results: dict[str, KindResult],
    samples: list[tuple[float, int]],
    build: BuildRun,
    rss_start: int,
    alive: bool,
) -> dict[str, Any]:
    """The one JSON document of a soak."""
    kinds = {kind: asdict(result) for kind, result in results.items()}
    totals = {
        "requests": sum(r.requests for r in results.values()),
        "non_2xx_3xx": sum(r.non_2xx_3xx for r in results.values()),
        "server_errors_5xx": sum(r.server_errors_5xx for r in results.values()),
        "socket_errors": sum(sum(r.socket_errors.values()) for r in results.values()),
    }
    clean = totals["non_2xx_3xx"] == 0 and totals["socket_errors"] == 0
    return {
        "benchmark": "soak",
        "cpus": os.cpu_count(),
        "server": "granian",
        "plan": asdict(plan),
        "urls": {kind: len(found) for kind, found in paths.items()},
        "uncached_share": 0.5,
        "warm_up_statuses": warm_up,
        "totals": totals,
        "kinds": kinds,
        "rss_kb": {
            "start": rss_start,
            "end": samples[-1][1],
            "peak": max(kb for _, kb in samples),
            "samples": samples,
        },
        "build": {
            "commands": [_shown(command) for command in build.commands],
            "started_after_s": build.started_after_s,
            "seconds": build.seconds,
            "finished": build.finished,
            "returncode": build.returncode,
            "output_tail": build.output_tail,
        },
        "server_alive_after": alive,
        "passed": clean and build.finished and alive,
    }
