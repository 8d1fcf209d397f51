"""Finding authors by name: every word typed starts a word of the name.

Names are compared folded (:func:`scholarfolio.identity.names.fold`): accents,
case, hyphens and dots do not matter, so "perez" finds "Pérez", "shwartz ziv"
finds "Ravid Shwartz-Ziv" and "lecun y" finds "Yann LeCun" (an initial typed
matches a given name written out). The order of the words does not matter.

Ranking: the full name as typed first (in any word order), then names of as
many words as the query, then longer names; within each, most cited first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.store import search_index
from scholarfolio.store.queries import AnyRow
from scholarfolio.store.search_index import NameQuery


@dataclass(frozen=True, slots=True)
class AuthorHits:
    """One page of matching authors and how many match in all."""

    total: int
    authors: list[dict[str, Any]]


def summary(row: AnyRow) -> dict[str, Any]:
    """An author as search results show it (the shape of ``GET /api/authors``)."""
    return {
        "id": row.id,
        "name": row.name,
        "works": row.works,
        "citations": row.citations,
        "h_index": row.h_index,
    }


def find_authors(
    conn: Connection, query: NameQuery | None, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """One page of the authors matching ``query``, best first (none for no query)."""
    if query is None:
        return []
    return [summary(row) for row in search_index.match_authors(conn, query, limit, offset)]


def author_hits(conn: Connection, query: NameQuery | None, limit: int, offset: int) -> AuthorHits:
    """One page of matching authors with the total count."""
    if query is None:
        return AuthorHits(0, [])
    total = search_index.count_authors(conn, query)
    if total <= offset:
        return AuthorHits(total, [])
    return AuthorHits(total, find_authors(conn, query, limit, offset))
