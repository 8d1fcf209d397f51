"""Set-based passes over the whole store: author linking and the metrics batch.

Each function is a handful of SQL statements over all authors at once (window
functions, portable between SQLite 3.25+ and PostgreSQL); none loops over
authors issuing queries. The definitions they implement are in docs/metrics.md
and, as plain Python, in :mod:`scholarfolio.metrics.indices`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    author_badges,
    author_citations_by_year,
    author_metrics,
    authors,
    authorships,
    citations,
    work_metrics,
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


def unknown_name_keys(conn: Connection) -> list[str]:
    """Name keys used by authorships that no author row has yet."""
    query = (
        sa.select(authorships.c.name_key)
        .distinct()
        .select_from(authorships.outerjoin(authors, authors.c.name_key == authorships.c.name_key))
        .where(authors.c.id.is_(None))
        .where(authorships.c.name_key != "")
    )
    return list(conn.scalars(query))


def insert_authors(conn: Connection, rows: Sequence[tuple[str, str, str]], now: datetime) -> None:
    """Insert (id, name_key, name) author rows."""
    if rows:
        conn.execute(
            authors.insert(),
            [{"id": i, "name_key": k, "name": n, "created_at": now} for i, k, n in rows],
        )


def link_authorships(conn: Connection) -> int:
    """Point every unresolved authorship at the author with its name key."""
    author_id = (
        sa.select(authors.c.id)
        .where(authors.c.name_key == authorships.c.name_key)
        .scalar_subquery()
    )
    result = conn.execute(
        authorships.update().where(authorships.c.author_id.is_(None)).values(author_id=author_id)
    )
    return int(result.rowcount or 0)


def name_spellings(conn: Connection) -> Iterator[tuple[str, str, int]]:
    """(author id, spelling, times used) for every author, ordered by author."""
    query = (
        sa.select(authorships.c.author_id, authorships.c.name, sa.func.count())
        .where(authorships.c.author_id.is_not(None))
        .group_by(authorships.c.author_id, authorships.c.name)
        .order_by(authorships.c.author_id)
    )
    for author_id, spelling, count in conn.execute(query):
        yield str(author_id), str(spelling), int(count)


def current_names(conn: Connection) -> dict[str, str]:
    """Every author's shown name, by id."""
    return {row.id: row.name for row in conn.execute(sa.select(authors.c.id, authors.c.name))}


def rename_authors(conn: Connection, names: dict[str, str]) -> None:
    """Set the shown name of the given authors."""
    if names:
        conn.execute(
            authors.update()
            .where(authors.c.id == sa.bindparam("author"))
            .values(name=sa.bindparam("new_name")),
            [{"author": i, "new_name": n} for i, n in names.items()],
        )


def drop_orphan_authors(conn: Connection) -> int:
    """Remove authors no authorship points at (their ids come back with their name)."""
    orphan = ~sa.exists().where(authorships.c.author_id == authors.c.id)
    for table in (author_badges, author_citations_by_year, author_metrics):
        conn.execute(
            table.delete().where(table.c.author_id.in_(sa.select(authors.c.id).where(orphan)))
        )
    return int(conn.execute(authors.delete().where(orphan)).rowcount or 0)


# --- metrics -----------------------------------------------------------------


def compute_work_metrics(conn: Connection) -> None:
    """Per work: citing works in the corpus (each citing work once)."""
    in_corpus = (
        sa.select(citations.c.cited_work_id, sa.func.count().label("n"))
        .group_by(citations.c.cited_work_id)
        .subquery()
    )
    count = sa.func.coalesce(in_corpus.c.n, 0)
    conn.execute(work_metrics.delete())
    conn.execute(
        work_metrics.insert().from_select(
            ["work_id", "citations_in_corpus", "citations"],
            sa.select(works.c.id, count, count).select_from(
                works.outerjoin(in_corpus, in_corpus.c.cited_work_id == works.c.id)
            ),
        )
    )


def _author_works() -> sa.Subquery:
    # An author listed twice on one paper still wrote it once.
    return (
        sa.select(authorships.c.author_id, authorships.c.work_id)
        .where(authorships.c.author_id.is_not(None))
        .distinct()
        .subquery("author_works")
    )


def compute_author_metrics(conn: Connection) -> None:
    """Works, citations, h-, i10- and g-index of every author in one statement."""
    aw = _author_works()
    order = (work_metrics.c.citations.desc(), aw.c.work_id)
    ranked = (
        sa.select(
            aw.c.author_id,
            work_metrics.c.citations.label("c"),
            sa.func.row_number().over(partition_by=aw.c.author_id, order_by=order).label("r"),
            sa.func.sum(work_metrics.c.citations)
            .over(partition_by=aw.c.author_id, order_by=order, rows=(None, 0))
            .label("cum"),
        )
        .select_from(aw.join(work_metrics, work_metrics.c.work_id == aw.c.work_id))
        .subquery("ranked")
    )

    def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    # Citations sorted descending: c >= r holds on a prefix (its length is h),
    # and cum >= r*r holds on a prefix too (cum - r*r is concave), so counting
    # rows gives h and g, g never exceeding the number of works.
    conn.execute(author_metrics.delete())
    conn.execute(
        author_metrics.insert().from_select(
            ["author_id", "works", "citations", "h_index", "i10_index", "g_index"],
            sa.select(
                ranked.c.author_id,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(ranked.c.c), 0),
                count_where(ranked.c.c >= ranked.c.r),
                count_where(ranked.c.c >= 10),
                count_where(ranked.c.cum >= ranked.c.r * ranked.c.r),
            ).group_by(ranked.c.author_id),
        )
    )


def compute_citations_by_year(conn: Connection) -> None:
    """Per author and year: citations received from works first submitted that year."""
    aw = _author_works()
    citing = works.alias("citing")
    year = sa.cast(sa.extract("year", citing.c.first_submitted), sa.Integer)
    conn.execute(author_citations_by_year.delete())
    conn.execute(
        author_citations_by_year.insert().from_select(
            ["author_id", "year", "citations"],
            sa.select(aw.c.author_id, year, sa.func.count())
            .select_from(
                aw.join(citations, citations.c.cited_work_id == aw.c.work_id).join(
                    citing, citing.c.id == citations.c.citing_work_id
                )
            )
            .where(citing.c.first_submitted.is_not(None))
            .group_by(aw.c.author_id, year),
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
