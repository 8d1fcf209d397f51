"""Semantic Scholar harvests against recorded Graph API exchanges served on 127.0.0.1."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest import S2Query, harvest_s2, store_sink
from scholarfolio.harvest.s2 import INTERVAL, chunk, parse_paper_ids
from scholarfolio.store import Store

from .replay import ReplayServer, Reply
from .support import (
    S2_SEARCH,
    FakeClock,
    Recorder,
    make_env,
    s2_recording,
    s2_reply,
    s2_target,
)

SEARCH = [s2_recording(name) for name in S2_SEARCH]
BATCH = s2_recording("s2/paper_batch_4ids_one_not_found.json.gz")
FORBIDDEN = s2_recording("s2/paper_batch_403_forbidden.json.gz")
KEY = "s2-k3y-of-the-tester"


def _add_search(replay: ReplayServer, *before_last: Reply) -> list[object]:
    routes = [replay.add("GET", s2_target(rec), s2_reply(rec)) for rec in SEARCH[:2]]
    routes.append(replay.add("GET", s2_target(SEARCH[2]), *before_last, s2_reply(SEARCH[2])))
    return routes


def _fields(recording: dict[str, object]) -> str:
    uri = str(recording["request_uri"])
    return uri.split("fields=", 1)[1].split("&", 1)[0].replace("%2C", ",")


def _ids_file(tmp_path: Path, recording: dict[str, object]) -> Path:
    ids = json.loads(str(recording["request_body"]))["ids"]
    path = tmp_path / "ids.txt"
    path.write_text("# recorded ids\n" + "\n".join(ids) + "\n\n", encoding="utf-8")
    return path


def test_bulk_search_pages_follow_the_token_one_request_per_second(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    routes = _add_search(replay)
    folder, sink = tmp_path / "s2", Recorder()
    query = S2Query(
        query="kubernetes", fields="title", api_key=KEY, base_url=replay.url + "/graph/v1"
    )
    summary = harvest_s2(query, make_env(folder, sink, clock, []))

    expected = sum(len(rec["response"]["data"]) for rec in SEARCH)
    assert expected == SEARCH[0]["response"]["total"] == 2674
    assert (summary.complete, summary.pages, summary.records) == (True, 3, expected)
    for page, recording in zip(sink.pages, SEARCH, strict=True):
        assert json.loads(gzip.decompress(page.read_bytes())) == recording["response"]
    times = [t for route in routes for t in route.times]  # type: ignore[attr-defined]
    assert all(
        later - earlier >= INTERVAL for earlier, later in zip(times, times[1:], strict=False)
    )
    assert all(route.headers[0]["x-api-key"] == KEY for route in routes)  # type: ignore[attr-defined]


def test_429_and_5xx_are_retried_with_exponential_backoff(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    busy = Reply(b'{"message": "Too Many Requests"}', status=429)
    _add_search(replay, busy, busy, Reply(b"", status=504))
    query = S2Query(query="kubernetes", fields="title", base_url=replay.url + "/graph/v1")
    summary = harvest_s2(query, make_env(tmp_path, Recorder(), clock, []))
    assert summary.complete
    # Waits of 2, 4 and 8 s, each also spacing the next request past the 1 s limit.
    assert [wait for wait in clock.sleeps if wait > INTERVAL] == [2.0, 4.0, 8.0]


def test_a_resumed_search_starts_at_the_saved_token(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    routes = _add_search(replay, *[Reply(b"", status=500)] * 7)
    folder = tmp_path / "s2"
    query = S2Query(query="kubernetes", fields="title", base_url=replay.url + "/graph/v1")
    with pytest.raises(UpstreamError, match="gave up after 7 attempts"):
        harvest_s2(query, make_env(folder, Recorder(), clock, []))
    summary = harvest_s2(
        S2Query(base_url=replay.url + "/graph/v1"), make_env(folder, Recorder(), clock, [])
    )
    assert summary.complete and (summary.downloaded, summary.pages) == (1, 3)
    assert [route.hits for route in routes] == [1, 1, 8]  # type: ignore[attr-defined]


def test_paper_ids_are_fetched_in_batches_and_resume_without_the_file(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    ids_file = _ids_file(tmp_path, BATCH)
    body = json.loads(BATCH["request_body"])
    route = replay.add("POST", s2_target(BATCH), s2_reply(BATCH), json_body=body)
    folder = tmp_path / "s2"
    query = S2Query(paper_ids=ids_file, fields=_fields(BATCH), base_url=replay.url + "/graph/v1")
    summary = harvest_s2(query, make_env(folder, Recorder(), clock, []))
    # Four ids asked, one unknown to Semantic Scholar (null in the answer).
    assert summary.complete and (summary.pages, summary.records) == (1, 3)
    assert route.hits == 1
    saved = (folder / ".s2-paper-ids.txt").read_text(encoding="utf-8").split()
    assert saved == body["ids"]


def test_a_forbidden_answer_is_one_line_without_the_key(
    replay: ReplayServer, clock: FakeClock, tmp_path: Path
) -> None:
    body = json.loads(FORBIDDEN["request_body"])
    replay.add("POST", s2_target(FORBIDDEN), s2_reply(FORBIDDEN), json_body=body)
    folder = tmp_path / "s2"
    query = S2Query(
        paper_ids=_ids_file(tmp_path, FORBIDDEN),
        fields=_fields(FORBIDDEN),
        api_key=KEY,
        base_url=replay.url + "/graph/v1",
    )
    with pytest.raises(UpstreamError) as raised:
        harvest_s2(query, make_env(folder, Recorder(), clock, []))
    message = str(raised.value)
    assert message.startswith("Semantic Scholar answered HTTP 403 Forbidden for POST http://")
    assert "/graph/v1/paper/batch?fields=" in message and ": Forbidden." in message
    assert KEY not in message and "\n" not in message
    assert json.loads((folder / ".harvest-state.json").read_text())["complete"] is False


def test_options_are_checked(clock: FakeClock, tmp_path: Path) -> None:
    env = make_env(tmp_path / "s2", Recorder(), clock, [])
    with pytest.raises(BadInput, match="give either --query or --paper-ids"):
        harvest_s2(S2Query(), env)
    ids = tmp_path / "ids.txt"
    ids.write_text("\n# none\n", encoding="utf-8")
    with pytest.raises(BadInput, match="holds no ids"):
        harvest_s2(S2Query(paper_ids=ids), env)
    with pytest.raises(BadInput, match="--fields must name at least one field"):
        harvest_s2(S2Query(query="x", fields=" , "), env)


def test_batches_hold_at_most_500_ids() -> None:
    ids = [f"CorpusId:{n}" for n in range(1201)]
    sizes = [len(chunk(ids, number, 500)) for number in range(4)]
    assert sizes == [500, 500, 201, 0]
    assert parse_paper_ids(" a \n\n# b\nDOI:10.1/x\n") == ["a", "DOI:10.1/x"]


NO_S2_PARSER = pytest.mark.skipif(
    importlib.util.find_spec("scholarfolio.ingest.s2") is None,
    reason="the Semantic Scholar parser has not landed in scholarfolio.ingest yet",
)


@NO_S2_PARSER
def test_s2_search_pages_land_in_the_store(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    _add_search(replay)
    query = S2Query(query="kubernetes", fields="title", base_url=replay.url + "/graph/v1")
    summary = harvest_s2(query, make_env(tmp_path / "s2", store_sink(store), clock, []))
    assert (summary.ingested.read, summary.ingested.rejected) == (2674, 0)


@NO_S2_PARSER
def test_s2_batch_pages_land_in_the_store(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    body = json.loads(BATCH["request_body"])
    replay.add("POST", s2_target(BATCH), s2_reply(BATCH), json_body=body)
    query = S2Query(
        paper_ids=_ids_file(tmp_path, BATCH),
        fields=_fields(BATCH),
        base_url=replay.url + "/graph/v1",
    )
    summary = harvest_s2(query, make_env(tmp_path / "s2", store_sink(store), clock, []))
    # The id Semantic Scholar does not know is a null in the page: 3 papers are read.
    assert summary.ingested.read == 3
