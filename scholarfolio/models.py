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
class WorkRecord:
    """One paper as one source record describes it.

    ``arxiv_id`` is canonical and unversioned (``2603.05498``, ``hep-th/9901001``).
    ``versions`` holds every version the record knows, oldest first; formats that
    only know the first submission and the last update (arXiv OAI ``arXiv``
    format) give v1 and put the update in ``updated``. ``authors`` is the full
    ordered list, never cut.
    """

    source: str
    arxiv_id: str
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
        return text
