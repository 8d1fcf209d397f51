"""``scholarfolio bench web``: reading wrk, staying on loopback, and one short real run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.store import Store
from scholarfolio.webbench import Load, Paths, bench_web, parse_wrk
from scholarfolio.webbench import _plan as plan

STYLESHEET = Path(__file__).resolve().parents[1] / "scholarfolio" / "web" / "static" / "style.css"
# Real wrk 4.1.0 reports from this project's machine (2 cores), against `scholarfolio serve`.
HEALTHZ_REPORT = """Running 2s test @ http://127.0.0.1:18902/healthz
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.29ms    8.30ms  83.38ms   96.92%
    Req/Sec    17.28k     6.85k   23.93k    75.00%
  Latency Distribution
     50%    1.43ms
     75%    1.97ms
     90%    4.47ms
     99%   56.82ms
  68840 requests in 2.01s, 15.95MB read
Requests/sec:  34167.98
Transfer/sec:      7.92MB
"""
NOT_FOUND_REPORT = """Running 2s test @ http://127.0.0.1:18902/authors/nobody
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    55.61ms   20.74ms 165.95ms   76.76%
    Req/Sec   574.60    162.37     0.95k    72.50%
  Latency Distribution
     50%   51.15ms
     75%   62.93ms
     90%   80.66ms
     99%     1.36s
  2296 requests in 2.01s, 3.74MB read
  Socket errors: connect 0, read 2, write 0, timeout 5
  Non-2xx or 3xx responses: 2296
Requests/sec:   1142.04
Transfer/sec:      1.86MB
"""


def test_wrk_report_gives_rate_p99_and_no_errors() -> None:
    result = parse_wrk("http://127.0.0.1:18902/healthz", HEALTHZ_REPORT)
    assert result.requests == 68840
    assert result.requests_per_second == 34167.98
    assert result.p99_ms == 56.82
    assert result.errors == 0


def test_wrk_errors_count_socket_errors_and_non_2xx_answers() -> None:
    result = parse_wrk("http://127.0.0.1:18902/authors/nobody", NOT_FOUND_REPORT)
    assert result.p99_ms == 1360.0
    assert result.errors == 2 + 5 + 2296


def test_the_benchmark_loads_nothing_but_loopback() -> None:
    with pytest.raises(BadInput, match="loads only 127.0.0.1"):
        Load(seconds=1).run("http://192.0.2.1:80/")


def test_nginx_runs_right_before_the_servers_it_is_compared_with() -> None:
    order = [
        (server, what) for server, what, _, _ in plan(["granian", "uvicorn"], Paths("a", "/s"))
    ]
    assert order[:6] == [
        ("nginx", "profile_json"),
        ("granian", "profile_json"),
        ("uvicorn", "profile_json"),
        ("nginx", "profile_html"),
        ("granian", "profile_html"),
        ("uvicorn", "profile_html"),
    ]
    no_cache = [what for _, what, _, headers in plan(["granian"], Paths("a", "/s")) if headers]
    assert no_cache == ["profile_json_from_store", "profile_html_from_store"]


def test_unknown_server_names_the_choices() -> None:
    with pytest.raises(BadInput, match="choose from granian, uvicorn"):
        bench_web(None, Load(seconds=1), ["gunicorn"], "red sea")


@pytest.mark.skipif(
    not (shutil.which("wrk") and shutil.which("nginx", path="/usr/sbin:/usr/bin")),
    reason="wrk and nginx are not installed (apt-get install wrk nginx); CI does not need them",
)
@pytest.mark.sqlite_only(
    "measures the server beside nginx on a store file; the store kind is not what it compares"
)
def test_a_one_second_run_compares_the_server_with_nginx_on_the_same_bytes(
    built_store: Store,
) -> None:
    location = str(built_store.engine.url.database)
    report = bench_web(location, Load(seconds=1, connections=8), ["granian"], "quantum")
    assert Path(location).exists()
    assert report["servers"].keys() == {"granian"}
    rows = report["servers"]["granian"]
    assert set(rows) == {
        "profile_json",
        "profile_html",
        "search",
        "profile_json_from_store",
        "profile_html_from_store",
    }
    assert all(row["requests"] > 0 and row["errors"] == 0 for row in rows.values())
    assert rows["profile_json"]["ratio_to_nginx"] > 0
    assert report["bytes"]["profile_html"] > 1000
    assert report["bytes"]["stylesheet"] == STYLESHEET.stat().st_size
    assert report["search_url"] == "/api/search?q=quantum"
