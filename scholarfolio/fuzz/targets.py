"""The fuzz harnesses: one function per parser that takes arbitrary bytes and must not crash.

Each :class:`Target` names a parser, says which fixture files seed it and runs
one input through it. "Not crashing" means: the parser yields records and
Rejects, or raises :class:`~scholarfolio.errors.BadInput`; any other exception
escapes the harness and is a finding. Nothing here needs atheris: the tests
run the same one-input functions over the seed files and mutations of them.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import parse_qsl

from scholarfolio.errors import BadInput
from scholarfolio.identity.names import author_id_for, display_name, fold, name_key
from scholarfolio.ingest import crossref, csl, dates, ids, openalex, s2, text
from scholarfolio.ingest.absfile import parse_abs
from scholarfolio.ingest.atom import parse_atom
from scholarfolio.ingest.authors import split_authors
from scholarfolio.ingest.bibtex import parse_bibtex
from scholarfolio.ingest.detect import detect_format
from scholarfolio.ingest.jsondocs import KindRegistry, Parsed, parse_json
from scholarfolio.ingest.limits import bounded
from scholarfolio.ingest.oai import parse_oai
from scholarfolio.ingest.reader import PARSERS
from scholarfolio.ingest.snapshot import parse_snapshot
from scholarfolio.models import AuthorRecord, CitationRecord, Reject, WorkRecord
from scholarfolio.profiles import WorkListing
from scholarfolio.search.query import Paging, parse

# Seeds longer than this are cut: a fuzzer spends its time on small inputs.
MAX_SEED_BYTES = 16 * 1024
FUZZ_FILE = "<fuzz>"
_ITEM_TYPES = (WorkRecord, AuthorRecord, CitationRecord, Reject)
# Fixture files whose names, dates, ids and titles seed the small-text targets.
_TEXT_SEED_FOLDERS = ("arxiv/oai/*", "arxiv/atom/*", "arxiv/abs/*", "bibtex/*")


@dataclass(frozen=True, slots=True)
class Target:
    """One harness: its name, what it exercises, its seed files and its one-input function."""

    name: str
    about: str
    seed_globs: tuple[str, ...]
    run: Callable[[bytes], None]


def consume(items: Iterator[Parsed]) -> int:
    """Drain a parser's output through the ingest bounds; fail on anything that is no item."""
    produced = 0
    for item in items:
        if not isinstance(item, _ITEM_TYPES):
            raise TypeError(f"parser yielded {type(item).__name__}, not a record or a Reject")
        bounded(item)
        produced += 1
    return produced


def _stream_target(
    parser: Callable[[io.BytesIO, str], Iterator[Parsed]],
) -> Callable[[bytes], None]:
    """A one-input function feeding the bytes to a stream parser."""

    def run(data: bytes) -> None:
        consume(parser(io.BytesIO(data), FUZZ_FILE))

    return run


def _json_target(register: Callable[[KindRegistry], None]) -> Callable[[bytes], None]:
    """A one-input function reading JSON with only one source's kinds registered."""
    registry = KindRegistry()
    register(registry)

    def run(data: bytes) -> None:
        consume(parse_json(io.BytesIO(data), FUZZ_FILE, registry))

    return run


def _any_format(data: bytes) -> None:
    """Recognise the format from the bytes, then parse them as that format."""
    found = detect_format(data[:MAX_SEED_BYTES])
    if found is not None:
        consume(PARSERS[found](io.BytesIO(data), FUZZ_FILE))


def _text(data: bytes) -> str:
    """The input as text, undecodable bytes replaced (the parsers do the same)."""
    return data.decode("utf-8", errors="replace")


def _expect_bad_input(call: Callable[[], object]) -> None:
    """Run ``call``; a BadInput is a correct answer to a bad value."""
    with contextlib.suppress(BadInput):
        call()


def _names(data: bytes) -> None:
    """Split a raw author string and key, identify and display every name in it."""
    authors = split_authors(_text(data))
    for author in authors:
        key = name_key(author)
        author_id_for(key)
        fold(author.name)
    if authors:  # display_name needs at least one spelling, by contract
        display_name((author.name, position) for position, author in enumerate(authors))


def _dates(data: bytes) -> None:
    """Every date reader of the ingest on the same text."""
    value = _text(data)
    for reader in (dates.parse_rfc2822, dates.parse_iso_datetime, dates.parse_iso_date):
        _expect_bad_input(lambda reader=reader: reader(value))  # type: ignore[misc]


def _ids(data: bytes) -> None:
    """Every identifier reader on the same text; only parse_arxiv_id may refuse."""
    value = _text(data)
    _expect_bad_input(lambda: ids.parse_arxiv_id(value))
    doi = ids.normalize_doi(value)
    ids.arxiv_from_doi(doi)
    ids.canonical_arxiv(value)
    ids.bare_orcid(value)


def _latex(data: bytes) -> None:
    """LaTeX to Unicode, mojibake repair and the readable form of a name or title."""
    value = _text(data)
    text.latex_to_text(value)
    text.readable(text.repair_mojibake(value))


def _query(data: bytes) -> None:
    """A URL query string as the web app reads it: listing, paging and the search box."""
    params = dict(parse_qsl(_text(data), keep_blank_values=True))
    _expect_bad_input(lambda: WorkListing.from_params(params))
    _expect_bad_input(lambda: Paging.from_params(params.get("page"), params.get("per_page")))
    _expect_bad_input(lambda: parse(params.get("q", "")))


TARGETS: Mapping[str, Target] = MappingProxyType(
    {
        target.name: target
        for target in (
            Target("oai", "arXiv OAI-PMH XML", ("arxiv/oai/*",), _stream_target(parse_oai)),
            Target("atom", "arXiv API Atom feeds", ("arxiv/atom/*",), _stream_target(parse_atom)),
            Target(
                "snapshot",
                "Kaggle arXiv snapshot JSON lines",
                ("arxiv/snapshot/*",),
                _stream_target(parse_snapshot),
            ),
            Target("abs", "arXiv .abs records", ("arxiv/abs/*",), _stream_target(parse_abs)),
            Target("bibtex", "BibTeX", ("bibtex/*",), _stream_target(parse_bibtex)),
            Target(
                "openalex",
                "OpenAlex works and authors",
                ("openalex/*",),
                _json_target(openalex.register_kinds),
            ),
            Target("s2", "Semantic Scholar", ("s2/*",), _json_target(s2.register_kinds)),
            Target(
                "crossref", "Crossref works", ("crossref/*",), _json_target(crossref.register_kinds)
            ),
            Target("csl", "CSL-JSON", ("csl/*",), _json_target(csl.register_kinds)),
            Target(
                "detect",
                "format detection, then that format's parser",
                ("arxiv/*/*", "bibtex/*", "openalex/*", "s2/*", "crossref/*", "csl/*"),
                _any_format,
            ),
            Target("names", "author strings, name keys and ids", _TEXT_SEED_FOLDERS, _names),
            Target("dates", "ISO 8601 and RFC 2822 dates", _TEXT_SEED_FOLDERS, _dates),
            Target("ids", "arXiv ids, DOIs, ORCIDs", _TEXT_SEED_FOLDERS, _ids),
            Target("latex", "LaTeX to Unicode, mojibake repair", _TEXT_SEED_FOLDERS, _latex),
            Target("query", "web query parameters and the search box", (), _query),
        )
    }
)


def target(name: str) -> Target:
    """The target named ``name``; BadInput lists the known ones."""
    found = TARGETS.get(name)
    if found is None:
        raise BadInput(f"unknown fuzz target {name!r}: choose one of {', '.join(TARGETS)}, all")
    return found


def seed_inputs(chosen: Target, fixtures: Path) -> Iterator[bytes]:
    """The seed inputs of ``chosen``: fixture files (gunzipped, cut) or the values in them."""
    if chosen.name == "query":
        yield from _query_seeds()
        return
    small = chosen.name in ("names", "dates", "ids", "latex")
    for path in _seed_files(chosen, fixtures):
        data = _file_bytes(path)
        if small:
            yield from _values_in(data, chosen.name)
        else:
            yield data[:MAX_SEED_BYTES]


def _seed_files(chosen: Target, fixtures: Path) -> list[Path]:
    """The fixture files matching the target's globs, sorted, each once."""
    found = {path for pattern in chosen.seed_globs for path in fixtures.glob(pattern)}
    return sorted(path for path in found if path.is_file() and path.suffix != ".md")


def _file_bytes(path: Path) -> bytes:
    """A fixture file's content, gunzipped when it is gzip."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _values_in(data: bytes, kind: str) -> Iterator[bytes]:
    """The values of one kind found in a fixture file: names, dates, ids or titles."""
    for item in _quiet_records(data):
        if not isinstance(item, WorkRecord):
            continue
        if kind == "names":
            yield " and ".join(author.raw for author in item.authors[:12]).encode()
        elif kind == "dates":
            yield from (v.submitted.isoformat().encode() for v in item.versions if v.submitted)
            if item.updated is not None:
                yield item.updated.isoformat().encode()
        elif kind == "ids":
            yield from (value.encode() for value in (item.arxiv_id, item.doi) if value)
        else:
            yield item.title.encode()


def _quiet_records(data: bytes) -> Iterator[Parsed]:
    """The records of some fixture bytes in whatever format they are."""
    found = detect_format(data[:MAX_SEED_BYTES])
    if found is None:
        return iter(())
    return PARSERS[found](io.BytesIO(data), FUZZ_FILE)


def _query_seeds() -> Iterator[bytes]:
    """Query strings the site's own links use (profile listing, search, work pages)."""
    yield b"sort=citations&year=2014&category=hep-th&page=2&per_page=50&coauthors_page=1"
    yield b"q=%22dark+matter%22+lensing&page=1&per_page=20"
    yield b"q=10.1103/PhysRevLett.116.061102"
    yield b"q=arXiv:1401.2122v5&per_page=100"
    yield json.dumps({"q": "Sergyeyev"}).encode()
