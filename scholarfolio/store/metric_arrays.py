"""The metrics engine's arrays, read from the store in one pass, and its results written back.

Three reads, each one ordered scan: the works with their citations (overall
and in the five-year window), the distinct (author, work) authorships grouped
by author, and the citation edges sorted by citing work with a flag saying
whether the two works share an author (a self-citation, docs/metrics.md).
Work ids become dense indices (positions in the sorted id array); author ids
become indices in the order the authorships arrive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    author_metrics,
    authorships,
    citations,
    work_citations_by_year,
    work_metrics,
    works,
)

# Rows per INSERT batch when writing the results back.
WRITE_BATCH = 5_000


@dataclass(frozen=True)
class StoredCorpus:
    """The arrays the engine needs, indexed by dense work and author positions."""

    work_ids: NDArray[np.int64]
    work_citations: NDArray[np.int64]
    work_citations_in_window: NDArray[np.int64]
    work_year: NDArray[np.int64]
    author_ids: list[str]
    pair_author: NDArray[np.int64]
    pair_work: NDArray[np.int64]
    edge_citing: NDArray[np.int64]
    edge_cited: NDArray[np.int64]
    edge_self: NDArray[np.bool_]


def _works(conn: Connection, window: range, no_year: int) -> tuple[NDArray[np.int64], ...]:
    yearly = work_citations_by_year.c
    in_window = (
        sa.select(yearly.work_id, sa.func.sum(yearly.citations).label("n"))
        .where(yearly.year >= window.start, yearly.year < window.stop)
        .group_by(yearly.work_id)
        .subquery()
    )
    query = (
        sa.select(
            works.c.id,
            sa.func.coalesce(works.c.year, no_year),
            sa.func.coalesce(work_metrics.c.citations, 0),
            sa.func.coalesce(in_window.c.n, 0),
        )
        .select_from(
            works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id).outerjoin(
                in_window, in_window.c.work_id == works.c.id
            )
        )
        .order_by(works.c.id)
    )
    rows = np.array(conn.execute(query).all(), dtype=np.int64).reshape(-1, 4)
    return rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]


def _authorships(
    conn: Connection, work_ids: NDArray[np.int64]
) -> tuple[list[str], NDArray[np.int64], NDArray[np.int64]]:
    query = (
        sa.select(authorships.c.author_id, authorships.c.work_id)
        .where(authorships.c.author_id.is_not(None))
        .distinct()
        .order_by(authorships.c.author_id, authorships.c.work_id)
    )
    author_ids: list[str] = []
    pair_author: list[int] = []
    pair_work: list[int] = []
    for author_id, work_id in conn.execute(query):
        if not author_ids or author_ids[-1] != author_id:
            author_ids.append(author_id)
        pair_author.append(len(author_ids) - 1)
        pair_work.append(work_id)
    dense = np.searchsorted(work_ids, np.array(pair_work, dtype=np.int64))
    return author_ids, np.array(pair_author, dtype=np.int64), dense


def _edges(
    conn: Connection, work_ids: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    mine = authorships.alias("citing_authors")
    theirs = authorships.alias("cited_authors")
    shared = (
        sa.exists()
        .where(mine.c.work_id == citations.c.citing_work_id)
        .where(theirs.c.work_id == citations.c.cited_work_id)
        .where(mine.c.author_id == theirs.c.author_id)
    )
    query = sa.select(citations.c.citing_work_id, citations.c.cited_work_id, shared).order_by(
        citations.c.citing_work_id, citations.c.cited_work_id
    )
    rows = conn.execute(query).all()
    pairs = np.array([(citing, cited) for citing, cited, _ in rows], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    is_self = np.array([bool(flag) for _, _, flag in rows], dtype=np.bool_)
    return np.searchsorted(work_ids, pairs[:, 0]), np.searchsorted(work_ids, pairs[:, 1]), is_self


def load_corpus(conn: Connection, window: range, no_year: int) -> StoredCorpus:
    """Works, authorships and citation edges as arrays; ``no_year`` marks works without one."""
    work_ids, work_year, work_citations, in_window = _works(conn, window, no_year)
    author_ids, pair_author, pair_work = _authorships(conn, work_ids)
    edge_citing, edge_cited, edge_self = _edges(conn, work_ids)
    return StoredCorpus(
        work_ids=work_ids,
        work_citations=work_citations,
        work_citations_in_window=in_window,
        work_year=work_year,
        author_ids=author_ids,
        pair_author=pair_author,
        pair_work=pair_work,
        edge_citing=edge_citing,
        edge_cited=edge_cited,
        edge_self=edge_self,
    )


def replace_author_metrics(
    conn: Connection,
    author_ids: Sequence[str],
    columns: Mapping[str, Sequence[int | float | None]],
) -> None:
    """Make author_metrics exactly one row per given author, columns by name."""
    conn.execute(author_metrics.delete())
    names = list(columns)
    for start in range(0, len(author_ids), WRITE_BATCH):
        stop = min(start + WRITE_BATCH, len(author_ids))
        rows = [
            {"author_id": author_ids[n], **{name: columns[name][n] for name in names}}
            for n in range(start, stop)
        ]
        conn.execute(author_metrics.insert(), rows)
