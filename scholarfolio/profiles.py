"""Profiles as plain dicts: the one read model behind the HTML page, the JSON API and the CLI.

The dict shapes here are a public contract (README, docs/api.md): the HTML
profile and ``GET /api/authors/{id}`` render the same :func:`get_profile` dict.
"""

from __future__ import annotations

from typing import Any

from scholarfolio.errors import BadInput, NotFound
from scholarfolio.identity.names import fold, name_key
from scholarfolio.models import AuthorName
from scholarfolio.store import Store, queries
from scholarfolio.store.queries import AnyRow

MAX_QUERY_LENGTH = 200


def _work_entry(rank: int, work: AnyRow, names: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "rank": rank,
        "id": work.id,
        "arxiv_id": work.arxiv_id,
        "version": f"v{work.latest_version}",
        "date": work.first_submitted.date().isoformat() if work.first_submitted else None,
        "title": work.title,
        "abstract": work.abstract,
        "categories": work.categories.split(),
        "authors": [{"id": author_id, "name": name} for author_id, name in names],
        "citations": work.citations,
        "doi": work.doi,
        "journal_ref": work.journal_ref,
    }


def get_profile(store: Store, author_id: str) -> dict[str, Any]:
    """The full profile of one author; NotFound for an unknown id."""
    with store.engine.connect() as conn:
        person = queries.author(conn, author_id)
        if person is None:
            raise NotFound(f"no author with id {author_id!r}")
        works = queries.author_works(conn, author_id)
        names = queries.work_authors(conn, [work.id for work in works])
        yearly = queries.citations_by_year(conn, author_id)
        badges = queries.badges(conn, author_id)
        variants = [n for n in queries.spellings(conn, author_id) if n != person.name]
    return {
        "id": person.id,
        "name": person.name,
        "name_variants": variants,
        "badges": badges,
        "metrics": {
            "works": person.works,
            "citations": person.citations,
            "h_index": person.h_index,
            "i10_index": person.i10_index,
            "g_index": person.g_index,
            "citations_by_year": {str(year): count for year, count in yearly.items()},
        },
        "works": [
            _work_entry(rank, work, names[work.id]) for rank, work in enumerate(works, start=1)
        ],
    }


def _summary(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "works": row.works,
        "citations": row.citations,
        "h_index": row.h_index,
    }


def _query_tokens(query: str) -> list[str]:
    if len(query) > MAX_QUERY_LENGTH:
        raise BadInput(
            f"the query is too long ({len(query)} characters; at most {MAX_QUERY_LENGTH})"
        )
    tokens = fold(query).split()
    if not tokens:
        raise BadInput("the query is empty: give part of an author's name, e.g. 'brandenberger'")
    return tokens


def search_authors(store: Store, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Authors whose name matches every word of the query (accents, case, hyphens ignored)."""
    tokens = _query_tokens(query)
    with store.engine.connect() as conn:
        return [_summary(row) for row in queries.search_authors(conn, tokens, limit)]


def top_authors(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The most cited authors of the corpus."""
    with store.engine.connect() as conn:
        return [_summary(row) for row in queries.top_authors(conn, limit)]


def corpus_stats(store: Store) -> dict[str, Any]:
    """Corpus size and the time of the last ingest or build."""
    with store.engine.connect() as conn:
        counts = queries.corpus_counts(conn)
        stamps = [queries.meta_value(conn, key) for key in ("last_ingest", "last_build")]
    known = [stamp for stamp in stamps if stamp]
    return {
        "works": counts["works"],
        "authors": counts["authors"],
        "citations": counts["citations"],
        "last_update": max(known) if known else None,
    }


def find_author(store: Store, id_or_name: str) -> str:
    """The author id for an id or a name: exact id, exact name, else the best match.

    NotFound names the closest candidates when the name matches nobody exactly.
    """
    with store.engine.connect() as conn:
        if queries.author(conn, id_or_name) is not None:
            return id_or_name
        tokens = _query_tokens(id_or_name)
        exact = queries.author_id_by_key(conn, name_key(AuthorName(id_or_name, id_or_name)))
        if exact is not None:
            return exact
        matches = queries.search_authors(conn, tokens, 2)
    if len(matches) == 1:
        return str(matches[0].id)
    if not matches:
        raise NotFound(f"no author matches {id_or_name!r}; try 'scholarfolio authors QUERY'")
    raise NotFound(
        f"{id_or_name!r} matches several authors; pick an id from "
        f"'scholarfolio authors {id_or_name!r}'"
    )
