"""Works as plain dicts: the read model behind ``scholarfolio works``, work entries and
the work page.

Every figure carries its provenance: ``citations_in_corpus`` (citing works in
the store), ``reported_citations`` (each source's own count, with its date in
``reported_citations_as_of``) and ``citations``, the largest of them.

:func:`get_work` is one work in full (the JSON of ``GET /api/works/{id}``);
:func:`author_bibliography` and :func:`author_feed` are an author's works with
what BibTeX and Atom need. Their dict shapes are a public contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.dedup.titles import title_key
from scholarfolio.errors import BadInput, Moved, NotFound
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.store import Store, queries, work_queries
from scholarfolio.store.queries import AnyRow

# Lists on a work page (references, citing works): this many per page unless asked.
DEFAULT_PER_PAGE = 20
# No page of a list holds more than this, so one request stays cheap.
MAX_PER_PAGE = 100
# The newest works an author's Atom feed carries.
FEED_ENTRIES = 50

_OPENALEX_WORK = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def work_entry(
    work: AnyRow,
    names: Sequence[tuple[str | None, str]],
    identifiers: dict[str, str],
    sources: list[AnyRow],
    reported: list[AnyRow],
) -> dict[str, Any]:
    """One work as the JSON contract shows it (profiles add ``rank``)."""
    ids = dict(identifiers)
    if work.doi:
        ids["doi"] = work.doi.lower()
    return {
        "id": work.id,
        "arxiv_id": work.arxiv_id,
        "version": f"v{work.latest_version}" if work.latest_version else None,
        "date": work.date.date().isoformat() if work.date else None,
        "title": work.title,
        "abstract": work.abstract,
        "categories": work.categories.split(),
        "authors": [{"id": author_id, "name": name} for author_id, name in names],
        "citations": work.citations,
        "citations_in_corpus": work.citations_in_corpus,
        "reported_citations": {row.source: row.citations for row in reported},
        "reported_citations_as_of": {
            row.source: row.as_of.isoformat() if row.as_of else None for row in reported
        },
        "doi": work.doi,
        "journal_ref": work.journal_ref,
        "venue": work.venue,
        "ids": ids,
        "sources": [{"source": row.source, "id": row.source_id} for row in sources],
        "merges": [
            {
                "source": row.source,
                "id": row.source_id,
                "rule": row.rule,
                "matched": {"source": row.matched_source, "id": row.matched_id},
            }
            for row in sources
            if row.matched_source is not None
        ],
    }


def work_entries(
    conn: Connection,
    rows: Sequence[AnyRow],
    names: Mapping[int, Sequence[tuple[str | None, str]]] | None = None,
) -> list[dict[str, Any]]:
    """Entries for a batch of work rows, with a handful of queries for the whole batch.

    ``names`` (each work's author ids and names) is read from the store unless given.
    """
    wanted = [row.id for row in rows]
    if names is None:
        names = queries.work_authors(conn, wanted)
    identifiers = queries.work_identifiers(conn, wanted)
    sources = queries.work_sources(conn, wanted)
    reported = queries.work_reported_counts(conn, wanted)
    return [
        work_entry(row, names[row.id], identifiers[row.id], sources[row.id], reported[row.id])
        for row in rows
    ]


def _identifier(query: str) -> tuple[str, str] | None:
    text = query.strip()
    if match := _OPENALEX_WORK.match(text):
        return "openalex", match.group(1).upper()
    if match := _DOI.match(text):
        return "doi", match.group(1).lower()
    try:
        arxiv_id, _ = parse_arxiv_id(text)
    except BadInput:
        return None
    return "arxiv", arxiv_id


def list_works(
    store: Store, query: str | None = None, batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Every work (or those matching an id or title words), streamed in batches."""
    identifier = _identifier(query) if query else None
    words = [] if identifier or not query else title_key(query).split()
    with store.engine.connect() as conn:
        pending: list[AnyRow] = []
        for row in queries.find_works(conn, words, identifier):
            pending.append(row)
            if len(pending) >= batch:
                yield from work_entries(conn, pending)
                pending = []
        if pending:
            yield from work_entries(conn, pending)


# --- one work in full ----------------------------------------------------------------


def page_window(page: int, per_page: int, name: str = "page") -> tuple[int, int]:
    """The (offset, limit) of page ``page``; BadInput names the valid range."""
    if page < 1:
        raise BadInput(f"{name} must be 1 or more (got {page})")
    # The same bound as a profile's pages: past it an offset would not fit the database.
    if page > 10**9:
        raise BadInput(f"{name} must be at most 1000000000 (got {page})")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"per_page must be between 1 and {MAX_PER_PAGE} (got {per_page})")
    return (page - 1) * per_page, per_page


def listing(total: int, page: int, per_page: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of a longer list, saying how many there are in all and how many pages."""
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": max(1, -(-total // per_page)),
        "works": items,
    }


def work_summaries(conn: Connection, rows: Sequence[AnyRow]) -> list[dict[str, Any]]:
    """Short entries for lists of works: the first few authors and how many there are."""
    wanted = [row.id for row in rows]
    firsts = work_queries.first_authors(conn, wanted, settings.AUTHORS_SHOWN.get())
    counts = work_queries.author_counts(conn, wanted)
    return [
        {
            "id": row.id,
            "title": row.title,
            "date": row.date.date().isoformat() if row.date else None,
            "year": row.year,
            "arxiv_id": row.arxiv_id,
            "doi": row.doi,
            "venue": row.venue,
            "citations": row.citations,
            "authors": [{"id": author_id, "name": name} for author_id, name in firsts[row.id]],
            "authors_total": counts[row.id],
        }
        for row in rows
    ]


def _resolve_work(conn: Connection, text: str) -> int:
    """The work id for ``text``; Moved when it is another of the work's identifiers."""
    # ASCII digits only ("²".isdigit() too), and few enough for a 64-bit column.
    digits = text.isascii() and text.isdigit() and len(text) <= 18
    if digits and work_queries.work(conn, int(text)) is not None:
        return int(text)
    identifier = _identifier(text)
    found = work_queries.work_by_identifier(conn, *identifier) if identifier else None
    if found is not None:
        raise Moved(text, str(found))
    raise NotFound(
        f"no work with id {text!r}; give a work id (digits), an arXiv id such as "
        "1411.4413 or an OpenAlex id such as W2919115771"
    )


def _authors_in_full(rows: Sequence[AnyRow], affiliations: bool = True) -> list[dict[str, Any]]:
    """Each authorship with the name parts BibTeX needs, its ORCID and affiliations."""
    people = []
    for row in rows:
        person = {
            "id": row.author_id,
            "name": row.name,
            "family": row.keyname,
            "given": row.forenames,
            "suffix": row.suffix,
            "orcid": row.orcid,
        }
        if affiliations:
            person["affiliations"] = list(row.affiliations or [])
        people.append(person)
    return people


def _versions(conn: Connection, work_id: int) -> list[dict[str, Any]]:
    return [
        {
            "version": f"v{row.number}",
            "number": row.number,
            "submitted": row.submitted.isoformat() if row.submitted else None,
            "date": row.submitted.date().isoformat() if row.submitted else None,
        }
        for row in work_queries.versions(conn, work_id)
    ]


def _isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _records(conn: Connection, work_id: int) -> list[dict[str, Any]]:
    """The source records merged into the work: their ids, the merge rule, their dates."""
    rows = work_queries.member_records(conn, work_id)
    identifiers = work_queries.record_identifiers(conn, [row.id for row in rows])
    described = []
    for row in rows:
        ids: dict[str, list[str]] = {}
        for found in identifiers[row.id]:
            ids.setdefault(found.scheme, []).append(found.value)
        matched = {"source": row.matched_source, "id": row.matched_id}
        described.append(
            {
                "source": row.source,
                "id": row.source_id,
                "format": row.format,
                "title": row.title,
                "venue": row.venue,
                "work_type": row.work_type,
                "rule": row.rule,
                "matched": matched if row.matched_source is not None else None,
                "ids": ids,
                "published": _isoformat(row.published),
                "source_updated": _isoformat(row.source_updated),
                "ingested_at": _isoformat(row.ingested_at),
            }
        )
    return described


def _citation_lists(
    conn: Connection, work_id: int, cites_page: int, cited_by_page: int, per_page: int
) -> dict[str, Any]:
    """The page asked for of the works this one cites, and of those citing it."""
    cites_offset, limit = page_window(cites_page, per_page, "cites_page")
    cited_by_offset, _ = page_window(cited_by_page, per_page, "cited_by_page")
    cited = work_queries.cited_works(conn, work_id, cites_offset, limit)
    citing = work_queries.citing_works(conn, work_id, cited_by_offset, limit)
    cites_total = work_queries.cites_count(conn, work_id)
    cited_by_total = work_queries.cited_by_count(conn, work_id)
    return {
        "cites": listing(cites_total, cites_page, per_page, work_summaries(conn, cited)),
        "cited_by": listing(cited_by_total, cited_by_page, per_page, work_summaries(conn, citing)),
    }


def get_work(
    store: Store,
    work_id: str | int,
    cites_page: int = 1,
    cited_by_page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """One work in full: its entry, versions, every author, the records that describe it,
    citations per year, and one page each of the works it cites and the works citing it.

    ``work_id`` is the work's id; an arXiv or OpenAlex id of the work raises
    :class:`Moved` to the work id, anything else NotFound.
    """
    page_window(cites_page, per_page, "cites_page")
    page_window(cited_by_page, per_page, "cited_by_page")
    with store.engine.connect() as conn:
        found = _resolve_work(conn, str(work_id))
        row = work_queries.work(conn, found)
        if row is None:
            raise NotFound(f"no work with id {work_id!r}")
        people = work_queries.detailed_authorships(conn, [found])[found]
        entry = work_entry(
            row,
            [(person.author_id, person.name) for person in people],
            queries.work_identifiers(conn, [found])[found],
            queries.work_sources(conn, [found])[found],
            queries.work_reported_counts(conn, [found])[found],
        )
        entry.update(
            work_type=row.work_type,
            year=row.year,
            authors=_authors_in_full(people),
            authors_total=len(people),
            versions=_versions(conn, found),
            records=_records(conn, found),
            citations_by_year={
                str(year): count
                for year, count in work_queries.citations_by_year(conn, found).items()
            },
        )
        entry.update(_citation_lists(conn, found, cites_page, cited_by_page, per_page))
    return entry


# --- an author's works, for BibTeX and Atom --------------------------------------------


def _author(conn: Connection, author_id: str) -> dict[str, str]:
    person = queries.author(conn, author_id)
    if person is None:
        moved_to = queries.redirect_target(conn, author_id)
        if moved_to is not None:
            raise Moved(author_id, moved_to)
        raise NotFound(f"no author with id {author_id!r}")
    return {"id": person.id, "name": person.name}


def _names(people: dict[int, list[AnyRow]]) -> dict[int, list[tuple[str | None, str]]]:
    return {work_id: [(p.author_id, p.name) for p in rows] for work_id, rows in people.items()}


def author_bibliography(store: Store, author_id: str) -> dict[str, Any]:
    """Every work of the author, newest first, with what a bibliography needs.

    ``{"author": {"id", "name"}, "works": [...]}``; each work is a work entry with
    ``work_type`` and ``year`` whose authors also carry ``family``, ``given`` and
    ``suffix`` where the source gave them.
    """
    with store.engine.connect() as conn:
        person = _author(conn, author_id)
        rows = work_queries.author_work_rows(conn, person["id"])
        people = work_queries.detailed_authorships(
            conn, [row.id for row in rows], affiliations=False
        )
        entries = work_entries(conn, rows, _names(people))
    for entry, row in zip(entries, rows, strict=True):
        entry.update(
            work_type=row.work_type,
            year=row.year,
            authors=_authors_in_full(people[row.id], affiliations=False),
        )
    return {"author": person, "works": entries}


def author_feed(
    store: Store, author_id: str, limit: int = FEED_ENTRIES, authors_per_work: int = 20
) -> dict[str, Any]:
    """The author's newest works for a feed, each with ``updated`` (its newest version),
    ``published``, its first ``authors_per_work`` authors and ``authors_total``.

    ``{"author": {...}, "updated": ..., "works": [...]}``: ``updated`` is the newest
    entry's, or the time of the last build when no work has a date.
    """
    with store.engine.connect() as conn:
        person = _author(conn, author_id)
        rows = work_queries.author_work_rows(conn, person["id"], limit)
        wanted = [row.id for row in rows]
        entries = work_entries(
            conn, rows, work_queries.first_authors(conn, wanted, authors_per_work)
        )
        totals = work_queries.author_counts(conn, wanted)
        latest = work_queries.latest_version_dates(conn, wanted)
        built = queries.meta_value(conn, "last_build")
    for entry, row in zip(entries, rows, strict=True):
        newest = latest.get(row.id) or row.date
        entry["authors_total"] = totals[row.id]
        entry["updated"] = newest.isoformat() if newest else built
        entry["published"] = row.date.isoformat() if row.date else entry["updated"]
    stamps = [entry["updated"] for entry in entries if entry["updated"]]
    return {"author": person, "updated": max(stamps, default=built), "works": entries}


def all_work_ids(store: Store) -> list[int]:
    """Every work id in the store, ascending."""
    with store.engine.connect() as conn:
        return work_queries.all_work_ids(conn)


def all_author_ids(store: Store) -> list[str]:
    """Every author id in the store, ascending."""
    with store.engine.connect() as conn:
        return work_queries.all_author_ids(conn)
