"""The bounds every parsed item passes through before it reaches the store.

Whatever a file says, what is kept is printable, bounded text:

- control characters (C0 but tab and line breaks, DEL, C1, NUL) and the Unicode
  bidirectional embedding, override and isolate controls (U+202A-U+202E,
  U+2066-U+2069, which can make a title display as something else) are removed;
  lone surrogates (valid in JSON escapes, not in UTF-8) become U+FFFD;
- a text field longer than its limit is cut there and ends with :data:`CUT_MARK`,
  so a reader sees that it was cut (real titles, names and abstracts are far
  below the limits: arXiv caps abstracts at 1,920 characters);
- a record with an identifier longer than the store keeps (:data:`ID_CHARS`,
  the widths of the store's columns), or that lists more than
  :data:`MAX_AUTHORS` authors or :data:`MAX_REFERENCES` references, is rejected
  with the reason: cutting an identifier or a list would store something the
  source did not say.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from scholarfolio.ingest.streams import excerpt
from scholarfolio.models import (
    AuthorName,
    AuthorRecord,
    CitationRecord,
    Reject,
    Version,
    WorkRecord,
)

MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 20_000
# Venue, journal reference, comments, report number, license, submitter, affiliations.
MAX_FIELD_CHARS = 2_000
MAX_NAME_CHARS = 500
MAX_AFFILIATIONS = 50
MAX_CATEGORIES = 100
# Identifiers: the widths of the store's columns (PostgreSQL refuses longer values).
ID_CHARS = {"id": 255, "scheme": 16, "arxiv": 64, "orcid": 32, "author id": 64}
MAX_TYPE_CHARS = 64
MAX_SIZE_CHARS = 32
# The largest collaborations sign about 5,000 names (ATLAS and CMS, 2015).
MAX_AUTHORS = 20_000
MAX_REFERENCES = 50_000
CUT_MARK = " […]"

_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_Text = TypeVar("_Text", str, str | None)


class _Refused(Exception):
    """A record that is refused rather than cut (long ids, huge lists, an empty title)."""


def bounded(
    item: WorkRecord | AuthorRecord | CitationRecord | Reject,
) -> WorkRecord | AuthorRecord | CitationRecord | Reject:
    """``item`` with its text cleaned and cut to the limits, or a Reject saying which bound."""
    try:
        if isinstance(item, WorkRecord):
            return _work(item)
        if isinstance(item, AuthorRecord):
            return _author_record(item)
        if isinstance(item, CitationRecord):
            return replace(item, citing=_pair(item.citing), cited=_pair(item.cited))
        return replace(item, reason=clean(item.reason), excerpt=clean(item.excerpt))
    except _Refused as problem:
        return _rejected(item, str(problem))


def clean(text: _Text, limit: int | None = None) -> _Text:
    """``text`` without control and bidi characters, cut to ``limit`` characters."""
    if text is None:
        return text
    if _UNWANTED.search(text) is not None:
        text = _UNWANTED.sub(_replacement, text)
    if limit is not None and len(text) > limit:
        text = text[: limit - len(CUT_MARK)].rstrip() + CUT_MARK
    return text


def _replacement(match: re.Match[str]) -> str:
    """U+FFFD for a lone surrogate (it was a character), nothing for a control."""
    return "\ufffd" if _SURROGATE.match(match[0]) else ""


def _work(record: WorkRecord) -> WorkRecord | Reject:
    """A work record cleaned and cut; a Reject when a list or an id is beyond its bound."""
    _check_count(len(record.authors), MAX_AUTHORS, "authors")
    _check_count(len(record.references), MAX_REFERENCES, "references")
    title = clean(record.title, MAX_TITLE_CHARS)
    if not title.strip():
        raise _Refused("title is empty once control characters are removed")
    return replace(
        record,
        arxiv_id=_identifier(record.arxiv_id, "arxiv"),
        source_id=_identifier(record.source_id, "id"),
        doi=_identifier(record.doi, "id"),
        title=title,
        abstract=clean(record.abstract, MAX_ABSTRACT_CHARS),
        authors=tuple(_author(author) for author in record.authors),
        versions=tuple(_version(version) for version in record.versions),
        categories=tuple(clean(c, MAX_NAME_CHARS) for c in record.categories[:MAX_CATEGORIES]),
        journal_ref=clean(record.journal_ref, MAX_FIELD_CHARS),
        comments=clean(record.comments, MAX_FIELD_CHARS),
        report_no=clean(record.report_no, MAX_FIELD_CHARS),
        license=clean(record.license, MAX_FIELD_CHARS),
        submitter=clean(record.submitter, MAX_NAME_CHARS),
        venue=clean(record.venue, MAX_FIELD_CHARS),
        work_type=clean(record.work_type, MAX_TYPE_CHARS),
        ids=tuple(_pair(pair) for pair in record.ids),
        references=tuple(_pair(pair) for pair in record.references),
    )


def _author(author: AuthorName) -> AuthorName:
    """One name on a paper, each part cleaned and cut."""
    return replace(
        author,
        raw=clean(author.raw, MAX_NAME_CHARS),
        name=clean(author.name, MAX_NAME_CHARS),
        keyname=clean(author.keyname, MAX_NAME_CHARS),
        forenames=clean(author.forenames, MAX_NAME_CHARS),
        suffix=clean(author.suffix, MAX_NAME_CHARS),
        affiliations=tuple(
            clean(text, MAX_FIELD_CHARS) for text in author.affiliations[:MAX_AFFILIATIONS]
        ),
        orcid=_identifier(author.orcid, "orcid"),
        source_author_id=_identifier(author.source_author_id, "author id"),
    )


def _author_record(record: AuthorRecord) -> AuthorRecord:
    """A source's author record: name and ids cleaned, alternative names cut."""
    return replace(
        record,
        source_id=_identifier(record.source_id, "author id"),
        name=clean(record.name, MAX_NAME_CHARS),
        orcid=_identifier(record.orcid, "orcid"),
        alternative_names=tuple(
            clean(name, MAX_NAME_CHARS) for name in record.alternative_names[:MAX_AFFILIATIONS]
        ),
        ids=tuple(_pair(pair) for pair in record.ids),
    )


def _version(version: Version) -> Version:
    """An arXiv version with its size text cleaned (dropped when too long to be a size)."""
    size = clean(version.size)
    if size is not None and len(size) > MAX_SIZE_CHARS:
        size = None
    return version if size == version.size else replace(version, size=size)


def _identifier(value: _Text, kind: str) -> _Text:
    """An id cleaned; longer than its column (:data:`ID_CHARS`) rejects the record."""
    value = clean(value)
    limit = ID_CHARS[kind]
    if value is not None and len(value) > limit:
        raise _Refused(f"{kind} {value[:40]!r}... is {len(value)} characters (at most {limit})")
    return value


def _pair(pair: tuple[str, str]) -> tuple[str, str]:
    """A (scheme, value) identifier pair, both cleaned and bounded."""
    scheme, value = pair
    return _identifier(scheme, "scheme"), _identifier(value, "id")


def _check_count(count: int, limit: int, what: str) -> None:
    """Reject a record listing more than ``limit`` ``what``."""
    if count > limit:
        raise _Refused(f"the record lists {count} {what} (at most {limit} are read)")


def _rejected(item: WorkRecord | AuthorRecord | CitationRecord | Reject, reason: str) -> Reject:
    """The Reject of an item beyond a bound, located where the item came from."""
    if isinstance(item, Reject):
        return item
    locator = item.locator
    sample = getattr(item, "title", None) or getattr(item, "name", None) or ""
    return Reject(
        file=locator.file,
        position=locator.position,
        reason=reason,
        excerpt=excerpt(clean(str(sample))[:200]),
        line=locator.line,
    )
