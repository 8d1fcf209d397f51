"""Citations between works: every edge at a full build, or the edges of some works.

A citation comes from a reference a member record lists (``record_references``)
or an edge a source reports between two identifiers (``citation_claims``),
resolved through the ids of the works (``work_ids``). A citing work counts once
per cited work, however many records or sources report the edge, and a work
never cites itself.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scholarfolio.store.schema import (
    citation_claims,
    citations,
    record_references,
    work_ids,
    work_members,
)
from scholarfolio.store.scoped import chunks


def _from_references() -> tuple[sa.Select[Any], Any, Any]:
    citing = work_members.alias("citing")
    cited = work_ids.alias("cited")
    query = sa.select(citing.c.work_id.label("citing"), cited.c.work_id.label("cited")).select_from(
        record_references.join(citing, citing.c.record_id == record_references.c.record_id).join(
            cited,
            (cited.c.scheme == record_references.c.scheme)
            & (cited.c.value == record_references.c.value),
        )
    )
    return query, citing, cited


def _from_claims() -> tuple[sa.Select[Any], Any, Any]:
    citing = work_ids.alias("citing_ids")
    cited = work_ids.alias("cited_ids")
    query = sa.select(citing.c.work_id, cited.c.work_id).select_from(
        citation_claims.join(
            citing,
            (citing.c.scheme == citation_claims.c.citing_scheme)
            & (citing.c.value == citation_claims.c.citing_value),
        ).join(
            cited,
            (cited.c.scheme == citation_claims.c.cited_scheme)
            & (cited.c.value == citation_claims.c.cited_value),
        )
    )
    return query, citing, cited


def rebuild_all_citations(conn: Connection) -> None:
    """Insert every citation edge (the table is empty at a full build)."""
    edges = sa.union(_from_references()[0], _from_claims()[0]).subquery()
    conn.execute(
        citations.insert().from_select(
            ["citing_work_id", "cited_work_id"],
            sa.select(edges.c[0], edges.c[1]).where(edges.c[0] != edges.c[1]).distinct(),
        )
    )


def cited_by(conn: Connection, work_ids_: Collection[int]) -> set[int]:
    """The works that the given works cite now (before their edges are replaced)."""
    found: set[int] = set()
    for chunk in chunks(work_ids_):
        query = sa.select(citations.c.cited_work_id).where(citations.c.citing_work_id.in_(chunk))
        found.update(conn.scalars(query))
    return found


def rebuild_citations_of(conn: Connection, work_ids_: Collection[int]) -> set[tuple[int, int]]:
    """Insert every edge from or to the given works (their old edges are gone) and return them."""
    edges: set[tuple[int, int]] = set()
    for chunk in chunks(work_ids_):
        for query, citing, cited in (_from_references(), _from_claims()):
            for side in (citing, cited):
                rows = conn.execute(query.where(side.c.work_id.in_(chunk)))
                edges.update((int(row[0]), int(row[1])) for row in rows if row[0] != row[1])
    if edges:
        conn.execute(
            citations.insert(),
            [{"citing_work_id": a, "cited_work_id": b} for a, b in sorted(edges)],
        )
    return edges
