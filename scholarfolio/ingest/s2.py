"""Semantic Scholar: Graph API responses and the S2AG dataset files.

Graph API (https://api.semanticscholar.org/api-docs/graph): paper and author
objects, search, bulk-search and batch responses (a batch answers ``null`` for
an unknown id: that entry becomes a Reject), citations and references pages.
A saved page ``{"request_uri": ".../paper/{id}/citations", "status", "response"}``
also yields a :class:`~scholarfolio.models.CitationRecord` per listed paper,
since the request names the paper on the other end. Datasets
(https://api.semanticscholar.org/api-docs/datasets): ``papers``, ``authors``
and ``citations`` lines are read; ``abstracts``, ``tldrs``, ``paper-ids``,
``s2orc`` and ``publication-venues`` lines are rejected as not supported.

S2AG keys are the Graph API keys in lower case (``citationcount`` for
``citationCount``), so objects are read through a lower-cased view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from scholarfolio.errors import BadInput
from scholarfolio.ingest.ids import bare_orcid, canonical_arxiv, normalize_doi
from scholarfolio.ingest.jsondocs import KindRegistry, Parsed, recorded_response, reject
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
)
from scholarfolio.models import (
    AuthorName,
    AuthorRecord,
    CitationRecord,
    Locator,
    ReportedCitations,
    WorkRecord,
)

PAPER_SOURCE = "s2-paper"
AUTHOR_SOURCE = "s2-author"
CITATION_SOURCE = "s2-citations"
S2AG_PAPER_SOURCE = "s2ag-paper"
S2AG_AUTHOR_SOURCE = "s2ag-author"
S2AG_CITATION_SOURCE = "s2ag-citations"
_PAGE_PATH = re.compile(r"/graph/v1/paper/(?P<paper>.+)/(?P<relation>citations|references)/?$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
_PAPER_URL = re.compile(r"/paper/(?:[^/]+/)?([0-9a-f]{40})$")
# S2AG datasets read elsewhere or not at all, told apart by their keys.
_UNSUPPORTED = (
    ("abstracts", frozenset({"corpusid", "abstract", "openaccessinfo"})),
    ("tldrs", frozenset({"corpusid", "model", "text"})),
    ("paper-ids", frozenset({"sha", "corpusid", "primary"})),
    ("s2orc", frozenset({"corpusid", "content"})),
    ("publication-venues", frozenset({"id", "issn", "alternate_names", "type"})),
)
# Prefixes of the paper ids the Graph API accepts, and our scheme for each.
_ID_PREFIXES = {
    "corpusid": "corpusid",
    "doi": "doi",
    "arxiv": "arxiv",
    "mag": "mag",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "acl": "acl",
}


def register_kinds(registry: KindRegistry) -> None:
    """Register the Semantic Scholar kinds (saved citation pages first: they need the URI)."""
    registry.register("s2-citation-page", is_citation_page, parse_citation_page)
    registry.register("s2ag-paper", is_s2ag_paper, parse_s2ag_paper)
    registry.register("s2ag-author", is_s2ag_author, parse_s2ag_author)
    registry.register("s2ag-citation", is_s2ag_citation, parse_s2ag_citation)
    registry.register("s2ag-other", is_s2ag_unsupported, parse_s2ag_unsupported)
    registry.register("s2-paper", is_paper, parse_paper)
    registry.register("s2-author", is_author, parse_author)
    registry.register("s2-citation-entry", is_citation_entry, parse_citation_entry)
    registry.register("s2-recommendations", is_recommendations, parse_recommendations)


def _lower(document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with lower-case keys: one reader for Graph API and S2AG objects."""
    return {key.lower(): value for key, value in document.items()}


# --- matchers -------------------------------------------------------------------


def is_paper(document: Mapping[str, Any]) -> bool:
    """A Graph API paper object."""
    return "paperId" in document


def is_author(document: Mapping[str, Any]) -> bool:
    """A Graph API author object."""
    return "authorId" in document


def is_citation_entry(document: Mapping[str, Any]) -> bool:
    """One entry of a citations or references page, read without its page."""
    return "citingPaper" in document or "citedPaper" in document


def is_recommendations(document: Mapping[str, Any]) -> bool:
    """A Recommendations API answer ``{"recommendedPapers": [...]}``."""
    return isinstance(document.get("recommendedPapers"), list)


def is_s2ag_paper(document: Mapping[str, Any]) -> bool:
    """A line of the S2AG ``papers`` dataset."""
    return "corpusid" in document and "title" in document


def is_s2ag_author(document: Mapping[str, Any]) -> bool:
    """A line of the S2AG ``authors`` dataset."""
    return "authorid" in document


def is_s2ag_citation(document: Mapping[str, Any]) -> bool:
    """A line of the S2AG ``citations`` dataset."""
    return "citingcorpusid" in document and "citedcorpusid" in document


def is_s2ag_unsupported(document: Mapping[str, Any]) -> bool:
    """A line of an S2AG dataset that is not read (abstracts, tldrs, paper-ids...)."""
    return _unsupported_dataset(document) is not None


def _unsupported_dataset(document: Mapping[str, Any]) -> str | None:
    """The name of the unsupported S2AG dataset ``document`` comes from, if any."""
    return next((name for name, keys in _UNSUPPORTED if keys.issubset(document)), None)


def is_citation_page(document: Mapping[str, Any]) -> bool:
    """A saved 2xx citations/references page whose request URI names the paper."""
    recording = recorded_response(document)
    if recording is None or not recording.ok or not isinstance(recording.body, dict):
        return False
    return _page_context(recording.uri) is not None


# --- Graph API ------------------------------------------------------------------


def parse_paper(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """A paper, then the papers embedded in its ``citations`` and ``references``.

    Each embedded citing paper also yields the citation edge; the references
    are already in the paper's own ``references``.
    """
    paper = _lower(document)
    record = paper_record(paper, locator, PAPER_SOURCE)
    yield record
    cited = ("s2", record.key)
    for citing in objects(paper, "citations"):
        yield from _listed_paper(citing, locator, "citing paper")
        if identifier(citing, "paperId"):
            yield CitationRecord(CITATION_SOURCE, ("s2", str(citing["paperId"])), cited, locator)
    for reference in objects(paper, "references"):
        yield from _listed_paper(reference, locator, "cited paper")


def parse_author(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """An author, then the papers embedded in its ``papers``."""
    author = _lower(document)
    yield author_record(author, locator, AUTHOR_SOURCE)
    for paper in objects(author, "papers"):
        yield from _listed_paper(paper, locator, "paper")


def parse_citation_entry(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """The paper of a citations/references entry (no edge: the page's paper is unknown)."""
    paper = document.get("citingPaper") or document.get("citedPaper")
    if not isinstance(paper, dict):
        raise BadInput("citation entry without a paper object")
    yield from _listed_paper(paper, locator, "paper")


def parse_recommendations(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """The recommended papers."""
    for paper in objects(document, "recommendedPapers"):
        yield from _listed_paper(paper, locator, "recommended paper")


def parse_citation_page(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """Each listed paper, and its edge to the paper the request URI names."""
    recording = recorded_response(document)
    context = _page_context(recording.uri) if recording else None
    if recording is None or context is None or not isinstance(recording.body, dict):
        raise BadInput("not a saved citations or references page")
    page_paper, relation = context
    key = "citingPaper" if relation == "citations" else "citedPaper"
    for entry in objects(recording.body, "data"):
        listed = entry.get(key)
        if not isinstance(listed, dict):
            yield reject(locator, f"{relation} entry without {key}", entry)
            continue
        yield from _listed_paper(listed, locator, key)
        listed_id = identifier(listed, "paperId")
        if listed_id is not None:
            other = ("s2", listed_id)
            citing, cited = (other, page_paper) if relation == "citations" else (page_paper, other)
            yield CitationRecord(CITATION_SOURCE, citing, cited, locator)


def _listed_paper(paper: Mapping[str, Any], locator: Locator, role: str) -> Iterator[Parsed]:
    """An embedded paper's record, or a Reject for one Semantic Scholar could not resolve."""
    if paper.get("paperId") is None:
        title = text(paper, "title") or "untitled"
        reason = f"{role} not resolved by Semantic Scholar (no paperId): {title!r}"
        yield reject(locator, reason, paper)
        return
    try:
        yield paper_record(_lower(paper), locator, PAPER_SOURCE)
    except BadInput as problem:
        yield reject(locator, f"{PAPER_SOURCE} ({role}): {problem}", paper)


def _page_context(uri: str | None) -> tuple[tuple[str, str], str] | None:
    """``((scheme, id), "citations" | "references")`` from a page's request URI."""
    if not uri:
        return None
    match = _PAGE_PATH.search(unquote(urlsplit(uri).path))
    if match is None:
        return None
    paper = paper_reference(match.group("paper"))
    return (paper, match.group("relation")) if paper else None


def paper_reference(value: str) -> tuple[str, str] | None:
    """A Graph API paper id (``CorpusID:14514057``, ``10.1/x``, a sha, ``arXiv:...``) as a pair."""
    value = value.strip()
    if _SHA.match(value):
        return ("s2", value)
    if value.startswith("10."):
        doi = normalize_doi(value)
        return ("doi", doi) if doi else None
    prefix, _, rest = value.partition(":")
    scheme = _ID_PREFIXES.get(prefix.lower())
    if scheme is None or not rest:
        return None
    normalized = _normalized_id(scheme, rest)
    return (scheme, normalized) if normalized else None


def _normalized_id(scheme: str, value: str) -> str | None:
    """An identifier in the form :data:`scholarfolio.models.ID_SCHEMES` promises."""
    if scheme == "doi":
        return normalize_doi(value)
    if scheme == "arxiv":
        return canonical_arxiv(value)
    if scheme == "pmcid":
        return pmcid(value)
    return value.strip() or None


# --- records shared by the Graph API and S2AG -----------------------------------


def paper_record(paper: Mapping[str, Any], locator: Locator, source: str) -> WorkRecord:
    """A lower-cased paper object to a WorkRecord (``paperid`` or ``corpusid`` is its id)."""
    external = _lower(mapping(paper, "externalids"))
    paper_id = identifier(paper, "paperid") or _sha_from_url(text(paper, "url"))
    corpus_id = identifier(paper, "corpusid") or identifier(external, "corpusid")
    source_id = paper_id if source == PAPER_SOURCE else corpus_id
    title = text(paper, "title")
    if source_id is None:
        raise BadInput("paper without paperId" if source == PAPER_SOURCE else "without corpusid")
    if title is None:
        raise BadInput(f"paper {source_id} has no title")
    doi = normalize_doi(text(external, "doi"))
    arxiv_id = canonical_arxiv(text(external, "arxiv"))
    return WorkRecord(
        source=source,
        arxiv_id=arxiv_id,
        title=title,
        authors=tuple(_author_name(_lower(author)) for author in objects(paper, "authors")),
        versions=(),
        locator=locator,
        abstract=text(paper, "abstract"),
        doi=doi,
        source_id=source_id,
        ids=_paper_ids(external, paper_id, corpus_id, doi, arxiv_id),
        year=integer(paper, "year"),
        published=day(paper, "publicationdate"),
        venue=_venue(paper),
        work_type=next(iter(strings(paper, "publicationtypes")), None),
        references=_references(paper),
        reported=_reported(paper),
    )


def _paper_ids(
    external: Mapping[str, Any],
    paper_id: str | None,
    corpus_id: str | None,
    doi: str | None,
    arxiv_id: str | None,
) -> tuple[tuple[str, str], ...]:
    """Every identifier of a paper, normalized."""
    return id_pairs(
        ("s2", paper_id),
        ("corpusid", corpus_id),
        ("doi", doi),
        ("arxiv", arxiv_id),
        ("mag", identifier(external, "mag")),
        ("pmid", identifier(external, "pubmed")),
        ("pmcid", pmcid(identifier(external, "pubmedcentral"))),
        ("dblp", identifier(external, "dblp")),
        ("acl", identifier(external, "acl")),
    )


def _sha_from_url(url: str | None) -> str | None:
    """The paper id at the end of a semanticscholar.org paper URL (S2AG gives only the URL)."""
    match = _PAPER_URL.search(url or "")
    return match.group(1) if match else None


def _venue(paper: Mapping[str, Any]) -> str | None:
    """``venue``, else the publication venue's or journal's name."""
    return (
        text(paper, "venue")
        or text(mapping(paper, "publicationvenue"), "name")
        or text(mapping(paper, "journal"), "name")
    )


def _author_name(author: Mapping[str, Any]) -> AuthorName:
    """One byline entry ``{"authorId", "name"}`` (with ORCID when the object has one)."""
    name = text(author, "name")
    if name is None:
        raise BadInput(f"author {author.get('authorid')!r} has no name")
    return AuthorName(
        raw=name,
        name=name,
        orcid=_orcid(author),
        source_author_id=identifier(author, "authorid"),
    )


def _orcid(author: Mapping[str, Any]) -> str | None:
    """The bare ORCID of an author's ``externalIds`` (a string, or a list in some dumps)."""
    value = _lower(mapping(author, "externalids")).get("orcid")
    if isinstance(value, list):
        value = next((entry for entry in value if isinstance(entry, str)), None)
    return bare_orcid(value) if isinstance(value, str) else None


def _references(paper: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``("s2", paperId)`` of each embedded reference that Semantic Scholar resolved."""
    found = (identifier(reference, "paperId") for reference in objects(paper, "references"))
    return id_pairs(*(("s2", paper_id) for paper_id in found))


def _reported(paper: Mapping[str, Any]) -> ReportedCitations | None:
    """``citationCount``, dated only when the record says when it was updated (S2AG)."""
    count = integer(paper, "citationcount")
    return ReportedCitations(count, day(paper, "updated")) if count is not None else None


def author_record(author: Mapping[str, Any], locator: Locator, source: str) -> AuthorRecord:
    """A lower-cased author object to an AuthorRecord."""
    author_id = identifier(author, "authorid")
    name = text(author, "name")
    if author_id is None or name is None:
        raise BadInput("author without authorId" if author_id is None else "author without name")
    orcid = _orcid(author)
    dblp = strings(_lower(mapping(author, "externalids")), "dblp")
    return AuthorRecord(
        source=source,
        source_id=author_id,
        name=name,
        locator=locator,
        orcid=orcid,
        alternative_names=strings(author, "aliases"),
        ids=id_pairs(("s2", author_id), ("orcid", orcid), *(("dblp", key) for key in dblp)),
        works_count=integer(author, "papercount"),
        citations=integer(author, "citationcount"),
        h_index=integer(author, "hindex"),
        as_of=day(author, "updated"),
    )


# --- S2AG datasets --------------------------------------------------------------


def parse_s2ag_paper(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """A ``papers`` line: its id is the corpus id."""
    yield paper_record(_lower(document), locator, S2AG_PAPER_SOURCE)


def parse_s2ag_author(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """An ``authors`` line."""
    yield author_record(_lower(document), locator, S2AG_AUTHOR_SOURCE)


def parse_s2ag_citation(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """A ``citations`` line; an end Semantic Scholar did not resolve (null) is a Reject."""
    citing = identifier(document, "citingcorpusid")
    cited = identifier(document, "citedcorpusid")
    if citing is None or cited is None:
        missing = "citedcorpusid" if cited is None else "citingcorpusid"
        reason = f"citation with {missing} null (a work Semantic Scholar did not resolve)"
        yield reject(locator, reason, document)
        return
    yield CitationRecord(S2AG_CITATION_SOURCE, ("corpusid", citing), ("corpusid", cited), locator)


def parse_s2ag_unsupported(document: Mapping[str, Any], locator: Locator) -> Iterator[Parsed]:
    """A Reject: only the papers, authors and citations datasets are read."""
    dataset = _unsupported_dataset(document)
    reason = (
        f"not supported: S2AG {dataset} records (read the papers, authors and citations datasets)"
    )
    yield reject(locator, reason, document)
