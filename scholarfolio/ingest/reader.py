"""Reading input files: find them, recognise their format, stream their records."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.absfile import parse_abs
from scholarfolio.ingest.atom import parse_atom
from scholarfolio.ingest.bibtex import parse_bibtex
from scholarfolio.ingest.detect import describe_formats, detect_format
from scholarfolio.ingest.jsondocs import Parsed, parse_json
from scholarfolio.ingest.limits import bounded
from scholarfolio.ingest.oai import parse_oai
from scholarfolio.ingest.snapshot import parse_snapshot
from scholarfolio.ingest.streams import (
    CountingReader,
    OpenedContent,
    damaged_stream_reject,
    excerpt,
    open_content,
)
from scholarfolio.models import Reject

# Every parser yields records and Rejects; JSON sources also yield author
# records and citation edges (see :data:`scholarfolio.ingest.jsondocs.Parsed`).
Parser = Callable[[BinaryIO, str], Iterator[Parsed]]
Progress = Callable[[int], None]

PARSERS: Mapping[str, Parser] = MappingProxyType(
    {
        "oai-pmh": parse_oai,
        "atom": parse_atom,
        "snapshot": parse_snapshot,
        "abs": parse_abs,
        "json": parse_json,
        "bibtex": parse_bibtex,
    }
)


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders walked recursively (sorted, hidden entries skipped).

    Raises :class:`BadInput` for a path that does not exist.
    """
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.exists():
            files.append(path)
        else:
            raise BadInput(f"no such file or folder: {given}")
    return files


def read_file(path: Path, progress: Progress | None = None) -> Iterator[Parsed]:
    """Stream the records of one file, whatever its format, gzipped or not.

    The format is recognised from the content, never from the name. Unreadable
    records come out as :class:`Reject` between the good ones; every item is
    cleaned and bounded (:mod:`scholarfolio.ingest.limits`). ``progress``
    receives the number of on-disk bytes consumed since its previous call.
    """
    file = str(path)
    with ExitStack() as stack:
        try:
            opened = stack.enter_context(open_content(path))
        except OSError as error:
            reason = f"cannot read the file: {error.strerror or error}"
            yield Reject(file=file, position=0, reason=reason)
            return
        for item in _records(opened, file):
            _report(progress, opened.counter)
            yield bounded(item)
        _report(progress, opened.counter)


def _records(opened: OpenedContent, file: str) -> Iterator[Parsed]:
    """The records of an opened file, or one Reject for the whole file."""
    if not opened.head:
        if opened.head_error is not None:
            yield damaged_stream_reject(file, 1, opened.head_error)
        else:
            yield Reject(file=file, position=0, reason="empty file")
        return
    file_format = detect_format(opened.head)
    if file_format is None:
        yield Reject(
            file=file,
            position=0,
            reason=f"unknown format: expected one of {describe_formats()}",
            excerpt=excerpt(opened.head[:200]),
        )
        return
    yield from PARSERS[file_format](opened.stream, file)


def _report(progress: Progress | None, counter: CountingReader) -> None:
    """Pass the bytes read since the last report to ``progress``."""
    consumed = counter.take()
    if progress is not None and consumed:
        progress(consumed)


def _walk(folder: Path) -> list[Path]:
    """Every non-hidden file under ``folder``, sorted, not entering hidden folders."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.extend(_walk(entry))
        elif entry.is_file():
            found.append(entry)
    return found
