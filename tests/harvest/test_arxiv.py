"""arXiv OAI-PMH harvests against recorded ListRecords pages served on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scholarfolio.errors import BadInput, UpstreamError
from scholarfolio.harvest import ArxivQuery, harvest_arxiv, store_sink
from scholarfolio.harvest.arxiv import INTERVAL
from scholarfolio.store import Store

from .replay import ReplayServer, Reply, fixture_bytes
from .support import (
    ARXIV_FROM,
    ARXIV_PAGE_1,
    ARXIV_PAGE_2,
    FakeClock,
    add_arxiv_pages,
    count_rows,
    make_env,
    oai_first_target,
    oai_record_ids,
    oai_token_target,
    xml_reply,
)

PAGE_IDS = oai_record_ids(ARXIV_PAGE_1, ARXIV_PAGE_2)
ARXIV_503 = Reply(  # arXiv's flow control, as it answers: 503 with Retry-After in seconds
    b"<html><body>Retry after 10 seconds</body></html>",
    status=503,
    headers={"Retry-After": "10"},
    content_type="text/html",
)


def _query(replay: ReplayServer, **options: str | None) -> ArxivQuery:
    return ArxivQuery(base_url=replay.url + "/oai2", **options)  # type: ignore[arg-type]


def _state(folder: Path) -> dict[str, object]:
    state: dict[str, object] = json.loads((folder / ".harvest-state.json").read_text())
    return state


def test_pages_are_saved_the_state_kept_and_every_record_ingested(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    first, second = add_arxiv_pages(replay)
    folder, lines = tmp_path / "harvest" / "arxiv", []
    summary = harvest_arxiv(
        _query(replay, from_date=ARXIV_FROM), make_env(folder, store_sink(store), clock, lines)
    )

    assert (summary.complete, summary.pages, summary.records) == (True, 2, len(PAGE_IDS))
    assert summary.ingested.added == count_rows(store, "records") == len(PAGE_IDS) == 80
    for number, recording in ((1, ARXIV_PAGE_1), (2, ARXIV_PAGE_2)):
        saved = folder / f"page-{number:06d}.xml.gz"
        assert gzip.decompress(saved.read_bytes()) == fixture_bytes(recording)
    state = _state(folder)
    assert state["complete"] is True and state["position"] is None
    assert state["params"] == {"from": ARXIV_FROM, "until": None, "set": None, "prefix": "arXiv"}
    # The next run starts from the day of this run's first answer (2013-05-24T20:43:21Z).
    assert state["since"] == "2013-05-24"
    assert (first.hits, second.hits) == (1, 1)
    assert second.times[0] - first.times[0] >= INTERVAL
    assert first.headers[0]["user-agent"].startswith("scholarfolio/")
    assert any(line.startswith("page 2: 40 records (80 in this harvest)") for line in lines)


def test_503_with_retry_after_is_waited_out(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", oai_first_target(), ARXIV_503, ARXIV_503, xml_reply(ARXIV_PAGE_1))
    replay.add("GET", oai_token_target(), xml_reply(ARXIV_PAGE_2))
    env = make_env(tmp_path / "h", store_sink(store), clock, [])
    summary = harvest_arxiv(_query(replay), env)
    assert summary.complete and summary.records == 80
    assert clock.sleeps[:2] == [10.0, 10.0]


def test_endless_503_gives_up_after_bounded_retries_and_keeps_the_state(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", oai_first_target(), *[ARXIV_503] * 6)
    folder = tmp_path / "h"
    with pytest.raises(UpstreamError) as raised:
        harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, []))
    message = str(raised.value)
    assert "HTTP 503" in message and "gave up after 6 attempts" in message
    assert "run the same command again to resume" in message and "\n" not in message
    assert clock.sleeps == [10.0] * 5
    assert _state(folder)["complete"] is False and not list(folder.glob("page-*"))


def test_a_resumed_harvest_never_requests_a_saved_page_again(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    first = replay.add("GET", oai_first_target(**{"from": ARXIV_FROM}), xml_reply(ARXIV_PAGE_1))
    second = replay.add(
        "GET", oai_token_target(), *[Reply(b"", status=502)] * 6, xml_reply(ARXIV_PAGE_2)
    )
    folder = tmp_path / "h"
    env = make_env(folder, store_sink(store), clock, [])
    with pytest.raises(UpstreamError):
        harvest_arxiv(_query(replay, from_date=ARXIV_FROM), env)
    assert _state(folder)["next_page"] == 2 and count_rows(store, "records") == 40

    lines: list[str] = []
    summary = harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, lines))
    assert summary.complete and (summary.downloaded, summary.records) == (1, 80)
    assert (first.hits, second.hits) == (1, 7)
    assert lines[0].startswith("arxiv: resuming the harvest in") and "at page 2" in lines[0]
    assert count_rows(store, "records") == 80


def test_a_page_on_disk_is_read_from_there_not_downloaded(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    # As if the harvest died between saving page 2 and saving the state.
    replay.add("GET", oai_first_target(), xml_reply(ARXIV_PAGE_1))
    replay.add("GET", oai_token_target(), *[Reply(b"", status=500)] * 6)
    folder = tmp_path / "h"
    with pytest.raises(UpstreamError):
        harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, []))
    (folder / "page-000002.xml.gz").write_bytes(gzip.compress(fixture_bytes(ARXIV_PAGE_2)))

    lines: list[str] = []
    summary = harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, lines))
    assert summary.complete and (summary.downloaded, summary.reused) == (0, 1)
    assert "page 2 (already on disk): 40 records" in "\n".join(lines)
    assert count_rows(store, "records") == 80


def test_resuming_with_other_parameters_is_bad_input(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", oai_first_target(set="cs"), *[ARXIV_503] * 6)
    folder = tmp_path / "h"
    with pytest.raises(UpstreamError):
        harvest_arxiv(_query(replay, set_spec="cs"), make_env(folder, store_sink(store), clock, []))
    with pytest.raises(BadInput) as raised:
        harvest_arxiv(
            _query(replay, set_spec="math"), make_env(folder, store_sink(store), clock, [])
        )
    assert "--set 'cs', not 'math'" in str(raised.value)
    assert "resume it with the same options" in str(raised.value)


def test_a_daily_run_starts_where_the_last_one_ended_and_no_match_is_done(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    add_arxiv_pages(replay)
    folder = tmp_path / "h"
    harvest_arxiv(
        _query(replay, from_date=ARXIV_FROM), make_env(folder, store_sink(store), clock, [])
    )
    no_match = xml_reply("arxiv/noRecordsMatch_constructed.xml")
    again = replay.add("GET", oai_first_target(**{"from": "2013-05-24"}), no_match)

    lines: list[str] = []
    summary = harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, lines))
    assert again.hits == 1 and summary.complete
    assert (summary.pages, summary.records, summary.downloaded) == (0, 0, 0)
    assert "arxiv: no more records" in lines
    state = _state(folder)
    assert state["since"] == "2013-05-26" and state["next_page"] == 3
    assert sorted(p.name for p in folder.glob("page-*")) == [
        "page-000001.xml.gz",
        "page-000002.xml.gz",
    ]


def test_another_set_in_the_same_folder_starts_from_the_beginning(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    add_arxiv_pages(replay)
    folder = tmp_path / "h"
    env = make_env(folder, store_sink(store), clock, [])
    harvest_arxiv(_query(replay, from_date=ARXIV_FROM), env)
    # Not from 2013-05-24: that date only bounds what changed in the list already harvested.
    other = replay.add(
        "GET", oai_first_target(set="cs"), xml_reply("arxiv/noRecordsMatch_constructed.xml")
    )
    assert harvest_arxiv(_query(replay, set_spec="cs"), env).complete
    assert other.hits == 1


def test_an_oai_error_stops_the_harvest_with_its_code(
    replay: ReplayServer, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    replay.add("GET", oai_first_target(), xml_reply(ARXIV_PAGE_1))
    replay.add("GET", oai_token_target(), xml_reply("arxiv/badResumptionToken_constructed.xml"))
    folder = tmp_path / "h"
    with pytest.raises(UpstreamError) as raised:
        harvest_arxiv(_query(replay), make_env(folder, store_sink(store), clock, []))
    assert "OAI-PMH error badResumptionToken" in str(raised.value)
    assert "tokens expire" in str(raised.value)
    assert _state(folder)["next_page"] == 2


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"from_date": "2013-5-1"}, "--from must be a date written YYYY-MM-DD"),
        ({"until": "yesterday"}, "--until must be a date written YYYY-MM-DD"),
        ({"from_date": "2013-06-01", "until": "2013-05-01"}, "is after --until"),
        ({"prefix": "oai_marc"}, "--prefix must be one of arXiv, arXivRaw"),
        ({"base_url": "export.arxiv.org/oai2"}, "--base-url must be an http:// or https:// URL"),
    ],
)
def test_bad_options_are_bad_input(
    options: dict[str, str], expected: str, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    with pytest.raises(BadInput, match=expected):
        harvest_arxiv(ArxivQuery(**options), make_env(tmp_path, store_sink(store), clock, []))  # type: ignore[arg-type]
