"""Byte-level helpers: counting, line limits, gzip sniffing."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from scholarfolio.ingest.streams import CountingReader, iter_lines, open_content

from ._support import fixture


def _ten_bytes(folder: Path) -> Path:
    path = folder / "ten"
    path.write_bytes(b"0123456789")
    return path


def test_counting_reader_reports_bytes_since_last_take(tmp_path: Path) -> None:
    with io.FileIO(_ten_bytes(tmp_path)) as raw:
        counter = CountingReader(raw)
        buffer = bytearray(4)
        assert counter.readinto(buffer) == 4
        assert counter.readinto(buffer) == 4
        assert counter.take() == 8
        assert counter.readinto(buffer) == 2
        assert counter.take() == 2
        assert counter.take() == 0


def test_iter_lines_numbers_lines_and_cuts_overlong_ones() -> None:
    stream = io.BytesIO(b"short\n" + b"x" * 50 + b"\nlast")
    assert list(iter_lines(stream, limit=10)) == [
        (1, b"short\n", False),
        (2, b"x" * 10, True),
        (3, b"last", False),
    ]


def test_open_content_sniffs_gzip_and_replays_the_head(tmp_path: Path) -> None:
    original = fixture("abs/hep-th_9901001.abs").read_bytes()
    path = tmp_path / "record"
    path.write_bytes(gzip.compress(original))
    with open_content(path) as opened:
        assert opened.head == original
        assert opened.head_error is None
        assert opened.stream.read() == original
        assert opened.counter.take() == path.stat().st_size
