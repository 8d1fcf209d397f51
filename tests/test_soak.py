"""``scholarfolio bench soak``: its wrk script and report, and one short real soak.

The real soak serves a store built from the arXiv fixtures with the production
server, loads it for a few seconds and ingests an OpenAlex fixture and rebuilds
halfway. Runs wherever wrk is installed (.ci/run installs it); loopback only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarfolio import pipeline
from scholarfolio.cli import cli
from scholarfolio.errors import BadInput, BenchError
from scholarfolio.soak import (
    KINDS,
    SoakPlan,
    build_commands,
    lua_script,
    parse_soak_line,
    rss_kb,
    soak,
)
from scholarfolio.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
# The last lines of a real run of this script (wrk 4.1.0, 2 threads) against the
# server: /healthz and /authors/nobody (404) in turn.
WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:55325
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.26ms    4.18ms  48.13ms   94.48%
    Req/Sec   548.53    131.81   690.00     72.50%
  2190 requests in 2.00s, 2.96MB read
  Non-2xx or 3xx responses: 1094
Requests/sec:   1092.59
Transfer/sec:      1.48MB
SOAK requests=2190 duration_us=2004409 connect=0 read=0 write=0 timeout=0 status=1094 \
server_errors=0 p50_us=3185 p99_us=28368 max_us=48131
"""


def test_the_soak_line_gives_counts_and_percentiles() -> None:
    result = parse_soak_line(WRK_OUTPUT)
    assert result.requests == 2190
    assert result.requests_per_second == 1092.6
    assert (result.p50_ms, result.p99_ms, result.max_ms) == (3.185, 28.368, 48.131)
    assert result.non_2xx_3xx == 1094
    assert result.server_errors_5xx == 0
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}


def test_wrk_output_without_the_soak_line_is_an_error() -> None:
    with pytest.raises(BenchError, match="no SOAK line"):
        parse_soak_line(WRK_OUTPUT.split("SOAK")[0])


def test_the_script_takes_only_encoded_absolute_paths() -> None:
    script = lua_script(["/authors/a%20b", "/search?q=x"])
    assert 'local paths = {"/authors/a%20b", "/search?q=x"}' in script
    for bad in ([], ["authors/x"], ["/authors/é"]):
        with pytest.raises(BadInput):
            lua_script(bad)


def test_plans_outside_the_bounds_are_refused() -> None:
    for plan in (SoakPlan(seconds=1), SoakPlan(connections=0), SoakPlan(urls_per_kind=0)):
        with pytest.raises(BadInput):
            plan.check()


def test_resident_memory_is_read_from_proc() -> None:
    status = Path("/proc/self/status").read_text()
    assert "VmRSS:" in status
    assert 1000 < rss_kb(os.getpid()) < 64 << 20


def test_the_build_ingests_held_back_files_first() -> None:
    ingest, build = build_commands("s.db", ["a.json"])
    assert ingest[-5:] == ["scholarfolio", "--db", "s.db", "ingest", "a.json"]
    assert build[-4:] == ["scholarfolio", "--db", "s.db", "build"]
    assert build_commands("s.db", []) == [build]


class _Flaky(BaseHTTPRequestHandler):
    """Answers /fail with 503 and anything else with 200."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        status = 503 if self.path == "/fail" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def flaky_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@needs_wrk
def test_the_script_counts_5xx_answers(flaky_server: int, tmp_path: Path) -> None:
    script = tmp_path / "soak.lua"
    script.write_text(lua_script(["/ok", "/fail"]), encoding="ascii")
    wrk = [str(shutil.which("wrk")), "-t2", "-c2", "-d1s", "-s", str(script)]
    done = subprocess.run(
        [*wrk, f"http://127.0.0.1:{flaky_server}"], capture_output=True, text=True, check=True
    )
    result = parse_soak_line(done.stdout)
    assert result.requests > 10
    # Paths alternate, so about half of the answers were 503s; wrk counts them as
    # non-2xx/3xx and the script as 5xx, both the same.
    assert result.server_errors_5xx == result.non_2xx_3xx
    assert 0.3 < result.server_errors_5xx / result.requests < 0.7


@pytest.fixture
def small_store(tmp_path: Path) -> str:
    location = str(tmp_path / "small.db")
    with Store.open(location) as store:
        pipeline.ingest_paths(store, [str(FIXTURES / "arxiv")])
        pipeline.build(store)
    return location


@needs_wrk
def test_a_short_soak_with_a_build_halfway_has_no_errors(small_store: str) -> None:
    extra = [str(FIXTURES / "openalex" / "idb03_A5071165005_works.jsonl.gz")]
    result = soak(small_store, SoakPlan(seconds=4, connections=2, urls_per_kind=5), extra)
    assert result["benchmark"] == "soak"
    assert set(result["kinds"]) == set(KINDS)
    assert result["urls"] == {"profile": 5, "search": 5, "work": 5}
    assert result["warm_up_statuses"] == {"200": 15}
    for figures in result["kinds"].values():
        assert figures["requests"] > 0
        assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
        assert figures["server_errors_5xx"] == 0
        assert figures["non_2xx_3xx"] == 0
    totals = result["totals"]
    assert totals["requests"] == sum(f["requests"] for f in result["kinds"].values())
    assert totals == {**totals, "non_2xx_3xx": 0, "server_errors_5xx": 0, "socket_errors": 0}
    build = result["build"]
    assert build["finished"], build["output_tail"]
    assert build["commands"] == [
        "scholarfolio ingest idb03_A5071165005_works.jsonl.gz",
        "scholarfolio build",
    ]
    assert 1.0 <= build["started_after_s"] < 4.0
    assert result["rss_kb"]["start"] > 10_000
    assert result["rss_kb"]["peak"] >= result["rss_kb"]["end"] > 10_000
    assert result["server_alive_after"] and result["passed"]
    # The build really ran: the OpenAlex works are in the store now.
    with Store.open(small_store) as store, store.engine.connect() as conn:
        sources = {row[0] for row in conn.exec_driver_sql("SELECT DISTINCT source FROM records")}
    assert "openalex" in sources


def test_the_command_says_in_one_line_when_wrk_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["bench", "soak", "--minutes", "0.1"])
    assert result.exit_code == 1
    assert result.output == "Error: wrk is not installed; on Debian: apt-get install -y wrk nginx\n"


def test_ingesting_at_half_time_needs_a_store() -> None:
    result = CliRunner().invoke(cli, ["bench", "soak", "--ingest", "x.json"])
    assert result.exit_code == 1
    assert "--ingest needs --db" in result.output
