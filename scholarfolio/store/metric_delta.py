"""What an incremental build reads to update some authors' figures without every citation.

Two kinds of authors. Those whose works or whose works' citations changed in
any other way than by additions are read as a full pass reads them
(:func:`scholarfolio.store.metric_arrays.load_corpus` with ``authors``). The
others gained works or citations only: their indices need each work's figures
(``work_metrics`` keeps the self-citations), and their distinct citing works
grow by the citing works of the new edges that cited none of their works before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.metric_arrays import (
    StoredCorpus,
    author_work_pairs,
    dense_pairs,
    work_figures,
)
from scholarfolio.store.schema import (
    author_metrics,
    authorships,
    citations,
    reported_citations,
    work_citations_by_year,
    work_members,
    work_metrics,
    work_reported,
)
from scholarfolio.store.schema import works as works_table
from scholarfolio.store.scoped import chunks


def load_work_figures(
    conn: Connection, window: range, no_year: int, authors: Collection[str]
) -> StoredCorpus:
    """The authors' works with their figures; each work's self-citations as flagged edges.

    Enough for every index the engine computes (not the distinct citing works).
    """
    pairs = author_work_pairs(conn, authors)
    only = {work for _, work in pairs}
    work_ids, work_year, work_citations, in_window = work_figures(conn, window, no_year, only)
    author_ids, pair_author, pair_work = dense_pairs(pairs, work_ids)
    own = np.zeros(len(work_ids), dtype=np.int64)
    for chunk in chunks(only):
        query = sa.select(work_metrics.c.work_id, work_metrics.c.self_citations).where(
            work_metrics.c.work_id.in_(chunk), work_metrics.c.self_citations > 0
        )
        for work_id, count in conn.execute(query):
            own[np.searchsorted(work_ids, work_id)] = count
    edge_cited = np.repeat(np.arange(len(work_ids), dtype=np.int64), own)
    return StoredCorpus(
        work_ids=work_ids,
        work_citations=work_citations,
        work_citations_in_window=in_window,
        work_year=work_year,
        author_ids=author_ids,
        pair_author=pair_author,
        pair_work=pair_work,
        edge_citing=np.zeros(len(edge_cited), dtype=np.int64),
        edge_cited=edge_cited,
        edge_self=np.ones(len(edge_cited), dtype=np.bool_),
    )


def authors_by_work(conn: Connection, works: Collection[int]) -> dict[int, set[str]]:
    """The authors of each of the given works."""
    found: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(works):
        query = sa.select(authorships.c.work_id, authorships.c.author_id).where(
            authorships.c.work_id.in_(chunk), authorships.c.author_id.is_not(None)
        )
        for work_id, author_id in conn.execute(query):
            found[work_id].add(author_id)
    return found


def edges_from(conn: Connection, citing: Collection[int]) -> list[tuple[int, int]]:
    """Every edge out of the given works."""
    found: list[tuple[int, int]] = []
    for chunk in chunks(citing):
        query = sa.select(citations.c.citing_work_id, citations.c.cited_work_id).where(
            citations.c.citing_work_id.in_(chunk)
        )
        found.extend((a, b) for a, b in conn.execute(query))
    return found


def stored_citing_works(conn: Connection, authors: Collection[str]) -> dict[str, tuple[int, int]]:
    """The authors' distinct citing works at the last build: (all, without self-citations)."""
    found: dict[str, tuple[int, int]] = {}
    for chunk in chunks(authors):
        query = sa.select(
            author_metrics.c.author_id,
            author_metrics.c.citing_works,
            author_metrics.c.citing_works_no_self,
        ).where(author_metrics.c.author_id.in_(chunk))
        for author_id, every, others in conn.execute(query):
            found[author_id] = (int(every), int(others))
    return found


def store_self_citations(conn: Connection, work_ids: list[int], counts: list[int]) -> None:
    """Keep each work's self-citations (rows of work_metrics exist; only non-zero are written)."""
    rows = [{"work": w, "n": n} for w, n in zip(work_ids, counts, strict=True) if n]
    for start in range(0, len(rows), 5_000):
        conn.execute(
            work_metrics.update()
            .where(work_metrics.c.work_id == sa.bindparam("work"))
            .values(self_citations=sa.bindparam("n")),
            rows[start : start + 5_000],
        )


def citing_years(conn: Connection, works: Collection[int]) -> dict[int, int | None]:
    """The year of each given work's date (None without one), as yearly counts use it."""
    found: dict[int, int | None] = {}
    for chunk in chunks(works):
        query = sa.select(works_table.c.id, works_table.c.date).where(works_table.c.id.in_(chunk))
        for work_id, when in conn.execute(query):
            found[work_id] = None if when is None else when.year
    return found


def with_reported_years(conn: Connection, works: Collection[int]) -> set[int]:
    """The given works a source reports yearly citation counts for."""
    found: set[int] = set()
    for chunk in chunks(works):
        query = (
            sa.select(work_members.c.work_id, reported_citations.c.by_year)
            .select_from(
                work_members.join(
                    reported_citations, reported_citations.c.record_id == work_members.c.record_id
                )
            )
            .where(work_members.c.work_id.in_(chunk))
        )
        found.update(work_id for work_id, by_year in conn.execute(query) if by_year)
    return found


def add_work_citations(conn: Connection, added: Mapping[int, tuple[int, int]]) -> None:
    """Add (citations, self-citations) found in the corpus to each work's figures."""
    rows = []
    for chunk in chunks(added):
        reported = dict(
            conn.execute(
                sa.select(work_reported.c.work_id, sa.func.max(work_reported.c.citations))
                .where(work_reported.c.work_id.in_(chunk))
                .group_by(work_reported.c.work_id)
            ).all()
        )
        query = sa.select(
            work_metrics.c.work_id,
            work_metrics.c.citations_in_corpus,
            work_metrics.c.self_citations,
        ).where(work_metrics.c.work_id.in_(chunk))
        for work_id, in_corpus, own in conn.execute(query):
            more, more_own = added[work_id]
            count = in_corpus + more
            rows.append(
                {
                    "work": work_id,
                    "in_corpus": count,
                    # Each count is a lower bound: the largest one counts (batch).
                    "best": max(count, reported.get(work_id) or 0),
                    "own": own + more_own,
                }
            )
    if rows:
        conn.execute(
            work_metrics.update()
            .where(work_metrics.c.work_id == sa.bindparam("work"))
            .values(
                citations_in_corpus=sa.bindparam("in_corpus"),
                citations=sa.bindparam("best"),
                self_citations=sa.bindparam("own"),
            ),
            rows,
        )


def yearly(conn: Connection, table: sa.Table, keys: Collection[Any]) -> dict[tuple[Any, int], int]:
    """The yearly rows of ``work_citations_by_year`` or ``author_citations_by_year`` for the
    given works or authors: (work or author, year) -> citations."""
    owner = table.c.work_id if table is work_citations_by_year else table.c.author_id
    found: dict[tuple[Any, int], int] = {}
    for chunk in chunks(keys):
        query = sa.select(owner, table.c.year, table.c.citations).where(owner.in_(chunk))
        for key, year, count in conn.execute(query):
            found[(key, year)] = count
    return found


def set_yearly(conn: Connection, table: sa.Table, values: Mapping[tuple[Any, int], int]) -> None:
    """Make the given (owner, year) rows of a yearly table these counts (0: no row)."""
    owner = "work_id" if table is work_citations_by_year else "author_id"
    keyed = [{"key": key, "y": year} for key, year in values]
    if keyed:
        conn.execute(
            table.delete()
            .where(table.c[owner] == sa.bindparam("key"))
            .where(table.c.year == sa.bindparam("y")),
            keyed,
        )
    rows = [{owner: key, "year": year, "citations": n} for (key, year), n in values.items() if n]
    if rows:
        conn.execute(table.insert(), rows)


def pairs_of_works(conn: Connection, works: Collection[int]) -> set[tuple[str, int]]:
    """The distinct (author, work) authorships of the given works."""
    found: set[tuple[str, int]] = set()
    for chunk in chunks(works):
        query = sa.select(authorships.c.author_id, authorships.c.work_id).where(
            authorships.c.work_id.in_(chunk), authorships.c.author_id.is_not(None)
        )
        found.update((author, work) for author, work in conn.execute(query))
    return found
