"""arXiv API Atom feeds (https://info.arxiv.org/help/api/user-manual.html#_details_of_atom_results_returned)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO

from scholarfolio.errors import BadInput
from scholarfolio.ingest.authors import is_name
from scholarfolio.ingest.dates import parse_iso_datetime
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.ingest.text import readable, repair_mojibake
from scholarfolio.ingest.xmlstream import (
    Element,
    child,
    child_text,
    children,
    children_texts,
    iter_converted,
)
from scholarfolio.models import AuthorName, Locator, Reject, Version, WorkRecord

SOURCE = "arxiv-atom"
ATOM_ENTRY = "{http://www.w3.org/2005/Atom}entry"
# arXiv reports a bad query as an entry whose id points into its error list.
_ERROR_ID_MARKER = "/api/errors"
_TEXT_FIELDS = ("title", "summary", "comment", "journal_ref")


def parse_atom(stream: BinaryIO, file: str) -> Iterator[WorkRecord | Reject]:
    """Yield one record per ``<entry>``; an error entry becomes a Reject; no entry, nothing."""
    return iter_converted(stream, file, (ATOM_ENTRY,), _convert)


def _convert(entry: Element, locator: Locator) -> WorkRecord | Reject:
    """One Atom entry to a record (or to a Reject for arXiv's error entries)."""
    entry_id = child_text(entry, "id")
    if entry_id is None:
        raise BadInput("Atom entry without <id>")
    if _ERROR_ID_MARKER in entry_id:
        return _api_error(entry, entry_id, locator)
    arxiv_id, version = parse_arxiv_id(entry_id)
    text = {name: _repaired(child_text(entry, name)) for name in _TEXT_FIELDS}
    title = text["title"]
    if title is None:
        raise BadInput(f"Atom entry {arxiv_id} without a title")
    updated = child_text(entry, "updated")
    updated_at = parse_iso_datetime(updated) if updated else None
    return WorkRecord(
        source=SOURCE,
        arxiv_id=arxiv_id,
        title=title,
        authors=tuple(a for a in map(_author, children(entry, "author")) if is_name(a.name)),
        versions=_versions(child_text(entry, "published"), updated_at, version or 1),
        locator=locator,
        abstract=text["summary"],
        categories=_categories(entry),
        doi=_first_word(child_text(entry, "doi")),
        journal_ref=text["journal_ref"],
        comments=text["comment"],
        updated=updated_at.date() if updated_at else None,
    )


def _api_error(entry: Element, entry_id: str, locator: Locator) -> Reject:
    """arXiv's answer to a bad query: an entry whose summary is the error message."""
    message = child_text(entry, "summary") or entry_id
    return Reject(
        file=locator.file,
        position=locator.position,
        reason=f"arXiv API error: {message}",
        excerpt=entry_id,
        line=locator.line,
    )


def _versions(published: str | None, updated: datetime | None, latest: int) -> tuple[Version, ...]:
    """v1 at ``published``; the entry's own version vN (N > 1) at ``updated``.

    Versions in between certainly exist but the feed gives no dates for them.
    """
    first = Version(1, parse_iso_datetime(published) if published else None)
    if latest == 1:
        return (first,)
    between = tuple(Version(number, None) for number in range(2, latest))
    return (first, *between, Version(latest, updated))


def _author(author: Element) -> AuthorName:
    """An Atom ``<author>``: its name and its ``arxiv:affiliation`` elements."""
    written = child_text(author, "name")
    if written is None:
        raise BadInput("Atom <author> without <name>")
    affiliations = (
        readable(repair_mojibake(text)) for text in children_texts(author, "affiliation")
    )
    return AuthorName(
        raw=written,  # as the file has it, even when the readable name had to be repaired
        name=readable(repair_mojibake(written)),
        affiliations=tuple(dict.fromkeys(affiliations)),
    )


def _categories(entry: Element) -> tuple[str, ...]:
    """``arxiv:primary_category`` first, then the other category terms, each once."""
    primary = child(entry, "primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms.extend(category.get("term", "") for category in children(entry, "category"))
    return tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))


def _repaired(text: str | None) -> str | None:
    """``text`` with Latin-1-decoded UTF-8 undone.

    Feeds saved through an HTTP client that assumed Latin-1 (the arXiv API sends
    no charset) carry names such as ``JosÃ© RaÃºl Romero``; real recordings do.
    """
    return repair_mojibake(text) if text is not None else None


def _first_word(text: str | None) -> str | None:
    """The first DOI when arXiv lists several (paper and erratum), space-separated."""
    return text.split()[0] if text else None
