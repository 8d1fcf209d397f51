"""OpenAlex cursor harvests against recorded list pages served on 127.0.0.1."""

from __future__ import annotations

import gzip
import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest import OpenAlexQuery, harvest_openalex, store_sink
from scholarfolio.harvest.openalex import INTERVAL, budget_exhausted, budget_renewal
from scholarfolio.store import Store

from .replay import ReplayServer, Reply, fixture_bytes
from .support import (
    OPENALEX_FILTER,
    OPENALEX_PAGE_1,
    OPENALEX_PAGE_2,
    FakeClock,
    Recorder,
    make_env,
    openalex_page,
    openalex_target,
    target,
)

CURSOR = openalex_page(OPENALEX_PAGE_1)["meta"]["next_cursor"]
KEY = "k3y-0f-the-tester"
RECORDS = len(openalex_page(OPENALEX_PAGE_1)["results"]) + len(
    openalex_page(OPENALEX_PAGE_2)["results"]
)


def _reply(relative: str) -> Reply:
    return Reply(fixture_bytes(relative))


def _query(replay: ReplayServer, **options: object) -> OpenAlexQuery:
    values: dict[str, object] = {"filter": OPENALEX_FILTER, "per_page": 10, **options}
    return OpenAlexQuery(base_url=replay.url, **values)  # type: ignore[arg-type]


def _state(folder: Path) -> dict[str, object]:
    state: dict[str, object] = json.loads((folder / ".harvest-state.json").read_text())
    return state


def test_cursor_pages_are_saved_with_the_state(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    # Page 2 is another author's recorded works page, served for page 1's cursor.
    first = replay.add(
        "GET", openalex_target("*", mailto="me@example.org"), _reply(OPENALEX_PAGE_1)
    )
    second = replay.add(
        "GET", openalex_target(CURSOR, mailto="me@example.org"), _reply(OPENALEX_PAGE_2)
    )
    folder, sink = tmp_path / "openalex", Recorder()
    summary = harvest_openalex(
        _query(replay, mailto="me@example.org"), make_env(folder, sink, clock, [])
    )

    assert (summary.complete, summary.pages, summary.records) == (True, 2, RECORDS)
    assert sink.pages == [folder / "page-000001.json.gz", folder / "page-000002.json.gz"]
    for page, recording in zip(sink.pages, (OPENALEX_PAGE_1, OPENALEX_PAGE_2), strict=True):
        assert gzip.decompress(page.read_bytes()) == fixture_bytes(recording)
    state = _state(folder)
    assert state["complete"] is True and state["records"] == 20
    assert state["params"] == {
        "entity": "works",
        "filter": OPENALEX_FILTER,
        "search": None,
        "per_page": 10,
        "max_results": None,
    }
    assert (first.hits, second.hits) == (1, 1)
    assert "mailto:me@example.org" in first.headers[0]["user-agent"]


def test_a_rate_limit_429_is_retried_after_its_retry_after(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    too_fast = Reply(b'{"error": "Rate limit exceeded"}', status=429, headers={"Retry-After": "2"})
    replay.add("GET", openalex_target("*"), too_fast, _reply(OPENALEX_PAGE_1))
    replay.add("GET", openalex_target(CURSOR), Reply(b"", status=503), _reply(OPENALEX_PAGE_2))
    summary = harvest_openalex(_query(replay), make_env(tmp_path, Recorder(), clock, []))
    assert summary.complete and summary.records == RECORDS
    assert 2.0 in clock.sleeps and 1.0 in clock.sleeps  # Retry-After, then the first backoff


def test_an_exhausted_daily_budget_stops_with_when_to_resume_then_resumes(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    spent = Reply(
        b'{"error": "Rate limit exceeded", "message": "Insufficient credits"}',
        status=429,
        headers={
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "43200",
            "Retry-After": "43200",
        },
    )
    first = replay.add("GET", openalex_target("*", api_key=KEY), _reply(OPENALEX_PAGE_1))
    second = replay.add("GET", openalex_target(CURSOR, api_key=KEY), spent, _reply(OPENALEX_PAGE_2))
    folder = tmp_path / "openalex"
    with pytest.raises(UpstreamError) as raised:
        harvest_openalex(_query(replay, api_key=KEY), make_env(folder, Recorder(), clock, []))
    message = str(raised.value)
    assert "daily budget is used up" in message and "12 h 00 min" in message
    assert "2013-05-26 15:00 UTC" in message and "run the same command again" in message
    assert KEY not in message and "api_key=***" in message
    assert clock.sleeps == [INTERVAL]  # pacing only: an exhausted budget is not retried
    state = _state(folder)
    assert state["complete"] is False and state["position"] == {"cursor": CURSOR}
    assert KEY not in (folder / ".harvest-state.json").read_text()

    summary = harvest_openalex(_query(replay, api_key=KEY), make_env(folder, Recorder(), clock, []))
    assert summary.complete and (summary.downloaded, summary.records) == (1, RECORDS)
    assert (first.hits, second.hits) == (1, 2)


def test_max_results_stops_at_the_page_that_reaches_it(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", openalex_target("*"), _reply(OPENALEX_PAGE_1))
    summary = harvest_openalex(
        _query(replay, max_results=10), make_env(tmp_path, Recorder(), clock, [])
    )
    assert summary.complete and (summary.pages, summary.records) == (1, 10)


def test_authors_are_harvested_by_search(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    page = "openalex/authors_search_daya_guo.json.gz"
    replay.add(
        "GET", target("/authors", search="daya guo", per_page="200", cursor="*"), _reply(page)
    )
    query = OpenAlexQuery(entity="authors", search="daya guo", base_url=replay.url)
    summary = harvest_openalex(query, make_env(tmp_path, Recorder(), clock, []))
    assert summary.complete and (summary.pages, summary.records) == (1, 1)


def test_a_new_harvest_needs_a_filter_or_a_search(clock: FakeClock, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="give --filter or --search"):
        harvest_openalex(OpenAlexQuery(), make_env(tmp_path, Recorder(), clock, []))
    with pytest.raises(BadInput, match="--per-page must be between 1 and 200"):
        harvest_openalex(
            OpenAlexQuery(filter="x:y", per_page=500), make_env(tmp_path, Recorder(), clock, [])
        )


def _response(status: int, body: bytes = b"", **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers)


@pytest.mark.parametrize(
    ("response", "exhausted"),
    [
        (_response(429, **{"X-RateLimit-Remaining": "0"}), True),
        (_response(429, **{"X-RateLimit-Remaining-USD": "0.0"}), True),
        (_response(429, b'{"message": "You have exceeded your daily limit"}'), True),
        (
            _response(429, b'{"error": "Rate limit exceeded"}', **{"X-RateLimit-Remaining": "950"}),
            False,
        ),
        (_response(429, b"", **{"Retry-After": "1"}), False),
        (_response(503, **{"X-RateLimit-Remaining": "0"}), False),
    ],
)
def test_budget_exhaustion_is_told_from_a_burst(response: httpx.Response, exhausted: bool) -> None:
    assert budget_exhausted(response) is exhausted


def test_without_reset_headers_the_budget_renews_at_midnight_utc() -> None:
    now = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert budget_renewal(_response(429), now) == datetime(2026, 3, 2, tzinfo=UTC)


@pytest.mark.skipif(
    importlib.util.find_spec("scholarfolio.ingest.openalex") is None,
    reason="the OpenAlex parser has not landed in scholarfolio.ingest yet",
)
def test_openalex_pages_land_in_the_store(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", openalex_target("*"), _reply(OPENALEX_PAGE_1))
    replay.add("GET", openalex_target(CURSOR), _reply(OPENALEX_PAGE_2))
    summary = harvest_openalex(_query(replay), make_env(tmp_path, store_sink(store), clock, []))
    assert summary.ingested.read == RECORDS and summary.ingested.rejected == 0
