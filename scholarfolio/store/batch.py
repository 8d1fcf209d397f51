"""Set-based passes over the whole store: author linking and the metrics batch.

Each function is a handful of SQL statements over all authors at once (window
functions, portable between SQLite 3.25+ and PostgreSQL); none loops over
authors issuing queries. The definitions they implement are in docs/metrics.md.
The per-author figures themselves come from the vectorized engine
(:mod:`scholarfolio.metrics.engine`), whose arrays :mod:`.metric_arrays` reads
and writes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import AnyRow
from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    author_nodes,
    author_redirects,
    authors,
    authorships,
    citations,
    reported_citations,
    work_citations_by_year,
    work_members,
    work_metrics,
    work_reported,
    works,
)
from scholarfolio.store.scoped import chunks


@dataclass(frozen=True, slots=True)
class BadgeQuota:
    """Authors in the top ``top_fraction`` by ``column`` with at least ``minimum`` get ``badge``."""

    badge: str
    column: str
    top_fraction: float
    minimum: int


# --- authors -----------------------------------------------------------------


def authorship_identities(
    conn: Connection, only: Collection[tuple[int, int]] | None = None
) -> Iterator[AnyRow]:
    """Every authorship (or those of ``only``: work, position) with the keys identity works
    from, in a stable order."""
    a = authorships.c
    query = sa.select(
        a.work_id, a.position, a.name, a.name_key, a.orcid, a.openalex_id, a.s2_id
    ).order_by(a.work_id, a.position)
    if only is None:
        yield from conn.execute(query)
        return
    wanted = set(only)
    rows = [
        row
        for chunk in chunks({work for work, _ in wanted})
        for row in conn.execute(query.where(a.work_id.in_(chunk)))
        if (row.work_id, row.position) in wanted
    ]
    yield from sorted(rows, key=lambda row: (row.work_id, row.position))


def author_nodes_before(conn: Connection, only: Collection[str] | None = None) -> dict[str, str]:
    """Which author each identity key (or each of ``only``) belonged to at the last build."""
    query = sa.select(author_nodes.c.node, author_nodes.c.author_id)
    if only is None:
        return {n: a for n, a in conn.execute(query)}
    return {
        n: a
        for chunk in chunks(only)
        for n, a in conn.execute(query.where(author_nodes.c.node.in_(chunk)))
    }


def known_author_ids(conn: Connection) -> set[str]:
    """The ids of the authors stored now."""
    return set(conn.scalars(sa.select(authors.c.id)))


def replace_author_nodes(
    conn: Connection, nodes: dict[str, str], only: Collection[str] | None = None
) -> None:
    """Remember which author each identity key belongs to now (replacing the keys ``only``)."""
    if only is None:
        conn.execute(author_nodes.delete())
    for chunk in chunks(only or ()):
        conn.execute(author_nodes.delete().where(author_nodes.c.node.in_(chunk)))
    if nodes:
        conn.execute(author_nodes.insert(), [{"node": n, "author_id": a} for n, a in nodes.items()])


def replace_authors(
    conn: Connection,
    rows: Sequence[tuple[str, str, str]],
    now: datetime,
    only: Collection[str] | None = None,
) -> None:
    """Make the author table exactly (id, name, name_key) rows, keeping creation times.

    ``only``: the rows replace these authors; the others stay.
    """
    wanted = {author_id: (name, key) for author_id, name, key in rows}
    existing = known_author_ids(conn)
    gone = (existing if only is None else existing & set(only)) - set(wanted)
    for chunk in chunks(gone):
        for table in (author_badges, author_citations_by_year, author_metrics, authors):
            column = table.c.author_id if table is not authors else authors.c.id
            conn.execute(table.delete().where(column.in_(chunk)))
    fresh = [
        {"id": i, "name": n, "name_key": k, "created_at": now}
        for i, (n, k) in wanted.items()
        if i not in existing
    ]
    if fresh:
        conn.execute(authors.insert(), fresh)
    kept = [
        {"author": i, "new_name": n, "new_key": k} for i, (n, k) in wanted.items() if i in existing
    ]
    if kept:
        conn.execute(
            authors.update()
            .where(authors.c.id == sa.bindparam("author"))
            .values(name=sa.bindparam("new_name"), name_key=sa.bindparam("new_key")),
            kept,
        )


def author_labels(conn: Connection, only: Collection[str]) -> dict[str, tuple[str, str]]:
    """The shown name and name key of each given author."""
    query = sa.select(authors.c.id, authors.c.name, authors.c.name_key)
    return {
        author: (name, key)
        for chunk in chunks(only)
        for author, name, key in conn.execute(query.where(authors.c.id.in_(chunk)))
    }


def rename_authors(conn: Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """Set the shown name and name key of each (id, name, name key) author."""
    if rows:
        conn.execute(
            authors.update()
            .where(authors.c.id == sa.bindparam("author"))
            .values(name=sa.bindparam("new_name"), name_key=sa.bindparam("new_key")),
            [{"author": i, "new_name": n, "new_key": k} for i, n, k in rows],
        )


def assign_authorships(conn: Connection, rows: Sequence[tuple[int, int, str]]) -> None:
    """Set the author of each (work, position) authorship."""
    if rows:
        conn.execute(
            authorships.update()
            .where(authorships.c.work_id == sa.bindparam("work"))
            .where(authorships.c.position == sa.bindparam("pos"))
            .values(author_id=sa.bindparam("author")),
            [{"work": w, "pos": p, "author": a} for w, p, a in rows],
        )


def add_redirects(conn: Connection, pairs: dict[str, str], now: datetime) -> None:
    """Record that old author ids now answer as new ones (and re-point older redirects)."""
    for old, new in pairs.items():
        conn.execute(author_redirects.delete().where(author_redirects.c.old_id == old))
        conn.execute(
            author_redirects.update().where(author_redirects.c.new_id == old).values(new_id=new)
        )
        conn.execute(author_redirects.insert().values(old_id=old, new_id=new, created_at=now))
    # An id in use again is no longer a redirect.
    conn.execute(
        author_redirects.delete().where(author_redirects.c.old_id.in_(sa.select(authors.c.id)))
    )


# --- metrics -----------------------------------------------------------------


def _scopes(only: Collection[Any] | None) -> Iterator[list[Any] | None]:
    # One pass over everything, or one per chunk of the given ids.
    if only is None:
        yield None
    else:
        yield from chunks(only)


def compute_work_metrics(conn: Connection, only: Collection[int] | None = None) -> None:
    """Per work (or per work of ``only``): citing works in the corpus (each once), and the
    figure metrics use.

    Each count, in-corpus or reported by a source, is a lower bound of the
    truth, so a work's ``citations`` is the largest of them.
    """
    for scope in _scopes(only):
        _compute_work_metrics(conn, scope)


def _compute_work_metrics(conn: Connection, scope: list[int] | None) -> None:
    in_corpus_query = sa.select(citations.c.cited_work_id, sa.func.count().label("n"))
    reported_query = sa.select(
        work_reported.c.work_id, sa.func.max(work_reported.c.citations).label("n")
    )
    query = sa.select(works.c.id)
    delete = work_metrics.delete()
    if scope is not None:
        in_corpus_query = in_corpus_query.where(citations.c.cited_work_id.in_(scope))
        reported_query = reported_query.where(work_reported.c.work_id.in_(scope))
        query = query.where(works.c.id.in_(scope))
        delete = delete.where(work_metrics.c.work_id.in_(scope))
    in_corpus = in_corpus_query.group_by(citations.c.cited_work_id).subquery()
    reported = reported_query.group_by(work_reported.c.work_id).subquery()
    count = sa.func.coalesce(in_corpus.c.n, 0)
    # A full build takes the self-citations from the metrics engine's arrays
    # (metrics.batch); an incremental one counts them for its few works here.
    own_counts = None if scope is None else _self_citations(scope)
    own = sa.literal(0) if own_counts is None else sa.func.coalesce(own_counts.c.n, 0)
    best = sa.case(
        (sa.func.coalesce(reported.c.n, 0) > count, sa.func.coalesce(reported.c.n, 0)),
        else_=count,
    )
    conn.execute(delete)
    conn.execute(
        work_metrics.insert().from_select(
            ["work_id", "citations_in_corpus", "citations", "self_citations"],
            query.add_columns(count, best, own).select_from(
                _work_figures(in_corpus, reported, own_counts)
            ),
        )
    )


def _self_citations(scope: list[int]) -> sa.Subquery:
    mine = authorships.alias("citing_authors")
    theirs = authorships.alias("cited_authors")
    shared = (
        sa.exists()
        .where(mine.c.work_id == citations.c.citing_work_id)
        .where(theirs.c.work_id == citations.c.cited_work_id)
        .where(mine.c.author_id == theirs.c.author_id)
    )
    return (
        sa.select(citations.c.cited_work_id, sa.func.count().label("n"))
        .where(citations.c.cited_work_id.in_(scope), shared)
        .group_by(citations.c.cited_work_id)
        .subquery("own")
    )


def _work_figures(
    in_corpus: sa.Subquery, reported: sa.Subquery, own: sa.Subquery | None
) -> sa.FromClause:
    joined = works.outerjoin(in_corpus, in_corpus.c.cited_work_id == works.c.id).outerjoin(
        reported, reported.c.work_id == works.c.id
    )
    return joined if own is None else joined.outerjoin(own, own.c.cited_work_id == works.c.id)


def _yearly_in_corpus(conn: Connection, scope: list[int] | None) -> dict[tuple[int, int], int]:
    citing = works.alias("citing")
    year = sa.cast(sa.extract("year", citing.c.date), sa.Integer)
    query = (
        sa.select(citations.c.cited_work_id, year, sa.func.count())
        .select_from(citations.join(citing, citing.c.id == citations.c.citing_work_id))
        .where(citing.c.date.is_not(None))
    )
    if scope is not None:
        query = query.where(citations.c.cited_work_id.in_(scope))
    query = query.group_by(citations.c.cited_work_id, year)
    return {(work, int(y)): int(n) for work, y, n in conn.execute(query)}


def _yearly_reported(conn: Connection, scope: list[int] | None) -> Iterator[tuple[int, int, int]]:
    query = sa.select(work_members.c.work_id, reported_citations.c.by_year).select_from(
        work_members.join(
            reported_citations, reported_citations.c.record_id == work_members.c.record_id
        )
    )
    if scope is not None:
        query = query.where(work_members.c.work_id.in_(scope))
    for work_id, by_year in conn.execute(query):
        for year, count in (by_year or {}).items():
            yield work_id, int(year), int(count)


def compute_work_citations_by_year(conn: Connection, only: Collection[int] | None = None) -> None:
    """Per work (or per work of ``only``) and year: the largest of the in-corpus count and
    each source's count."""
    for scope in _scopes(only):
        yearly = _yearly_in_corpus(conn, scope)
        for work_id, year, count in _yearly_reported(conn, scope):
            key = (work_id, year)
            yearly[key] = max(yearly.get(key, 0), count)
        delete = work_citations_by_year.delete()
        if scope is not None:
            delete = delete.where(work_citations_by_year.c.work_id.in_(scope))
        conn.execute(delete)
        rows = [
            {"work_id": w, "year": y, "citations": n} for (w, y), n in sorted(yearly.items()) if n
        ]
        if rows:
            conn.execute(work_citations_by_year.insert(), rows)


def _author_works(scope: list[str] | None) -> sa.Subquery:
    # An author listed twice on one paper still wrote it once.
    query = sa.select(authorships.c.author_id, authorships.c.work_id).where(
        authorships.c.author_id.is_not(None)
    )
    if scope is not None:
        query = query.where(authorships.c.author_id.in_(scope))
    return query.distinct().subquery("author_works")


def compute_citations_by_year(conn: Connection, only: Collection[str] | None = None) -> None:
    """Per author (or per author of ``only``) and year: the sum of their works' yearly citations."""
    for scope in _scopes(only):
        aw = _author_works(scope)
        yearly = work_citations_by_year.c
        delete = author_citations_by_year.delete()
        if scope is not None:
            delete = delete.where(author_citations_by_year.c.author_id.in_(scope))
        conn.execute(delete)
        conn.execute(
            author_citations_by_year.insert().from_select(
                ["author_id", "year", "citations"],
                sa.select(aw.c.author_id, yearly.year, sa.func.sum(yearly.citations))
                .select_from(aw.join(work_citations_by_year, yearly.work_id == aw.c.work_id))
                .group_by(aw.c.author_id, yearly.year),
            )
        )


def assign_badges(conn: Connection, quotas: Sequence[BadgeQuota]) -> None:
    """Give each badge to the authors inside its quota (ties share the same rank)."""
    conn.execute(author_badges.delete())
    for quota in quotas:
        column = author_metrics.c[quota.column]
        share = sa.func.cume_dist().over(order_by=column).label("share")
        ranked = sa.select(author_metrics.c.author_id, column.label("value"), share).subquery()
        conn.execute(
            author_badges.insert().from_select(
                ["author_id", "badge"],
                sa.select(ranked.c.author_id, sa.literal(quota.badge))
                .where(ranked.c.share >= 1.0 - quota.top_fraction)
                .where(ranked.c.value >= quota.minimum),
            )
        )


def badge_threshold(conn: Connection, quota: BadgeQuota) -> int | None:
    """The smallest value inside the quota's top fraction (None without authors).

    The same rule as :func:`assign_badges`: an author's share is the fraction
    of authors with at most the author's value (``cume_dist``), computed the
    same way; counting from the top stops as soon as the share falls short.
    """
    column = author_metrics.c[quota.column]
    total = conn.scalar(sa.select(sa.func.count()).select_from(author_metrics)) or 0
    threshold = None
    above = 0
    query = sa.select(column, sa.func.count()).group_by(column).order_by(column.desc())
    for value, count in conn.execute(query):
        if (total - above) / total < 1.0 - quota.top_fraction:
            break
        threshold = int(value)
        above += int(count)
    return threshold


def assign_badges_by_threshold(conn: Connection, quotas: Sequence[BadgeQuota]) -> None:
    """Give each badge to the authors inside its quota, from each quota's threshold.

    The same badges as :func:`assign_badges`, without ranking every author: an
    incremental build changes a few authors' figures, not the whole ranking.
    """
    for quota in quotas:
        threshold = badge_threshold(conn, quota)
        conn.execute(author_badges.delete().where(author_badges.c.badge == quota.badge))
        if threshold is None:
            continue
        column = author_metrics.c[quota.column]
        conn.execute(
            author_badges.insert().from_select(
                ["author_id", "badge"],
                sa.select(author_metrics.c.author_id, sa.literal(quota.badge)).where(
                    column >= max(threshold, quota.minimum)
                ),
            )
        )
