"""read_file and expand_paths: streaming, progress, and bad input that never stops a run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.ingest import expand_paths, read_file
from scholarfolio.models import Reject, WorkRecord

from ._support import fixture, read_all, records_of

RAW_PAGE = fixture("oai/listrecords_arXivRaw_496549_46001_first100.xml")
GZ_PAGE = fixture("oai/listrecords_arXiv_436115_405001_cut.xml.gz")
SNAPSHOT = fixture("snapshot/arxiv-metadata-oai-snapshot_first60.jsonl")


def ids(items: list[WorkRecord | Reject]) -> list[str]:
    return [item.arxiv_id for item in items if isinstance(item, WorkRecord)]


def rejects(items: list[WorkRecord | Reject]) -> list[Reject]:
    return [item for item in items if isinstance(item, Reject)]


# --- expand_paths -----------------------------------------------------------------------


def test_expand_paths_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden_dir").mkdir()
    for relative in ["b/deep/2.abs", "b/1.xml", "a.jsonl", ".hidden.xml", ".hidden_dir/x.xml"]:
        (tmp_path / relative).write_bytes(b"x")
    single = tmp_path / "b" / "1.xml"
    assert expand_paths([tmp_path, str(single)]) == [
        tmp_path / "a.jsonl",
        tmp_path / "b" / "1.xml",
        tmp_path / "b" / "deep" / "2.abs",
        single,
    ]


def test_expand_paths_names_the_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    with pytest.raises(BadInput, match=f"no such file or folder: {missing}"):
        expand_paths([RAW_PAGE, missing])


def test_every_fixture_reads_through_expand_paths() -> None:
    counts: dict[str, int] = {}
    for path in expand_paths([fixture("")]):
        for item in read_file(path):
            key = item.source if isinstance(item, WorkRecord) else "reject"
            counts[key] = counts.get(key, 0) + 1
    assert counts == {
        "arxiv-abs": 6 + 17 + 4,
        "arxiv-atom": 1 + 2 + 1 + 10,
        "arxiv-oai-arxiv": 102 + 12 + 1 + 1 + 3,
        "arxiv-oai-arxivraw": 100,
        "arxiv-oai-dc": 1,
        "arxiv-snapshot": 60,
        "reject": 1,  # the arXiv API error entry for the id "abc"
    }


# --- streaming and progress --------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "oai/listrecords_arXivRaw_496549_46001_first100.xml",
        "oai/listrecords_arXiv_436115_405001_cut.xml.gz",
        "snapshot/arxiv-metadata-oai-snapshot_first60.jsonl",
        "atom/q_testing_s0_m10.xml",
        "abs/1411.4413.abs",
        "abs/listing_math-ph_9701.gz",
        "atom/id_0000.0000.xml",
    ],
)
def test_progress_adds_up_to_the_size_on_disk(relative: str) -> None:
    path = fixture(relative)
    reported: list[int] = []
    items = read_file(path, progress=reported.append)
    assert iter(items) is items  # a generator, consumed lazily
    for _item in items:
        pass
    assert sum(reported) == path.stat().st_size
    assert all(step > 0 for step in reported)


@pytest.mark.parametrize("compress", [False, True])
def test_read_file_streams_a_large_file(tmp_path: Path, compress: bool) -> None:
    # 40 copies of the 60 real lines: about 3.5 MB of JSON lines.
    content = SNAPSHOT.read_bytes() * 40
    path = tmp_path / ("big.jsonl.gz" if compress else "big.jsonl")
    path.write_bytes(gzip.compress(content) if compress else content)
    reported: list[int] = []
    items = read_file(path, progress=reported.append)
    first = next(items)
    assert isinstance(first, WorkRecord) and first.arxiv_id == "0704.0001"
    # Only a bounded head of the file has been read for the first record.
    assert sum(reported) <= 256 * 1024 < path.stat().st_size
    remaining = sum(1 for _item in items)
    assert remaining == 2399
    assert sum(reported) == path.stat().st_size


# --- bad input: records around the damage are kept -----------------------------------


def test_truncated_oai_page_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    page = RAW_PAGE.read_bytes()
    truncated = page[: len(page) // 2]
    path = tmp_path / "truncated.xml"
    path.write_bytes(truncated)
    items = read_all(path)
    complete = truncated.count(b"</record>")
    assert complete == 50
    assert ids(items) == ids(read_all(RAW_PAGE))[:complete]
    (reject,) = rejects(items)
    assert items[-1] is reject
    assert reject.position == complete + 1
    assert reject.reason.startswith(f"XML ends early / malformed at line {reject.line}: ")
    assert reject.line == truncated.count(b"\n") + 1


def test_malformed_xml_in_the_middle_reports_its_line(tmp_path: Path) -> None:
    page = RAW_PAGE.read_bytes()
    marker = b"<id>0801.3722</id>"  # record 50
    broken_at = page.index(marker)
    damaged = page[:broken_at] + b"<id>0801.3722</i>" + page[broken_at + len(marker) :]
    path = tmp_path / "malformed.xml"
    path.write_bytes(damaged)
    items = read_all(path)
    assert len(ids(items)) == 49
    (reject,) = rejects(items)
    assert reject.position == 50
    assert reject.line == page[:broken_at].count(b"\n") + 1
    assert "mismatch" in reject.reason


def test_truncated_gzip_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    data = GZ_PAGE.read_bytes()
    path = tmp_path / "truncated.xml.gz"
    path.write_bytes(data[: int(len(data) * 0.6)])
    items = read_all(path)
    read_ids = ids(items)
    assert 0 < len(read_ids) < 102
    assert read_ids == ids(read_all(GZ_PAGE))[: len(read_ids)]
    (reject,) = rejects(items)
    assert items[-1] is reject
    assert reject.position == len(read_ids) + 1
    assert reject.reason.startswith(
        f"compressed data ends early or is corrupt at record {reject.position}"
    )


def test_gzip_cut_within_its_first_bytes(tmp_path: Path) -> None:
    path = tmp_path / "stub.gz"
    path.write_bytes(GZ_PAGE.read_bytes()[:200])
    (reject,) = read_all(path)
    assert isinstance(reject, Reject)
    assert "compressed data ends early or is corrupt" in reject.reason


def _latin1_line(line: bytes) -> bytes:
    """A real snapshot line re-encoded as Latin-1 (its \\u escapes written as raw accents)."""
    document = json.loads(line)
    return json.dumps(document, ensure_ascii=False).encode("latin-1") + b"\n"


def test_latin1_and_garbage_lines_are_rejected_alone(tmp_path: Path) -> None:
    lines = SNAPSHOT.read_bytes().splitlines(keepends=True)[:10]
    no_id = json.loads(lines[6])
    del no_id["id"]
    damaged = [
        *lines[:2],
        _latin1_line(lines[0]),  # line 3: "Balázs" as the single byte 0xe1
        b"\x00\x01garbage, not JSON {\n",  # line 4
        *lines[2:6],
        b"\n",  # line 9: blank lines are not records
        json.dumps(no_id).encode() + b"\n",  # line 10
        *lines[6:],
    ]
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(b"".join(damaged))
    items = read_all(path)
    assert ids(items) == [
        "0704.0001", "0704.0002", "0704.0003", "0704.0004", "0704.0005", "0704.0006",
        "0704.0007", "0704.0008", "0704.0009", "0704.0010",
    ]  # fmt: skip
    latin1, garbage, missing_id = rejects(items)
    assert (latin1.position, latin1.line) == (3, 3)
    assert latin1.reason.startswith("line 3: not valid UTF-8 (byte 0xe1 at offset ")
    assert "Bal" in latin1.excerpt
    assert (garbage.position, garbage.line) == (4, 4)
    assert garbage.reason.startswith("line 4: not valid JSON: ")
    assert (missing_id.position, missing_id.line) == (9, 10)
    assert missing_id.reason == "line 10: object lacks id"
    assert len(items) == 13


def test_wrong_field_type_is_rejected(tmp_path: Path) -> None:
    document = json.loads(SNAPSHOT.read_bytes().splitlines()[1])
    document["versions"] = "v1"
    path = tmp_path / "typed.jsonl"
    path.write_bytes(json.dumps(document).encode() + b"\n" + SNAPSHOT.read_bytes().splitlines()[0])
    first, second = read_all(path)
    assert isinstance(first, Reject) and first.reason == 'line 1: "versions" should be a list'
    assert isinstance(second, WorkRecord) and second.arxiv_id == "0704.0001"


def test_truncated_abs_rejects_the_cut_record(tmp_path: Path) -> None:
    text = fixture("abs/hep-th_9901001.abs").read_bytes()
    path = tmp_path / "cut.abs"
    path.write_bytes(text[: text.index(b"string junctions in type IIB")])
    (reject,) = read_all(path)
    assert isinstance(reject, Reject)
    assert reject.reason == "file ends in the abstract of the record, before its closing \\\\ line"
    assert (reject.position, reject.line) == (1, 3)


def test_listing_keeps_records_around_a_bad_one(tmp_path: Path) -> None:
    listing = gzip.decompress(fixture("abs/listing_math-ph_9701.gz").read_bytes())
    broken = listing.replace(b"Paper (*cross-listing*): gr-qc/9701066", b"Paper: gr-qc/9713066")
    path = tmp_path / "listing"
    path.write_bytes(broken)
    items = read_all(path)
    assert len(ids(items)) == 16
    (reject,) = rejects(items)
    assert reject.position == 4
    assert "not an arXiv identifier: 'gr-qc/9713066'" in reject.reason


def test_unknown_format_is_one_reject_naming_the_accepted_formats(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_bytes((fixture("").parent / "SOURCES.md").read_bytes())
    (reject,) = read_all(path)
    assert isinstance(reject, Reject)
    assert reject.position == 0
    assert reject.reason.startswith("unknown format: expected one of ")
    for accepted in ("OAI-PMH", "Atom", "snapshot (JSON lines)", ".abs"):
        assert accepted in reject.reason


@pytest.mark.parametrize("content", [b"", gzip.compress(b"")])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(content)
    assert read_all(path) == [Reject(file=str(path), position=0, reason="empty file")]


def test_unreadable_path_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    missing = tmp_path / "gone.xml"
    (reject,) = read_all(missing)
    assert isinstance(reject, Reject)
    assert reject.position == 0
    assert reject.reason.startswith("cannot read the file: ")


def test_records_of_a_good_file_have_no_rejects() -> None:
    assert len(records_of(RAW_PAGE)) == 100
