"""Plain data types shared by every layer: what a parser yields and the store keeps.

Parsers yield :class:`WorkRecord` (one paper as one source describes it) or
:class:`Reject` (a record or a stretch of a file that could not be read, with
the reason). Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Version:
    """One arXiv version of a work: its number (1 for v1) and submission time (naive UTC)."""

    number: int
    submitted: datetime | None
    size: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorName:
    """One name on one paper, as the source gives it.

    ``raw`` is the text exactly as written in the source (whitespace collapsed),
    ``name`` the readable form (LaTeX accents decoded, affiliations removed).
    ``keyname``/``forenames``/``suffix`` are set when the source says which part
    of the name is the family name (arXiv OAI ``<keyname>``, ``authors_parsed``).
    """

    raw: str
    name: str
    keyname: str | None = None
    forenames: str | None = None
    suffix: str | None = None
    affiliations: tuple[str, ...] = ()
    # Bare ORCID (0000-0002-1825-0097) and the source's own author id
    # (OpenAlex "A5023888391", Semantic Scholar "1741101"), when the source gives them.
    orcid: str | None = None
    source_author_id: str | None = None


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a record came from: the file and the record's 1-based position in it."""

    file: str
    position: int
    line: int | None = None

    def describe(self) -> str:
        """A short human description such as ``record 12 (line 340)``."""
        where = f"record {self.position}"
        return f"{where} (line {self.line})" if self.line is not None else where


@dataclass(frozen=True, slots=True)
class ReportedCitations:
    """A citation count as a source reports it, with its date and yearly split."""

    count: int
    as_of: date | None = None
    by_year: tuple[tuple[int, int], ...] = ()


# Identifier schemes used in ``ids`` and ``references`` (scheme, value) pairs.
# Values are normalized: DOIs lower-case without a resolver prefix, arXiv ids
# unversioned, OpenAlex ids short ("W2741809807"), S2 paper ids as given.
ID_SCHEMES = ("doi", "arxiv", "openalex", "s2", "corpusid", "mag", "pmid", "pmcid", "dblp", "acl")


@dataclass(frozen=True, slots=True)
class WorkRecord:
    """One paper as one source record describes it.

    ``source`` names the format (``arxiv-oai-arxivraw``, ``openalex-work``,
    ``s2-paper``, ``crossref-work``, ``bibtex``, ``csl-json``...); its family
    (:func:`source_family`) names the source. ``source_id`` is that source's own
    identifier for the record (the OpenAlex or S2 id, the DOI for Crossref, the
    BibTeX key as written); for arXiv records it is the arXiv id.
    ``arxiv_id`` is canonical and unversioned (``2603.05498``, ``hep-th/9901001``).
    ``versions`` holds every arXiv version the record knows, oldest first; formats
    that only know the first submission and the last update (arXiv OAI ``arXiv``
    format) give v1 and put the update in ``updated``. ``authors`` is the full
    ordered list, never cut. ``ids`` are every identifier of the paper the record
    gives, ``references`` the identifiers of the works it cites.
    """

    source: str
    arxiv_id: str | None
    title: str
    authors: tuple[AuthorName, ...]
    versions: tuple[Version, ...]
    locator: Locator
    abstract: str | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comments: str | None = None
    report_no: str | None = None
    license: str | None = None
    submitter: str | None = None
    updated: date | None = None
    source_id: str | None = None
    ids: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    published: date | None = None
    venue: str | None = None
    work_type: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    reported: ReportedCitations | None = None

    @property
    def key(self) -> str:
        """The record's identifier within its source (the arXiv id for arXiv records)."""
        return self.source_id or self.arxiv_id or ""


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    """An author as a source describes it (OpenAlex Author, S2 author), with its metrics."""

    source: str
    source_id: str
    name: str
    locator: Locator
    orcid: str | None = None
    alternative_names: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    works_count: int | None = None
    citations: int | None = None
    h_index: int | None = None
    i10_index: int | None = None
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class CitationRecord:
    """One citation edge as a source reports it: citing and cited as (scheme, value)."""

    source: str
    citing: tuple[str, str]
    cited: tuple[str, str]
    locator: Locator


_FAMILIES = {"s2ag": "s2", "csl": "csl"}


def source_family(source: str) -> str:
    """The source a format belongs to (``openalex-work`` -> openalex, ``s2ag-papers`` -> s2)."""
    head = source.split("-", 1)[0]
    return _FAMILIES.get(head, head)


@dataclass(frozen=True, slots=True)
class Reject:
    """A record (or the rest of a file) that could not be read, and why."""

    file: str
    position: int
    reason: str
    excerpt: str = ""
    line: int | None = None


@dataclass(slots=True)
class IngestSummary:
    """Counts of one ingest run, printed at the end and returned by the library."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    files: int = 0
    authors: int = 0
    citations: int = 0
    formats: dict[str, int] = field(default_factory=dict)

    @property
    def read(self) -> int:
        """Records read successfully (added, updated or already current)."""
        return self.added + self.updated + self.unchanged

    def line(self) -> str:
        """The one-line summary: ``N works added, M updated, K rejected``."""
        text = f"{self.added} works added, {self.updated} updated, {self.rejected} rejected"
        if self.unchanged:
            text += f" ({self.unchanged} already current)"
        if self.authors or self.citations:
            text += f"; {self.authors} source author records, {self.citations} citation edges"
        return text
