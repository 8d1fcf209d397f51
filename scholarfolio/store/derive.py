"""Deriving works from source records: the build's set-based rebuild of the work tables.

The domain layer decides which records form one work (:mod:`scholarfolio.dedup`)
and which record represents it; this module reads what that decision needs and
writes the result: works, their members, ids, versions, authorships, citations
and the counts sources report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    authorships,
    citation_claims,
    citations,
    record_authors,
    record_ids,
    record_references,
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


def record_facts(conn: Connection) -> Iterator[RecordFacts]:
    """Every record with its ids and author surnames, ordered by record id."""
    ids: dict[int, list[tuple[str, str]]] = {}
    for record_id, scheme, value in conn.execute(
        sa.select(record_ids.c.record_id, record_ids.c.scheme, record_ids.c.value)
    ):
        ids.setdefault(record_id, []).append((scheme, value))
    names: dict[int, list[str]] = {}
    for record_id, name_key in conn.execute(
        sa.select(record_authors.c.record_id, record_authors.c.name_key).order_by(
            record_authors.c.record_id, record_authors.c.position
        )
    ):
        names.setdefault(record_id, []).append(name_key)
    query = sa.select(
        records.c.id,
        records.c.source,
        records.c.title_key,
        records.c.year,
        records.c.first_submitted,
        records.c.published,
    ).order_by(records.c.id)
    for row in conn.execute(query):
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


def previous_work_ids(conn: Connection) -> dict[int, int]:
    """The work each record belonged to at the last build."""
    return {r: w for r, w in conn.execute(sa.select(work_keys.c.record_id, work_keys.c.work_id))}


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


def clear_derived_works(conn: Connection) -> None:
    """Drop every derived work table's rows (children first)."""
    for table in _DERIVED:
        conn.execute(table.delete())
    conn.execute(works.delete())


def write_works(conn: Connection, heads: Sequence[WorkHead], members: Sequence[Membership]) -> None:
    """Insert the works and their members, then fill each work from its records."""
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
        conn.execute(work_keys.delete())
        conn.execute(
            work_keys.insert(), [{"record_id": m.record_id, "work_id": m.work_id} for m in members]
        )
    _fill_from_representative(conn)
    _fill_gaps_from_members(conn)


def _fill_from_representative(conn: Connection) -> None:
    conn.execute(
        works.update()
        .where(records.c.id == works.c.representative)
        .values(
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


def _fill_gaps_from_members(conn: Connection) -> None:
    """A published record may lack the abstract or arXiv id another member has."""
    for name in ("abstract", "arxiv_id", "doi", "venue", "journal_ref", "work_type"):
        target = works.c[name]
        conn.execute(
            works.update()
            .where(sa.or_(target.is_(None), target == ""))
            .values({name: _member_value(records.c[name])})
        )
    arxiv_member = _member_value(records.c.categories)
    conn.execute(
        works.update()
        .where(works.c.categories == "")
        .values(categories=sa.func.coalesce(arxiv_member, ""))
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
    conn.execute(works.update().values(latest_version=sa.func.coalesce(latest, fallback)))


def rebuild_work_children(conn: Connection) -> None:
    """Ids, versions, authorships, citations and reported counts of every work."""
    member = work_members.c
    conn.execute(
        work_ids.insert().from_select(
            ["work_id", "scheme", "value"],
            sa.select(member.work_id, record_ids.c.scheme, record_ids.c.value)
            .select_from(work_members.join(record_ids, record_ids.c.record_id == member.record_id))
            .distinct(),
        )
    )
    conn.execute(
        work_versions.insert().from_select(
            ["work_id", "number", "submitted"],
            sa.select(
                member.work_id, record_versions.c.number, sa.func.min(record_versions.c.submitted)
            )
            .select_from(
                work_members.join(record_versions, record_versions.c.record_id == member.record_id)
            )
            .group_by(member.work_id, record_versions.c.number),
        )
    )
    _rebuild_authorships(conn)
    _rebuild_citations(conn)
    conn.execute(
        work_reported.insert().from_select(
            ["work_id", "source", "citations", "as_of"],
            sa.select(
                member.work_id,
                records.c.source,
                sa.func.max(reported_citations.c.citations),
                sa.func.max(reported_citations.c.as_of),
            )
            .select_from(
                work_members.join(records, records.c.id == member.record_id).join(
                    reported_citations, reported_citations.c.record_id == records.c.id
                )
            )
            .group_by(member.work_id, records.c.source),
        )
    )


def _rebuild_authorships(conn: Connection) -> None:
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
        conn.execute(
            authorships.update().where(target.is_(None)).values({column: query.scalar_subquery()})
        )


def _rebuild_citations(conn: Connection) -> None:
    citing = work_members.alias("citing")
    cited = work_ids.alias("cited")
    from_references = sa.select(
        citing.c.work_id.label("citing"), cited.c.work_id.label("cited")
    ).select_from(
        record_references.join(citing, citing.c.record_id == record_references.c.record_id).join(
            cited,
            (cited.c.scheme == record_references.c.scheme)
            & (cited.c.value == record_references.c.value),
        )
    )
    citing_ids = work_ids.alias("citing_ids")
    cited_ids = work_ids.alias("cited_ids")
    from_claims = sa.select(citing_ids.c.work_id, cited_ids.c.work_id).select_from(
        citation_claims.join(
            citing_ids,
            (citing_ids.c.scheme == citation_claims.c.citing_scheme)
            & (citing_ids.c.value == citation_claims.c.citing_value),
        ).join(
            cited_ids,
            (cited_ids.c.scheme == citation_claims.c.cited_scheme)
            & (cited_ids.c.value == citation_claims.c.cited_value),
        )
    )
    edges = sa.union(from_references, from_claims).subquery()
    # A citing work counts once per cited work, however many sources report it.
    conn.execute(
        citations.insert().from_select(
            ["citing_work_id", "cited_work_id"],
            sa.select(edges.c[0], edges.c[1]).where(edges.c[0] != edges.c[1]).distinct(),
        )
    )


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
