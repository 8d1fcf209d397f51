"""Set-based passes over the whole store: author linking and the metrics batch.

Each function is a handful of SQL statements over all authors at once (window
functions, portable between SQLite 3.25+ and PostgreSQL); none loops over
authors issuing queries. The definitions they implement are in docs/metrics.md.
The per-author figures themselves come from the vectorized engine
(:mod:`scholarfolio.metrics.engine`), whose arrays :mod:`.metric_arrays` reads
and writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True, slots=True)
class BadgeQuota:
    """Authors in the top ``top_fraction`` by ``column`` with at least ``minimum`` get ``badge``."""

    badge: str
    column: str
    top_fraction: float
    minimum: int


# --- authors -----------------------------------------------------------------


def authorship_identities(conn: Connection) -> Iterator[AnyRow]:
    """Every authorship with the keys identity works from, in a stable order."""
    a = authorships.c
    query = sa.select(
        a.work_id, a.position, a.name, a.name_key, a.orcid, a.openalex_id, a.s2_id
    ).order_by(a.work_id, a.position)
    yield from conn.execute(query)


def author_nodes_before(conn: Connection) -> dict[str, str]:
    """Which author each identity key belonged to at the last build."""
    return {n: a for n, a in conn.execute(sa.select(author_nodes.c.node, author_nodes.c.author_id))}


def known_author_ids(conn: Connection) -> set[str]:
    """The ids of the authors stored now."""
    return set(conn.scalars(sa.select(authors.c.id)))


def replace_author_nodes(conn: Connection, nodes: dict[str, str]) -> None:
    """Remember which author each identity key belongs to now."""
    conn.execute(author_nodes.delete())
    if nodes:
        conn.execute(author_nodes.insert(), [{"node": n, "author_id": a} for n, a in nodes.items()])


def replace_authors(conn: Connection, rows: Sequence[tuple[str, str, str]], now: datetime) -> None:
    """Make the author table exactly (id, name, name_key) rows, keeping creation times."""
    wanted = {author_id: (name, key) for author_id, name, key in rows}
    existing = known_author_ids(conn)
    gone = existing - set(wanted)
    if gone:
        for table in (author_badges, author_citations_by_year, author_metrics, authors):
            column = table.c.author_id if table is not authors else authors.c.id
            conn.execute(table.delete().where(column.in_(sorted(gone))))
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


def compute_work_metrics(conn: Connection) -> None:
    """Per work: citing works in the corpus (each once), and the figure metrics use.

    Each count, in-corpus or reported by a source, is a lower bound of the
    truth, so a work's ``citations`` is the largest of them.
    """
    in_corpus = (
        sa.select(citations.c.cited_work_id, sa.func.count().label("n"))
        .group_by(citations.c.cited_work_id)
        .subquery()
    )
    reported = (
        sa.select(work_reported.c.work_id, sa.func.max(work_reported.c.citations).label("n"))
        .group_by(work_reported.c.work_id)
        .subquery()
    )
    count = sa.func.coalesce(in_corpus.c.n, 0)
    best = sa.case(
        (sa.func.coalesce(reported.c.n, 0) > count, sa.func.coalesce(reported.c.n, 0)),
        else_=count,
    )
    conn.execute(work_metrics.delete())
    conn.execute(
        work_metrics.insert().from_select(
            ["work_id", "citations_in_corpus", "citations"],
            sa.select(works.c.id, count, best).select_from(
                works.outerjoin(in_corpus, in_corpus.c.cited_work_id == works.c.id).outerjoin(
                    reported, reported.c.work_id == works.c.id
                )
            ),
        )
    )


def _yearly_in_corpus(conn: Connection) -> dict[tuple[int, int], int]:
    citing = works.alias("citing")
    year = sa.cast(sa.extract("year", citing.c.date), sa.Integer)
    query = (
        sa.select(citations.c.cited_work_id, year, sa.func.count())
        .select_from(citations.join(citing, citing.c.id == citations.c.citing_work_id))
        .where(citing.c.date.is_not(None))
        .group_by(citations.c.cited_work_id, year)
    )
    return {(work, int(y)): int(n) for work, y, n in conn.execute(query)}


def _yearly_reported(conn: Connection) -> Iterator[tuple[int, int, int]]:
    query = sa.select(work_members.c.work_id, reported_citations.c.by_year).select_from(
        work_members.join(
            reported_citations, reported_citations.c.record_id == work_members.c.record_id
        )
    )
    for work_id, by_year in conn.execute(query):
        for year, count in (by_year or {}).items():
            yield work_id, int(year), int(count)


def compute_work_citations_by_year(conn: Connection) -> None:
    """Per work and year: the largest of the in-corpus count and each source's count."""
    yearly = _yearly_in_corpus(conn)
    for work_id, year, count in _yearly_reported(conn):
        key = (work_id, year)
        yearly[key] = max(yearly.get(key, 0), count)
    conn.execute(work_citations_by_year.delete())
    rows = [{"work_id": w, "year": y, "citations": n} for (w, y), n in sorted(yearly.items()) if n]
    if rows:
        conn.execute(work_citations_by_year.insert(), rows)


def _author_works() -> sa.Subquery:
    # An author listed twice on one paper still wrote it once.
    return (
        sa.select(authorships.c.author_id, authorships.c.work_id)
        .where(authorships.c.author_id.is_not(None))
        .distinct()
        .subquery("author_works")
    )


def compute_citations_by_year(conn: Connection) -> None:
    """Per author and year: the sum of their works' yearly citations."""
    aw = _author_works()
    yearly = work_citations_by_year.c
    conn.execute(author_citations_by_year.delete())
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
