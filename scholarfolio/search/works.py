"""Full-text search over works' titles and abstracts, ranked by BM25.

Every run of words must match (a quoted phrase as a phrase); when no work has
them all, works with any of them are shown instead, and ``match`` says which.
A query that is one arXiv id or DOI finds the work that carries it.

The ranking comes from the store's tantivy index when it is current
(:mod:`scholarfolio.search.engine`), else from the SQL full text of the store
(FTS5 on SQLite, ``ts_rank`` on PostgreSQL): the same words, weights and pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.engine import Connection

from scholarfolio import settings
from scholarfolio.search.engine import TantivyWorks
from scholarfolio.search.query import Paging, SearchQuery
from scholarfolio.search.snippets import query_pattern, snippet
from scholarfolio.store import search_index
from scholarfolio.store.queries import AnyRow
from scholarfolio.store.search_index import TextQuery

# all: every word matched; any: none had them all, so any word; id: the query
# was an identifier; none: nothing matched.
Match = Literal["all", "any", "id", "none"]


@dataclass(frozen=True, slots=True)
class WorkHits:
    """One page of matching works, how many match in all, and how they matched."""

    total: int
    match: Match
    works: list[dict[str, Any]]


def work_summary(
    row: AnyRow,
    authors: tuple[list[tuple[str | None, str]], int],
    pattern: re.Pattern[str] | None = None,
    score: float | None = None,
) -> dict[str, Any]:
    """A work as lists show it: its ids, date, citations, first authors and an excerpt."""
    shown, total = authors
    entry: dict[str, Any] = {
        "id": row.id,
        "title": row.title,
        "date": row.date.date().isoformat() if row.date else None,
        "arxiv_id": row.arxiv_id,
        "version": f"v{row.latest_version}" if row.latest_version else None,
        "doi": row.doi,
        "categories": row.categories.split(),
        "citations": row.citations,
        "authors": [{"id": author_id, "name": name} for author_id, name in shown],
        "authors_total": total,
        "snippet": snippet(row.abstract, pattern),
    }
    if score is not None:
        entry["score"] = round(score, 4)
    return entry


def summaries(
    conn: Connection,
    rows: Sequence[AnyRow],
    phrases: Sequence[str] = (),
    scores: Sequence[float] | None = None,
) -> list[dict[str, Any]]:
    """Summaries of a page of work rows, their first authors read in two queries."""
    shown = settings.AUTHORS_SHOWN.get()
    authors = search_index.first_authors(conn, [row.id for row in rows], shown)
    pattern = query_pattern(phrases)
    return [
        work_summary(row, authors[row.id], pattern, scores[n] if scores else None)
        for n, row in enumerate(rows)
    ]


Ranked = tuple[int, list[AnyRow], list[float]]


def _ranked(
    conn: Connection, engine: TantivyWorks | None, query: TextQuery, paging: Paging
) -> Ranked:
    if engine is not None:
        hits = engine.search(query, paging.per_page, paging.offset)
        rows = search_index.summaries_by_ids(conn, [work_id for work_id, _ in hits.ranked])
        scores = dict(hits.ranked)
        return hits.total, rows, [scores[row.id] for row in rows]
    total = search_index.count_works(conn, query)
    if total <= paging.offset:
        return total, [], []
    rows = search_index.match_works(conn, query, paging.per_page, paging.offset)
    return total, rows, [float(row.score) for row in rows]


def work_hits(conn: Connection, query: SearchQuery, paging: Paging) -> WorkHits:
    """One page of the works matching ``query``, best first."""
    if query.identifier is not None:
        rows = search_index.works_by_identifier(conn, *query.identifier)
        if rows:
            page = rows[paging.offset : paging.offset + paging.per_page]
            return WorkHits(len(rows), "id", summaries(conn, page, (), [1.0] * len(page)))
    if not query.phrases:
        return WorkHits(0, "none", [])
    engine = TantivyWorks.current(conn)
    total, rows, scores = _ranked(conn, engine, TextQuery(query.phrases, True), paging)
    match: Match = "all"
    if total == 0 and len(query.phrases) > 1:
        total, rows, scores = _ranked(conn, engine, TextQuery(query.phrases, False), paging)
        match = "any"
    if total == 0:
        return WorkHits(0, "none", [])
    return WorkHits(total, match, summaries(conn, rows, query.phrases, scores))
