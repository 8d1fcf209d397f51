"""arXiv's internal ``.abs`` records, one per file or concatenated as in listing files.

A record::

    ------------------------------------------------------------------------------
    \\\\
    arXiv:hep-th/9901001                      (or "Paper: ..." in older files)
    From: Yosuke Imamura <...>
    Date: Fri, 1 Jan 1999 01:01:10 GMT   (15kb)
    Date (revised v2): Tue, 5 Jan 1999 21:36:42 GMT   (15kb)

    Title: String Junctions and Their Duals in Heterotic String Theory
    Authors: Yosuke Imamura
    Categories: hep-th
    Comments: 13 pages + 4 eps figures, ...     (indented lines continue a field)
    \\\\
      We explicitly give the correspondence ...  (the abstract; absent in listings)
    \\\\
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.authors import split_authors
from scholarfolio.ingest.dates import parse_rfc2822
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.ingest.streams import (
    DAMAGED_STREAM_ERRORS,
    damaged_stream_reject,
    excerpt,
    iter_lines,
)
from scholarfolio.ingest.text import collapse
from scholarfolio.models import Locator, Reject, Version, WorkRecord

SOURCE = "arxiv-abs"
MAX_LINE_BYTES = 1024 * 1024
_RECORD_START = re.compile(r"^(?:arXiv|Paper)\b[^:]{0,40}:\s*(?P<id>\S+)")
_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z-]*(?: \([^)]*\))?):\s?(?P<value>.*)$")
_REVISED = re.compile(r"^Date \(revised(?: v(?P<number>\d+))?\)$")
_DATE_VALUE = re.compile(r"^(?P<date>[^(]*?)\s*(?:\((?P<size>[^)]*)\))?\s*$")
_DIVIDER = re.compile(r"^-{10,}\s*$")
_EMAIL = re.compile(r"<[^>]*>")


class _State(Enum):
    """Where the reader is within the record structure."""

    SEEKING = "between records"
    HEADER = "in the header"
    AFTER_HEADER = "after the header"
    ABSTRACT = "in the abstract"


@dataclass(slots=True)
class _Pending:
    """The lines of the record being read."""

    locator: Locator
    header: list[str]
    abstract: list[str] = field(default_factory=list)


def parse_abs(stream: BinaryIO, file: str) -> Iterator[WorkRecord | Reject]:
    """Yield every record of an .abs (or listing) file, in order."""
    state = _State.SEEKING
    pending: _Pending | None = None
    position = 0
    try:
        for number, data, _too_long in iter_lines(stream, MAX_LINE_BYTES):
            line = _decode(data).rstrip("\r\n")
            if pending is not None and _ends_record(state, line):
                yield _finish(pending)
                state, pending = _State.SEEKING, None
            if state is _State.SEEKING:
                if _RECORD_START.match(line):
                    position += 1
                    pending = _Pending(Locator(file, position, number), [line])
                    state = _State.HEADER
            elif pending is not None:
                state = _take_line(state, pending, line)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, position + (1 if pending is None else 0), error)
        return
    if pending is not None:
        yield _finish(pending) if state is _State.AFTER_HEADER else _cut_short(pending, state)


def _ends_record(state: _State, line: str) -> bool:
    """Whether ``line`` closes the pending record before being read itself."""
    closing = line.startswith("\\\\")
    if state is _State.HEADER:
        # Listing entries without abstract end with "\\ ( https://arxiv.org/abs/ID , 38kb)".
        return closing and line.strip() != "\\\\"
    if state is _State.AFTER_HEADER:
        return closing or bool(_DIVIDER.match(line) or _RECORD_START.match(line))
    return state is _State.ABSTRACT and closing


def _take_line(state: _State, pending: _Pending, line: str) -> _State:
    """Add ``line`` to the pending record; return the state after it."""
    if state is _State.HEADER:
        if line.strip() == "\\\\":
            return _State.AFTER_HEADER
        pending.header.append(line)
        return state
    pending.abstract.append(line)
    return _State.ABSTRACT


def _decode(data: bytes) -> str:
    """UTF-8, falling back to Latin-1: older .abs files predate arXiv's move to UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _cut_short(pending: _Pending, state: _State) -> Reject:
    """The Reject for a record the file ends in the middle of."""
    return Reject(
        file=pending.locator.file,
        position=pending.locator.position,
        reason=f"file ends {state.value} of the record, before its closing \\\\ line",
        excerpt=excerpt(" ".join(pending.header)),
        line=pending.locator.line,
    )


def _finish(pending: _Pending) -> WorkRecord | Reject:
    """The record from its collected lines, or a Reject saying what is wrong with it."""
    try:
        return _record(pending)
    except BadInput as problem:
        return Reject(
            file=pending.locator.file,
            position=pending.locator.position,
            reason=str(problem),
            excerpt=excerpt(" ".join(pending.header)),
            line=pending.locator.line,
        )


def _record(pending: _Pending) -> WorkRecord:
    """Build the record; the id line and a Title field are required."""
    start = _RECORD_START.match(pending.header[0])
    if start is None:
        raise BadInput("record does not start with an arXiv: or Paper: line")
    fields, dates = _fields(pending.header[1:])
    title = fields.get("Title")
    if not title:
        raise BadInput("record without a Title: field")
    categories = fields.get("Categories")
    doi = fields.get("DOI")
    submitter = collapse(_EMAIL.sub("", fields.get("From", "")))
    return WorkRecord(
        source=SOURCE,
        arxiv_id=parse_arxiv_id(start["id"])[0],
        title=title,
        authors=tuple(split_authors(fields.get("Authors", ""))),
        versions=_versions(dates),
        locator=pending.locator,
        abstract=collapse(" ".join(pending.abstract)) or None,
        categories=tuple(categories.split()) if categories else (),
        # Several DOIs (paper, erratum) are space-separated; the first is the paper's.
        doi=doi.split()[0] if doi else None,
        journal_ref=fields.get("Journal-ref"),
        comments=fields.get("Comments"),
        report_no=fields.get("Report-no"),
        license=fields.get("License"),
        submitter=submitter or None,
    )


def _fields(lines: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Header fields (continuation lines joined) and the Date lines, in order."""
    entries: list[tuple[str, str]] = []
    for line in lines:
        found = _FIELD.match(line)
        if line[:1].isspace() and entries:
            key, value = entries[-1]
            entries[-1] = (key, f"{value} {line.strip()}")
        elif found:
            entries.append((found["key"], found["value"]))
    fields = {key: collapse(value) for key, value in entries if not key.startswith("Date")}
    dates = [(key, value) for key, value in entries if key.startswith("Date")]
    return fields, dates


def _versions(dates: list[tuple[str, str]]) -> tuple[Version, ...]:
    """``Date:`` is v1; ``Date (revised vN):`` is vN; an unnumbered revision follows the last."""
    versions: list[Version] = []
    for key, value in dates:
        revised = _REVISED.match(key)
        if key == "Date":
            number = 1
        elif revised:
            number = int(revised["number"]) if revised["number"] else len(versions) + 1
        else:
            continue
        versions.append(_version(number, value))
    return tuple(versions)


def _version(number: int, value: str) -> Version:
    """``Fri, 1 Jan 1999 01:01:10 GMT   (15kb)`` to a Version (size without its flags)."""
    parts = _DATE_VALUE.match(value.strip())
    if parts is None or not parts["date"]:
        raise BadInput(f"v{number} date line without a date: {value!r}")
    size = parts["size"].split(",")[0].strip() if parts["size"] else None
    return Version(number, parse_rfc2822(parts["date"]), size or None)
