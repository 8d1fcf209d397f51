"""JSON documents and JSON lines: detection, the kinds registry, envelopes, bad input."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.ingest import detect_format, read_file
from scholarfolio.ingest.jsondocs import (
    KindRegistry,
    Parsed,
    default_registry,
    parse_json,
    reject,
)
from scholarfolio.models import AuthorRecord, CitationRecord, Locator, Reject, WorkRecord

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WORK = FIXTURES / "openalex" / "W2741809807.json"
WORKS_LINES = FIXTURES / "openalex" / "idb03_A5071165005_works.jsonl.gz"
SNAPSHOT = FIXTURES / "arxiv" / "snapshot" / "arxiv-metadata-oai-snapshot_first60.jsonl"


def _items(path: Path) -> list[Parsed]:
    return list(read_file(path))


def _rejects(items: list[Parsed]) -> list[Reject]:
    return [item for item in items if isinstance(item, Reject)]


def _works(items: list[Parsed]) -> list[WorkRecord]:
    return [item for item in items if isinstance(item, WorkRecord)]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _work_lines() -> list[bytes]:
    return gzip.decompress(WORKS_LINES.read_bytes()).splitlines(keepends=True)


# --- detection ------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "openalex/W2741809807.json",  # pretty-printed document
        "openalex/closure_raw_works.json",  # one-line array
        "s2/test_not_found_000.json",
        "s2/Citation.json",
    ],
)
def test_json_documents_are_detected_as_json(relative: str) -> None:
    assert detect_format((FIXTURES / relative).read_bytes()[:65536]) == "json"


@pytest.mark.parametrize(
    "relative",
    [
        "openalex/idb03_A5071165005_works.jsonl.gz",
        "s2/s2ag_papers-sample.jsonl.gz",
        "s2/s2ag_citations-sample.jsonl.gz",
        "s2/s2ag_authors-sample.jsonl.gz",
    ],
)
def test_json_lines_dumps_are_json_not_arxiv_snapshot(relative: str) -> None:
    # OpenAlex work lines have an "id" too: only arXiv's own keys make a snapshot.
    head = gzip.decompress((FIXTURES / relative).read_bytes())[:65536]
    assert detect_format(head) == "json"


def test_arxiv_snapshot_is_still_the_snapshot() -> None:
    assert detect_format(SNAPSHOT.read_bytes()[:65536]) == "snapshot"


def test_json_lines_with_a_damaged_first_line_are_detected() -> None:
    head = b"garbage, not json\n" + b"".join(_work_lines()[:2])
    assert detect_format(head[:65536]) == "json"


def test_gzipped_json_document_is_read(tmp_path: Path) -> None:
    packed = _write(tmp_path / "work.bin", gzip.compress(WORK.read_bytes()))
    (work,) = _items(packed)
    assert isinstance(work, WorkRecord) and work.source_id == "W2741809807"


def test_json_lines_read_line_by_line_with_line_numbers() -> None:
    items = _items(WORKS_LINES)
    assert len(items) == 8 and not _rejects(items)
    assert [work.locator.line for work in _works(items)] == list(range(1, 9))


def test_single_line_document_gives_the_same_record_as_pretty(tmp_path: Path) -> None:
    compact = _write(tmp_path / "compact.json", json.dumps(json.loads(WORK.read_bytes())).encode())
    (one_line,) = _works(_items(compact))
    (pretty,) = _works(_items(WORK))
    assert replace(one_line, locator=pretty.locator) == pretty


def test_lines_longer_than_the_sniffed_head_are_still_json_lines(tmp_path: Path) -> None:
    # The S2 Turing paper compacted is 2.7 MB on one line.
    paper = json.loads(gzip.decompress((FIXTURES / "s2" / "Paper.json.gz").read_bytes()))
    line = json.dumps({key: paper[key] for key in ("paperId", "title", "citations")}).encode()
    path = _write(tmp_path / "long.jsonl", line + b"\n" + line + b"\n")
    items = _items(path)
    assert not _rejects(items)
    assert sum(isinstance(item, CitationRecord) for item in items) == 2000


def test_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.json", b"\xef\xbb\xbf" + WORK.read_bytes())
    (work,) = _items(path)
    assert isinstance(work, WorkRecord)


# --- bad input ------------------------------------------------------------------


def test_truncated_document_is_one_reject(tmp_path: Path) -> None:
    data = WORK.read_bytes()
    path = _write(tmp_path / "cut.json", data[: len(data) // 2])
    (item,) = _items(path)
    assert isinstance(item, Reject)
    assert item.reason.startswith("not valid JSON")


def test_bad_line_is_rejected_and_the_rest_go_in(tmp_path: Path) -> None:
    lines = _work_lines()
    lines[3] = lines[3][:500] + b"\n"  # cut mid-object
    path = _write(tmp_path / "works.jsonl", b"".join(lines))
    items = _items(path)
    (bad,) = _rejects(items)
    assert bad.line == 4 and "not valid JSON" in bad.reason and bad.reason.startswith("line 4:")
    assert len(_works(items)) == 7


def test_damaged_first_line_does_not_lose_the_others(tmp_path: Path) -> None:
    path = _write(tmp_path / "works.jsonl", b"{not json\n" + b"".join(_work_lines()))
    items = _items(path)
    assert [reject.line for reject in _rejects(items)] == [1]
    assert len(_works(items)) == 8


def test_invalid_utf8_line_is_rejected(tmp_path: Path) -> None:
    lines = _work_lines()
    path = _write(tmp_path / "works.jsonl", b'{"id": "\xff"}\n' + b"".join(lines))
    items = _items(path)
    assert "not valid UTF-8" in _rejects(items)[0].reason
    assert len(_works(items)) == 8


def test_gzip_cut_short_keeps_the_lines_before(tmp_path: Path) -> None:
    packed = WORKS_LINES.read_bytes()
    path = _write(tmp_path / "cut.jsonl.gz", packed[: len(packed) * 3 // 4])
    items = _items(path)
    assert _works(items) and "compressed data ends early" in items[-1].reason  # type: ignore[union-attr]


def test_unknown_object_names_the_accepted_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path / "other.json", b'{"hello": "world"}')
    (item,) = _items(path)
    assert isinstance(item, Reject)
    assert "unrecognised JSON object (keys: hello)" in item.reason
    assert "openalex-work" in item.reason and "s2-paper" in item.reason


def test_array_of_non_objects_rejects_each(tmp_path: Path) -> None:
    path = _write(tmp_path / "numbers.json", b'[1, null, "x"]')
    reasons = [item.reason for item in _rejects(_items(path))]
    assert reasons == [
        "expected a JSON object, found a number",
        "null entry (a batch answer for an id the source does not know)",
        "expected a JSON object, found a string",
    ]


def test_error_body_is_named_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path / "error.json", b'{"error": "Paper with id 0 not found"}')
    (item,) = _items(path)
    assert isinstance(item, Reject)
    assert item.reason == "the file holds an error response: Paper with id 0 not found"


# --- envelopes and positions ----------------------------------------------------


def test_array_elements_get_their_own_positions() -> None:
    items = _items(FIXTURES / "openalex" / "closure_raw_works.json")
    assert [work.locator.position for work in _works(items)] == [1, 2, 3, 4, 5, 6]


def test_openalex_results_page_is_unwrapped(tmp_path: Path) -> None:
    work = json.loads(WORK.read_bytes())
    page = {"meta": {"count": 2, "page": 1}, "results": [work, work], "group_by": []}
    path = _write(tmp_path / "page.json", json.dumps(page).encode())
    assert [item.key for item in _works(_items(path))] == ["W2741809807", "W2741809807"]


def test_empty_page_yields_nothing() -> None:
    assert _items(FIXTURES / "s2" / "test_empty_paginated_results_000.json") == []


def test_non_2xx_recorded_response_is_rejected() -> None:
    (item,) = _items(FIXTURES / "s2" / "test_not_found_000.json")
    assert isinstance(item, Reject)
    assert item.reason.startswith("HTTP 404 response to GET https://api.semanticscholar.org/")
    assert item.reason.endswith(": Paper with id 0 not found")


def test_cassette_interactions_are_unwrapped() -> None:
    items = _items(FIXTURES / "openalex" / "cassette_author_search_daya.json")
    assert [type(item) for item in items] == [AuthorRecord]


# --- the registry ---------------------------------------------------------------


def _matches_greeting(document: Mapping[str, Any]) -> bool:
    return "greeting" in document


def _parse_greeting(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    if document["greeting"] != "hello":
        raise BadInput("greeting should be hello")
    yield reject(locator, f"greeted {document['greeting']}")


def _read(registry: KindRegistry, data: bytes) -> list[Parsed]:
    return list(parse_json(io.BytesIO(data), "test.json", registry))


def test_registered_kind_parses_and_its_bad_input_becomes_a_reject() -> None:
    registry = KindRegistry()
    registry.register("greeting", _matches_greeting, _parse_greeting)
    good, bad = _read(registry, b'[{"greeting": "hello"}, {"greeting": "bye"}]')
    assert isinstance(good, Reject) and good.reason == "greeted hello"
    assert isinstance(bad, Reject) and bad.reason == "greeting: greeting should be hello"
    assert bad.position == 2


def test_first_matching_kind_wins_and_before_reorders() -> None:
    registry = KindRegistry()
    registry.register("first", _matches_greeting, _parse_greeting)
    registry.register("second", _matches_greeting, _parse_greeting, before="first")
    assert registry.names() == ("second", "first")
    assert registry.find({"greeting": "hello"}) is registry.kinds[0]


def test_duplicate_or_unknown_neighbour_is_refused() -> None:
    registry = KindRegistry()
    registry.register("first", _matches_greeting, _parse_greeting)
    with pytest.raises(BadInput, match="already registered"):
        registry.register("first", _matches_greeting, _parse_greeting)
    with pytest.raises(BadInput, match="no JSON kind 'nope'"):
        registry.register("other", _matches_greeting, _parse_greeting, before="nope")


def test_default_registry_holds_the_source_kinds_in_order() -> None:
    names = default_registry().names()
    assert names.index("s2-citation-page") < names.index("s2-paper")
    assert names.index("openalex-author-works") < names.index("openalex-author")
    assert {"openalex-work", "s2ag-paper", "s2ag-citation"}.issubset(names)
