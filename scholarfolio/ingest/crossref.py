"""Crossref REST API works: single works, work lists and recorded responses.

Layout: https://api.crossref.org/swagger-ui/index.html and
https://github.com/CrossRef/rest-api-doc/blob/master/api_format.md. A response
is an envelope ``{"status": "ok", "message-type": "work", "message": {...}}``
(``"work-list"`` keeps the works in ``message.items``); a work may also come
bare, as in dumps and in Crossref's citeproc-json output, which carries
Crossref's own keys (``indexed``, ``is-referenced-by-count``). Recordings
``{request_method, request_uri, status, response}`` of such calls (as the
habanero client's test cassettes hold) are unwrapped by
:mod:`~scholarfolio.ingest.jsondocs`; a failed one from Crossref is claimed
here, to be a Reject with the reason Crossref gave.

Envelopes of other things (members, funders, journals, prefixes) are rejected
as "not a work". A work without DOI or title is a Reject; the other works of
the same list go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scholarfolio.errors import BadInput
from scholarfolio.ingest.csl import KIND as CSL_KIND
from scholarfolio.ingest.csl import (
    authors_of,
    date_from_parts,
    first_string,
    markup_to_text,
    string_field,
)
from scholarfolio.ingest.ids import arxiv_from_doi, normalize_doi
from scholarfolio.ingest.ids import canonical_arxiv as parse_arxiv
from scholarfolio.ingest.jsondocs import RecordedResponse, recorded_response, reject
from scholarfolio.models import Locator, Reject, ReportedCitations, WorkRecord

if TYPE_CHECKING:
    from scholarfolio.ingest.jsondocs import KindRegistry

SOURCE = "crossref-work"
KIND = "crossref"

_HOST = "api.crossref.org"
# Keys only Crossref puts on a work; CSL from elsewhere has none of them.
_WORK_KEYS = ("indexed", "is-referenced-by-count", "reference-count", "references-count")
# Crossref's publication dates, in the order they are trusted; "issued" is
# the earliest of print and online publication.
_DATE_KEYS = ("issued", "published-print", "published-online", "published")
# Relations that name another form of the same paper, whose arXiv id is this work's too
# (https://www.crossref.org/documentation/schema-library/markup-guide-metadata-segments/relationships/).
_SAME_WORK_RELATIONS = frozenset(
    {
        "has-preprint",
        "is-preprint-of",
        "has-version",
        "is-version-of",
        "is-identical-to",
        "has-manifestation",
        "is-manifestation-of",
    }
)
# Title endings after which a subtitle needs no colon.
_TITLE_STOPS = (":", "?", "!", ".")


def register_kinds(registry: KindRegistry) -> None:
    """Register the Crossref kind, ahead of CSL-JSON whose matcher also accepts works."""
    before = CSL_KIND if CSL_KIND in registry.names() else None
    registry.register(KIND, is_crossref, parse_crossref, before=before)


def is_crossref(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is a Crossref envelope, a Crossref work or a failed Crossref call."""
    failed = _failed_call(document) is not None
    return failed or _is_envelope(document) or is_crossref_work(document)


def is_crossref_work(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is a bare Crossref work: a DOI and a key only Crossref writes."""
    return isinstance(document.get("DOI"), str) and any(key in document for key in _WORK_KEYS)


def parse_crossref(document: Mapping[str, Any], locator: Locator) -> Iterator[WorkRecord | Reject]:
    """The works of an envelope or a bare work; anything else is a Reject."""
    failed = _failed_call(document)
    if failed is not None:
        yield _failure_reject(failed, locator)
    elif _is_envelope(document):
        yield from _envelope_items(document, locator)
    else:
        yield crossref_record(document, locator)


def crossref_record(item: Mapping[str, Any], locator: Locator) -> WorkRecord:
    """One Crossref work to a record; :class:`BadInput` without DOI or title."""
    doi = normalize_doi(string_field(item, "DOI"))
    if doi is None:
        raise BadInput(f"no valid DOI (found {item.get('DOI')!r})")
    year, published = _publication_date(item)
    return WorkRecord(
        source=SOURCE,
        arxiv_id=None,
        title=_title(item, doi),
        authors=authors_of(item.get("author")),
        versions=(),
        locator=locator,
        abstract=markup_to_text(string_field(item, "abstract")),
        doi=doi,
        source_id=doi,
        ids=_ids(item, doi),
        year=year,
        published=published,
        venue=markup_to_text(first_string(item, "container-title")),
        work_type=string_field(item, "type"),
        references=_references(item.get("reference")),
        reported=_reported(item),
    )


# --- Envelopes and recordings --------------------------------------------------------


def _is_envelope(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is a REST API response envelope (``message-type`` + ``message``)."""
    return isinstance(document.get("message-type"), str) and "message" in document


def _failed_call(document: Mapping[str, Any]) -> RecordedResponse | None:
    """A recorded call to the Crossref API that did not succeed (status not 2xx), or None."""
    recording = recorded_response(document)
    if recording is None or recording.ok or recording.uri is None:
        return None
    return recording if urlsplit(recording.uri).hostname == _HOST else None


def _failure_reject(recording: RecordedResponse, locator: Locator) -> Reject:
    """The Reject of a failed call, with Crossref's own error type and message."""
    reason = f"HTTP {recording.status} from {recording.request}{_failure_detail(recording.body)}"
    return reject(locator, reason, recording.body)


def _envelope_items(envelope: Mapping[str, Any], locator: Locator) -> Iterator[WorkRecord | Reject]:
    """The works of a ``work`` or ``work-list`` message; any other message is one Reject."""
    message_type = envelope["message-type"]
    message = envelope.get("message")
    if envelope.get("status", "ok") != "ok":
        reason = f"Crossref reports {envelope.get('status')}{_failure_detail(envelope)}"
        yield reject(locator, reason, envelope)
    elif message_type == "work" and isinstance(message, Mapping):
        yield from _works([message], locator)
    elif message_type == "work-list" and isinstance(message, Mapping):
        items = message.get("items", [])
        if isinstance(items, list):
            yield from _works(items, locator)
        else:
            yield reject(locator, '"message.items" of a work-list is not a list', items)
    else:
        yield reject(locator, f"not a work: message-type {message_type}", envelope)


def _failure_detail(response: object) -> str:
    """``": validation-failure: Integer specified as things..."`` from an error envelope."""
    if not isinstance(response, Mapping):
        return ""
    messages = response.get("message")
    entries = messages if isinstance(messages, list) else [messages]
    # A failed response whose body is a work (status 4xx, message a work) has no texts.
    texts = [entry.get("message") for entry in entries if isinstance(entry, Mapping)]
    details = "; ".join(" ".join(text.split()) for text in texts if isinstance(text, str))
    kind = response.get("message-type")
    return "".join(f": {part}" for part in (kind, details) if isinstance(part, str) and part)


def _works(items: Iterable[object], locator: Locator) -> Iterator[WorkRecord | Reject]:
    """Each item of a list as a Crossref work; a bad one is a Reject and the rest go on."""
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            yield reject(locator, f"item {index} is not a JSON object", item)
            continue
        try:
            yield crossref_record(item, locator)
        except BadInput as problem:
            label = item.get("DOI") or f"item {index}"
            yield reject(locator, f"work {label}: {problem}", item)


# --- Fields ---------------------------------------------------------------------------


def _title(item: Mapping[str, Any], doi: str) -> str:
    """The first title, with the first subtitle after ": "; :class:`BadInput` when none."""
    title = markup_to_text(first_string(item, "title"))
    if not title:
        raise BadInput("no title")
    subtitle = markup_to_text(first_string(item, "subtitle"))
    if not subtitle or subtitle.lower() in title.lower():
        return title
    joint = " " if title.endswith(_TITLE_STOPS) else ": "
    return f"{title}{joint}{subtitle}"


def _publication_date(item: Mapping[str, Any]) -> tuple[int | None, date | None]:
    """Year and full date from the first of issued/published-print/online that has a year."""
    for key in _DATE_KEYS:
        year, published = date_from_parts(item.get(key))
        if year is not None:
            return year, published
    return None, None


def _ids(item: Mapping[str, Any], doi: str) -> tuple[tuple[str, str], ...]:
    """The DOI, and the arXiv id of an arXiv DOI or of a same-work relation."""
    ids = [("doi", doi)]
    candidates = [arxiv_from_doi(doi), *_related_arxiv_ids(item.get("relation"))]
    ids.extend(("arxiv", arxiv) for arxiv in candidates if arxiv)
    return tuple(dict.fromkeys(ids))


def _related_arxiv_ids(relations: object) -> Iterator[str | None]:
    """arXiv ids named by preprint/version relations (``id-type`` arxiv, or an arXiv DOI)."""
    if not isinstance(relations, Mapping):
        return
    for name, targets in relations.items():
        if name not in _SAME_WORK_RELATIONS or not isinstance(targets, list):
            continue
        for target in targets:
            if not isinstance(target, Mapping) or not isinstance(target.get("id"), str):
                continue
            if target.get("id-type") == "arxiv":
                yield parse_arxiv(target["id"])
            elif target.get("id-type") == "doi":
                yield arxiv_from_doi(normalize_doi(target["id"]))


def _references(references: object) -> tuple[tuple[str, str], ...]:
    """``("doi", x)`` for each cited work that has a DOI, in order, without repeats."""
    if not isinstance(references, list):
        return ()
    dois = (
        normalize_doi(string_field(reference, "DOI"))
        for reference in references
        if isinstance(reference, Mapping)
    )
    return tuple(dict.fromkeys(("doi", doi) for doi in dois if doi))


def _reported(item: Mapping[str, Any]) -> ReportedCitations | None:
    """``is-referenced-by-count`` as of the day Crossref indexed the work."""
    count = item.get("is-referenced-by-count")
    if isinstance(count, bool) or not isinstance(count, int):
        return None
    return ReportedCitations(count=count, as_of=_indexed_date(item.get("indexed")))


def _indexed_date(indexed: object) -> date | None:
    """The day of ``indexed.date-time`` (``2026-06-03T07:20:50Z``), else of its date-parts."""
    if not isinstance(indexed, Mapping):
        return None
    stamp = indexed.get("date-time")
    if isinstance(stamp, str):
        try:
            return date.fromisoformat(stamp[:10])
        except ValueError:
            pass
    return date_from_parts(indexed)[1]
