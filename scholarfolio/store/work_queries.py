"""Read queries behind one work's page: versions, authors, records, references and citers.

Lists that can grow without bound (the works a work cites, the works citing it)
come as one page at a time with a separate count, so a page never loads them all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.queries import WORK_COLUMNS, AnyRow
from scholarfolio.store.schema import (
    authors,
    authorships,
    citations,
    provenance,
    record_authors,
    record_ids,
    records,
    work_citations_by_year,
    work_ids,
    work_members,
    work_metrics,
    work_versions,
    works,
)

# SQLite caps bound parameters per statement.
_CHUNK = 900

_DETAIL_COLUMNS = (*WORK_COLUMNS, works.c.work_type, works.c.year)


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def _with_metrics() -> sa.Select[Any]:
    return sa.select(*_DETAIL_COLUMNS).select_from(
        works.outerjoin(work_metrics, work_metrics.c.work_id == works.c.id)
    )


def _most_cited_first(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.order_by(sa.desc("citations"), works.c.date.desc().nulls_last(), works.c.id.desc())


def work(conn: Connection, work_id: int) -> AnyRow | None:
    """The work's row with its citation figures, work type and year, or None."""
    return conn.execute(_with_metrics().where(works.c.id == work_id)).first()


def work_by_identifier(conn: Connection, scheme: str, value: str) -> int | None:
    """The id of the work carrying this identifier (arxiv, doi, openalex, ...), if any."""
    query = (
        sa.select(work_ids.c.work_id)
        .where(work_ids.c.scheme == scheme, work_ids.c.value == value)
        .order_by(work_ids.c.work_id)
        .limit(1)
    )
    found = conn.scalar(query)
    return int(found) if found is not None else None


def versions(conn: Connection, work_id: int) -> list[AnyRow]:
    """The work's arXiv versions (number, submitted), oldest first."""
    query = (
        sa.select(work_versions.c.number, work_versions.c.submitted)
        .where(work_versions.c.work_id == work_id)
        .order_by(work_versions.c.number)
    )
    return list(conn.execute(query))


def latest_version_dates(conn: Connection, wanted: Sequence[int]) -> dict[int, Any]:
    """When each work's newest version was submitted (works without versions are absent)."""
    found: dict[int, Any] = {}
    for chunk in _chunks(wanted):
        query = (
            sa.select(work_versions.c.work_id, sa.func.max(work_versions.c.submitted))
            .where(work_versions.c.work_id.in_(chunk))
            .group_by(work_versions.c.work_id)
        )
        found.update({work_id: submitted for work_id, submitted in conn.execute(query)})
    return found


def detailed_authorships(
    conn: Connection, wanted: Sequence[int], affiliations: bool = True
) -> dict[int, list[AnyRow]]:
    """Each work's authorships in source order, with the name parts its source recorded.

    The parts (``keyname``, ``forenames``, ``suffix``) come from the record whose
    author list the work uses; they are None where that source gave only a full name.
    Without ``affiliations`` that column is None (decoding thousands of them is slow).
    """
    found: dict[int, list[AnyRow]] = {work_id: [] for work_id in wanted}
    parts = sa.and_(
        record_authors.c.record_id == works.c.author_source,
        record_authors.c.position == authorships.c.position,
    )
    for chunk in _chunks(wanted):
        query = (
            sa.select(
                authorships.c.work_id,
                authorships.c.position,
                authorships.c.author_id,
                authorships.c.name,
                authorships.c.orcid,
                authorships.c.affiliations if affiliations else sa.null().label("affiliations"),
                record_authors.c.keyname,
                record_authors.c.forenames,
                record_authors.c.suffix,
            )
            .select_from(
                authorships.join(works, works.c.id == authorships.c.work_id).outerjoin(
                    record_authors, parts
                )
            )
            .where(authorships.c.work_id.in_(chunk))
            .order_by(authorships.c.work_id, authorships.c.position)
        )
        for row in conn.execute(query):
            found[row.work_id].append(row)
    return found


def first_authors(
    conn: Connection, wanted: Sequence[int], shown: int
) -> dict[int, list[tuple[str | None, str]]]:
    """The first ``shown`` (author id, name) of each work: enough for a one-line summary."""
    found: dict[int, list[tuple[str | None, str]]] = {work_id: [] for work_id in wanted}
    for chunk in _chunks(wanted):
        ranked = (
            sa.select(
                authorships.c.work_id,
                authorships.c.author_id,
                authorships.c.name,
                sa.func.row_number()
                .over(partition_by=authorships.c.work_id, order_by=authorships.c.position)
                .label("rank"),
            )
            .where(authorships.c.work_id.in_(chunk))
            .subquery()
        )
        query = (
            sa.select(ranked.c.work_id, ranked.c.author_id, ranked.c.name)
            .where(ranked.c.rank <= shown)
            .order_by(ranked.c.work_id, ranked.c.rank)
        )
        for work_id, author_id, name in conn.execute(query):
            found[work_id].append((author_id, name))
    return found


def author_counts(conn: Connection, wanted: Sequence[int]) -> dict[int, int]:
    """How many authors each work has."""
    found = dict.fromkeys(wanted, 0)
    for chunk in _chunks(wanted):
        query = (
            sa.select(authorships.c.work_id, sa.func.count())
            .where(authorships.c.work_id.in_(chunk))
            .group_by(authorships.c.work_id)
        )
        found.update({work_id: int(count) for work_id, count in conn.execute(query)})
    return found


def member_records(conn: Connection, work_id: int) -> list[AnyRow]:
    """The source records merged into the work, with the rule that merged each and when
    each was last read (its newest provenance)."""
    matched = records.alias("matched")
    last_read = (
        sa.select(sa.func.max(provenance.c.ingested_at))
        .where(provenance.c.record_id == records.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            records.c.id,
            records.c.source,
            records.c.source_id,
            records.c.format,
            records.c.title,
            records.c.venue,
            records.c.work_type,
            records.c.published,
            records.c.source_updated,
            work_members.c.rule,
            matched.c.source.label("matched_source"),
            matched.c.source_id.label("matched_id"),
            last_read.label("ingested_at"),
        )
        .select_from(
            work_members.join(records, records.c.id == work_members.c.record_id).outerjoin(
                matched, matched.c.id == work_members.c.matched
            )
        )
        .where(work_members.c.work_id == work_id)
        .order_by(records.c.source, records.c.source_id)
    )
    return list(conn.execute(query))


def record_identifiers(conn: Connection, wanted: Sequence[int]) -> dict[int, list[AnyRow]]:
    """Every identifier each source record carries (scheme, value), sorted."""
    found: dict[int, list[AnyRow]] = {record_id: [] for record_id in wanted}
    for chunk in _chunks(wanted):
        query = (
            sa.select(record_ids.c.record_id, record_ids.c.scheme, record_ids.c.value)
            .where(record_ids.c.record_id.in_(chunk))
            .order_by(record_ids.c.record_id, record_ids.c.scheme, record_ids.c.value)
        )
        for row in conn.execute(query):
            found[row.record_id].append(row)
    return found


def citations_by_year(conn: Connection, work_id: int) -> dict[int, int]:
    """Citations the work received per year, oldest first."""
    query = (
        sa.select(work_citations_by_year.c.year, work_citations_by_year.c.citations)
        .where(work_citations_by_year.c.work_id == work_id)
        .order_by(work_citations_by_year.c.year)
    )
    return {row.year: row.citations for row in conn.execute(query)}


def _count(conn: Connection, column: sa.Column[int], work_id: int) -> int:
    query = sa.select(sa.func.count()).select_from(citations).where(column == work_id)
    return int(conn.scalar(query) or 0)


def cites_count(conn: Connection, work_id: int) -> int:
    """How many works of the corpus this work cites."""
    return _count(conn, citations.c.citing_work_id, work_id)


def cited_by_count(conn: Connection, work_id: int) -> int:
    """How many works of the corpus cite this work."""
    return _count(conn, citations.c.cited_work_id, work_id)


def cited_works(conn: Connection, work_id: int, offset: int, limit: int) -> list[AnyRow]:
    """One page of the works this work cites, most cited first."""
    cited = sa.select(citations.c.cited_work_id).where(citations.c.citing_work_id == work_id)
    query = _most_cited_first(_with_metrics().where(works.c.id.in_(cited)))
    return list(conn.execute(query.offset(offset).limit(limit)))


def citing_works(conn: Connection, work_id: int, offset: int, limit: int) -> list[AnyRow]:
    """One page of the works citing this work, most cited first."""
    citing = sa.select(citations.c.citing_work_id).where(citations.c.cited_work_id == work_id)
    query = _most_cited_first(_with_metrics().where(works.c.id.in_(citing)))
    return list(conn.execute(query.offset(offset).limit(limit)))


def author_work_rows(conn: Connection, author_id: str, limit: int | None = None) -> list[AnyRow]:
    """The author's works with work type and year, newest first (at most ``limit``)."""
    mine = (
        sa.select(authorships.c.work_id)
        .where(authorships.c.author_id == author_id)
        .distinct()
        .subquery()
    )
    query = (
        sa.select(*_DETAIL_COLUMNS)
        .select_from(
            works.join(mine, mine.c.work_id == works.c.id).outerjoin(
                work_metrics, work_metrics.c.work_id == works.c.id
            )
        )
        .order_by(works.c.date.desc().nulls_last(), works.c.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def all_work_ids(conn: Connection) -> list[int]:
    """Every work id, ascending."""
    return [int(value) for value in conn.scalars(sa.select(works.c.id).order_by(works.c.id))]


def all_author_ids(conn: Connection) -> list[str]:
    """Every author id, ascending."""
    return [str(value) for value in conn.scalars(sa.select(authors.c.id).order_by(authors.c.id))]
