"""Byte streams for the parsers: count on-disk bytes, gunzip, sniff a head, read lines.

Everything here reads in bounded chunks; no input file is ever held whole in memory.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from scholarfolio.models import Reject

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

HEAD_SIZE = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
_BUFFER_SIZE = 64 * 1024
# What a truncated or corrupt gzip member raises while it is being read.
DAMAGED_STREAM_ERRORS: tuple[type[Exception], ...] = (EOFError, zlib.error, gzip.BadGzipFile)


class CountingReader(io.RawIOBase):
    """A raw reader over an open file that counts the bytes read from disk."""

    def __init__(self, raw: io.RawIOBase) -> None:
        super().__init__()
        self._raw = raw
        self._pending = 0

    def readable(self) -> bool:
        """Always true: this is a reader."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Read into ``buffer`` from the file, counting what was read."""
        count = self._raw.readinto(buffer) or 0
        self._pending += count
        return count

    def take(self) -> int:
        """Bytes read since the previous call."""
        count, self._pending = self._pending, 0
        return count


class _Replay(io.RawIOBase):
    """Serves the sniffed head again, then the rest of the content.

    A read error met while sniffing (a gzip file cut short within its first
    bytes) is raised at the point of the stream where it happened.
    """

    def __init__(self, head: bytes, rest: io.BufferedIOBase, error: Exception | None) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._offset = 0
        self._rest = rest
        self._error = error

    def readable(self) -> bool:
        """Always true: this is a reader."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill ``buffer`` from the head first, then from the remaining content."""
        view = memoryview(buffer).cast("B")
        if self._offset < len(self._head):
            count = min(len(view), len(self._head) - self._offset)
            view[:count] = self._head[self._offset : self._offset + count]
            self._offset += count
            return count
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        # read1, not read: a gzip error then loses no byte decoded before it.
        data = self._rest.read1(len(view))
        view[: len(data)] = data
        return len(data)


@dataclass(frozen=True, slots=True)
class OpenedContent:
    """A file opened for parsing: its decoded bytes, their first bytes, the disk counter."""

    stream: BinaryIO
    head: bytes
    head_error: Exception | None
    counter: CountingReader


@contextmanager
def open_content(path: Path) -> Iterator[OpenedContent]:
    """Open ``path``, gunzipping when its content starts with the gzip magic bytes."""
    with open(path, "rb", buffering=0) as raw:
        counter = CountingReader(raw)
        on_disk = io.BufferedReader(counter, buffer_size=_BUFFER_SIZE)
        content: io.BufferedIOBase = on_disk
        if on_disk.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] == GZIP_MAGIC:
            content = gzip.GzipFile(fileobj=on_disk, mode="rb")
        head, error = _read_head(content)
        replay = io.BufferedReader(_Replay(head, content, error), buffer_size=_BUFFER_SIZE)
        yield OpenedContent(replay, head, error, counter)


def _read_head(content: io.BufferedIOBase) -> tuple[bytes, Exception | None]:
    """Up to :data:`HEAD_SIZE` first bytes, and the read error that cut them short if any."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size < HEAD_SIZE:
            chunk = content.read1(HEAD_SIZE - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except DAMAGED_STREAM_ERRORS as error:
        return b"".join(chunks), error
    return b"".join(chunks), None


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """Yield ``(line number, bytes, too long)`` for each line, holding at most ``limit`` bytes.

    A line longer than ``limit`` is skipped to its end and reported with its
    first ``limit`` bytes and ``too long`` set.
    """
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        too_long = len(line) > limit and not line.endswith(b"\n")
        if too_long:
            _skip_to_line_end(stream, limit)
            line = line[:limit]
        yield number, line, too_long


def _skip_to_line_end(stream: BinaryIO, chunk: int) -> None:
    """Discard the rest of the current line, a bounded chunk at a time."""
    while True:
        rest = stream.readline(chunk)
        if not rest or rest.endswith(b"\n"):
            return


def damaged_stream_reject(file: str, position: int, error: Exception) -> Reject:
    """The Reject that ends a file whose compressed data is cut short or corrupt."""
    return Reject(
        file=file,
        position=position,
        reason=f"compressed data ends early or is corrupt at record {position}: {error}",
    )


def excerpt(data: bytes | str, length: int = 120) -> str:
    """A short, single-line, printable sample of some input for a Reject."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class Prefixed(io.RawIOBase):
    """Serves bytes already read from a stream, then the rest of that stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._offset = 0
        self._rest = rest

    def readable(self) -> bool:
        """Always true: this is a reader."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill ``buffer`` from the head first, then from the rest."""
        view = memoryview(buffer).cast("B")
        if self._offset < len(self._head):
            size = min(len(view), len(self._head) - self._offset)
            view[:size] = self._head[self._offset : self._offset + size]
            self._offset += size
            return size
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
