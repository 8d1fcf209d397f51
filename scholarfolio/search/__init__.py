"""Search over the store: authors by name and works by full text, together.

:func:`search` is the one read model behind ``GET /search`` and
``GET /api/search``; its dict is a public contract. The SQL lives in
:mod:`scholarfolio.store.search_index`; here are the rules: how a query is
read (:mod:`.query`), how names match (:mod:`.names`), how works are ranked
(:mod:`.works`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.search import engine, names, query, works
from scholarfolio.search.query import Paging
from scholarfolio.store import Store, search_index


def refresh_index(conn: Connection) -> None:
    """Bring the search indexes up to the store's works and authors (the end of a build)."""
    search_index.refresh(conn)
    engine.rebuild(conn)


def search(store: Store, text: str, paging: Paging | None = None) -> dict[str, Any]:
    """Authors and works matching ``text``: one page of each, with their totals.

    BadInput for an empty, too long or too wordy query.
    """
    parsed = query.parse(text)
    page = paging or Paging()
    with store.engine.connect() as conn:
        authors = names.author_hits(conn, parsed.name, page.per_page, page.offset)
        found = works.work_hits(conn, parsed, page)
    return {
        "query": parsed.text,
        "authors": authors.authors,
        "works": found.works,
        "total_authors": authors.total,
        "total_works": found.total,
        "works_match": found.match,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages(max(authors.total, found.total)),
    }


def search_authors(store: Store, text: str, limit: int) -> list[dict[str, Any]]:
    """The best ``limit`` authors whose name matches ``text``; BadInput for a bad query."""
    name = query.name_query(query.check_length(text))
    with store.engine.connect() as conn:
        return names.find_authors(conn, name, limit)


def newest_works(store: Store, limit: int) -> list[dict[str, Any]]:
    """The most recent works of the corpus, as search results show works."""
    with store.engine.connect() as conn:
        return works.summaries(conn, search_index.newest_works(conn, limit))


__all__ = ["Paging", "newest_works", "refresh_index", "search", "search_authors"]
