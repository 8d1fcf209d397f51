"""Deriving works from source records: the build's set-based rebuild of the work tables.

The domain layer decides which records form one work (:mod:`scholarfolio.dedup`)
and which record represents it; this module reads what that decision needs and
writes the result: works, their members, ids, versions, authorships, citations
and the counts sources report.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.derive_citations import rebuild_all_citations
from scholarfolio.store.schema import (
    authorships,
    citations,
    record_authors,
    record_ids,
    record_versions,
    records,
    reported_citations,
    work_citations_by_year,
    work_ids,
    work_keys,
    work_members,
    work_metrics,
    work_reported,
    work_splits,
    work_versions,
    works,
)
from scholarfolio.store.scoped import chunks


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What merging and choosing a representative need to know about one record."""

    id: int
    source: str
    title_key: str
    year: int | None
    first_submitted: datetime | None
    published: date | None
    ids: tuple[tuple[str, str], ...]
    surnames: tuple[str, ...]
    author_count: int


@dataclass(frozen=True, slots=True)
class WorkHead:
    """One derived work: its id, representative records, date and members."""

    id: int
    representative: int
    author_source: int
    date: datetime | None
    year: int | None


@dataclass(frozen=True, slots=True)
class Membership:
    """One record's place in a work and the rule that put it there."""

    record_id: int
    work_id: int
    rule: str
    matched: int | None
    # The record's title bucket (dedup.cluster.title_bucket), kept in work_keys.
    title_bucket: str | None = None


def _restricted(
    query: sa.Select[Any], column: sa.ColumnElement[int], only: Collection[int] | None
) -> Iterator[sa.Select[Any]]:
    # The whole table, or the rows of the given records a chunk at a time.
    if only is None:
        yield query
        return
    for chunk in chunks(only):
        yield query.where(column.in_(chunk))


def record_facts(conn: Connection, only: Collection[int] | None = None) -> Iterator[RecordFacts]:
    """Every record (or those of ``only``) with its ids and author surnames, by record id."""
    ids: dict[int, list[tuple[str, str]]] = {}
    id_query = sa.select(record_ids.c.record_id, record_ids.c.scheme, record_ids.c.value)
    for query in _restricted(id_query, record_ids.c.record_id, only):
        for record_id, scheme, value in conn.execute(query):
            ids.setdefault(record_id, []).append((scheme, value))
    names: dict[int, list[str]] = {}
    name_query = sa.select(record_authors.c.record_id, record_authors.c.name_key).order_by(
        record_authors.c.record_id, record_authors.c.position
    )
    for query in _restricted(name_query, record_authors.c.record_id, only):
        for record_id, name_key in conn.execute(query):
            names.setdefault(record_id, []).append(name_key)
    record_query = sa.select(
        records.c.id,
        records.c.source,
        records.c.title_key,
        records.c.year,
        records.c.first_submitted,
        records.c.published,
    ).order_by(records.c.id)
    rows = [row for q in _restricted(record_query, records.c.id, only) for row in conn.execute(q)]
    if only is not None:
        rows.sort(key=lambda row: int(row.id))
    for row in rows:
        listed = names.get(row.id, [])
        yield RecordFacts(
            row.id,
            row.source,
            row.title_key,
            row.year,
            row.first_submitted,
            row.published,
            tuple(sorted(ids.get(row.id, []))),
            tuple(key.rsplit(" ", 1)[-1] for key in listed if key),
            len(listed),
        )


def kept_apart(conn: Connection) -> list[tuple[int, int]]:
    """Record pairs a human split apart."""
    query = sa.select(work_splits.c.record_id, work_splits.c.apart_from)
    return [(a, b) for a, b in conn.execute(query)]


def previous_work_ids(conn: Connection, only: Collection[int] | None = None) -> dict[int, int]:
    """The work each record (or each of ``only``) belonged to at the last build."""
    query = sa.select(work_keys.c.record_id, work_keys.c.work_id)
    return {
        r: w for q in _restricted(query, work_keys.c.record_id, only) for r, w in conn.execute(q)
    }


def largest_work_id(conn: Connection) -> int:
    """The largest work id the last build gave (0 before the first build)."""
    return int(conn.scalar(sa.select(sa.func.max(work_keys.c.work_id))) or 0)


_DERIVED = (
    work_citations_by_year,
    work_metrics,
    work_reported,
    citations,
    authorships,
    work_versions,
    work_ids,
    work_members,
)


def clear_derived_works(conn: Connection, only: Collection[int] | None = None) -> None:
    """Drop every derived work table's rows (children first), or those of the works ``only``."""
    if only is None:
        for table in _DERIVED:
            conn.execute(table.delete())
        conn.execute(works.delete())
        return
    for chunk in chunks(only):
        for table in _DERIVED:
            if table is citations:
                conn.execute(
                    citations.delete().where(
                        citations.c.citing_work_id.in_(chunk) | citations.c.cited_work_id.in_(chunk)
                    )
                )
            else:
                conn.execute(table.delete().where(table.c.work_id.in_(chunk)))
        conn.execute(works.delete().where(works.c.id.in_(chunk)))


def write_works(
    conn: Connection,
    heads: Sequence[WorkHead],
    members: Sequence[Membership],
    scoped: bool = False,
) -> None:
    """Insert the works and their members, then fill each work from its records.

    ``scoped``: the works replace only those of their own records (an
    incremental build); otherwise they are every work there is.
    """
    if heads:
        conn.execute(
            works.insert(),
            [
                {
                    "id": h.id,
                    "title": "",
                    "representative": h.representative,
                    "author_source": h.author_source,
                    "date": h.date,
                    "year": h.year,
                }
                for h in heads
            ],
        )
    if members:
        rows = [
            {"work_id": m.work_id, "record_id": m.record_id, "rule": m.rule, "matched": m.matched}
            for m in members
        ]
        conn.execute(work_members.insert(), rows)
    if scoped:
        for chunk in chunks([m.record_id for m in members]):
            conn.execute(work_keys.delete().where(work_keys.c.record_id.in_(chunk)))
    else:
        conn.execute(work_keys.delete())
    if members:
        conn.execute(
            work_keys.insert(),
            [
                {"record_id": m.record_id, "work_id": m.work_id, "title_bucket": m.title_bucket}
                for m in members
            ],
        )
    if not scoped:
        _fill_from_representative(conn, None)
        _fill_gaps_from_members(conn, None)
        return
    for chunk in chunks([h.id for h in heads]):
        _fill_from_representative(conn, chunk)
        _fill_gaps_from_members(conn, chunk)


def _in_scope(update: sa.Update, only: Sequence[int] | None) -> sa.Update:
    return update if only is None else update.where(works.c.id.in_(only))


def _fill_from_representative(conn: Connection, only: Sequence[int] | None) -> None:
    update = works.update().where(records.c.id == works.c.representative)
    conn.execute(
        _in_scope(update, only).values(
            title=records.c.title,
            abstract=records.c.abstract,
            arxiv_id=records.c.arxiv_id,
            doi=records.c.doi,
            categories=records.c.categories,
            journal_ref=records.c.journal_ref,
            venue=records.c.venue,
            work_type=records.c.work_type,
            latest_version=records.c.latest_version,
        )
    )


def _member_value(column: sa.ColumnElement[Any]) -> sa.ScalarSelect[Any]:
    # The first member record (by source priority order of ids) that has a value.
    return (
        sa.select(column)
        .select_from(work_members.join(records, records.c.id == work_members.c.record_id))
        .where(work_members.c.work_id == works.c.id, column.is_not(None), column != "")
        .order_by(records.c.id)
        .limit(1)
        .scalar_subquery()
    )


def _fill_gaps_from_members(conn: Connection, only: Sequence[int] | None) -> None:
    """A published record may lack the abstract or arXiv id another member has."""
    for name in ("abstract", "arxiv_id", "doi", "venue", "journal_ref", "work_type"):
        target = works.c[name]
        conn.execute(
            _in_scope(works.update().where(sa.or_(target.is_(None), target == "")), only).values(
                {name: _member_value(records.c[name])}
            )
        )
    arxiv_member = _member_value(records.c.categories)
    conn.execute(
        _in_scope(works.update().where(works.c.categories == ""), only).values(
            categories=sa.func.coalesce(arxiv_member, "")
        )
    )
    latest = (
        sa.select(sa.func.max(record_versions.c.number))
        .select_from(
            work_members.join(
                record_versions, record_versions.c.record_id == work_members.c.record_id
            )
        )
        .where(work_members.c.work_id == works.c.id)
        .scalar_subquery()
    )
    # Works with no arXiv record have no arXiv version at all.
    fallback = sa.case((works.c.arxiv_id.is_not(None), works.c.latest_version))
    conn.execute(
        _in_scope(works.update(), only).values(latest_version=sa.func.coalesce(latest, fallback))
    )


def _of(query: sa.Select[Any], column: sa.ColumnElement[int], only: Sequence[int] | None) -> Any:
    return query if only is None else query.where(column.in_(only))


def rebuild_work_children(conn: Connection, only: Collection[int] | None = None) -> None:
    """Ids, versions, authorships, citations and reported counts of every work (or of ``only``).

    For ``only`` (an incremental build) the citations are left to
    :func:`scholarfolio.store.derive_citations.rebuild_citations_of`.
    """
    if only is None:
        _rebuild_children(conn, None)
        rebuild_all_citations(conn)
        return
    for chunk in chunks(only):
        _rebuild_children(conn, chunk)


def _rebuild_children(conn: Connection, only: Sequence[int] | None) -> None:
    member = work_members.c
    conn.execute(
        work_ids.insert().from_select(
            ["work_id", "scheme", "value"],
            _of(
                sa.select(member.work_id, record_ids.c.scheme, record_ids.c.value).select_from(
                    work_members.join(record_ids, record_ids.c.record_id == member.record_id)
                ),
                member.work_id,
                only,
            ).distinct(),
        )
    )
    conn.execute(
        work_versions.insert().from_select(
            ["work_id", "number", "submitted"],
            _of(
                sa.select(
                    member.work_id,
                    record_versions.c.number,
                    sa.func.min(record_versions.c.submitted),
                ).select_from(
                    work_members.join(
                        record_versions, record_versions.c.record_id == member.record_id
                    )
                ),
                member.work_id,
                only,
            ).group_by(member.work_id, record_versions.c.number),
        )
    )
    _rebuild_authorships(conn, only)
    conn.execute(
        work_reported.insert().from_select(
            ["work_id", "source", "citations", "as_of"],
            _of(
                sa.select(
                    member.work_id,
                    records.c.source,
                    sa.func.max(reported_citations.c.citations),
                    sa.func.max(reported_citations.c.as_of),
                ).select_from(
                    work_members.join(records, records.c.id == member.record_id).join(
                        reported_citations, reported_citations.c.record_id == records.c.id
                    )
                ),
                member.work_id,
                only,
            ).group_by(member.work_id, records.c.source),
        )
    )


def _rebuild_authorships(conn: Connection, only: Sequence[int] | None) -> None:
    ra = record_authors.c
    conn.execute(
        authorships.insert().from_select(
            [
                "work_id",
                "position",
                "raw_name",
                "name",
                "affiliations",
                "orcid",
                "openalex_id",
                "s2_id",
                "name_key",
            ],
            _of(
                sa.select(
                    works.c.id,
                    ra.position,
                    ra.raw_name,
                    ra.name,
                    ra.affiliations,
                    ra.orcid,
                    sa.case((records.c.source == "openalex", ra.source_author_id)),
                    sa.case((records.c.source == "s2", ra.source_author_id)),
                    ra.name_key,
                ).select_from(
                    works.join(record_authors, ra.record_id == works.c.author_source).join(
                        records, records.c.id == ra.record_id
                    )
                ),
                works.c.id,
                only,
            ),
        )
    )
    # Other records of the same work often know more about the same person:
    # an ORCID, an OpenAlex or S2 author id. Match them by name key.
    for column, source in (("orcid", None), ("openalex_id", "openalex"), ("s2_id", "s2")):
        other = record_authors.alias("other")
        value = other.c.orcid if source is None else other.c.source_author_id
        query = (
            sa.select(value)
            .select_from(
                work_members.join(other, other.c.record_id == work_members.c.record_id).join(
                    records, records.c.id == other.c.record_id
                )
            )
            .where(
                work_members.c.work_id == authorships.c.work_id,
                other.c.name_key == authorships.c.name_key,
                value.is_not(None),
            )
            .order_by(other.c.record_id)
            .limit(1)
        )
        if source is not None:
            query = query.where(records.c.source == source)
        target = authorships.c[column]
        update = authorships.update().where(target.is_(None))
        if only is not None:
            update = update.where(authorships.c.work_id.in_(only))
        conn.execute(update.values({column: query.scalar_subquery()}))


def work_member_records(conn: Connection, work_id: int) -> dict[int, tuple[str, str]]:
    """The records of a work: record id -> (source, source id)."""
    query = (
        sa.select(records.c.id, records.c.source, records.c.source_id)
        .select_from(work_members.join(records, records.c.id == work_members.c.record_id))
        .where(work_members.c.work_id == work_id)
    )
    return {row.id: (row.source, row.source_id) for row in conn.execute(query)}


def keep_apart(
    conn: Connection, pairs: Sequence[tuple[int, int]], reason: str, now: datetime
) -> int:
    """Store human splits (pairs of records never to be one work); returns new pairs."""
    known = set(kept_apart(conn))
    fresh = [pair for pair in pairs if pair not in known]
    if fresh:
        conn.execute(
            work_splits.insert(),
            [
                {"record_id": a, "apart_from": b, "reason": reason, "created_at": now}
                for a, b in fresh
            ],
        )
    return len(fresh)
