"""OpenAlex Work and Author objects: API responses, list pages, snapshot lines, profile dumps.

Field meanings follow the OpenAlex documentation
(https://docs.openalex.org/api-entities/works/work-object and .../authors/author-object).
Ids are kept in their short form (``W2741809807``, ``A5023888391``). Also read:
profile dumps ``{"details": Author, "works": [Work, ...]}`` (the author first,
then each work). Deleted entities (OpenAlex keeps ``"Deleted Author"``
tombstones for merged profiles) and entity types other than works and authors
become Rejects saying so. Unknown fields are ignored and every optional field
may be missing or null.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from scholarfolio.errors import BadInput
from scholarfolio.ingest.ids import arxiv_from_doi, bare_orcid, canonical_arxiv, normalize_doi
from scholarfolio.ingest.jsondocs import KindRegistry, Parsed, reject
from scholarfolio.ingest.jsonfields import (
    day,
    id_pairs,
    identifier,
    integer,
    mapping,
    objects,
    pmcid,
    strings,
    text,
    trailing_digits,
)
from scholarfolio.models import (
    AuthorName,
    AuthorRecord,
    Locator,
    ReportedCitations,
    WorkRecord,
)

WORK_SOURCE = "openalex-work"
AUTHOR_SOURCE = "openalex-author"
_ID = re.compile(r"^(?:https?://(?:api\.)?openalex\.org/(?:\w+/)?)?([A-Za-z])(\d+)$")
_ENTITY_NAMES = {
    "C": "concept",
    "F": "funder",
    "I": "institution",
    "P": "publisher",
    "S": "source",
    "T": "topic",
    "V": "venue",
}
# OpenAlex replaces merged or removed profiles by objects with these names.
_TOMBSTONES = frozenset({"Deleted Author", "Deleted Work"})
_OPENALEX_URL = "https://openalex.org/"
_ARXIV_HOSTS = ("arxiv.org/abs/", "arxiv.org/pdf/")


def register_kinds(registry: KindRegistry) -> None:
    """Register the OpenAlex kinds: profile dumps, works, authors, other entities."""
    registry.register("openalex-author-works", is_author_works, parse_author_works)
    registry.register("openalex-work", is_work, parse_work)
    registry.register("openalex-author", is_author, parse_author)
    registry.register("openalex-entity", is_other_entity, parse_other_entity)


def short_id(value: object) -> str | None:
    """``https://openalex.org/W2741809807`` (or ``W2741809807``) -> ``W2741809807``."""
    if not isinstance(value, str):
        return None
    match = _ID.match(value.strip())
    return f"{match.group(1).upper()}{match.group(2)}" if match else None


def _entity_letter(document: Mapping[str, Any]) -> str | None:
    """The type letter of an OpenAlex object's id (``W``, ``A``, ``I``...), or None.

    A short id alone (``W2019``) could be any JSON record's id (a CSL-JSON item
    key), so it counts only beside OpenAlex's ``display_name``.
    """
    entity_id = document.get("id")
    found = short_id(entity_id)
    if found is None:
        return None
    is_url = isinstance(entity_id, str) and entity_id.startswith(_OPENALEX_URL)
    return found[0] if is_url or "display_name" in document else None


def is_work(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is an OpenAlex Work object."""
    return _entity_letter(document) == "W"


def is_author(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is an OpenAlex Author object."""
    return _entity_letter(document) == "A"


def is_other_entity(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is another OpenAlex entity (institution, source, keyword...)."""
    entity_id = document.get("id")
    is_openalex = isinstance(entity_id, str) and entity_id.startswith(_OPENALEX_URL)
    return is_openalex and not is_work(document) and not is_author(document)


def is_author_works(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is a profile dump ``{"details": Author, "works": [...]}``."""
    details = document.get("details")
    return isinstance(details, dict) and is_author(details) and "works" in document


def parse_author_works(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """The profile's AuthorRecord, then one WorkRecord per work (each work on its own)."""
    yield from parse_author(mapping(document, "details"), locator)
    for work in objects(document, "works"):
        try:
            yield from parse_work(work, locator)
        except BadInput as problem:
            yield reject(locator, f"{WORK_SOURCE} in profile dump: {problem}", work)


def parse_other_entity(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """A Reject: only works and authors are read."""
    entity_id = str(document.get("id"))
    path = entity_id.removeprefix(_OPENALEX_URL)
    short = short_id(entity_id)
    if short:
        entity, name = _ENTITY_NAMES.get(short[0], "entity"), short
    else:
        plural, _, name = path.partition("/")
        entity = plural.removesuffix("s")
    reason = f"not supported: OpenAlex {entity} {name} (only works and authors are read)"
    yield reject(locator, reason, document)


def parse_work(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """One Work object to a WorkRecord (or a Reject for a deleted work)."""
    work_id = short_id(document.get("id"))
    title = text(document, "display_name") or text(document, "title")
    if work_id is None:
        raise BadInput(f"work id {document.get('id')!r} is not an OpenAlex work id")
    if title in _TOMBSTONES:
        yield _tombstone(locator, work_id, document)
        return
    if title is None:
        raise BadInput(f"work {work_id} has no title")
    yield _work_record(document, work_id, title, locator)


def _work_record(
    document: Mapping[str, Any], work_id: str, title: str, locator: Locator
) -> WorkRecord:
    """The WorkRecord of a valid Work object."""
    ids = mapping(document, "ids")
    doi = normalize_doi(text(document, "doi") or text(ids, "doi"))
    arxiv_id = _arxiv_id(document, doi)
    return WorkRecord(
        source=WORK_SOURCE,
        arxiv_id=arxiv_id,
        title=title,
        authors=tuple(_authorship(entry) for entry in objects(document, "authorships")),
        versions=(),
        locator=locator,
        abstract=rebuild_abstract(document.get("abstract_inverted_index")),
        doi=doi,
        license=text(mapping(document, "primary_location"), "license"),
        source_id=work_id,
        ids=id_pairs(
            ("doi", doi),
            ("openalex", work_id),
            ("mag", identifier(ids, "mag")),
            ("pmid", trailing_digits(text(ids, "pmid"))),
            ("pmcid", pmcid(text(ids, "pmcid"))),
            ("arxiv", arxiv_id),
        ),
        year=integer(document, "publication_year"),
        published=day(document, "publication_date"),
        venue=_venue(document),
        work_type=text(document, "type"),
        references=_references(document),
        reported=_reported(document),
    )


def _arxiv_id(document: Mapping[str, Any], doi: str | None) -> str | None:
    """The arXiv id from the DOI, ``ids.arxiv`` or an arxiv.org location, if any."""
    found = arxiv_from_doi(doi) or canonical_arxiv(text(mapping(document, "ids"), "arxiv"))
    if found:
        return found
    for location in _locations(document):
        for key in ("landing_page_url", "pdf_url"):
            url = text(location, key)
            if url and any(host in url for host in _ARXIV_HOSTS):
                found = canonical_arxiv(url)
                if found:
                    return found
    return None


def _locations(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every location of a work: primary first, then the others."""
    primary = mapping(document, "primary_location")
    return [primary, *objects(document, "locations")] if primary else objects(document, "locations")


def _venue(document: Mapping[str, Any]) -> str | None:
    """The primary location's source name (``host_venue`` in records before 2023)."""
    source = mapping(mapping(document, "primary_location"), "source")
    return text(source, "display_name") or text(mapping(document, "host_venue"), "display_name")


def _authorship(entry: Mapping[str, Any]) -> AuthorName:
    """One authorship: the name as printed, OpenAlex's name, ORCID, author id, affiliations."""
    author = mapping(entry, "author")
    display_name = text(author, "display_name")
    raw = text(entry, "raw_author_name") or display_name
    if raw is None:
        raise BadInput("an authorship has neither raw_author_name nor author.display_name")
    return AuthorName(
        raw=raw,
        name=display_name or raw,
        affiliations=_affiliations(entry),
        orcid=bare_orcid(text(author, "orcid")) or bare_orcid(text(entry, "raw_orcid")),
        source_author_id=short_id(author.get("id")),
    )


def _affiliations(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The affiliations as printed on the paper, else OpenAlex's matched institutions.

    The printed strings come first because the institution matching is
    sometimes wrong (see tests/fixtures/SOURCES.md, OpenAlex oddities).
    """
    printed = strings(entry, "raw_affiliation_strings")
    if printed:
        return tuple(dict.fromkeys(printed))
    names = (text(institution, "display_name") for institution in objects(entry, "institutions"))
    return tuple(dict.fromkeys(name for name in names if name))


def rebuild_abstract(inverted: object) -> str | None:
    """The abstract text from an ``abstract_inverted_index`` (word -> positions).

    OpenAlex ships abstracts inverted for legal reasons
    (https://docs.openalex.org/api-entities/works/work-object#abstract_inverted_index).
    """
    if inverted is None:
        return None
    if not isinstance(inverted, dict):
        raise BadInput('"abstract_inverted_index" should be an object')
    placed: dict[int, str] = {}
    for word, positions in inverted.items():
        if not isinstance(positions, list):
            raise BadInput(f'"abstract_inverted_index" positions of {word!r} are not a list')
        for position in positions:
            if isinstance(position, int) and not isinstance(position, bool):
                placed[position] = word
    return " ".join(placed[index] for index in sorted(placed)) or None


def _references(document: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``("openalex", "W...")`` for every referenced work, in the given order."""
    found = (short_id(value) for value in strings(document, "referenced_works"))
    return id_pairs(*(("openalex", work_id) for work_id in found))


def _reported(document: Mapping[str, Any]) -> ReportedCitations | None:
    """``cited_by_count`` with its date and per-year counts (oldest year first)."""
    count = integer(document, "cited_by_count")
    if count is None:
        return None
    return ReportedCitations(count, day(document, "updated_date"), _by_year(document))


def _by_year(document: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    """``counts_by_year`` as ``(year, cited_by_count)`` pairs, oldest first."""
    pairs: dict[int, int] = {}
    for entry in objects(document, "counts_by_year"):
        year, cited = integer(entry, "year"), integer(entry, "cited_by_count")
        if year is not None and cited is not None:
            pairs[year] = cited
    return tuple(sorted(pairs.items()))


def parse_author(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """One Author object to an AuthorRecord (or a Reject for a deleted author)."""
    author_id = short_id(document.get("id"))
    name = text(document, "display_name")
    if author_id is None:
        raise BadInput(f"author id {document.get('id')!r} is not an OpenAlex author id")
    if name in _TOMBSTONES:
        yield _tombstone(locator, author_id, document)
        return
    if name is None:
        raise BadInput(f"author {author_id} has no display_name")
    yield _author_record(document, author_id, name, locator)


def _author_record(
    document: Mapping[str, Any], author_id: str, name: str, locator: Locator
) -> AuthorRecord:
    """The AuthorRecord of a valid Author object."""
    ids = mapping(document, "ids")
    orcid = bare_orcid(text(document, "orcid")) or bare_orcid(text(ids, "orcid"))
    stats = mapping(document, "summary_stats")
    return AuthorRecord(
        source=AUTHOR_SOURCE,
        source_id=author_id,
        name=name,
        locator=locator,
        orcid=orcid,
        alternative_names=strings(document, "display_name_alternatives"),
        ids=id_pairs(
            ("openalex", author_id),
            ("orcid", orcid),
            ("scopus", _scopus_id(text(ids, "scopus"))),
            ("mag", identifier(ids, "mag")),
        ),
        works_count=integer(document, "works_count"),
        citations=integer(document, "cited_by_count"),
        h_index=integer(stats, "h_index"),
        i10_index=integer(stats, "i10_index"),
        as_of=day(document, "updated_date"),
    )


def _scopus_id(value: str | None) -> str | None:
    """The Scopus author id of OpenAlex's Scopus URL (``...authorID=36455008000&...``)."""
    if value is None:
        return None
    match = re.search(r"authorID=(\d+)", value)
    return match.group(1) if match else trailing_digits(value)


def _tombstone(locator: Locator, entity_id: str, document: Mapping[str, Any]) -> Parsed:
    """The Reject of a deleted OpenAlex entity."""
    reason = f"deleted OpenAlex entity {entity_id} (a tombstone left by a merge or removal)"
    return reject(locator, reason, document)
