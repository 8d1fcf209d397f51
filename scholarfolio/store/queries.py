"""Read queries behind profiles, search, the CLI listings and health checks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    authors,
    authorships,
    citations,
    meta,
    rejects,
    work_metrics,
    works,
)

# Rows whose columns the query decides; read by attribute.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

_SUMMARY_COLUMNS = (
    authors.c.id,
    authors.c.name,
    sa.func.coalesce(author_metrics.c.works, 0).label("works"),
    sa.func.coalesce(author_metrics.c.citations, 0).label("citations"),
    sa.func.coalesce(author_metrics.c.h_index, 0).label("h_index"),
)


def _summaries() -> sa.Select[Any]:
    return sa.select(*_SUMMARY_COLUMNS).select_from(
        authors.outerjoin(author_metrics, author_metrics.c.author_id == authors.c.id)
    )


def author(conn: Connection, author_id: str) -> AnyRow | None:
    """The author's row with metrics (zeros before the first build), or None."""
    query = sa.select(
        *_SUMMARY_COLUMNS,
        sa.func.coalesce(author_metrics.c.i10_index, 0).label("i10_index"),
        sa.func.coalesce(author_metrics.c.g_index, 0).label("g_index"),
    ).select_from(authors.outerjoin(author_metrics, author_metrics.c.author_id == authors.c.id))
    return conn.execute(query.where(authors.c.id == author_id)).first()


def author_id_by_key(conn: Connection, key: str) -> str | None:
    """The id of the author with exactly this name key."""
    return conn.scalar(sa.select(authors.c.id).where(authors.c.name_key == key))


def badges(conn: Connection, author_id: str) -> list[str]:
    """The author's badges, alphabetical."""
    query = (
        sa.select(author_badges.c.badge)
        .where(author_badges.c.author_id == author_id)
        .order_by(author_badges.c.badge)
    )
    return list(conn.scalars(query))


def citations_by_year(conn: Connection, author_id: str) -> dict[int, int]:
    """Citations the author received per year, oldest first."""
    query = (
        sa.select(author_citations_by_year.c.year, author_citations_by_year.c.citations)
        .where(author_citations_by_year.c.author_id == author_id)
        .order_by(author_citations_by_year.c.year)
    )
    return {row.year: row.citations for row in conn.execute(query)}


def spellings(conn: Connection, author_id: str) -> list[str]:
    """Every spelling of the author's name on their papers, alphabetical."""
    query = (
        sa.select(authorships.c.name)
        .distinct()
        .where(authorships.c.author_id == author_id)
        .order_by(authorships.c.name)
    )
    return list(conn.scalars(query))


def author_works(conn: Connection, author_id: str) -> list[AnyRow]:
    """The author's works with their citations, newest first."""
    mine = (
        sa.select(authorships.c.work_id)
        .where(authorships.c.author_id == author_id)
        .distinct()
        .subquery()
    )
    query = (
        sa.select(
            works.c.id,
            works.c.arxiv_id,
            works.c.latest_version,
            works.c.first_submitted,
            works.c.title,
            works.c.abstract,
            works.c.categories,
            works.c.doi,
            works.c.journal_ref,
            sa.func.coalesce(work_metrics.c.citations, 0).label("citations"),
        )
        .select_from(
            works.join(mine, mine.c.work_id == works.c.id).outerjoin(
                work_metrics, work_metrics.c.work_id == works.c.id
            )
        )
        .order_by(works.c.first_submitted.desc(), works.c.arxiv_id.desc())
    )
    return list(conn.execute(query))


def work_authors(conn: Connection, work_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(author id, name as written) of each work, in source order."""
    listed: dict[int, list[tuple[str, str]]] = {work_id: [] for work_id in work_ids}
    query = (
        sa.select(authorships.c.work_id, authorships.c.author_id, authorships.c.name)
        .where(authorships.c.work_id.in_(list(work_ids)))
        .order_by(authorships.c.work_id, authorships.c.position)
    )
    for work_id, author_id, name in conn.execute(query):
        listed[work_id].append((author_id, name))
    return listed


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_authors(conn: Connection, tokens: Sequence[str], limit: int) -> list[AnyRow]:
    """Authors whose name key contains every token, most cited first."""
    query = _summaries()
    for token in tokens:
        query = query.where(authors.c.name_key.like(f"%{_escape_like(token)}%", escape="\\"))
    query = query.order_by(sa.desc("citations"), sa.desc("works"), authors.c.name).limit(limit)
    return list(conn.execute(query))


def top_authors(conn: Connection, limit: int) -> list[AnyRow]:
    """The most cited authors, then the most prolific."""
    query = _summaries().order_by(sa.desc("citations"), sa.desc("works"), authors.c.name)
    return list(conn.execute(query.limit(limit)))


def _count(conn: Connection, table: sa.Table) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def corpus_counts(conn: Connection) -> dict[str, int]:
    """How many works, authors, citation edges and rejects the store holds."""
    return {
        "works": _count(conn, works),
        "authors": _count(conn, authors),
        "citations": _count(conn, citations),
        "rejects": _count(conn, rejects),
    }


def meta_value(conn: Connection, key: str) -> str | None:
    """A store-wide fact recorded by ingest or build."""
    return conn.scalar(sa.select(meta.c.value).where(meta.c.key == key))


def list_rejects(conn: Connection) -> Iterator[AnyRow]:
    """Every stored reject, by file and position."""
    query = sa.select(
        rejects.c.file, rejects.c.position, rejects.c.line, rejects.c.reason, rejects.c.excerpt
    ).order_by(rejects.c.file, rejects.c.position, rejects.c.id)
    yield from conn.execute(query)
