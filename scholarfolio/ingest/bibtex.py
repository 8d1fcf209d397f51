"""BibTeX ``.bib`` files, read with bibtexparser 2 (https://bibtexparser.readthedocs.io).

bibtexparser splits the file into blocks (entries, ``@string`` macros,
comments) and recovers after a malformed entry; this module resolves field
values (macros, ``#`` concatenation, the predefined month macros), decodes
LaTeX to Unicode and reads names the way BibTeX does: authors are separated by
`` and `` outside braces (``{Barnes and Noble}`` is one corporate author) and
each name is ``First von Last``, ``von Last, First`` or ``von Last, Jr, First``
(https://www.tug.org/TUGboat/tb27-2/tb87hufflen.pdf, section 2).

The file is read in chunks that end where a line starts with ``@``, so a large
``.bib`` is never held whole in memory; macros carry over from chunk to chunk.
A malformed entry is a :class:`~scholarfolio.models.Reject` with its line
number, and so is an entry without title or with a key seen before (BibTeX
keeps the first); every other entry is read.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import BinaryIO

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException, ParsingException
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from pylatexenc import latex2text, latexwalker

from scholarfolio.ingest.authors import author_from_parts
from scholarfolio.ingest.ids import arxiv_from_doi, normalize_doi
from scholarfolio.ingest.ids import canonical_arxiv as parse_arxiv
from scholarfolio.ingest.streams import DAMAGED_STREAM_ERRORS, damaged_stream_reject, excerpt
from scholarfolio.ingest.text import collapse, readable
from scholarfolio.models import AuthorName, Locator, Reject, WorkRecord

SOURCE = "bibtex"
# A chunk handed to bibtexparser grows to about this size, then ends before the next "@" line.
CHUNK_BYTES = 1024 * 1024
# No line of a real .bib comes near this.
MAX_LINE_BYTES = 16 * 1024 * 1024

# BibTeX's predefined month macros (plain.bst): jan -> January, ...
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_MACROS = {name[:3].lower(): name for name in _MONTH_NAMES}
_MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, 1)}
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle")
_ARXIV_NAMES = frozenset({"arxiv"})
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# biblatex dates: 1991, 1991-03, 1991-03-05, and ranges "1991-03-05/1992" (the start counts).
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# A TeX tie (~) is a non-breaking space; "\~" is the tilde accent and stays.
_TIE = re.compile(r"(?<!\\)~")
# Characters that mean a value may hold LaTeX ("--" dashes are checked apart).
_LATEX_MARKERS = frozenset("\\{}$")
_ENTRY_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)")


@dataclass(slots=True)
class _FileState:
    """What one file's chunks share: macros, keys seen, the count of entries."""

    file: str
    macros: dict[str, str] = field(default_factory=lambda: dict(_MONTH_MACROS))
    key_lines: dict[str, int] = field(default_factory=dict)
    position: int = 0

    def locator(self, line: int) -> Locator:
        """The locator of the next entry, which starts on ``line``."""
        self.position += 1
        return Locator(self.file, self.position, line)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Decoded text of whole lines of the file, and the number of its first line."""

    first_line: int
    text: str


def parse_bibtex(stream: BinaryIO, file: str) -> Iterator[WorkRecord | Reject]:
    """Yield one record per entry of a ``.bib`` file; bad entries are Rejects, the rest go on."""
    _quiet_parser_log()
    state = _FileState(file)
    try:
        for chunk in _chunks(stream, file):
            if isinstance(chunk, Reject):
                yield chunk
            else:
                yield from _chunk_items(chunk, state)
    except DAMAGED_STREAM_ERRORS as error:
        yield damaged_stream_reject(file, state.position + 1, error)


@lru_cache(maxsize=1)
def _quiet_parser_log() -> None:
    """Keep bibtexparser's own log of malformed blocks off the terminal.

    Each one already comes out as a Reject with the same reason; an
    application that configures logging still receives the records.
    """
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())


def _chunks(stream: BinaryIO, file: str) -> Iterator[_Chunk | Reject]:
    """Whole lines in chunks of about :data:`CHUNK_BYTES`, each ending before an ``@`` line."""
    lines: list[str] = []
    size = 0
    first_line = 1
    for number, data, too_long in _numbered_lines(stream):
        if data.startswith(b"@") and size >= CHUNK_BYTES:
            yield _Chunk(first_line, "".join(lines))
            lines, size, first_line = [], 0, number
        if too_long:
            reason = f"line {number}: longer than {MAX_LINE_BYTES} bytes, skipped"
            yield Reject(file, 0, reason, excerpt(data[:200]), number)
            data = b"\n"
        lines.append(_decode_line(data))
        size += len(data)
    if lines:
        yield _Chunk(first_line, "".join(lines))


def _numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """``(line number, bytes, too long)`` for each line of ``stream``."""
    number = 0
    while True:
        data = stream.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        too_long = len(data) > MAX_LINE_BYTES and not data.endswith(b"\n")
        if too_long:
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield number, data, too_long


def _decode_line(data: bytes) -> str:
    """One line as text: UTF-8 (a byte order mark dropped), else Latin-1.

    Older ``.bib`` files are often Latin-1; decoding line by line keeps one
    such line from spoiling its UTF-8 neighbours.
    """
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _chunk_items(chunk: _Chunk, state: _FileState) -> Iterator[WorkRecord | Reject]:
    """The entries of one chunk, in file order; macros are remembered for later chunks."""
    try:
        library = parse_string(chunk.text, parse_stack=[])
    except ParsingException as error:
        # bibtexparser gives up on a chunk only when it meets a state it calls its own bug.
        reason = f"line {chunk.first_line}: unreadable stretch of BibTeX: {error!r}"
        yield Reject(
            state.file, state.position + 1, reason, excerpt(chunk.text[:200]), chunk.first_line
        )
        return
    for block in library.blocks:
        line = chunk.first_line + (block.start_line or 0)
        if isinstance(block, String):
            state.macros[block.key.lower()] = resolve_value(block.value, state.macros)
        elif isinstance(block, DuplicateFieldKeyBlock | DuplicateBlockKeyBlock):
            # BibTeX keeps the first of repeated fields; repeated keys are checked below.
            yield from _entry_item(block.ignore_error_block, line, state)
        elif isinstance(block, ParsingFailedBlock):
            yield _malformed(block, line, state)
        elif isinstance(block, Entry):
            yield from _entry_item(block, line, state)


def _malformed(block: ParsingFailedBlock, line: int, state: _FileState) -> Reject:
    """The Reject of a block bibtexparser could not parse, naming the entry when it can."""
    locator = state.locator(line)
    raw = block.raw or ""
    head = _ENTRY_HEAD.match(raw.lstrip())
    name = f"@{head.group(1)}{{{head.group(2)}" if head else "entry"
    error = block.error
    message = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    detail = collapse(message) or type(error).__name__
    reason = f"line {line}: malformed {name}: {detail}"
    return Reject(state.file, locator.position, reason, excerpt(raw[:200]), line)


def _entry_item(block: Block | None, line: int, state: _FileState) -> Iterator[WorkRecord | Reject]:
    """One entry to a record, or to a Reject (no title, key seen before)."""
    if not isinstance(block, Entry):
        return
    locator = state.locator(line)
    first_line = state.key_lines.setdefault(block.key, line)
    if first_line != line:
        reason = f"line {line}: duplicate key {block.key!r} (first at line {first_line})"
        yield Reject(state.file, locator.position, reason, excerpt(block.raw or ""), line)
        return
    fields = _resolved_fields(block, state.macros)
    title = decode_latex(fields.get("title", ""))
    if not title:
        reason = f"line {line}: entry {block.key!r} has no title"
        yield Reject(state.file, locator.position, reason, excerpt(block.raw or ""), line)
        return
    yield _record(block, fields, title, locator)


def _resolved_fields(entry: Entry, macros: Mapping[str, str]) -> dict[str, str]:
    """Field values by lower-case name, macros resolved; a repeated field keeps its first value."""
    fields: dict[str, str] = {}
    for entry_field in entry.fields:
        name = entry_field.key.lower()
        if name not in fields and isinstance(entry_field.value, str):
            fields[name] = resolve_value(entry_field.value, macros)
    return fields


def _record(entry: Entry, fields: Mapping[str, str], title: str, locator: Locator) -> WorkRecord:
    """The record of one entry whose fields are resolved."""
    doi = normalize_doi(fields.get("doi"))
    year, published = _date(fields)
    venue = next((fields[name] for name in _VENUE_FIELDS if fields.get(name)), None)
    return WorkRecord(
        source=SOURCE,
        arxiv_id=None,
        title=title,
        authors=split_names(fields.get("author", "")),
        versions=(),
        locator=locator,
        abstract=decode_latex(fields.get("abstract", "")) or None,
        doi=doi,
        source_id=entry.key,
        ids=_ids(fields, doi),
        year=year,
        published=published,
        venue=decode_latex(venue) if venue else None,
        work_type=entry.entry_type.lower(),
    )


# --- Field values --------------------------------------------------------------------


def resolve_value(raw: str, macros: Mapping[str, str]) -> str:
    """A raw field value as BibTeX reads it: ``{...}``, ``"..."``, numbers, macros, ``#``.

    ``jams # { Letters}`` -> ``J.~Amer. Math. Soc. Letters``; macro names are
    case-insensitive; an undefined macro stands for its own name.
    """
    pieces = []
    for part in _split_concatenation(raw):
        piece = part.strip()
        if len(piece) >= 2 and piece[0] + piece[-1] in ("{}", '""'):
            pieces.append(piece[1:-1])
        else:
            pieces.append(macros.get(piece.lower(), piece))
    return "".join(pieces)


def _split_concatenation(raw: str) -> list[str]:
    """Split a value at the ``#`` signs outside braces and quotes."""
    if "#" not in raw:
        return [raw]
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index])
            start = index + 1
    parts.append(raw[start:])
    return parts


@lru_cache(maxsize=4096)
def decode_latex(text: str) -> str:
    """Free text (titles, venues, abstracts) with LaTeX decoded to Unicode, whitespace collapsed.

    pylatexenc directly, not :func:`~scholarfolio.ingest.text.latex_to_text`:
    that one splits unknown control words for arXiv's glued accents
    (``\\ccois``), which would mangle the argument-taking macros of titles
    (``\\mkbibquote{...}``, ``\\textsuperscript{2}``). Cached: venues recur.
    """
    text = _TIE.sub(" ", text)
    if not _LATEX_MARKERS.intersection(text) and "--" not in text:
        return collapse(text)
    try:
        decoded = _title_converter().latex_to_text(text)
    except (latexwalker.LatexWalkerError, IndexError, RecursionError):
        # IndexError: pylatexenc's own \href rule fails on a one-argument \href.
        # RecursionError: pylatexenc recurses once per brace ("{" * 5000).
        return collapse(text)
    return collapse(unicodedata.normalize("NFC", decoded))


@lru_cache(maxsize=1)
def _title_converter() -> latex2text.LatexNodes2Text:
    """The LaTeX-to-text converter for free text, built on first use.

    A macro it has no rule for keeps the text of its arguments: pylatexenc
    would drop them, and ``\\texttt{eprint}`` would leave nothing.
    """
    context = latex2text.get_default_latex_context_db().filter_context()
    context.set_unknown_macro_spec(latex2text.MacroTextSpec("", discard=False))
    return latex2text.LatexNodes2Text(latex_context=context)


# --- Names ---------------------------------------------------------------------------


def split_names(text: str) -> tuple[AuthorName, ...]:
    """A BibTeX name list to names, in order; ``and others`` (et al.) is dropped."""
    names = split_multiple_persons_names(collapse(_TIE.sub(" ", text))) if text.strip() else []
    return tuple(_name(written) for written in names if written.strip().lower() != "others")


def _name(written: str) -> AuthorName:
    """One BibTeX name to its parts: ``von Last`` is the keyname, ``Jr`` the suffix.

    A name BibTeX itself could not split (too many commas, an unclosed brace)
    is kept whole rather than lost.
    """
    try:
        parts = parse_single_name_into_parts(written, strict=True)
    except InvalidNameError:
        name = readable(written)
        return AuthorName(raw=written, name=name)
    keyname = " ".join([*parts.von, *parts.last])
    forenames = " ".join(parts.first) or None
    suffix = " ".join(parts.jr) or None
    return author_from_parts(keyname, forenames, suffix, raw=written)


# --- Dates and identifiers ------------------------------------------------------------


def _date(fields: Mapping[str, str]) -> tuple[int | None, date | None]:
    """Year and full date from biblatex ``date``, else ``year``/``month``/``day``."""
    iso = _ISO_DATE.match(fields.get("date", ""))
    if iso:
        numbers = [int(group) for group in iso.groups() if group is not None]
    else:
        year = _YEAR.search(fields.get("year", ""))
        if year is None:
            return None, None
        numbers = [int(year.group(1))]
        month = _month(fields.get("month", ""))
        day = fields.get("day", "").strip()
        if month is not None:
            numbers.append(month)
            if day.isdigit():
                numbers.append(int(day))
    return numbers[0], _full_date(numbers)


def _month(text: str) -> int | None:
    """A month number from ``8``, ``aug``, ``Aug.`` or ``August``; None otherwise."""
    value = decode_latex(text).strip().rstrip(".").lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return _MONTH_NUMBERS.get(value[:3]) if len(value) >= 3 else None


def _full_date(numbers: list[int]) -> date | None:
    """The calendar date of ``[year, month, day]``; None when partial or impossible."""
    if len(numbers) < 3:
        return None
    try:
        return date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        return None


def _ids(fields: Mapping[str, str], doi: str | None) -> tuple[tuple[str, str], ...]:
    """The DOI, and the arXiv id of an arXiv DOI or of an arXiv ``eprint``."""
    ids: list[tuple[str, str]] = []
    if doi:
        ids.append(("doi", doi))
    arxiv = arxiv_from_doi(doi) or _eprint_arxiv(fields)
    if arxiv:
        ids.append(("arxiv", arxiv))
    return tuple(ids)


def _eprint_arxiv(fields: Mapping[str, str]) -> str | None:
    """The arXiv id in ``eprint`` when ``archivePrefix``/``eprinttype`` says arXiv.

    An ``eprint`` written ``arXiv:2603.05498`` needs no archive field.
    """
    eprint = fields.get("eprint", "").strip()
    if not eprint:
        return None
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if archive in _ARXIV_NAMES or eprint.lower().startswith("arxiv:"):
        return parse_arxiv(eprint)
    return None
