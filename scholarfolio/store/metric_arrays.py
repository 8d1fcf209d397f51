"""The metrics engine's arrays, read from the store in one pass, and its results written back.

Three reads, each one ordered scan: the works with their citations (overall
and in the five-year window), the distinct (author, work) authorships grouped
by author, and the citation edges sorted by citing work with a flag saying
whether the two works share an author (a self-citation, docs/metrics.md).
Work ids become dense indices (positions in the sorted id array); author ids
become indices in the order the authorships arrive.

An incremental build reads the same arrays for some authors only: their
works, and every citation of those works (so each of them gets the figures a
full pass gives). Citing works are then numbered among themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
from scholarfolio.store.scoped import chunks

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


def work_figures(
    conn: Connection, window: range, no_year: int, only: Collection[int] | None
) -> tuple[NDArray[np.int64], ...]:
    """Per work (or per work of ``only``), by id: id, year, citations, citations in ``window``."""
    if only is None:
        found = conn.execute(_work_figures_query(window, no_year, None)).all()
    else:
        found = [
            row
            for chunk in chunks(only)
            for row in conn.execute(_work_figures_query(window, no_year, chunk))
        ]
        found.sort()
    rows = np.array(found, dtype=np.int64).reshape(-1, 4)
    return rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]


def _work_figures_query(window: range, no_year: int, chunk: list[int] | None) -> sa.Select[Any]:
    yearly = work_citations_by_year.c
    in_window_query = sa.select(yearly.work_id, sa.func.sum(yearly.citations).label("n")).where(
        yearly.year >= window.start, yearly.year < window.stop
    )
    if chunk is not None:
        # Inside the sum, not after it: only these works' years are read.
        in_window_query = in_window_query.where(yearly.work_id.in_(chunk))
    in_window = in_window_query.group_by(yearly.work_id).subquery()
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
    return query if chunk is None else query.where(works.c.id.in_(chunk))


def author_work_pairs(conn: Connection, only: Collection[str] | None) -> list[tuple[str, int]]:
    """Distinct (author, work) authorships, by author then work."""
    query = (
        sa.select(authorships.c.author_id, authorships.c.work_id)
        .where(authorships.c.author_id.is_not(None))
        .distinct()
        .order_by(authorships.c.author_id, authorships.c.work_id)
    )
    if only is None:
        return [(a, w) for a, w in conn.execute(query)]
    # Chunks come in author order, so the rows stay grouped by author.
    return [
        (a, w)
        for chunk in chunks(only)
        for a, w in conn.execute(query.where(authorships.c.author_id.in_(chunk)))
    ]


def dense_pairs(
    pairs: list[tuple[str, int]], work_ids: NDArray[np.int64]
) -> tuple[list[str], NDArray[np.int64], NDArray[np.int64]]:
    author_ids: list[str] = []
    pair_author: list[int] = []
    pair_work: list[int] = []
    for author_id, work_id in pairs:
        if not author_ids or author_ids[-1] != author_id:
            author_ids.append(author_id)
        pair_author.append(len(author_ids) - 1)
        pair_work.append(work_id)
    dense = np.searchsorted(work_ids, np.array(pair_work, dtype=np.int64))
    return author_ids, np.array(pair_author, dtype=np.int64), dense


def _edges(
    conn: Connection, work_ids: NDArray[np.int64], restricted: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    mine = authorships.alias("citing_authors")
    theirs = authorships.alias("cited_authors")
    shared = (
        sa.exists()
        .where(mine.c.work_id == citations.c.citing_work_id)
        .where(theirs.c.work_id == citations.c.cited_work_id)
        .where(mine.c.author_id == theirs.c.author_id)
    )
    query = sa.select(citations.c.citing_work_id, citations.c.cited_work_id, shared)
    if not restricted:
        rows = conn.execute(
            query.order_by(citations.c.citing_work_id, citations.c.cited_work_id)
        ).all()
    else:
        cited = citations.c.cited_work_id
        rows = [
            row
            for chunk in chunks(work_ids.tolist())
            for row in conn.execute(query.where(cited.in_(chunk)))
        ]
        rows.sort()
    pairs = np.array([(citing, cited) for citing, cited, _ in rows], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    is_self = np.array([bool(flag) for _, _, flag in rows], dtype=np.bool_)
    if restricted:
        # Citing works may lie outside the works read: number them among themselves.
        citing = np.unique(pairs[:, 0], return_inverse=True)[1].astype(np.int64)
    else:
        citing = np.searchsorted(work_ids, pairs[:, 0])
    return citing, np.searchsorted(work_ids, pairs[:, 1]), is_self


def load_corpus(
    conn: Connection, window: range, no_year: int, authors: Collection[str] | None = None
) -> StoredCorpus:
    """Works, authorships and citation edges as arrays; ``no_year`` marks works without one.

    ``authors``: only these authors, their works and the citations of those.
    """
    pairs = author_work_pairs(conn, authors)
    only = None if authors is None else {work for _, work in pairs}
    work_ids, work_year, work_citations, in_window = work_figures(conn, window, no_year, only)
    author_ids, pair_author, pair_work = dense_pairs(pairs, work_ids)
    edge_citing, edge_cited, edge_self = _edges(conn, work_ids, authors is not None)
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
    only: Collection[str] | None = None,
) -> None:
    """Make author_metrics exactly one row per given author, columns by name.

    ``only``: replace the rows of these authors and keep the others.
    """
    if only is None:
        conn.execute(author_metrics.delete())
    else:
        for chunk in chunks(only):
            conn.execute(author_metrics.delete().where(author_metrics.c.author_id.in_(chunk)))
    names = list(columns)
    for start in range(0, len(author_ids), WRITE_BATCH):
        stop = min(start + WRITE_BATCH, len(author_ids))
        rows = [
            {"author_id": author_ids[n], **{name: columns[name][n] for name in names}}
            for n in range(start, stop)
        ]
        conn.execute(author_metrics.insert(), rows)
