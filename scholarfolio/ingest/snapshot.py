"""The Kaggle arXiv metadata snapshot: one JSON object per line.

Layout of ``arxiv-metadata-oai-snapshot.json`` (https://www.kaggle.com/datasets/Cornell-University/arxiv):
id, submitter, authors, title, comments, journal-ref, doi, report-no, categories,
license, abstract, versions [{version, created}], update_date, authors_parsed
[[last, first, suffix, (affiliation)]].
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.authors import (
    author_from_parts,
    is_affiliation_label,
    is_name,
    split_authors,
)
from scholarfolio.ingest.dates import parse_iso_date, parse_rfc2822
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.ingest.streams import (
    DAMAGED_STREAM_ERRORS,
    damaged_stream_reject,
    excerpt,
    iter_lines,
)
from scholarfolio.ingest.text import collapse
from scholarfolio.models import AuthorName, Locator, Reject, Version, WorkRecord

SOURCE = "arxiv-snapshot"
# A snapshot line is one paper; anything near this size is not one.
MAX_LINE_BYTES = 16 * 1024 * 1024


def parse_snapshot(stream: BinaryIO, file: str) -> Iterator[WorkRecord | Reject]:
    """Yield one record per non-blank line; a bad line is a Reject and the rest go on."""
    position = 0
    try:
        for line_number, data, too_long in iter_lines(stream, MAX_LINE_BYTES):
            if not too_long and not data.strip():
                continue
            position += 1
            locator = Locator(file, position, line_number)
            yield _line_item(data, too_long, locator)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, position + 1, error)


def _line_item(data: bytes, too_long: bool, locator: Locator) -> WorkRecord | Reject:
    """One line to a record, or to a Reject saying why it cannot be read."""
    try:
        if too_long:
            raise BadInput(f"line longer than {MAX_LINE_BYTES} bytes")
        return _record(_decode(data), locator)
    except BadInput as problem:
        return Reject(
            file=locator.file,
            position=locator.position,
            reason=f"line {locator.line}: {problem}",
            excerpt=excerpt(data),
            line=locator.line,
        )


def _decode(data: bytes) -> object:
    """Parse one line as UTF-8 JSON."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        bad_byte = data[error.start]
        raise BadInput(
            f"not valid UTF-8 (byte 0x{bad_byte:02x} at offset {error.start})"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"not valid JSON: {error.msg} at column {error.colno}") from error
    except RecursionError:
        # json.loads recurses once per level: 100,000 "[" would end the process otherwise.
        raise BadInput("JSON nested too deeply to read") from None


def _record(document: object, locator: Locator) -> WorkRecord:
    """A snapshot object to a record; id and title are required."""
    if not isinstance(document, dict):
        raise BadInput(f"expected a JSON object, found {type(document).__name__}")
    raw_id = _text(document, "id")
    title = _text(document, "title")
    if raw_id is None or title is None:
        missing = [key for key, value in (("id", raw_id), ("title", title)) if value is None]
        raise BadInput(f"object lacks {' and '.join(missing)}")
    categories = _text(document, "categories")
    doi = _text(document, "doi")
    update_date = _text(document, "update_date")
    return WorkRecord(
        source=SOURCE,
        arxiv_id=parse_arxiv_id(raw_id)[0],
        title=title,
        authors=_authors(_text(document, "authors"), document.get("authors_parsed")),
        versions=_versions(document.get("versions")),
        locator=locator,
        abstract=_text(document, "abstract"),
        categories=tuple(categories.split()) if categories else (),
        doi=doi.split()[0] if doi else None,
        journal_ref=_text(document, "journal-ref"),
        comments=_text(document, "comments"),
        report_no=_text(document, "report-no"),
        license=_text(document, "license"),
        submitter=_text(document, "submitter"),
        updated=parse_iso_date(update_date) if update_date else None,
    )


def _text(document: dict[str, object], key: str) -> str | None:
    """A string field, whitespace collapsed; None when absent, null or blank."""
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f'"{key}" should be a string, found {type(value).__name__}')
    return collapse(value) or None


def _authors(raw: str | None, parsed: object) -> tuple[AuthorName, ...]:
    """Authors from ``authors_parsed`` (name parts), with ``raw`` and affiliations from ``authors``.

    The two lists are paired by position when they have the same length;
    otherwise the parsed parts stand alone, with arXiv's own affiliation column.
    """
    written = split_authors(raw) if raw else []
    if parsed is None:
        return tuple(written)
    parts = _parsed_parts(parsed)
    if len(parts) == len(written):
        return tuple(
            author_from_parts(part[0], part[1], part[2], author.affiliations, raw=author.raw)
            for part, author in zip(parts, written, strict=True)
        )
    return tuple(
        author_from_parts(part[0], part[1], part[2], _own_affiliations(part[3:])) for part in parts
    )


def _own_affiliations(texts: list[str]) -> list[str]:
    """arXiv's affiliation column, without bare footnote numbers such as ``1 and 2``."""
    return [text for text in texts if not is_affiliation_label(text)]


def _parsed_parts(parsed: object) -> list[list[str]]:
    """Validate ``authors_parsed``: a list of ``[last, first, suffix, ...]`` string lists."""
    if not isinstance(parsed, list):
        raise BadInput('"authors_parsed" should be a list')
    parts: list[list[str]] = []
    for entry in parsed:
        if not isinstance(entry, list) or not entry or not all(isinstance(p, str) for p in entry):
            raise BadInput(f'"authors_parsed" entry {entry!r} is not a list of strings')
        if is_name(entry[0]):
            parts.append([*entry, "", ""][: max(len(entry), 3)])
    return parts


def _versions(versions: object) -> tuple[Version, ...]:
    """``[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...]`` to Versions."""
    if versions is None:
        return ()
    if not isinstance(versions, list):
        raise BadInput('"versions" should be a list')
    return tuple(_version(entry) for entry in versions)


def _version(entry: object) -> Version:
    """One ``{"version": "vN", "created": date}`` entry."""
    if not isinstance(entry, dict):
        raise BadInput(f'"versions" entry {entry!r} is not an object')
    label, created = entry.get("version"), entry.get("created")
    if not (isinstance(label, str) and label.startswith("v") and label[1:].isdigit()):
        raise BadInput(f"version label {label!r} is not of the form v1, v2, ...")
    if created is not None and not isinstance(created, str):
        raise BadInput(f'"created" of {label} should be a string')
    return Version(int(label[1:]), parse_rfc2822(created) if created else None)
