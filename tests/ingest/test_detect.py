"""Format detection from content, never from the file name."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scholarfolio.ingest import detect_format, read_file
from scholarfolio.models import Reject, WorkRecord

from ._support import fixture


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("oai/listrecords_arXivRaw_496549_46001_first100.xml", "oai-pmh"),
        ("oai/hepcrawl_sample_arxiv_record.xml", "oai-pmh"),  # no XML declaration
        ("oai/getrecord_oai_dc_1401.2122_constructed.xml", "oai-pmh"),
        ("atom/q_testing_s0_m10.xml", "atom"),
        ("atom/2016_id_list_1111.2011v2.xml", "atom"),
        ("atom/id_0000.0000.xml", "atom"),
        ("snapshot/arxiv-metadata-oai-snapshot_first60.jsonl", "snapshot"),
        ("abs/hep-th_9901001.abs", "abs"),
        ("abs/1607.08199.abs", "abs"),  # Latin-1 bytes
    ],
)
def test_detects_each_fixture(relative: str, expected: str) -> None:
    assert detect_format(fixture(relative).read_bytes()[:65536]) == expected


@pytest.mark.parametrize("relative", ["abs/listing_math-ph_9701.gz", "abs/listing_q-fin_new.MF.gz"])
def test_detects_listing_files_after_their_preamble(relative: str) -> None:
    assert detect_format(gzip.decompress(fixture(relative).read_bytes())) == "abs"


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"# arxiv_kaggle_snapshot\n| file | origin |\n",  # a SOURCES.md
        b"<?xml version='1.0'?><html><body/></html>",
        b"<feed><entry/></feed>",  # a feed, but not Atom
        b"\x1f\x8b\x08\x00garbage",  # gzip magic: read_file decompresses before detecting
    ],
)
def test_unknown_content_is_none(head: bytes) -> None:
    assert detect_format(head) is None


def test_snapshot_with_a_damaged_first_line_is_still_recognised() -> None:
    lines = fixture("snapshot/arxiv-metadata-oai-snapshot_first60.jsonl").read_bytes()
    assert detect_format(b"not json at all\n" + lines[:20000]) == "snapshot"


def test_byte_order_mark_is_ignored() -> None:
    head = fixture("atom/id_abc.xml").read_bytes()
    assert detect_format(b"\xef\xbb\xbf" + head) == "atom"


def test_xml_named_file_holding_json_lines_is_read_as_snapshot(tmp_path: Path) -> None:
    source = fixture("snapshot/arxiv-metadata-oai-snapshot_first60.jsonl")
    disguised = tmp_path / "records.xml"
    disguised.write_bytes(source.read_bytes())
    items = list(read_file(disguised))
    assert len(items) == 60
    assert all(isinstance(item, WorkRecord) and item.source == "arxiv-snapshot" for item in items)


def test_gzipped_file_without_gz_name_is_decompressed(tmp_path: Path) -> None:
    page = fixture("oai/listrecords_arXiv_436115_405001_cut.xml.gz")
    renamed = tmp_path / "page.xml"
    renamed.write_bytes(page.read_bytes())
    items = list(read_file(renamed))
    assert len(items) == 102
    assert not [item for item in items if isinstance(item, Reject)]


def test_plain_file_with_gz_name_is_read_as_is(tmp_path: Path) -> None:
    misnamed = tmp_path / "feed.xml.gz"
    misnamed.write_bytes(fixture("atom/2016_id_list_1111.2011v2.xml").read_bytes())
    (record,) = list(read_file(misnamed))
    assert isinstance(record, WorkRecord)
    assert record.arxiv_id == "1111.2011"
