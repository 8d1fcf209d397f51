"""Profiles as plain dicts: the one read model behind the HTML page, the JSON API and the CLI.

The dict shapes here are a public contract (README, docs/api.md): the HTML
profile and ``GET /api/authors/{id}`` render the same :func:`get_profile` dict.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import Connection

from scholarfolio.errors import BadInput, Moved, NotFound
from scholarfolio.identity.names import fold, name_key
from scholarfolio.models import AuthorName
from scholarfolio.store import Store, queries
from scholarfolio.store.queries import AnyRow
from scholarfolio.works import work_entries

MAX_QUERY_LENGTH = 200


def _reported_metrics(conn: Connection, ids: dict[str, list[str]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for source in ("openalex", "s2"):
        row = queries.source_author_metrics(conn, source, ids.get(source, []))
        if row is not None:
            found[source] = {
                "id": row.source_id,
                "h_index": row.h_index,
                "i10_index": row.i10_index,
                "citations": row.citations,
                "works": row.works_count,
                "as_of": row.as_of.isoformat() if row.as_of else None,
            }
    return found


def get_profile(store: Store, author_id: str) -> dict[str, Any]:
    """The full profile of one author; NotFound for an unknown id."""
    with store.engine.connect() as conn:
        person = queries.author(conn, author_id)
        if person is None:
            moved_to = queries.redirect_target(conn, author_id)
            if moved_to is not None:
                raise Moved(author_id, moved_to)
            raise NotFound(f"no author with id {author_id!r}")
        rows = queries.author_works(conn, author_id)
        entries = work_entries(conn, rows)
        yearly = queries.citations_by_year(conn, author_id)
        badges = queries.badges(conn, author_id)
        variants = [n for n in queries.spellings(conn, author_id) if n != person.name]
        source_ids = queries.author_source_ids(conn, author_id)
        reported = _reported_metrics(conn, source_ids)
    for rank, entry in enumerate(entries, start=1):
        entry["rank"] = rank
    return {
        "id": person.id,
        "name": person.name,
        "name_variants": variants,
        "badges": badges,
        "ids": {scheme: values[0] for scheme, values in source_ids.items()},
        "other_ids": {scheme: values[1:] for scheme, values in source_ids.items() if values[1:]},
        "metrics": {
            "works": person.works,
            "citations": person.citations,
            "h_index": person.h_index,
            "i10_index": person.i10_index,
            "g_index": person.g_index,
            "citations_by_year": {str(year): count for year, count in yearly.items()},
        },
        "reported_metrics": reported,
        "works": entries,
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


_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.I)
_OPENALEX_AUTHOR = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.I)
_S2_AUTHOR = re.compile(r"^(?:s2:)?(\d{3,12})$")


def _by_source_id(conn: Connection, text: str) -> str | None:
    for scheme, pattern in (("orcid", _ORCID), ("openalex", _OPENALEX_AUTHOR), ("s2", _S2_AUTHOR)):
        match = pattern.match(text.strip())
        if match:
            value = match.group(1)
            return queries.author_by_source_id(
                conn, scheme, value.upper() if scheme != "s2" else value
            )
    return None


def resolve_redirect(store: Store, author_id: str) -> str | None:
    """The id an absorbed author id now answers as (after a merge), or None."""
    with store.engine.connect() as conn:
        return queries.redirect_target(conn, author_id)


def find_author(store: Store, id_or_name: str) -> str:
    """The author id for an id, a source's author id (OpenAlex A..., S2, ORCID) or a name.

    Tried in order: exact id, an absorbed id's survivor, a source author id,
    exact name, else the single best match; NotFound names what to try next.
    """
    with store.engine.connect() as conn:
        if queries.author(conn, id_or_name) is not None:
            return id_or_name
        found = queries.redirect_target(conn, id_or_name) or _by_source_id(conn, id_or_name)
        if found is not None:
            return found
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
