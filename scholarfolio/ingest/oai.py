"""arXiv OAI-PMH responses (ListRecords/GetRecord) in the arXiv, arXivRaw and oai_dc formats.

Formats as arXiv serves them (https://info.arxiv.org/help/oa/index.html):
``arXiv`` has structured authors and only the first-submission and last-update
dates; ``arXivRaw`` has the raw author string and every version with its date
and size; ``oai_dc`` is plain Dublin Core.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TypedDict

from scholarfolio.errors import BadInput
from scholarfolio.ingest.authors import author_from_parts, is_name, split_authors
from scholarfolio.ingest.dates import midnight, parse_iso_date, parse_rfc2822
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.ingest.xmlstream import (
    Element,
    child,
    child_text,
    children,
    children_texts,
    iter_converted,
    local_name,
    text_of,
)
from scholarfolio.models import AuthorName, Locator, Reject, Version, WorkRecord

SOURCE_ARXIV = "arxiv-oai-arxiv"
SOURCE_ARXIVRAW = "arxiv-oai-arxivraw"
SOURCE_DC = "arxiv-oai-dc"
_COMMENT_PREFIX = "Comment:"


class _SharedFields(TypedDict):
    """The WorkRecord fields that the arXiv and arXivRaw formats write the same way."""

    abstract: str | None
    categories: tuple[str, ...]
    doi: str | None
    journal_ref: str | None
    comments: str | None
    report_no: str | None
    license: str | None


def parse_oai(stream: BinaryIO, file: str) -> Iterator[WorkRecord | Reject]:
    """Yield the records of one OAI-PMH response; deleted records are skipped silently."""
    return iter_converted(stream, file, ("{*}record", "{*}error"), _convert)


def _convert(element: Element, locator: Locator) -> WorkRecord | Reject | None:
    """One ``<record>`` (or a protocol ``<error>``) to a record, a Reject or nothing."""
    if local_name(element) == "error":
        return _protocol_error(element, locator)
    header = child(element, "header")
    if header is not None and header.get("status") == "deleted":
        return None
    metadata = child(element, "metadata")
    payload = _first_element(metadata) if metadata is not None else None
    if payload is None:
        raise BadInput("OAI-PMH record without metadata")
    kind = local_name(payload)
    if kind == "arXiv":
        return _arxiv_record(payload, locator)
    if kind == "arXivRaw":
        return _arxivraw_record(payload, locator)
    if kind == "dc":
        return _dc_record(payload, header, locator)
    raise BadInput(
        f"unsupported OAI-PMH metadata format <{kind}>: expected arXiv, arXivRaw or oai_dc"
    )


def _first_element(parent: Element) -> Element | None:
    """The first child that is an element (not a comment or processing instruction)."""
    return next((found for found in parent if local_name(found)), None)


def _protocol_error(element: Element, locator: Locator) -> Reject | None:
    """An OAI-PMH ``<error code=...>`` response; only the top-level element is one."""
    parent = element.getparent()
    if parent is not None and local_name(parent) != "OAI-PMH":
        return None
    code = element.get("code", "unknown")
    message = text_of(element) or "(no message)"
    return Reject(
        file=locator.file,
        position=0,
        reason=f"OAI-PMH error {code}: {message}",
        excerpt=message,
        line=locator.line,
    )


def _arxiv_record(payload: Element, locator: Locator) -> WorkRecord:
    """metadataPrefix=arXiv: structured authors; v1 from ``created``, ``updated`` kept as is."""
    arxiv_id = _required_id(payload)
    created = child_text(payload, "created")
    updated = child_text(payload, "updated")
    # The format names no later versions, so none are invented here.
    versions = (Version(1, midnight(parse_iso_date(created))),) if created else ()
    return WorkRecord(
        source=SOURCE_ARXIV,
        arxiv_id=arxiv_id,
        title=_required_title(payload),
        authors=_structured_authors(payload),
        versions=versions,
        locator=locator,
        updated=parse_iso_date(updated) if updated else None,
        **_shared_fields(payload),
    )


def _arxivraw_record(payload: Element, locator: Locator) -> WorkRecord:
    """metadataPrefix=arXivRaw: raw author string, every version with date and size."""
    raw_authors = child_text(payload, "authors") or ""
    return WorkRecord(
        source=SOURCE_ARXIVRAW,
        arxiv_id=_required_id(payload),
        title=_required_title(payload),
        authors=tuple(split_authors(raw_authors)),
        versions=tuple(_raw_version(version) for version in children(payload, "version")),
        locator=locator,
        submitter=child_text(payload, "submitter"),
        **_shared_fields(payload),
    )


def _dc_record(payload: Element, header: Element | None, locator: Locator) -> WorkRecord:
    """metadataPrefix=oai_dc: ``Last, First`` creators, dates, identifiers."""
    creators = children_texts(payload, "creator")
    if not creators:
        raise BadInput("oai_dc record without dc:creator: no author list to read")
    identifiers = children_texts(payload, "identifier")
    arxiv_id = _dc_arxiv_id(identifiers, header)
    dates = sorted(parse_iso_date(text[:10]) for text in children_texts(payload, "date"))
    descriptions = children_texts(payload, "description")
    abstracts = [text for text in descriptions if not text.startswith(_COMMENT_PREFIX)]
    comments = [text for text in descriptions if text.startswith(_COMMENT_PREFIX)]
    return WorkRecord(
        source=SOURCE_DC,
        arxiv_id=arxiv_id,
        title=_required_title(payload),
        authors=tuple(author for author in map(_dc_creator, creators) if is_name(author.name)),
        # oai_dc dates are days without version numbers: the first is v1.
        versions=(Version(1, midnight(dates[0])),) if dates else (),
        locator=locator,
        abstract=abstracts[0] if abstracts else None,
        comments=comments[0].removeprefix(_COMMENT_PREFIX).strip() if comments else None,
        doi=_dc_doi(identifiers),
        journal_ref=_dc_journal_ref(identifiers),
        updated=dates[-1] if len(dates) > 1 else None,
    )


def _shared_fields(payload: Element) -> _SharedFields:
    """Fields the arXiv and arXivRaw formats write the same way."""
    categories = child_text(payload, "categories")
    doi = child_text(payload, "doi")
    return {
        "abstract": child_text(payload, "abstract"),
        "categories": tuple(categories.split()) if categories else (),
        # Several DOIs (paper, erratum) are space-separated; the first is the paper's.
        "doi": doi.split()[0] if doi else None,
        "journal_ref": child_text(payload, "journal-ref"),
        "comments": child_text(payload, "comments"),
        "report_no": child_text(payload, "report-no"),
        "license": child_text(payload, "license"),
    }


def _required_id(payload: Element) -> str:
    """The record's canonical arXiv id; a missing or invalid id rejects the record."""
    text = child_text(payload, "id")
    if text is None:
        raise BadInput("record without <id>")
    return parse_arxiv_id(text)[0]


def _required_title(payload: Element) -> str:
    """The record's title; a record without one is rejected."""
    title = child_text(payload, "title")
    if title is None:
        raise BadInput("record without a title")
    return title


def _structured_authors(payload: Element) -> tuple[AuthorName, ...]:
    """The ``<author>`` elements of an arXiv-format record, in order."""
    container = child(payload, "authors")
    elements = children(container, "author") if container is not None else []
    authors = (_structured_author(element) for element in elements)
    return tuple(author for author in authors if is_name(author.name))


def _structured_author(author: Element) -> AuthorName:
    """An arXiv-format ``<author>`` with keyname, forenames, suffix and affiliations."""
    keyname = child_text(author, "keyname")
    if keyname is None:
        raise BadInput("<author> without <keyname>")
    return author_from_parts(
        keyname,
        child_text(author, "forenames"),
        child_text(author, "suffix"),
        children_texts(author, "affiliation"),
    )


def _raw_version(version: Element) -> Version:
    """An arXivRaw ``<version version='v2'>`` with its RFC 2822 date and size."""
    label = version.get("version", "")
    if not (label.startswith("v") and label[1:].isdigit()):
        raise BadInput(f"version label {label!r} is not of the form v1, v2, ...")
    date_text = child_text(version, "date")
    return Version(
        number=int(label[1:]),
        submitted=parse_rfc2822(date_text) if date_text else None,
        size=child_text(version, "size"),
    )


def _dc_creator(creator: str) -> AuthorName:
    """A ``Last, First`` dc:creator (a name without comma is taken whole)."""
    family, comma, given = creator.partition(",")
    if not comma:
        return author_from_parts(creator, raw=creator)
    return author_from_parts(family.strip(), given.strip() or None, raw=creator)


def _dc_arxiv_id(identifiers: list[str], header: Element | None) -> str:
    """The id from the abs URL among dc:identifier, else from the OAI header."""
    candidates = list(identifiers)
    if header is not None:
        candidates.extend(children_texts(header, "identifier"))
    for candidate in candidates:
        try:
            return parse_arxiv_id(candidate)[0]
        except BadInput:
            continue
    raise BadInput("oai_dc record without an arXiv identifier")


def _dc_doi(identifiers: list[str]) -> str | None:
    """The DOI that arXiv writes as a ``doi:10.…`` identifier."""
    for identifier in identifiers:
        if identifier.lower().startswith("doi:"):
            return identifier[4:].strip()
    return None


def _dc_journal_ref(identifiers: list[str]) -> str | None:
    """arXiv writes the journal reference as a plain-text identifier (neither URL nor DOI)."""
    for identifier in identifiers:
        lowered = identifier.lower()
        if not lowered.startswith(("http://", "https://", "doi:", "oai:")):
            return identifier
    return None
