"""Works as plain dicts: the read model behind ``scholarfolio works`` and work entries.

Every figure carries its provenance: ``citations_in_corpus`` (citing works in
the store), ``reported_citations`` (each source's own count, with its date in
``reported_citations_as_of``) and ``citations``, the largest of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.dedup.titles import title_key
from scholarfolio.errors import BadInput
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.store import Store, queries
from scholarfolio.store.queries import AnyRow

_OPENALEX_WORK = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def work_entry(
    work: AnyRow,
    names: list[tuple[str, str]],
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


def work_entries(conn: Connection, rows: Sequence[AnyRow]) -> list[dict[str, Any]]:
    """Entries for a batch of work rows, with a handful of queries for the whole batch."""
    wanted = [row.id for row in rows]
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
